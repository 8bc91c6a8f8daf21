-- Measures whose area_label is not a label of area_labels.csv for their municipality (or for every one): (_line, value).
select m._line, m.area_label from stg_measures m
where m.area_label is not null and not exists (
    select 1 from stg_area_labels l where l.label = m.area_label
    and (l.municipality_code is null or l.municipality_code = m.municipality_code)
);
