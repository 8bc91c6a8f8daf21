-- Returns the values each sidebar filter offers given the other chosen filters: (filter, value, sort_key).
-- Faceted: a list is narrowed by every other filter but not by itself, so a value is offered only when
-- some allocation line (or, for kommun, år and finansieringskälla, some frame) matches it together with
-- the other choices. Values already chosen are always offered, so a choice is never silently dropped.
-- The free-text search does not narrow the lists. '' stands for "no area" in the areas list.
-- One scan of the lines: each list is a filtered distinct aggregate over the same rows.
with lines as (
    select
        municipality,
        year,
        funding_source,
        committee,
        coalesce(priority_area, '') as area,
        status,
        len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], municipality) as m_ok,
        len($years::integer[]) = 0 or list_contains($years::integer[], year) as y_ok,
        len($funding_sources::varchar[]) = 0 or list_contains($funding_sources::varchar[], funding_source) as f_ok,
        len($committees::varchar[]) = 0 or list_contains($committees::varchar[], coalesce(committee, '')) as c_ok,
        len($areas::varchar[]) = 0 or list_contains($areas::varchar[], coalesce(priority_area, '')) as a_ok,
        len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], status) as s_ok
    from model.allocation
),
from_lines as (
    select
        list(distinct municipality) filter (where y_ok and f_ok and c_ok and a_ok and s_ok) as municipalities,
        list(distinct year) filter (where m_ok and f_ok and c_ok and a_ok and s_ok) as years,
        list(distinct funding_source) filter (where m_ok and y_ok and c_ok and a_ok and s_ok) as funding_sources,
        list(distinct committee) filter (where m_ok and y_ok and f_ok and a_ok and s_ok) as committees,
        list(distinct area) filter (where m_ok and y_ok and f_ok and c_ok and s_ok) as areas,
        list(distinct status) filter (where m_ok and y_ok and f_ok and c_ok and a_ok) as statuses
    from lines
),
-- frames count for kommun, år and finansieringskälla only while no line-level filter is chosen:
-- a frame without lines still has a view (Översikt), but not one for a nämnd, area or status.
frames as (
    select
        municipality,
        year,
        funding_source,
        len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], municipality) as m_ok,
        len($years::integer[]) = 0 or list_contains($years::integer[], year) as y_ok,
        len($funding_sources::varchar[]) = 0 or list_contains($funding_sources::varchar[], funding_source) as f_ok
    from model.frame_year
    where len($committees::varchar[]) = 0 and len($areas::varchar[]) = 0 and len($statuses::varchar[]) = 0
),
from_frames as (
    select
        list(distinct municipality) filter (where y_ok and f_ok) as municipalities,
        list(distinct year) filter (where m_ok and f_ok) as years,
        list(distinct funding_source) filter (where m_ok and y_ok) as funding_sources
    from frames
),
offered as (
    select 'municipalities' as filter, unnest(municipalities) as value from from_lines
    union select 'municipalities', unnest(municipalities) from from_frames
    union select 'years', unnest(years)::varchar from from_lines
    union select 'years', unnest(years)::varchar from from_frames
    union select 'funding_sources', unnest(funding_sources) from from_lines
    union select 'funding_sources', unnest(funding_sources) from from_frames
    union select 'committees', unnest(committees) from from_lines
    union select 'areas', unnest(areas) from from_lines
    union select 'statuses', unnest(statuses) from from_lines
    union select 'municipalities', unnest($municipalities::varchar[])
    union select 'years', unnest($years::integer[])::varchar
    union select 'funding_sources', unnest($funding_sources::varchar[])
    union select 'committees', unnest($committees::varchar[])
    union select 'areas', unnest($areas::varchar[])
    union select 'statuses', unnest($statuses::varchar[])
),
-- a chosen value that is not in the data at all (an edited link) is not offered
known as (
    -- any of Sweden's 290 municipalities is known (shown as known but empty when it has no data yet)
    select 'municipalities' as filter, municipality as value, municipality as sort_key from main.municipalities
    union select 'municipalities', municipality, municipality from main.sweden_municipalities
    union all select distinct 'years', year::varchar, year::varchar from main.frame_year
    union all select 'funding_sources', funding_source, funding_source from main.funding_sources
    union all select distinct 'committees', committee, committee from main.committees
    union all select 'areas', priority_area, lpad(sort_order::varchar, 3, '0') from main.priority_areas
    union all select 'areas', '', '999'
    union all select 'statuses', status, lpad(sort_order::varchar, 3, '0') from main.statuses
)
select k.filter, k.value, k.sort_key
from known as k
join offered as o using (filter, value)
order by k.filter, k.sort_key;
