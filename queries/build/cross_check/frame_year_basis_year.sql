-- Frame-year bases whose year is outside the frame's years: (_line, value).
select b._line, b.year from stg_frame_year_basis b join stg_frames f using (frame_id)
where b.year::bigint not between f.year_from::bigint and f.year_to::bigint;
