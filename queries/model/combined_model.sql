-- With imported rows and no replaced frame-year: each model table is the precomputed bundled one and the
-- imported rows' own, together.
create view model.frame_year as
select * from bundled.model_frame_year
union all by name
select * from imported_model.frame_year;

create view model.allocation as
select * from bundled.model_allocation
union all by name
select * from imported_model.allocation;

create view model.measure_overview as
select * from bundled.model_measure_overview
union all by name
select * from imported_model.measure_overview;
