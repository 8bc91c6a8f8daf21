-- Returns each total a document states beside the sum and count of the rows it covers (NULL sum when none known).
with targets as (
    -- a total without a year holds for every year of its frame
    select t.*, coalesce(t.year, fy.year) as check_year
    from main.stated_totals as t
    left join main.frame_year as fy on fy.frame_id = t.frame_id and t.year is null
),
by_frame as (
    select frame_id, year, sum(amount_sek) as s, count(amount_sek) as n from main.allocation group by all
),
by_area as (
    select frame_id, year, priority_area, sum(amount_sek) as s, count(amount_sek) as n
    from main.allocation group by all
),
by_committee as (
    select frame_id, year, committee_id, sum(amount_sek) as s, count(amount_sek) as n
    from main.allocation group by all
),
by_cost as (
    select measure_id, sum(amount_sek) as s, count(amount_sek) as n, count(*) filter (where amount_sek is null) as unknown
    from main.cost_items group by all
)
select
    t.total_id, t.scope, t.frame_id, t.check_year as year, t.priority_area, t.committee_id, t.measure_id,
    t.stated_amount_sek, t.stated_count, t.stated_text, t.source_document, t.source_section,
    coalesce(fy.municipality, mu.municipality) as municipality,
    fy.funding_source,
    c.committee, c.decision_label, m.title as measure,
    case t.scope
        when 'ram_summa' then bf.s
        when 'område' then ba.s
        when 'nämnd' then bc.s
        when 'insats_kostnad' then bk.s
        when 'ram_att_disponera' then fy.amount_sek
    end::bigint as actual_sek,
    case t.scope
        when 'ram_summa' then bf.n
        when 'område' then ba.n
        when 'nämnd' then bc.n
        when 'insats_kostnad' then bk.n
    end::bigint as actual_count,
    coalesce(bk.unknown, 0)::bigint as items_without_amount
from targets as t
left join main.frame_year as fy on fy.frame_id = t.frame_id and fy.year = t.check_year
left join main.measures as m on m.measure_id = t.measure_id
left join main.municipalities as mu on mu.municipality_code = m.municipality_code
left join main.committees as c on c.committee_id = t.committee_id
left join by_frame as bf on bf.frame_id = t.frame_id and bf.year = t.check_year
left join by_area as ba on ba.frame_id = t.frame_id and ba.year = t.check_year and ba.priority_area = t.priority_area
left join by_committee as bc on bc.frame_id = t.frame_id and bc.year = t.check_year and bc.committee_id = t.committee_id
left join by_cost as bk on bk.measure_id = t.measure_id
-- a frame-year replaced by an import is not judged against the document (check lists it as replaced)
where t.frame_id is null or fy.frame_id is not null
order by t.total_id, t.check_year;
