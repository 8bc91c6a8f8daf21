-- Returns each source document with municipality, case number, date, what was taken, and how many rows cite it.
with cites as (
    select source_document, count(*) as n from main.measures group by all
    union all select source_document, count(*) from main.allocations group by all
    union all select source_document, count(*) from main.frames group by all
    union all select source_document, count(*) from main.frame_rules group by all
    union all select source_document, count(*) from main.stated_totals group by all
    union all select source_document, count(*) from main.indicators group by all
    union all select source_document, count(*) from main.statistics group by all
)
select
    d.document_id, mu.municipality, d.date, d.case_number, d.title, d.kind, d.taken,
    coalesce(sum(c.n), 0)::bigint as rows_citing
from main.documents as d
join main.municipalities as mu using (municipality_code)
left join cites as c on c.source_document = d.document_id
group by all
order by mu.municipality, d.date, d.document_id;
