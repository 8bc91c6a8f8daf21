-- measure_overview: one row per measure with its municipality, nämnd, areas and amounts.
-- allocated_sek is the amount per year on its allocation lines (NULL when none is given);
-- years lists the years those lines cover. basis_notes: why the lines or frames of the measure are
-- our reading of the document (basis 'tolkning'), shown as "Tolkning: …"; document_notes: what the
-- document itself says about the lines (e.g. a proposal it does not fund).
create or replace table model.measure_overview as
with per_measure as (
    select
        measure_id,
        sum(amount_sek) filter (where year = first_year) as allocated_sek,
        count(*) filter (where amount_sek is null and year = first_year) as unknown_lines,
        min(year) as year_from,
        max(year) as year_to,
        list(distinct frame_id) as frame_ids,
        list(distinct funding_source) as funding_sources,
        list(distinct basis_note) filter (where basis = 'tolkning') as line_notes,
        list(distinct basis_note) filter (where basis = 'dokument' and basis_note is not null) as document_notes
    from (select *, min(year) over (partition by measure_id) as first_year from model.allocation)
    where measure_id is not null
    group by measure_id
),
frame_notes as (
    select a.measure_id, list(distinct fy.basis_note) as frame_notes
    from model.allocation as a
    join model.frame_year as fy on fy.frame_id = a.frame_id and fy.year = a.year
    where a.measure_id is not null and fy.basis = 'tolkning'
    group by a.measure_id
),
links as (
    select measure_id, list(priority_area order by priority_area) as secondary_areas
    from main.measure_links
    group by measure_id
)
select
    m.measure_id,
    m.municipality_code,
    mu.municipality,
    m.title,
    m.description,
    m.committee_id,
    m.committee_basis,
    c.committee,
    c.administration,
    m.area_label,
    m.primary_area,
    m.area_basis,
    coalesce(links.secondary_areas, []::varchar[]) as secondary_areas,
    m.direction,
    m.districts,
    m.status,
    m.requested_sek,
    m.requested_text,
    p.allocated_sek,
    p.year_from,
    p.year_to,
    coalesce(p.frame_ids, []::varchar[]) as frame_ids,
    coalesce(p.funding_sources, []::varchar[]) as funding_sources,
    m.source_document,
    d.title as source_title,
    m.source_section,
    d.case_number,
    m.interpretation,
    list_sort(list_concat(coalesce(p.line_notes, []::varchar[]), coalesce(fn.frame_notes, []::varchar[])))
        as basis_notes,
    coalesce(p.document_notes, []::varchar[]) as document_notes
from main.measures as m
join main.municipalities as mu using (municipality_code)
left join main.committees as c using (committee_id)
left join per_measure as p using (measure_id)
left join links using (measure_id)
left join frame_notes as fn using (measure_id)
left join main.documents as d on d.document_id = m.source_document
-- a bundled measure whose every line lies in a replaced frame-year is replaced with it
where not (
    p.measure_id is null
    and m.measure_id in (select measure_id from bundled.measures)
    and exists (select 1 from bundled.allocations as ba where ba.measure_id = m.measure_id)
);
