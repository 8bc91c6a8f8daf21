-- Returns the secondary-area links of the measures matching the filters, with whether the document or our reading made the link.
select ml.measure_id, m.title, mu.municipality, m.primary_area, ml.priority_area, ml.basis, ml.note,
       ml.source_document, ml.source_section
from main.measure_links as ml
join main.measures as m using (measure_id)
join main.municipalities as mu on mu.municipality_code = m.municipality_code
where ml.measure_id in (
    select measure_id
    from main.filtered_measures($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
)
order by mu.municipality, m.title, ml.priority_area;
