-- plan_chain (issue 26): from the lägesbild to the result, one row per goal and measure that answers it,
-- per municipality and national area: the area's problems, the goal, the goal's indicators, the measure,
-- the money granted and spent and the latest follow-up status. A goal no measure answers has one row with
-- measure NULL; a measure of a municipality with a plan that answers no goal has one row with goal NULL
-- (proposals the document does not fund left out); an area with problems but no goal has one row with
-- goal and measure NULL.
-- Money, over every year of the measure (follow_up: the funded lines, year by year):
--   granted_sek  the sum of the years' granted amounts; NULL (unknown, never 0) when a year's is unknown
--                or the measure has no funded line
--   spent_sek    the sum of the years' reported spent; NULL when a funded year has no report or an
--                unknown spent
--   status       the follow-up status of the latest year ('ingen rapport' without one)
--   measure_status  the measure's own status in the documents ('övrigt förslag utan finansiering': a
--                proposal the document does not fund, whose money is none rather than unknown)
-- Sources: problem_source, goal_source, indicator_source, link_source, granted_source name the document's
-- title and section (or the imported file and row) each value comes from, spent_source the report file and row; goal_basis and
-- link_basis say 'tolkning' where the area of a goal or the link to a measure is our reading, with the
-- reason in goal_basis_note and link_basis_note; granted_basis_notes the readings the measure's lines or
-- frames rest on (measure_overview.basis_notes, e.g. Södertälje's preliminary budget read per year).
-- The indicator is the goal's (indicators with the goal's municipality and goal text), else the
-- measure's own follow-up indicator, else the area's problems' indicator; goal_indicator leaves out the
-- measure's own (what the goal itself is followed by).
-- plan_chain_rows(municipality_codes): the same rows for these municipalities (an empty list: all), narrowed
-- before the money is summed, so one municipality's chain costs a filtered scan, not the whole country's
-- follow-up (a national deck waited ~20 s on it: issue 25).
create or replace macro main.plan_chain_rows(municipality_codes) as table
with goal as (
    select g.*, coalesce(g.priority_area, l.priority_area, g.area_label) as area
    from main.plan_goals as g
    left join main.area_labels as l on l.label = g.area_label
        and (l.municipality_code is null or l.municipality_code = g.municipality_code)
    where len(municipality_codes) = 0 or list_contains(municipality_codes, g.municipality_code)
),
problem as (
    select
        p.*,
        coalesce(p.priority_area, l.priority_area, p.area_label) as area,
        i.indicator,
        coalesce(d.title, p.source_document) || ', ' || p.source_section as source
    from main.plan_problems as p
    left join main.documents as d on d.document_id = p.source_document
    left join main.area_labels as l on l.label = p.area_label
        and (l.municipality_code is null or l.municipality_code = p.municipality_code)
    left join main.indicators as i using (indicator_id)
    where len(municipality_codes) = 0 or list_contains(municipality_codes, p.municipality_code)
),
area_problems as (
    select
        municipality_code,
        area,
        string_agg(problem, '; ' order by problem_id) as problem,
        string_agg(source, '; ' order by problem_id) as problem_source,
        string_agg(indicator, '; ' order by problem_id) as indicator,
        string_agg(distinct source, '; ') filter (where indicator is not null) as indicator_source
    from problem
    group by municipality_code, area
),
goal_indicators as (
    -- a goal's indicators: same municipality, the goal's text as the import compares it (case and spaces
    -- aside), and the same area where the indicator names one (a goal text used in two areas is two goals);
    -- an indicator given again (a plan file, the form) is listed once
    select
        goal_id,
        string_agg(indicator, '; ' order by indicator_id) as indicator,
        string_agg(distinct source, '; ') as indicator_source
    from (
        select
            g.goal_id,
            i.indicator,
            i.indicator_id,
            coalesce(d.title, i.source_document) || ', ' || i.source_section as source
        from goal as g
        join main.indicators as i on i.municipality_code = g.municipality_code
            and lower(regexp_replace(trim(i.goal), '\s+', ' ', 'g'))
                = lower(regexp_replace(trim(g.goal), '\s+', ' ', 'g'))
        left join main.area_labels as l on l.label = i.area_label
            and (l.municipality_code is null or l.municipality_code = i.municipality_code)
        left join main.documents as d on d.document_id = i.source_document
        where i.area_label is null or coalesce(l.priority_area, i.area_label) = g.area
        qualify row_number() over (
            partition by g.goal_id, lower(trim(i.indicator)) order by i.indicator_id
        ) = 1
    )
    group by goal_id
),
measure_indicators as (
    select
        measure_id,
        string_agg(indicator, '; ' order by indicator_id) as indicator,
        string_agg(distinct coalesce(d.title, source_document) || ', ' || source_section, '; ')
            as indicator_source
    from main.indicators
    left join main.documents as d on d.document_id = source_document
    where measure_id is not null
    group by measure_id
),
money as (
    select
        measure_id,
        min(year) as year_from,
        max(year) as year_to,
        case when count(granted_sek) = count(*) then sum(granted_sek)::bigint end as granted_sek,
        case when count(spent_sek) = count(*) then sum(spent_sek)::bigint end as spent_sek,
        arg_max(status, year) as status,
        string_agg(distinct coalesce(d.title, granted_document) || ', ' || granted_section, '; ')
            as granted_source,
        string_agg(distinct report_file || ' rad ' || report_line, '; ') as spent_source
    from main.follow_up_rows(municipality_codes, [], [], [])
    left join main.documents as d on d.document_id = granted_document
    where measure_id is not null
    group by measure_id
),
goal_measures as (
    -- one link per goal and measure: the same link from the documents and again from a plan file or the
    -- form counts once (the document's first), so a measure's money is never summed twice under a goal
    select * from main.plan_goal_measures
    qualify row_number() over (
        partition by goal_id, measure_id order by basis = 'tolkning', source_document, source_section
    ) = 1
),
linked as (
    select
        g.municipality_code,
        g.area,
        g.goal_id,
        gm.measure_id,
        gm.basis as link_basis,
        gm.basis_note as link_basis_note,
        coalesce(d.title, gm.source_document) || ', ' || gm.source_section as link_source
    from goal as g
    left join goal_measures as gm using (goal_id)
    left join main.documents as d on d.document_id = gm.source_document
),
unlinked as (
    select m.municipality_code, coalesce(m.primary_area, m.area_label) as area, m.measure_id
    from model.measure_overview as m
    where m.municipality_code in (select municipality_code from goal)
      and m.measure_id not in (select measure_id from main.plan_goal_measures)
      and m.status is distinct from 'övrigt förslag utan finansiering'
),
chain as (
    select municipality_code, area, goal_id, measure_id, link_basis, link_basis_note, link_source
    from linked
    union all by name
    select municipality_code, area, null as goal_id, measure_id from unlinked
    union all by name
    select p.municipality_code, p.area, null as goal_id, null as measure_id
    from area_problems as p
    where not exists (
        select 1 from goal as g where g.municipality_code = p.municipality_code and g.area = p.area
    )
)
select
    c.municipality_code,
    mu.municipality,
    c.area as priority_area,
    g.area_label,
    ap.problem,
    ap.problem_source,
    c.goal_id,
    g.goal,
    coalesce(gd.title, g.source_document) || ', ' || g.source_section as goal_source,
    g.basis as goal_basis,
    g.basis_note as goal_basis_note,
    coalesce(gi.indicator, mi.indicator, ap.indicator) as indicator,
    coalesce(gi.indicator_source, mi.indicator_source, ap.indicator_source) as indicator_source,
    coalesce(gi.indicator, ap.indicator) as goal_indicator,
    c.measure_id,
    m.title as measure,
    m.status as measure_status,
    c.link_basis,
    c.link_basis_note,
    c.link_source,
    money.year_from,
    money.year_to,
    money.granted_sek,
    money.granted_source,
    coalesce(m.basis_notes, []::varchar[]) as granted_basis_notes,
    money.spent_sek,
    money.spent_source,
    coalesce(money.status, case when c.measure_id is not null then 'ingen rapport' end) as status
from chain as c
join main.municipalities as mu using (municipality_code)
left join goal as g using (goal_id)
left join main.documents as gd on gd.document_id = g.source_document
left join area_problems as ap on ap.municipality_code = c.municipality_code and ap.area = c.area
left join goal_indicators as gi using (goal_id)
left join measure_indicators as mi on mi.measure_id = c.measure_id
left join model.measure_overview as m on m.measure_id = c.measure_id
left join money on money.measure_id = c.measure_id;

create or replace view main.plan_chain as select * from main.plan_chain_rows([]);
