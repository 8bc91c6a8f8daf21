-- Measures whose primary_area is not the national area their area_label stands for: (_line, value).
select m._line, m.primary_area from stg_measures m
join stg_area_labels l on l.label = m.area_label
    and (l.municipality_code is null or l.municipality_code = m.municipality_code)
where m.primary_area is distinct from l.priority_area;
