-- With a replaced frame-year: measure_overview is the precomputed one without the affected measures, those
-- summarised again over what is left, and the imported rows' own measures.
create view model.measure_overview as
select * from bundled.model_measure_overview
where measure_id not in (select measure_id from imported_model.affected)
union all by name
select * from imported_model.resummarised
union all by name
select * from imported_model.measure_overview;
