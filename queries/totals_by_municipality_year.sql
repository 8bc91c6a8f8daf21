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
lines as (
    -- the filters' macro is expanded (bound and planned) once per query instead of once per use
    select municipality, year, measure_id, amount_sek
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
allocated as (
    select
        municipality, year,
        sum(amount_sek) as allocated_sek,
        count(*) as lines,
        count(*) filter (where amount_sek is null) as lines_without_amount
    from lines
    group by municipality, year
),
measures as (
    -- one distinct (municipality, year, measure) list; a measure is without amount when any of its lines is
    select municipality, year, count(*) as measures, count(*) filter (where without_amount) as measures_without_amount
    from (
        select municipality, year, measure_id, bool_or(amount_sek is null) as without_amount
        from lines
        where measure_id is not null
        group by municipality, year, measure_id
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
    coalesce(m.measures_without_amount, 0) as measures_without_amount
from frames as f
left join allocated as a using (municipality, year)
left join measures as m using (municipality, year)
order by f.municipality, f.year;
