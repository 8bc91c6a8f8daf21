-- Returns the statistics one municipality's documents quote, with region, period, qualifier and source.
select s.stat_id, s.topic, s.region, s.period, s.qualifier, s.value, s.unit, s.source_document, s.source_section
from main.statistics as s
join main.municipalities as mu using (municipality_code)
where mu.municipality = $municipality
order by s.stat_id;
