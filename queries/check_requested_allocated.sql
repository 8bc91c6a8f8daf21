-- Returns measures whose requested and allocated amounts (per year) are both known and differ.
select measure_id, municipality, title, committee, requested_sek, requested_text, allocated_sek,
       allocated_sek - requested_sek as difference_sek, year_from, year_to, source_document, source_section
from main.measure_overview
where requested_sek is not null and allocated_sek is not null and requested_sek <> allocated_sek
order by municipality, measure_id;
