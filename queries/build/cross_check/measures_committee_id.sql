-- Measures whose nämnd belongs to another municipality: (_line, value).
select m._line, m.committee_id from stg_measures m join stg_committees c using (committee_id)
where c.municipality_code <> m.municipality_code;
