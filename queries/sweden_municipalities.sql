-- Returns all 290 Swedish municipalities (SCB) and whether the data holds any frame or line for each.
select
    s.municipality_code,
    s.municipality,
    s.county,
    exists (select 1 from main.frame_year as fy where fy.municipality_code = s.municipality_code) as has_data
from main.sweden_municipalities as s
order by s.municipality;
