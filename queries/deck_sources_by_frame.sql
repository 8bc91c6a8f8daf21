-- Returns deck_sources per frame-year (municipality, year, funding source) in one query: the same documents and headings a decision slide cites (main.cited_sources), for every decision slide of a deck at once.
select
    municipality,
    year,
    funding_source,
    source_document as document_id,
    source_section as section,
    min(kind) as kind
from main.cited_sources($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
group by municipality, year, funding_source, source_document, source_section
order by municipality, year, funding_source, document_id, kind, section;
