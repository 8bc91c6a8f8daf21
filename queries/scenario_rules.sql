-- Returns the rules of one frame with the national area each interval's budget line maps to.
select r.rule_id, r.rule_kind, r.budget_line, l.priority_area, r.min_pct, r.max_pct
from main.frame_rules as r
join main.frames as f using (frame_id)
left join main.area_labels as l
    on l.label = r.budget_line and (l.municipality_code is null or l.municipality_code = f.municipality_code)
left join main.priority_areas as pa on pa.priority_area = l.priority_area
where r.frame_id = $frame_id
order by r.rule_kind, pa.sort_order nulls last, r.rule_id;
