-- Returns the secondary-area links of all measures, with whether the document or our reading made the link.
select ml.measure_id, m.title, mu.municipality, m.primary_area, ml.priority_area, ml.basis, ml.note,
       ml.source_document, ml.source_section
from main.measure_links as ml
join main.measures as m using (measure_id)
join main.municipalities as mu on mu.municipality_code = m.municipality_code
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], mu.municipality)
order by mu.municipality, m.title, ml.priority_area;
