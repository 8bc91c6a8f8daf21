-- follow_up: one row per measure and year (a line without a measure, e.g. a pot to a nämnd, stands for
-- itself), from decided to spent. Granted is the Nyckeltal definition (README): the funded lines of the
-- year (proposals the document does not fund left out), summed; unknown (NULL) when a line has no amount.
-- Every measure-year with a funded line appears; without a report its spent is unknown and its status
-- 'ingen rapport'. A report for a year without a funded line appears too, with granted unknown (not in
-- any frame, so not when frame_ids is given). deviation_sek = spent − granted, NULL when either is unknown.
-- Sources: granted_* name the document and section of the lines; report_file, report_line, reported_by
-- and reported_at the report.
-- follow_up_rows(municipality_codes, years, frame_ids, item_keys): the same rows, narrowed before anything
-- is summed (an empty list means no filter; an item key is 'm:' || measure_id or 'a:' || allocation_id),
-- so that one frame-year or one measure costs a filtered scan, not the whole country's aggregation.
create or replace macro main.follow_up_rows(municipality_codes, years, frame_ids, item_keys) as table
with line as (
    select
        a.*,
        case when a.measure_id is null then a.allocation_id end as line_id,
        -- one key for a measure or a line without one, so that reports join by hash, not by a nested loop
        coalesce('m:' || a.measure_id, 'a:' || a.allocation_id) as item_key
    from model.allocation as a
    where a.status is distinct from 'övrigt förslag utan finansiering'
      and (len(municipality_codes) = 0 or list_contains(municipality_codes, a.municipality_code))
      and (len(years) = 0 or list_contains(years, a.year))
      and (len(frame_ids) = 0 or list_contains(frame_ids, a.frame_id))
      and (len(item_keys) = 0 or list_contains(item_keys, coalesce('m:' || a.measure_id, 'a:' || a.allocation_id)))
),
granted as (
    select
        item_key,
        measure_id,
        line_id as allocation_id,
        year,
        min(municipality_code) as municipality_code,
        min(municipality) as municipality,
        min(frame_id) as frame_id,
        string_agg(distinct funding_source, '; ' order by funding_source) as funding_source,
        min(measure) as measure,
        min(committee_id) as committee_id,
        min(committee) as committee,
        min(priority_area) as priority_area,
        min(status) as decision_status,
        -- known only when every funded line of the measure-year has an amount
        case when count(amount_sek) = count(*) then sum(amount_sek)::bigint end as granted_sek,
        string_agg(distinct source_document, '; ' order by source_document) as granted_document,
        string_agg(distinct source_section, '; ' order by source_section) as granted_section,
        string_agg(distinct case_number, '; ' order by case_number) as granted_case_number
    from line
    group by item_key, measure_id, line_id, year
),
report as (
    select
        r.*,
        case when r.measure_id is null then r.allocation_id end as line_id,
        coalesce('m:' || r.measure_id, 'a:' || r.allocation_id) as item_key
    from imported.follow_up_reports as r
    where (len(municipality_codes) = 0 or list_contains(municipality_codes, r.municipality_code))
      and (len(years) = 0 or list_contains(years, r.year))
      and (len(item_keys) = 0 or list_contains(item_keys, coalesce('m:' || r.measure_id, 'a:' || r.allocation_id)))
),
joined as (
    select
        coalesce(g.measure_id, r.measure_id) as measure_id,
        coalesce(g.allocation_id, r.line_id) as allocation_id,
        coalesce(g.year, r.year) as year,
        coalesce(g.municipality_code, r.municipality_code) as municipality_code,
        g.* exclude (item_key, measure_id, allocation_id, year, municipality_code),
        r.spent_sek,
        r.status,
        r.status_date,
        r.result,
        r.file as report_file,
        r.line as report_line,
        r.reported_by,
        r.identity_kind as reported_by_kind,
        r.reported_at,
        r.import_id
    from granted as g
    full outer join report as r on g.item_key = r.item_key and g.year = r.year
    where len(frame_ids) = 0 or g.item_key is not null
),
select
    j.municipality_code,
    coalesce(j.municipality, mu.municipality) as municipality,
    j.year,
    j.frame_id,
    j.funding_source,
    j.measure_id,
    j.allocation_id,
    coalesce(j.measure, u.title, j.committee) as measure,
    coalesce(j.committee_id, u.committee_id) as committee_id,
    coalesce(j.committee, uc.committee) as committee,
    coalesce(j.priority_area, u.primary_area) as priority_area,
    coalesce(j.decision_status, u.status) as decision_status,
    j.granted_sek,
    j.granted_document,
    j.granted_section,
    j.granted_case_number,
    j.spent_sek,
    j.spent_sek - j.granted_sek as deviation_sek,
    coalesce(j.status, 'ingen rapport') as status,
    j.status_date,
    j.result,
    j.report_file,
    j.report_line,
    j.reported_by,
    j.reported_by_kind,
    j.reported_at,
    j.import_id
from joined as j
-- a report without a funded line that year: its measure's own title, nämnd and area
left join main.measures as u on u.measure_id = j.measure_id and j.frame_id is null
left join main.committees as uc on uc.committee_id = u.committee_id and j.frame_id is null
left join main.municipalities as mu on mu.municipality_code = j.municipality_code and j.frame_id is null;

create or replace view main.follow_up as select * from main.follow_up_rows([], [], [], []);
