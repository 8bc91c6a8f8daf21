-- Returns the cells of a municipality's drawn model (own area label × direction) with the national area.
select c.area_label, l.priority_area, c.direction, d.sort_order as direction_order, pa.sort_order as area_order,
       c.source_document, c.source_section
from main.model_cells as c
join main.municipalities as mu using (municipality_code)
left join main.directions as d on d.municipality_code = c.municipality_code and d.direction = c.direction
left join main.area_labels as l on l.label = c.area_label
    and (l.municipality_code is null or l.municipality_code = c.municipality_code)
left join main.priority_areas as pa on pa.priority_area = l.priority_area
where mu.municipality = $municipality
order by direction_order, area_order;
