-- Returns the readings behind the headline figures in the filters: frame-years and allocation lines whose basis is 'tolkning' (our reading of the document), one row per year, with the amount per year (NULL when unknown) and basis_note.
-- Frame-years follow the kommun/år/källa filters (as the frame does); lines follow every filter.
with frame_readings as (
    select
        'Ram' as kind,
        municipality,
        year,
        funding_source,
        funding_source as subject,
        amount_sek,
        basis_note,
        source_document,
        source_section
    from main.filtered_frame_year($municipalities::varchar[], $years::integer[], $funding_sources::varchar[])
    where basis = 'tolkning'
),
line_readings as (
    select
        'Fördelningsrad' as kind,
        municipality,
        year,
        funding_source,
        coalesce(measure, committee, priority_area, allocation_id) as subject,
        amount_sek,
        basis_note,
        source_document,
        source_section
    from main.filtered_allocation($municipalities::varchar[], $years::integer[], $funding_sources::varchar[], $committees::varchar[], $areas::varchar[], $statuses::varchar[], $search::varchar)
    where basis = 'tolkning' and status is distinct from 'övrigt förslag utan finansiering'
)
select * from frame_readings
union all
select * from line_readings
order by municipality, kind desc, funding_source, subject, year;
