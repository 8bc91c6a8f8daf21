-- Returns every frame and year a scenario can start from, with amount, rule count, known line count and the
-- amount the documents state its rows allocate (stated_sek: stated_totals, scope ram_summa; as frame_year_figures).
-- Each count is one grouped pass joined on, not a subquery per row: DuckDB planned four correlated subqueries in
-- ~30 ms, longer than the whole query now takes.
with rules as (
    select frame_id, count(*) as rules from main.frame_rules group by frame_id
),
lines as (
    select frame_id, year, count(*) as lines, count(amount_sek) as lines_with_amount
    from main.allocation
    group by frame_id, year
),
stated as (
    select fy.frame_id, fy.year, max(t.stated_amount_sek)::bigint as stated_sek
    from main.frame_year as fy
    join main.stated_totals as t
        on t.scope = 'ram_summa' and t.frame_id = fy.frame_id and (t.year is null or t.year = fy.year)
    group by fy.frame_id, fy.year
)
select
    fy.frame_id, fy.year, fy.municipality, fy.funding_source, fy.amount_sek, fy.case_number, fy.source_document,
    coalesce(r.rules, 0) as rules,
    coalesce(l.lines, 0) as lines,
    coalesce(l.lines_with_amount, 0) as lines_with_amount,
    s.stated_sek
from main.frame_year as fy
left join rules as r on r.frame_id = fy.frame_id
left join lines as l on l.frame_id = fy.frame_id and l.year = fy.year
left join stated as s on s.frame_id = fy.frame_id and s.year = fy.year
order by fy.municipality, fy.year, fy.funding_source;
