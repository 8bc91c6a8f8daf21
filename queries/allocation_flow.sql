-- Returns kronor per funding source, nämnd and national area (the Sankey's links), with the number of allocation lines without a known amount.
-- The unknown lines are counted on their own: counting distinct lines over every row costs ten times more.
select t.funding_source, t.committee, t.priority_area, t.amount_sek, coalesce(u.lines, 0) as lines_without_amount
from (
    select funding_source, committee, priority_area, sum(amount_sek) as amount_sek
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    group by funding_source, committee, priority_area
) as t
left join (
    select funding_source, committee, priority_area, count(distinct allocation_id) as lines
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    where amount_sek is null
    group by funding_source, committee, priority_area
) as u
    on u.funding_source = t.funding_source
    and u.committee is not distinct from t.committee
    and u.priority_area is not distinct from t.priority_area
order by t.funding_source, t.committee nulls last, t.priority_area nulls last;
