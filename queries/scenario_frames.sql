-- Returns every frame and year a scenario can start from, with amount, rule count, known line count and the
-- amount the documents state its rows allocate (stated_sek: stated_totals, scope ram_summa; as frame_year_figures).
select
    fy.frame_id, fy.year, fy.municipality, fy.funding_source, fy.amount_sek, fy.case_number, fy.source_document,
    (select count(*) from main.frame_rules r where r.frame_id = fy.frame_id) as rules,
    (select count(*) from main.allocation a where a.frame_id = fy.frame_id and a.year = fy.year) as lines,
    (select count(a.amount_sek) from main.allocation a where a.frame_id = fy.frame_id and a.year = fy.year)
        as lines_with_amount,
    (
        select max(t.stated_amount_sek)::bigint from main.stated_totals as t
        where t.scope = 'ram_summa' and t.frame_id = fy.frame_id and (t.year is null or t.year = fy.year)
    ) as stated_sek
from main.frame_year as fy
order by fy.municipality, fy.year, fy.funding_source;
