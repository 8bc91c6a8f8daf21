-- Returns one municipality's frames per year with amount, funding source, case number and source.
select frame_id, municipality, year, funding_source, amount_sek, amount_text, case_number,
       source_document, source_section, note
from main.frame_year
where municipality = $municipality
order by year, funding_source;
