-- Returns the decision table of a tjänsteskrivelse: one row per nämnd line (as the document names it) with its amount.
select
    a.municipality,
    a.year,
    a.funding_source,
    a.committee_id,
    a.committee,
    coalesce(c.decision_label, a.committee, 'Ingen nämnd angiven') as decision_label,
    sum(a.amount_sek) as amount_sek,
    count(*) as lines,
    count(*) filter (where a.amount_sek is null) as lines_without_amount
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar) as a
left join main.committees as c using (committee_id)
group by all
order by a.municipality, a.year, a.funding_source, decision_label;
