-- Returns one municipality's frames per year with amount, funding source, case number, source and basis.
select frame_id, municipality, year, funding_source, amount_sek, amount_text, case_number,
       source_document, source_section, note, basis, basis_note
from main.frame_year
where municipality = $municipality
order by year, funding_source;
