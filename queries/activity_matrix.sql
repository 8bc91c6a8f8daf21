-- Returns, for one municipality, the number of measures per direction and own area label (the activity matrix).
select m.direction, m.area_label, count(*) as n,
       min(d.sort_order) as direction_order, min(pa.sort_order) as area_order
from main.measures as m
join main.municipalities as mu using (municipality_code)
join main.directions as d on d.municipality_code = m.municipality_code and d.direction = m.direction
left join main.priority_areas as pa on pa.priority_area = m.primary_area
where mu.municipality = $municipality and m.direction is not null and m.area_label is not null
group by all
order by direction_order, area_order;
