-- Returns each frame rule per year with the frame amount and what is allocated to the rule's budget line.
with rules as (
    select r.*, l.priority_area as mapped_area, f.municipality_code
    from main.frame_rules as r
    join main.frames as f using (frame_id)
    left join main.area_labels as l
        on l.label = r.budget_line and (l.municipality_code is null or l.municipality_code = f.municipality_code)
)
select
    r.rule_id, r.frame_id, fy.municipality, fy.year, fy.funding_source, fy.amount_sek as frame_sek,
    r.rule_kind, r.budget_line, r.mapped_area as priority_area, r.min_pct, r.max_pct,
    r.source_document, r.source_section,
    sum(a.amount_sek)::bigint as allocated_sek,
    count(a.allocation_id) as lines,
    count(a.allocation_id) filter (where a.amount_sek is null) as lines_without_amount
from rules as r
join main.frame_year as fy using (frame_id)
left join main.allocation as a
    on r.rule_kind = 'finansieringsintervall'
    and a.frame_id = fy.frame_id and a.year = fy.year
    and a.priority_area is not distinct from r.mapped_area
group by all
order by fy.municipality, r.frame_id, fy.year, r.rule_id;
