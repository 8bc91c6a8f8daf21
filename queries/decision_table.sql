-- Returns the decision table of a tjänsteskrivelse: one row per nämnd line (as the document names it) with its amount and what the recipient is (committee_kind). Decided money only: proposals the document does not fund (status 'övrigt förslag utan finansiering') are listed apart by unfunded_proposals.
select
    a.municipality,
    a.year,
    a.funding_source,
    a.committee_id,
    a.committee,
    c.kind as committee_kind,
    coalesce(c.decision_label, a.committee, 'Ingen nämnd angiven') as decision_label,
    sum(a.amount_sek) as amount_sek,
    count(*) as lines,
    count(*) filter (where a.amount_sek is null) as lines_without_amount
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar) as a
left join main.committees as c using (committee_id)
where a.status is distinct from 'övrigt förslag utan finansiering'
group by all
order by a.municipality, a.year, a.funding_source, decision_label;
