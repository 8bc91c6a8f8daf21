-- Returns the frame-years in the filters (kommun, år, källa) that have measures to follow up, with how many measures (funded lines' measures) and reports in force each has.
with item as (
    -- one row per frame-year and measure (or line without a measure) with a funded line
    select frame_id, year, coalesce('m:' || measure_id, 'a:' || allocation_id) as item_key
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], [], [], [], '')
    where status is distinct from 'övrigt förslag utan finansiering'
    group by all
),
report as (
    select coalesce('m:' || measure_id, 'a:' || allocation_id) as item_key, year
    from imported.follow_up_reports
)
select
    fy.frame_id,
    fy.year,
    fy.municipality,
    fy.funding_source,
    count(*) as measures,
    count(r.item_key) as reports
from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[]) as fy
join item as i on i.frame_id = fy.frame_id and i.year = fy.year
left join report as r on r.item_key = i.item_key and r.year = i.year
group by all
order by fy.municipality, fy.year, fy.funding_source
