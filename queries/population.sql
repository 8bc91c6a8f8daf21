-- Population per municipality and year, when imported: Kolada's "Invånare totalt, antal" (N01951, gender T,
-- the count on 31 December), through the Kolada import or an export file. Unknown values are left out.
select municipality_code, municipality, year, value::bigint as population, source
from main.indicator_values
where kpi_id = 'N01951' and gender = 'T' and value is not null and municipality_code <> '0000'
order by municipality, year;
