-- Returns the follow_up view (one row per measure and year: granted, spent, deviation, status, result and their sources) for the given municipality codes and years (an empty list means all).
select *
from main.follow_up_rows($municipality_codes::varchar[], $years::integer[], [], [])
order by municipality, year, funding_source, committee nulls last, measure nulls last
