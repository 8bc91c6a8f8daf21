-- Returns per municipality, year and national area: allocated kronor, line counts and the share of the frames.
with frames as (
    select municipality, year, sum(amount_sek) as frame_sek
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
    group by municipality, year
),
lines as (
    select
        municipality,
        year,
        priority_area,
        sum(amount_sek) as amount_sek,
        count(*) as lines,
        count(*) filter (where amount_sek is null) as lines_without_amount
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    group by municipality, year, priority_area
),
measures as (
    -- distinct measures from a distinct list: several times cheaper than count(distinct ...) per group
    select municipality, year, priority_area, count(*) as measures
    from (select distinct municipality, year, priority_area, measure_id from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar) where measure_id is not null)
    group by municipality, year, priority_area
)
select
    l.municipality,
    l.year,
    l.priority_area,
    l.amount_sek,
    l.lines,
    l.lines_without_amount,
    coalesce(m.measures, 0) as measures,
    f.frame_sek,
    l.amount_sek / nullif(f.frame_sek, 0) as share_of_frame
from lines as l
left join measures as m
    on m.municipality = l.municipality and m.year = l.year and m.priority_area is not distinct from l.priority_area
left join frames as f on f.municipality = l.municipality and f.year = l.year
order by l.municipality, l.year, l.priority_area nulls last;
