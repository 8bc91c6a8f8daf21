-- Returns one municipality's directions (inriktningar/dimensioner) in the document's order, with source.
select d.direction, d.sort_order, d.source_document, d.source_section
from main.directions as d
join main.municipalities as mu using (municipality_code)
where mu.municipality = $municipality
order by d.sort_order;
