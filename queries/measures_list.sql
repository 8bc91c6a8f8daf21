-- Returns every measure and proposal matching the filters, with nämnd, areas, status and amounts per year.
select *
from main.measure_overview
where (len($municipalities::varchar[]) = 0 or list_contains($municipalities::varchar[], municipality))
  and (len($years::integer[]) = 0 or list_has_any($years::integer[], range(year_from, year_to + 1)::integer[]))
  and (len($funding_sources::varchar[]) = 0 or list_has_any($funding_sources::varchar[], funding_sources))
  and (len($committees::varchar[]) = 0 or list_contains($committees::varchar[], coalesce(committee, '')))
  and (len($areas::varchar[]) = 0 or list_contains($areas::varchar[], coalesce(primary_area, '')))
  and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], status))
  and (
      $search::varchar = ''
      or contains(lower(title), lower($search::varchar))
      or contains(lower(description), lower($search::varchar))
      or contains(lower(coalesce(committee, '')), lower($search::varchar))
      or contains(lower(coalesce(districts, '')), lower($search::varchar))
  )
order by municipality, title;
