-- Returns how many bundled frames (from the documents) cover a municipality, year and funding source.
select count(*) as frames
from bundled.frames
where municipality_code = $code and $year between year_from and year_to and funding_source = $source
