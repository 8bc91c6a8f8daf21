-- Returns each source document with municipality, case number, date, what was taken, and what it is the source of: its frames, measures and allocation lines (an imported file of 8 rows: 1 frame, 8 measures, 8 lines), and other rows (rules, stated totals, indicators, statistics).
with cites as (
    select source_document, 'frames' as kind, count(*) as n from main.frames group by all
    union all select source_document, 'measures', count(*) from main.measures group by all
    union all select source_document, 'lines', count(*) from main.allocations group by all
    union all select source_document, 'other', count(*) from main.frame_rules group by all
    union all select source_document, 'other', count(*) from main.stated_totals group by all
    union all select source_document, 'other', count(*) from main.indicators group by all
    union all select source_document, 'other', count(*) from main.statistics group by all
)
select
    d.document_id, mu.municipality, d.date, d.case_number, d.title, d.kind, d.taken,
    coalesce(sum(c.n) filter (where c.kind = 'frames'), 0)::bigint as frames_citing,
    coalesce(sum(c.n) filter (where c.kind = 'measures'), 0)::bigint as measures_citing,
    coalesce(sum(c.n) filter (where c.kind = 'lines'), 0)::bigint as lines_citing,
    coalesce(sum(c.n) filter (where c.kind = 'other'), 0)::bigint as other_citing
from main.documents as d
join main.municipalities as mu using (municipality_code)
left join cites as c on c.source_document = d.document_id
group by all
order by mu.municipality, d.date, d.document_id;
