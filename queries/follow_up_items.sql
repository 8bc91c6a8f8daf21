-- Returns what a follow-up report can name, one row each: every measure (kind 'measure') and every allocation line without a measure (kind 'line', e.g. a pot to a nämnd), with municipality and title.
select 'measure' as kind, m.measure_id as item_id, m.municipality_code, mu.municipality, m.title
from main.measures as m
left join main.municipalities as mu using (municipality_code)
union all
select 'line', a.allocation_id, a.municipality_code, a.municipality, coalesce(a.committee, a.allocation_id)
from (select distinct allocation_id, municipality_code, municipality, committee from main.allocation where measure_id is null) as a
order by municipality_code, kind, item_id
