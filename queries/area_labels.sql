-- Returns one municipality's own area labels and the national area each maps to (national names included).
select l.label, l.priority_area, l.secondary_area, l.note, l.source_document, l.source_section
from main.area_labels as l
left join main.municipalities as mu using (municipality_code)
left join main.priority_areas as pa on pa.priority_area = l.priority_area
where mu.municipality = $municipality
order by pa.sort_order nulls last, l.label;
