-- Returns each municipality whose documents state goals or follow-up indicators, per national area (one query for the panel on Prioriterade områden instead of one per municipality).
select distinct mu.municipality, l.priority_area
from main.indicators as i
join main.municipalities as mu using (municipality_code)
left join main.area_labels as l on l.label = i.area_label
    and (l.municipality_code is null or l.municipality_code = i.municipality_code)
order by mu.municipality, l.priority_area nulls last;
