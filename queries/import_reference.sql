-- Returns the reference values an import is checked against, one row each: kind (municipality, sweden, funding_source: bundled, with its kind in extra; imported_funding_source: imported before, key the municipalities whose frames name it, its kind in extra; status, area_label, priority_area), key, value, extra, sort_order.
select 'municipality' as kind, municipality_code as key, municipality as value, null as extra, 0 as sort_order
from main.municipalities
union all
select 'sweden', municipality_code, municipality, null, 0 from main.sweden_municipalities
union all
select 'funding_source', funding_source, funding_source, kind, row_number() over () from bundled.funding_sources
union all
select 'imported_funding_source',
    coalesce((select string_agg(distinct fy.municipality, ', ' order by fy.municipality) from model.frame_year as fy
              where fy.funding_source = s.funding_source), ''),
    s.funding_source, s.kind, 0
from imported.funding_sources as s
union all
select 'status', status, status, null, sort_order from main.statuses
union all
select 'area_label', municipality_code, label, priority_area, 0 from main.area_labels
union all
select 'priority_area', priority_area, priority_area, null, sort_order from main.priority_areas
order by kind, sort_order, key, value
