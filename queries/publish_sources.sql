-- The source documents of the open-data package: every document a published row cites.
select d.document_id, mu.municipality_code, mu.municipality, d.title, d.kind, d.date, d.case_number
from main.documents as d
join main.municipalities as mu using (municipality_code)
where len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], mu.municipality)
order by mu.municipality, d.date, d.document_id;
