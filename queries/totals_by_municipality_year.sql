-- Returns per municipality and year: frame total, known allocated sum, lines without amount and measures (counts for browsing; ram, fördelat and ofördelat are defined once, in frame_year_figures / insatskollen.figures).
-- Distinct measures are counted from a distinct (municipality, year, measure) list, which is several times
-- cheaper than count(distinct ...) per group on a million lines.
with frames as (
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
        count(*) filter (where amount_sek is null) as lines_without_amount
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    group by municipality, year
),
measures as (
    select municipality, year, count(*) as measures
    from (select distinct municipality, year, measure_id from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar) where measure_id is not null)
    group by municipality, year
),
measures_unknown as (
    select municipality, year, count(*) as measures_without_amount
    from (
        select distinct municipality, year, measure_id
        from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
        where measure_id is not null and amount_sek is null
    )
    group by municipality, year
)
select
    f.municipality,
    f.year,
    f.frames,
    f.frame_sek,
    f.frames_without_amount,
    -- the sum of known line amounts; NULL (unknown, never 0) when no line has an amount or there are no lines
    a.allocated_sek,
    coalesce(a.lines_without_amount, 0) as lines_without_amount,
    coalesce(m.measures, 0) as measures,
    coalesce(u.measures_without_amount, 0) as measures_without_amount
from frames as f
left join allocated as a using (municipality, year)
left join measures as m using (municipality, year)
left join measures_unknown as u using (municipality, year)
order by f.municipality, f.year;
