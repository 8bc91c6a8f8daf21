-- Stated totals whose year is outside the frame's years: (_line, value).
select t._line, t.year from stg_stated_totals t join stg_frames f using (frame_id)
where t.year is not null and t.year::bigint not between f.year_from::bigint and f.year_to::bigint;
