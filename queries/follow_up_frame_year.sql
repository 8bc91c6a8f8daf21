-- Returns the follow_up rows of one frame-year ($frame_id, $year): granted, spent, deviation, status, result and their sources per measure.
select *
from main.follow_up_rows([], [$year::integer], [$frame_id::varchar], [])
order by committee nulls last, measure
