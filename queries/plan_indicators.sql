-- Returns the indicators of one municipality's plan goals (indicators with the goal's municipality and goal text), each with the Kolada key figure kpi_areas maps it to or the key figure id its text names (an imported plan file's "N07403 …"), and its source.
select
    g.goal_id,
    i.indicator_id,
    i.indicator,
    coalesce(ka.kpi_id, nullif(regexp_extract(i.indicator, '\b([NU][0-9][0-9][0-9][0-9][0-9])\b', 1), '')) as kpi_id,
    i.source_document,
    i.source_section
from main.plan_goals as g
join main.municipalities as mu using (municipality_code)
join main.indicators as i on i.municipality_code = g.municipality_code and i.goal = g.goal
left join main.kpi_areas as ka on ka.indicator_id = i.indicator_id
where mu.municipality = $municipality
order by g.goal_id, i.indicator_id;
