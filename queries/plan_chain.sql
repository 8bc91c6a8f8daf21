-- Returns one municipality's plan chain (main.plan_chain): per area, each goal with the measures that answer it, their money and sources; goals without measures and measures without goals included.
select c.*
from main.plan_chain as c
left join main.priority_areas as pa using (priority_area)
where c.municipality = $municipality
order by pa.sort_order nulls last, c.priority_area nulls last, c.goal_id nulls last, c.measure nulls last, c.measure_id;
