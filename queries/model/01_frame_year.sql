-- The schema of the model tables (01–03), and in it frame_year.
create schema if not exists model;

-- frame_year: one row per frame and year. A grant that runs 2018–2020 appears three times,
-- each with its per-year amount (amount_sek, whole kronor, NULL when the document gives none).
-- basis says whether the frame-year (its amount and year) is the document's or our reading (basis_note says why):
-- the frame's basis, unless frame_year_basis states another for that year (Södertälje's 2019–2020, not decided).
create or replace table model.frame_year as
select
    f.frame_id,
    f.municipality_code,
    mu.municipality,
    f.funding_source,
    y.year::integer as year,
    f.amount_sek,
    f.amount_text,
    f.source_document,
    f.source_section,
    d.case_number,
    f.note,
    case when fb.frame_id is null then f.basis else fb.basis end as basis,
    case when fb.frame_id is null then f.basis_note else fb.basis_note end as basis_note
from main.frames as f
cross join unnest(generate_series(f.year_from, f.year_to)) as y(year)
left join main.frame_year_basis as fb on fb.frame_id = f.frame_id and fb.year = y.year
join main.municipalities as mu using (municipality_code)
left join main.documents as d on d.document_id = f.source_document
where not (
    f.frame_id in (select frame_id from bundled.frames)
    and exists (
        select 1 from imported.replaced as r
        where r.municipality_code = f.municipality_code and r.year = y.year and r.funding_source = f.funding_source
    )
);
