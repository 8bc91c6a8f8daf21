-- Allocation lines whose measure belongs to another municipality than the frame: (_line, value).
select a._line, a.measure_id from stg_allocations a join stg_frames f using (frame_id)
join stg_measures m using (measure_id) where m.municipality_code <> f.municipality_code;
