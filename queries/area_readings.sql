-- Returns per national area the known kronor of the filtered lines whose area is our reading: the line names no area and its measure's area_basis is 'tolkning' (e.g. Södertälje's four funded measures).
with filtered as (
    select allocation_id, priority_area, measure_id, amount_sek
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    where amount_sek is not null and priority_area is not null
)
select f.priority_area, sum(f.amount_sek)::bigint as amount_sek
from filtered as f
join main.allocations as a on a.allocation_id = f.allocation_id
join main.measures as m on m.measure_id = f.measure_id
where a.priority_area is null and m.area_basis = 'tolkning'
group by f.priority_area
order by f.priority_area;
