-- Returns deck_sources per frame-year (municipality, year, funding source) in one query: the same documents and headings a decision slide cites, for every decision slide of a deck at once.
with lines as (
    select *
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
cited as (
    select municipality, year, funding_source, source_document, source_section, 1 as kind from lines
    union all
    select l.municipality, l.year, l.funding_source, c.source_document, c.source_section, 2 as kind
    from lines as l
    join main.committees as c using (committee_id)
    where c.decision_label is not null and l.amount_sek is not null
    union all
    select fy.municipality, fy.year, fy.funding_source, f.source_document, f.source_section, 3 as kind
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[]) as fy
    join main.frames as f using (frame_id)
)
select
    c.municipality,
    c.year,
    c.funding_source,
    c.source_document as document_id,
    c.source_section as section,
    min(c.kind) as kind
from cited as c
group by all
order by c.municipality, c.year, c.funding_source, c.source_document, kind, section;
