-- The model tables of the bundled data alone, stored in a new read-store file (attached writable as bundled).
-- Stored by municipality: DuckDB then skips the row groups of every other municipality (its zone maps),
-- whatever order the files came in.
create table bundled.model_frame_year as select * from model.frame_year order by municipality, year, frame_id;
create table bundled.model_allocation as select * from model.allocation order by municipality, year, allocation_id;
create table bundled.model_measure_overview as
select * from model.measure_overview order by municipality, year_from, measure_id;
create table bundled.model_version as select * from model.version;
