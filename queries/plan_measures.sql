-- Returns one municipality's measures a goal can be linked to (proposals the document does not fund left out), by title.
select m.measure_id, m.title
from model.measure_overview as m
where m.municipality = $municipality
  and m.status is distinct from 'övrigt förslag utan finansiering'
order by m.title, m.measure_id;
