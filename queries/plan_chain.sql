-- Returns one municipality's plan chain (main.plan_chain_rows, the view plan_chain narrowed to it before its money is summed): per area, each goal with the measures that answer it, their money and sources; goals without measures and measures without goals included.
select c.*
from main.plan_chain_rows(
    -- an unknown name matches no code ('-'), never the empty list, which would mean every municipality
    coalesce((select list(municipality_code) from main.municipalities where municipality = $municipality), ['-'])
) as c
left join main.priority_areas as pa using (priority_area)
order by pa.sort_order nulls last, c.priority_area nulls last, c.goal_id nulls last, c.measure nulls last, c.measure_id;
