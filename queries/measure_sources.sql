-- Returns where one measure's allocated amounts come from: document, table or heading, and amount per year.
select a.source_document, a.source_section, a.amount_sek, min(a.year) as first_year
from main.allocation as a
where a.measure_id = $measure_id
group by all
order by first_year, a.source_document, a.source_section;
