-- Returns the funding sources that imported files name and the bundled sources do not, per municipality, with the frames that use them: funding_source, kind, description (the cells it was named in), municipality, years, frame_ids, source_document, bundled (the bundled names, to compare with).
select
    s.funding_source,
    s.kind,
    s.description,
    fy.municipality,
    list(distinct fy.year order by fy.year) as years,
    list(distinct fy.frame_id order by fy.frame_id) as frame_ids,
    min(fy.source_document) as source_document,
    (select list(funding_source order by funding_source) from bundled.funding_sources) as bundled
from imported.funding_sources as s
join model.frame_year as fy using (funding_source)
group by s.funding_source, s.kind, s.description, fy.municipality
order by fy.municipality, s.funding_source;
