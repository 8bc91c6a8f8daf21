-- Returns the proposals a document names without funding (status 'övrigt förslag utan finansiering'), once per frame, with the first and last year of the frame shown and the heading they stand under; in the document's order.
select
    a.municipality,
    a.funding_source,
    a.allocation_id,
    a.measure,
    a.committee,
    a.priority_area,
    min(a.year) as year_from,
    max(a.year) as year_to,
    a.source_document,
    a.source_section
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar) as a
where a.status = 'övrigt förslag utan finansiering'
group by a.municipality, a.funding_source, a.allocation_id, a.measure, a.committee, a.priority_area,
         a.source_document, a.source_section
order by a.municipality, a.funding_source, a.allocation_id;
