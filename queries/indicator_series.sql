-- Returns the imported Kolada series (gender T) of every KPI one municipality has: its own values, Riket's and other imported municipalities', with the KPI's area (kpi_areas, our interpretation) and whether that table's id and title were checked against a source quoting Kolada.
with own as (
    select distinct kpi_id
    from main.indicator_values
    -- the population (N01951) is kronor per invånare's denominator (queries/population.sql), not an outcome
    where municipality = $municipality and gender = 'T' and kpi_id <> 'N01951'
)
select
    v.kpi_id,
    v.kpi_title,
    ka.priority_area,
    ka.rationale,
    ka.kpi_title as mapped_title,
    ka.verified,
    v.municipality_code,
    v.municipality,
    case when v.municipality = $municipality then 'kommunen'
         when v.municipality_code = '0000' then 'riket'
         else 'jämförelse' end as role,
    v.year,
    v.value,
    v.status,
    v.source
from main.indicator_values as v
join own using (kpi_id)
left join main.kpi_areas as ka using (kpi_id)
where v.gender = 'T'
order by v.kpi_id, (v.municipality = $municipality) desc, (v.municipality_code = '0000') desc, v.municipality, v.year;
