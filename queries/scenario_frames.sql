-- Returns every frame and year a scenario can start from, with amount, rule count and known line count.
select
    fy.frame_id, fy.year, fy.municipality, fy.funding_source, fy.amount_sek, fy.case_number, fy.source_document,
    (select count(*) from main.frame_rules r where r.frame_id = fy.frame_id) as rules,
    (select count(*) from main.allocation a where a.frame_id = fy.frame_id and a.year = fy.year) as lines,
    (select count(a.amount_sek) from main.allocation a where a.frame_id = fy.frame_id and a.year = fy.year)
        as lines_with_amount
from main.frame_year as fy
order by fy.municipality, fy.year, fy.funding_source;
