-- Returns the follow_up view (one row per measure and year: granted, spent, deviation, status, result and their sources) for the given municipality codes and years (an empty list means all).
select *
from main.follow_up
where (len($municipality_codes::varchar[]) = 0 or list_contains($municipality_codes::varchar[], municipality_code))
  and (len($years::integer[]) = 0 or list_contains($years::integer[], year))
order by municipality, year, funding_source, committee nulls last, measure nulls last
