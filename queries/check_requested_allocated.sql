-- Returns measures whose requested and allocated amounts (per year) are both known and differ, with the sentence (and its heading) where the measure's document says its amounts are rounded, if it does.
select mo.measure_id, mo.municipality, mo.title, mo.committee, mo.requested_sek, mo.requested_text, mo.allocated_sek,
       mo.allocated_sek - mo.requested_sek as difference_sek, mo.year_from, mo.year_to, mo.source_document,
       mo.source_section, d.rounding_section, d.rounding_quote
from main.measure_overview as mo
left join main.documents as d on d.document_id = mo.source_document
where mo.requested_sek is not null and mo.allocated_sek is not null and mo.requested_sek <> mo.allocated_sek
order by mo.municipality, mo.measure_id;
