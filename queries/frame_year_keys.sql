-- Returns every frame-year as (frame_id, year): what a saved scenario can be opened on (a scenario of another
-- frame-year is orphaned). A plain read of frame_year, not scenario_frames, whose counts per frame cost ~20 ms.
select frame_id, year
from main.frame_year;
