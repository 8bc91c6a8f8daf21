-- Returns one municipality's lägesbild problems per area, each with its indicator, the figure its document quotes (statistics) and the indicator's Kolada key figure (kpi_areas), and where each comes from.
select
    p.problem_id,
    coalesce(p.priority_area, l.priority_area, p.area_label) as priority_area,
    p.problem,
    i.indicator,
    ka.kpi_id,
    s.topic as stat_topic,
    s.region as stat_region,
    s.period as stat_period,
    s.qualifier as stat_qualifier,
    s.value as stat_value,
    s.unit as stat_unit,
    p.source_document,
    coalesce(d.title, p.source_document) as source_title,
    p.source_section,
    p.quote
from main.plan_problems as p
join main.municipalities as mu using (municipality_code)
left join main.area_labels as l on l.label = p.area_label
    and (l.municipality_code is null or l.municipality_code = p.municipality_code)
left join main.indicators as i using (indicator_id)
left join main.kpi_areas as ka on ka.indicator_id = p.indicator_id
left join main.statistics as s using (stat_id)
left join main.documents as d on d.document_id = p.source_document
where mu.municipality = $municipality
order by priority_area nulls last, p.problem_id;
