-- Returns the dashboard's municipalities that have imported Kolada values, per KPI and its area (kpi_areas, our interpretation).
select distinct v.municipality, v.kpi_id, ka.priority_area
from main.indicator_values as v
join main.municipalities as mu using (municipality_code)
left join main.kpi_areas as ka using (kpi_id)
where v.gender = 'T' and v.kpi_id <> 'N01951'  -- the population is kronor per invånare's, not an outcome
order by v.municipality, v.kpi_id;
