-- Measures whose direction is not one of directions.csv for their municipality: (_line, value).
select m._line, m.direction from stg_measures m
where m.direction is not null and not exists (
    select 1 from stg_directions d where d.direction = m.direction
    and d.municipality_code = m.municipality_code
);
