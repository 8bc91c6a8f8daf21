-- Returns the municipalities that have a plan chain (a lägesbild problem or a goal, bundled or imported), by name.
select distinct mu.municipality
from (
    select municipality_code from main.plan_goals
    union
    select municipality_code from main.plan_problems
) as p
join main.municipalities as mu using (municipality_code)
order by mu.municipality;
