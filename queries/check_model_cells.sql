-- Returns municipalities whose drawn model (area × direction) shows fewer directions than the document names.
with drawn as (
    select municipality_code, count(distinct direction) as drawn,
           string_agg(distinct direction, '; ' order by direction) as drawn_list,
           min(source_document) as source_document, min(source_section) as source_section
    from main.model_cells group by all
),
named as (
    select municipality_code, count(*) as directions from main.directions group by all
)
select mu.municipality, n.directions, d.drawn, d.drawn_list, d.source_document, d.source_section
from drawn as d
join named as n using (municipality_code)
join main.municipalities as mu using (municipality_code)
where d.drawn < n.directions
order by mu.municipality;
