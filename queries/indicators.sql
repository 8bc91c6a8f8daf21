-- Returns one municipality's goals and follow-up indicators, per own area label or per measure, with source.
select i.indicator_id, i.area_label, l.priority_area, i.goal, i.indicator, m.title as measure,
       i.source_document, i.source_section
from main.indicators as i
join main.municipalities as mu using (municipality_code)
left join main.area_labels as l on l.label = i.area_label
    and (l.municipality_code is null or l.municipality_code = i.municipality_code)
left join main.measures as m on m.measure_id = i.measure_id
left join main.priority_areas as pa on pa.priority_area = l.priority_area
where mu.municipality = $municipality
order by pa.sort_order nulls last, i.indicator_id;
