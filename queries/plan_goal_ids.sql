-- Returns the goals of the plans in force, one row each: municipality code, national area, goal text, goal id and whether it came from an imported plan (a new plan file replaces those, so it links only to the bundled ones).
select
    g.municipality_code,
    coalesce(g.priority_area, l.priority_area, g.area_label) as priority_area,
    g.goal,
    g.goal_id,
    g.goal_id in (select goal_id from imported.plan_goals) as imported
from main.plan_goals as g
left join main.area_labels as l on l.label = g.area_label
    and (l.municipality_code is null or l.municipality_code = g.municipality_code)
order by g.municipality_code, g.goal_id;
