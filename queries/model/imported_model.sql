-- The model of the imported rows alone (just computed into model.*) moved to imported_model.*, so that
-- model.* can become the precomputed model and this one together.
create schema imported_model;
create table imported_model.measure_overview as select * from model.measure_overview;
drop table model.measure_overview;
create table imported_model.allocation as select * from model.allocation;
drop table model.allocation;
create table imported_model.frame_year as select * from model.frame_year;
drop table model.frame_year;
