-- Returns per frame and year: the frame amount, the known allocated sum, lines without amount (and where each stands), proposals without funding and the amount the documents state the rows allocate (stated_sek, as in frame_year_figures).
-- As in frame_year_figures (the headline figures), proposals with status 'övrigt förslag utan finansiering'
-- are not lines of the frame: they are listed apart (unfunded_ids) and never make the allocation unknown.
select
    fy.frame_id, fy.municipality, fy.year, fy.funding_source, fy.amount_sek as frame_sek, fy.amount_text,
    fy.source_document, fy.source_section,
    sum(a.amount_sek) filter (where a.status is distinct from 'övrigt förslag utan finansiering')::bigint
        as allocated_sek,
    count(a.allocation_id) filter (where a.status is distinct from 'övrigt förslag utan finansiering') as lines,
    count(a.allocation_id) filter (
        where a.status is distinct from 'övrigt förslag utan finansiering' and a.amount_sek is null
    ) as lines_without_amount,
    list(a.allocation_id order by a.allocation_id) filter (
        where a.allocation_id is not null and a.amount_sek is null
          and a.status is distinct from 'övrigt förslag utan finansiering'
    ) as unknown_ids,
    -- where each line without amount stands (an imported one: its file, row and column) and what it is
    list(a.source_document order by a.allocation_id) filter (
        where a.allocation_id is not null and a.amount_sek is null
          and a.status is distinct from 'övrigt förslag utan finansiering'
    ) as unknown_documents,
    list(a.source_section order by a.allocation_id) filter (
        where a.allocation_id is not null and a.amount_sek is null
          and a.status is distinct from 'övrigt förslag utan finansiering'
    ) as unknown_sections,
    list(coalesce(a.measure, a.committee, a.priority_area, a.allocation_id) order by a.allocation_id) filter (
        where a.allocation_id is not null and a.amount_sek is null
          and a.status is distinct from 'övrigt förslag utan finansiering'
    ) as unknown_names,
    list(a.allocation_id order by a.allocation_id) filter (where a.amount_sek is not null) as known_ids,
    list(a.allocation_id order by a.allocation_id) filter (where a.status = 'övrigt förslag utan finansiering')
        as unfunded_ids,
    (
        select max(t.stated_amount_sek)::bigint from main.stated_totals as t
        where t.scope = 'ram_summa' and t.frame_id = fy.frame_id and (t.year is null or t.year = fy.year)
    ) as stated_sek
from main.frame_year as fy
left join main.allocation as a on a.frame_id = fy.frame_id and a.year = fy.year
group by all
order by fy.municipality, fy.frame_id, fy.year;
