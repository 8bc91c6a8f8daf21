-- Returns the municipality codes that have an imported plan (goals or problems from a plan file) in force: a new plan file for one of them replaces it.
select municipality_code from imported.plan_goals
union
select municipality_code from imported.plan_problems
order by municipality_code;
