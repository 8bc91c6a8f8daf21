-- Returns one municipality's allocated kronor per national area and year (all its frames), with the count of lines without amount.
select
    priority_area,
    year,
    sum(amount_sek) as amount_sek,
    count(*) filter (where amount_sek is null) as lines_without_amount,
    count(*) as lines
from main.allocation
where municipality = $municipality
group by priority_area, year
order by priority_area nulls last, year;
