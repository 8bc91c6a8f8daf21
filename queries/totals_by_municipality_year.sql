-- Returns per municipality and year: frame total, allocated, unallocated, lines without amount and measures.
with lines as (
    select * from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
frames as (
    select
        municipality, year,
        sum(amount_sek) as frame_sek,
        count(*) as frames,
        count(*) filter (where amount_sek is null) as frames_without_amount
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
    group by municipality, year
),
allocated as (
    select
        municipality, year,
        sum(amount_sek) as allocated_sek,
        count(*) as lines,
        count(*) filter (where amount_sek is null) as lines_without_amount,
        count(distinct measure_id) as measures,
        count(distinct measure_id) filter (where amount_sek is null) as measures_without_amount
    from lines
    group by municipality, year
)
select
    f.municipality,
    f.year,
    f.frames,
    f.frame_sek,
    f.frames_without_amount,
    -- no lines at all: nothing is allocated (0); lines whose amounts are all unknown: unknown (NULL)
    case when a.lines is null then 0 else a.allocated_sek end as allocated_sek,
    f.frame_sek - case when a.lines is null then 0 else a.allocated_sek end as unallocated_sek,
    coalesce(a.lines_without_amount, 0) as lines_without_amount,
    coalesce(a.measures, 0) as measures,
    coalesce(a.measures_without_amount, 0) as measures_without_amount
from frames as f
left join allocated as a using (municipality, year)
order by f.municipality, f.year;
