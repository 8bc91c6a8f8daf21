-- Allocation lines whose year is outside the frame's years: (_line, value).
select a._line, a.year from stg_allocations a join stg_frames f using (frame_id)
where a.year is not null and a.year::bigint not between f.year_from::bigint and f.year_to::bigint;
