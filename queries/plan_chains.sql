-- Returns the plan chains of several municipalities at once (a deck's plan slides): plan_chain's rows for each municipality named in $municipalities, in plan_chain's order within each.
select c.*
from main.plan_chain_rows(
    -- unknown names match no code ('-'), never the empty list, which would mean every municipality
    coalesce(
        (select list(municipality_code) from main.municipalities where list_contains($municipalities::varchar[], municipality)),
        ['-']
    )
) as c
left join main.priority_areas as pa using (priority_area)
order by c.municipality, pa.sort_order nulls last, c.priority_area nulls last, c.goal_id nulls last, c.measure nulls last, c.measure_id;
