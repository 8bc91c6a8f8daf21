-- Returns the measures matching the filters whose requested and allocated amounts are both known, at most $limit, largest allocation first.
select title, municipality, requested_sek, allocated_sek
from main.filtered_measures($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
where requested_sek is not null and allocated_sek is not null
order by allocated_sek desc, title
limit $limit;
