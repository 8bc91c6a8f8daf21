-- Returns per municipality, year, funding source and nämnd: allocated and requested kronor and line counts (line-years).
select
    municipality,
    year,
    funding_source,
    committee,
    sum(amount_sek) as amount_sek,
    sum(requested_sek) as requested_sek,
    count(*) as lines,
    count(*) filter (where amount_sek is null) as lines_without_amount
from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
group by municipality, year, funding_source, committee
order by municipality, year, funding_source, amount_sek desc nulls last, committee nulls last;
