-- The allocation lines of the open-data package (`python -m insatskollen publish`): one row per line and year,
-- as the allocation view has them (a line without its own year applies to every year of its frame). amount_sek
-- NULL is unknown (the document gives no amount), never 0. An empty $municipalities means every municipality.
select
    allocation_id, frame_id, year, municipality_code, municipality, funding_source, committee, administration,
    measure_id, measure, priority_area, amount_sek, status, basis, basis_note, source_document, source_section
from main.allocation
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], municipality)
order by municipality, year, funding_source, allocation_id;
