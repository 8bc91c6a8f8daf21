-- Returns at most $limit measures matching the filters, in the order $sort names (kommun, belopp_hog, belopp_lag, titel, status).
select *
from main.filtered_measures($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
order by
    -- one key per sort; the keys of the sorts not chosen are NULL on every row and change nothing
    case when $sort::varchar = 'belopp_hog' then allocated_sek end desc nulls last,
    case when $sort::varchar = 'belopp_lag' then allocated_sek end asc nulls last,
    case when $sort::varchar = 'status' then status end,
    case when $sort::varchar = 'kommun' then municipality end,
    title,
    measure_id
limit $limit;
