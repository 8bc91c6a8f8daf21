-- Returns one municipality's frames per year with amount, funding source, case number, and the source document's title and date (an imported file's title names the file) and basis.
select fy.frame_id, fy.municipality, fy.year, fy.funding_source, fy.amount_sek, fy.amount_text, fy.case_number,
       fy.source_document, d.title as source_title, d.date as source_date, fy.source_section, fy.note,
       fy.basis, fy.basis_note
from main.frame_year as fy
left join main.documents as d on d.document_id = fy.source_document
where fy.municipality = $municipality
order by fy.year, fy.funding_source;
