-- Model cells whose direction is not one of directions.csv for their municipality: (_line, value).
select m._line, m.direction from stg_model_cells m
where not exists (
    select 1 from stg_directions d where d.direction = m.direction
    and d.municipality_code = m.municipality_code
);
