-- Returns every measure and proposal matching the filters, with nämnd, areas, status and amounts per year.
select *
from main.filtered_measures($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
order by municipality, title;
