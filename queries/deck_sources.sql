-- Returns the documents and headings or tables the filtered amounts come from: each line's own source, the
-- decision table its nämnd is named in, and the frame's source; one row per document and heading, in order.
with lines as (
    select *
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
cited as (
    select source_document, source_section, 1 as kind from lines
    union all
    select c.source_document, c.source_section, 2 as kind
    from lines as l
    join main.committees as c using (committee_id)
    where c.decision_label is not null and l.amount_sek is not null
    union all
    select f.source_document, f.source_section, 3 as kind
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[]) as fy
    join main.frames as f using (frame_id)
)
select c.source_document as document_id, c.source_section as section, min(c.kind) as kind
from cited as c
group by all
order by c.source_document, kind, section;
