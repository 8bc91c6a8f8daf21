-- Returns per primary area: the number of measures matching the filters and how many of them have no known amount.
select
    primary_area,
    count(*) as measures,
    count(*) filter (where allocated_sek is null) as measures_without_amount
from main.filtered_measures($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
group by primary_area
order by primary_area nulls last;
