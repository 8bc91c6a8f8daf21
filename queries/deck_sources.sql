-- Returns the documents and headings or tables the filtered amounts come from: each line's own source, the
-- decision table its nämnd is named in, and the frame's source (main.cited_sources); one row per document and
-- heading, in order.
select source_document as document_id, source_section as section, min(kind) as kind
from main.cited_sources($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
group by source_document, source_section
order by document_id, kind, section;
