-- main.indicator_values: the imported outcome indicators (Kolada) in force, one row per KPI, municipality,
-- year and gender; value NULL is unknown. Documented in docs/data.md.
create or replace view main.indicator_values as
select kpi_id, kpi_title, municipality_code,
       case when municipality_code = '0000' then 'Riket'
            else coalesce(mu.municipality, sw.municipality, i.municipality_name) end as municipality,
       period as year, gender, value, status, unit, source, fetched_at, import_id, imported_by, imported_at
from imported.indicator_values as i
left join main.municipalities as mu using (municipality_code)
left join main.sweden_municipalities as sw using (municipality_code)
