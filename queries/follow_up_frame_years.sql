-- Returns the frame-years in the filters (kommun, år, källa) that have measures to follow up, with how many measures and reports each has.
select
    fy.frame_id,
    fy.year,
    fy.municipality,
    fy.funding_source,
    count(*) as measures,
    count(*) filter (where f.status <> 'ingen rapport') as reports
from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[]) as fy
join main.follow_up as f on f.frame_id = fy.frame_id and f.year = fy.year
group by all
order by fy.municipality, fy.year, fy.funding_source
