-- The measures of the open-data package: one row per measure (insats or proposal).
select
    measure_id, municipality_code, municipality, title, committee, administration, primary_area, status,
    requested_sek, year_from, year_to, source_document, source_section
from main.measure_overview
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], municipality)
order by municipality, measure_id;
