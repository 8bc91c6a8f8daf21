-- filtered_allocation(...): the allocation view narrowed by the dashboard's shared filters.
-- Every argument is a list; an empty list means "no filter". areas uses '' for lines without area.
-- search is matched literally (no wildcards) against measure, nämnd and förvaltning.
create or replace macro main.filtered_allocation(
    municipalities, years, funding_sources, committees, areas, statuses, search
) as table
select *
from model.allocation
where (len(municipalities) = 0 or list_contains(municipalities, municipality))
  and (len(years) = 0 or list_contains(years, year))
  and (len(funding_sources) = 0 or list_contains(funding_sources, funding_source))
  and (len(committees) = 0 or list_contains(committees, coalesce(committee, '')))
  and (len(areas) = 0 or list_contains(areas, coalesce(priority_area, '')))
  and (len(statuses) = 0 or list_contains(statuses, status))
  and (
      search = ''
      or contains(lower(coalesce(measure, '')), lower(search))
      or contains(lower(coalesce(committee, '')), lower(search))
      or contains(lower(coalesce(administration, '')), lower(search))
  );

-- filtered_frame_year(...): frame_year narrowed by the filters that apply to a frame.
create or replace macro main.filtered_frame_year(municipalities, years, funding_sources) as table
select *
from model.frame_year
where (len(municipalities) = 0 or list_contains(municipalities, municipality))
  and (len(years) = 0 or list_contains(years, year))
  and (len(funding_sources) = 0 or list_contains(funding_sources, funding_source));

-- filtered_measures(...): measure_overview narrowed by the shared filters (same arguments as
-- filtered_allocation). A measure matches a year or a funding source when any of its lines does.
create or replace macro main.filtered_measures(
    municipalities, years, funding_sources, committees, areas, statuses, search
) as table
select mo.*
from model.measure_overview as mo
where (len(municipalities) = 0 or list_contains(municipalities, municipality))
  and (len(years) = 0 or list_has_any(years, range(year_from, year_to + 1)::integer[]))
  and (len(funding_sources) = 0 or list_has_any(funding_sources, mo.funding_sources))
  and (len(committees) = 0 or list_contains(committees, coalesce(committee, '')))
  and (len(areas) = 0 or list_contains(areas, coalesce(primary_area, '')))
  and (len(statuses) = 0 or list_contains(statuses, status))
  and (
      search = ''
      or contains(lower(title), lower(search))
      or contains(lower(description), lower(search))
      or contains(lower(coalesce(committee, '')), lower(search))
      or contains(lower(coalesce(districts, '')), lower(search))
  );

-- cited_sources(...): where the filtered amounts come from, per frame-year (municipality, year, funding source):
-- each line's own source (kind 1), the decision table its nämnd is named in (kind 2, for lines with an amount)
-- and the frame's source (kind 3); same arguments as filtered_allocation. One row per citation, not distinct:
-- the queries deck_sources (a slide's or the whole deck's) and deck_sources_by_frame (every decision slide's)
-- group it.
create or replace macro main.cited_sources(
    municipalities, years, funding_sources, committees, areas, statuses, search
) as table
with lines as (
    select *
    from main.filtered_allocation(municipalities, years, funding_sources, committees, areas, statuses, search)
)
select municipality, year, funding_source, source_document, source_section, 1 as kind from lines
union all
select l.municipality, l.year, l.funding_source, c.source_document, c.source_section, 2 as kind
from lines as l
join main.committees as c using (committee_id)
where c.decision_label is not null and l.amount_sek is not null
union all
select fy.municipality, fy.year, fy.funding_source, f.source_document, f.source_section, 3 as kind
from main.filtered_frame_year(municipalities, years, funding_sources) as fy
join main.frames as f using (frame_id);
