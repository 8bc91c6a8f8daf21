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
