-- A snapshot without imported rows: the model tables are views over those precomputed in the published file,
-- so nothing is copied and a process holds no second copy of a national data set.
create schema model;
create view model.frame_year as select * from bundled.model_frame_year;
create view model.allocation as select * from bundled.model_allocation;
create view model.measure_overview as select * from bundled.model_measure_overview;
