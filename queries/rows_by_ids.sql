-- Returns the rows a consistency finding involves (allocation lines, measures or stated totals) by id.
select 'Fördelningsrad' as kind, allocation_id as id, municipality, min(year) as year_from, max(year) as year_to,
       coalesce(measure, committee) as name, any_value(amount_sek) as amount_sek, measure_id,
       any_value(source_document) as source_document, any_value(source_section) as source_section
from main.allocation where list_contains($ids::varchar[], allocation_id)
group by allocation_id, municipality, coalesce(measure, committee), measure_id
union all
select 'Insats', measure_id, municipality, year_from, year_to, title, allocated_sek, measure_id,
       source_document, source_section
from main.measure_overview where list_contains($ids::varchar[], measure_id)
union all
select 'Summa i dokumentet', t.total_id, mu.municipality, t.year, t.year, t.stated_text, t.stated_amount_sek,
       t.measure_id, t.source_document, t.source_section
from main.stated_totals as t
left join main.frames as f using (frame_id)
left join main.measures as m on m.measure_id = t.measure_id
left join main.municipalities as mu on mu.municipality_code = coalesce(f.municipality_code, m.municipality_code)
where list_contains($ids::varchar[], t.total_id)
order by 1, 2;
