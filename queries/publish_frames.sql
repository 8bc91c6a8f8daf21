-- The frames of the open-data package: one row per frame and year, with the funding source's kind.
select
    fy.frame_id, fy.year, fy.municipality_code, fy.municipality, fy.funding_source,
    coalesce(fs.kind, 'okänd') as funding_kind, fy.amount_sek, fy.amount_text, fy.basis, fy.basis_note,
    fy.source_document, fy.source_section
from main.frame_year as fy
left join main.funding_sources as fs using (funding_source)
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], fy.municipality)
order by fy.municipality, fy.year, fy.funding_source, fy.frame_id;
