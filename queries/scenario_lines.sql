-- Returns the allocation lines of one frame and year, as the baseline of a scenario.
select
    a.allocation_id,
    coalesce(a.measure, c.decision_label, a.committee, 'Rad ' || a.allocation_id) as label,
    a.committee,
    a.priority_area,
    a.amount_sek,
    a.measure_id,
    a.status = 'övrigt förslag utan finansiering' as unfunded
from main.allocation as a
left join main.committees as c using (committee_id)
where a.frame_id = $frame_id and a.year = $year
order by a.committee nulls last, label;
