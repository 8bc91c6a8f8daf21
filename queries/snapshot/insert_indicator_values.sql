-- The Kolada values in force, from the registered frame `incoming` (the working store's rows).
insert into imported.indicator_values
select kpi_id, kpi_title, municipality_code, municipality_name, period, gender, value, status, unit, source,
       fetched_at, import_id, imported_by, imported_at
from incoming;
