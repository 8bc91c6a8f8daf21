-- Returns every value each sidebar filter can take: (filter, value, sort_key).
select 'municipalities' as filter, municipality as value, municipality as sort_key from main.municipalities
union all select distinct 'years', year::varchar, year::varchar from main.frame_year
union all select 'funding_sources', funding_source, funding_source from main.funding_sources
union all select distinct 'committees', committee, committee from main.committees
union all select 'areas', priority_area, lpad(sort_order::varchar, 3, '0') from main.priority_areas
union all select 'statuses', status, lpad(sort_order::varchar, 3, '0') from main.statuses
order by filter, sort_key;
