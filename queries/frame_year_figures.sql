-- Returns one row per frame and year in the filters: the frame amount and its lines, the input of the headline figures (insatskollen.core.headline).
-- Lines with status 'övrigt förslag utan finansiering' are proposals the document does not fund: they are
-- counted (unfunded) but are not lines of the frame. "frame_*" columns count every line of the frame-year
-- (only the kommun/år/källa filters apply, as they do to the frame); "view_*" columns count the lines that
-- every filter keeps (nämnd, område, status, sök as well). stated_sek is the largest amount the documents
-- state the frame-year's rows allocate (stated_totals, scope ram_summa; a total without a year holds for
-- every year of its frame). Amounts in whole kronor per year.
-- frame_basis is the frame-year's basis (dokument/tolkning); *_reading_* count the lines that are our reading.
with frame_years as (
    select frame_id, municipality, year, funding_source, amount_sek as frame_sek, basis as frame_basis
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
),
frame_lines as (
    select
        frame_id, year,
        count(*) as lines,
        count(*) filter (where amount_sek is null) as lines_without_amount,
        sum(amount_sek)::bigint as allocated_sek,
        count(*) filter (where basis = 'tolkning') as reading_lines
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], [], [], [], '')
    where status is distinct from 'övrigt förslag utan finansiering'
    group by frame_id, year
),
stated as (
    select t.frame_id, fy.year, max(t.stated_amount_sek)::bigint as stated_sek
    from main.stated_totals as t
    join main.frame_year as fy on fy.frame_id = t.frame_id and (t.year is null or t.year = fy.year)
    where t.scope = 'ram_summa'
    group by all
),
view_lines as (
    select
        frame_id, year,
        count(*) filter (where status is distinct from 'övrigt förslag utan finansiering') as lines,
        count(*) filter (where status is distinct from 'övrigt förslag utan finansiering' and amount_sek is null)
            as lines_without_amount,
        count(*) filter (where status = 'övrigt förslag utan finansiering') as unfunded,
        sum(amount_sek)::bigint as allocated_sek,
        (sum(amount_sek) filter (where basis = 'tolkning'))::bigint as reading_allocated_sek
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    group by frame_id, year
)
select
    fy.frame_id,
    fy.municipality,
    fy.year,
    fy.funding_source,
    fy.frame_sek,
    coalesce(fl.lines, 0) as frame_lines,
    coalesce(fl.lines_without_amount, 0) as frame_lines_without_amount,
    fl.allocated_sek as frame_allocated_sek,
    coalesce(vl.lines, 0) as view_lines,
    coalesce(vl.lines_without_amount, 0) as view_lines_without_amount,
    coalesce(vl.unfunded, 0) as view_unfunded,
    vl.allocated_sek as view_allocated_sek,
    fy.frame_basis,
    coalesce(fl.reading_lines, 0) as frame_reading_lines,
    vl.reading_allocated_sek as view_reading_sek,
    st.stated_sek
from frame_years as fy
left join frame_lines as fl using (frame_id, year)
left join view_lines as vl using (frame_id, year)
left join stated as st using (frame_id, year)
order by fy.municipality, fy.year, fy.funding_source;
