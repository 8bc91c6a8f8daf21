-- Returns the filtered allocation lines, one per line and year, with their source.
select
    allocation_id, municipality, year, funding_source, committee, administration,
    measure_id, measure, priority_area, amount_sek, requested_sek, status,
    source_document, source_section, case_number
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
order by municipality, year, funding_source, committee nulls last, measure nulls last;
