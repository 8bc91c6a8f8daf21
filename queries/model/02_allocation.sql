-- allocation: one row per allocation line and year, for power users (DuckDB CLI, DBeaver) and the pages.
-- A line without its own year applies to every year of its frame, so a year filter never double counts.
-- committee and priority_area come from the line where it states them, else from its measure.
-- amount_sek is whole kronor per year; NULL means the document gives no amount (unknown, not zero),
-- except on a line with status 'övrigt förslag utan finansiering': the document does not fund it.
-- basis/basis_note: the line as the document states it or our reading (e.g. a budget read per year).
create or replace table model.allocation as
with line as (
    select
        a.*,
        coalesce(a.committee_id, m.committee_id) as line_committee_id,
        coalesce(a.priority_area, m.primary_area) as line_priority_area,
        coalesce(a.status, m.status) as line_status
    from main.allocations as a
    left join main.measures as m using (measure_id)
)
select
    l.allocation_id,
    fy.frame_id,
    fy.municipality_code,
    fy.municipality,
    fy.year,
    fy.funding_source,
    l.line_committee_id as committee_id,
    c.committee,
    c.administration,
    l.measure_id,
    m.title as measure,
    l.line_priority_area as priority_area,
    l.amount_sek,
    m.requested_sek,
    l.line_status as status,
    l.source_document,
    l.source_section,
    d.case_number,
    l.note,
    l.basis,
    l.basis_note
from line as l
join model.frame_year as fy on fy.frame_id = l.frame_id and (l.year is null or l.year = fy.year)
left join main.measures as m on m.measure_id = l.measure_id
left join main.committees as c on c.committee_id = l.line_committee_id
left join main.documents as d on d.document_id = l.source_document;
