-- Returns one measure with its description, districts, amounts, status and exact source.
select * from main.measure_overview where measure_id = $measure_id;
