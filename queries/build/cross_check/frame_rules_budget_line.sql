-- Frame rules whose budget_line is not a label of area_labels.csv for the frame's municipality: (_line, value).
select r._line, r.budget_line from stg_frame_rules r join stg_frames f using (frame_id)
where r.budget_line is not null and not exists (
    select 1 from stg_area_labels l where l.label = r.budget_line
    and (l.municipality_code is null or l.municipality_code = f.municipality_code)
);
