-- Returns at most $limit filtered allocation lines of one nämnd ($committee, '' for lines without nämnd), largest first, and the total number of such lines.
select
    allocation_id, municipality, year, funding_source, committee, administration,
    measure_id, measure, priority_area, amount_sek, requested_sek, status,
    source_document, source_section, case_number,
    count(*) over () as total_rows,
    sum(amount_sek) over () as total_sek
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
where coalesce(committee, '') = $committee::varchar
order by amount_sek desc nulls last, municipality, year, measure nulls last, allocation_id
limit $limit;
