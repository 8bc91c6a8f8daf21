-- Returns one measure's (or line's, $item_id is a measure_id or an allocation_id) follow_up rows over the years: granted, spent, status per year.
select year, measure, granted_sek, spent_sek, deviation_sek, status, status_date, report_file, report_line
from main.follow_up_rows([], [], [], ['m:' || $item_id::varchar, 'a:' || $item_id::varchar])
order by year
