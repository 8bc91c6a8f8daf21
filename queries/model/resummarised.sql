-- After model/03_measure_overview.sql ran over the affected bundled measures alone: they move to
-- imported_model.resummarised (main.measures is made whole again next, by the union views).
create table imported_model.resummarised as select * from model.measure_overview;
drop table model.measure_overview;
