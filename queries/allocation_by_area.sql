-- Returns per municipality, year, national area and whether the line's frame has an amount: allocated kronor, line counts and the frames.
-- frame_known is false for lines of a frame without amount (e.g. imported lines without Ram): a share of the
-- frame is computed only from lines whose frame is known, against the known frames (charts.area_bars).
-- lines_without_amount counts unknown amounts only: a proposal the document does not fund ('övrigt förslag utan
-- finansiering') has no money, which is not an unknown amount (README, Nyckeltal).
with frames as (
    select municipality, year, sum(amount_sek) as frame_sek
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
    group by municipality, year
),
filtered as (
    -- the filters' macro is expanded (bound and planned) once per query instead of once per use
    select municipality, year, priority_area, measure_id, amount_sek, frame_id, status
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
lines as (
    select
        a.municipality,
        a.year,
        a.priority_area,
        fy.amount_sek is not null as frame_known,
        sum(a.amount_sek) as amount_sek,
        count(*) as lines,
        count(*) filter (
            where a.amount_sek is null and a.status is distinct from 'övrigt förslag utan finansiering'
        ) as lines_without_amount
    from filtered as a
    join model.frame_year as fy on fy.frame_id = a.frame_id and fy.year = a.year
    group by a.municipality, a.year, a.priority_area, fy.amount_sek is not null
),
measures as (
    -- distinct measures from a distinct list: several times cheaper than count(distinct ...) per group
    select municipality, year, priority_area, count(*) as measures
    from (select distinct municipality, year, priority_area, measure_id from filtered where measure_id is not null)
    group by municipality, year, priority_area
)
select
    l.municipality,
    l.year,
    l.priority_area,
    l.frame_known,
    l.amount_sek,
    l.lines,
    l.lines_without_amount,
    coalesce(m.measures, 0) as measures,
    f.frame_sek
from lines as l
left join measures as m
    on m.municipality = l.municipality and m.year = l.year and m.priority_area is not distinct from l.priority_area
left join frames as f on f.municipality = l.municipality and f.year = l.year
order by l.municipality, l.year, l.priority_area nulls last, l.frame_known desc;
