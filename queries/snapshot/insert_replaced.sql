-- The bundled frame-years imports replaced, from the registered frame `incoming` (the working store's rows).
insert into imported.replaced
select municipality_code, year, funding_source, import_id, file, replaced_at
from incoming;
