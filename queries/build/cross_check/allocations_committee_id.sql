-- Allocation lines whose nämnd belongs to another municipality than the frame: (_line, value).
select a._line, a.committee_id from stg_allocations a
join stg_committees c on c.committee_id = a.committee_id
join stg_frames f on f.frame_id = a.frame_id
where a.committee_id is not null and c.municipality_code <> f.municipality_code;
