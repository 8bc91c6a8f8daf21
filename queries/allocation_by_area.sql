-- Returns per municipality, year and national area: allocated kronor, line counts and the share of the frames.
with lines as (
    select * from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
),
frames as (
    select municipality, year, sum(amount_sek) as frame_sek
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
    group by municipality, year
)
select
    l.municipality,
    l.year,
    l.priority_area,
    sum(l.amount_sek) as amount_sek,
    count(*) as lines,
    count(*) filter (where l.amount_sek is null) as lines_without_amount,
    count(distinct l.measure_id) as measures,
    f.frame_sek,
    sum(l.amount_sek) / nullif(f.frame_sek, 0) as share_of_frame
from lines as l
left join frames as f using (municipality, year)
group by l.municipality, l.year, l.priority_area, f.frame_sek
order by l.municipality, l.year, l.priority_area nulls last;
