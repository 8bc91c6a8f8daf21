-- Returns each frame rule with its frame, the national area its budget line maps to, and the source.
select
    r.rule_id, f.frame_id, mu.municipality, f.funding_source, f.year_from, f.year_to, f.amount_sek as frame_sek,
    r.rule_kind, r.budget_line, l.priority_area, r.min_pct, r.max_pct, r.source_document, r.source_section
from main.frame_rules as r
join main.frames as f using (frame_id)
join main.municipalities as mu on mu.municipality_code = f.municipality_code
left join main.area_labels as l
    on l.label = r.budget_line and (l.municipality_code is null or l.municipality_code = f.municipality_code)
left join main.priority_areas as pa on pa.priority_area = l.priority_area
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], mu.municipality)
order by mu.municipality, f.frame_id, r.rule_kind, pa.sort_order nulls last, r.rule_id;
