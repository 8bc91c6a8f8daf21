-- The documented views power users query (DuckDB CLI, DBeaver): thin views over the model tables,
-- which build and import re-materialise so that the pages read precomputed rows.
create or replace view main.frame_year as select * from model.frame_year;
create or replace view main.allocation as select * from model.allocation;
create or replace view main.measure_overview as select * from model.measure_overview;
