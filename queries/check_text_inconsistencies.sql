-- Returns the places where a document's own text contradicts itself or another document of the same case, with both quotes.
select t.inconsistency_id, mu.municipality, t.year_from, t.year_to, t.subject,
       t.document_a, t.section_a, t.quote_a, t.document_b, t.section_b, t.quote_b, t.message,
       t.measure_id, t.frame_id
from main.text_inconsistencies as t
join main.municipalities as mu using (municipality_code)
order by mu.municipality, t.inconsistency_id;
