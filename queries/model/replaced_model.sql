-- With a bundled frame-year an import replaced: frame_year and allocation leave out the bundled rows of the
-- replaced frame-years; the bundled measures with lines in them (imported_model.affected) are the only ones
-- in main.measures, so that model/03_measure_overview.sql summarises them again over what is left.
-- imported_model.replaced(...): whether an import replaced this bundled frame-year.
create macro imported_model.replaced(code, yr, source) as exists (
    select 1 from imported.replaced as r
    where r.municipality_code = code and r.year = yr and r.funding_source = source
);

create view model.frame_year as
select * from bundled.model_frame_year as b
where not imported_model.replaced(b.municipality_code, b.year, b.funding_source)
union all by name
select * from imported_model.frame_year;

create view model.allocation as
select * from bundled.model_allocation as b
where not imported_model.replaced(b.municipality_code, b.year, b.funding_source)
union all by name
select * from imported_model.allocation;

create table imported_model.affected as
select distinct measure_id from bundled.model_allocation as b
where measure_id is not null and imported_model.replaced(b.municipality_code, b.year, b.funding_source);

create or replace view main.measures as
select * from bundled.measures
where measure_id in (select measure_id from imported_model.affected);
