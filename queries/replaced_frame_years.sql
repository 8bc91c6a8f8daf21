-- Returns the bundled frame-years an import replaced: what the documents said (lines, known sum) and which import replaced them.
with replaced_lines as (
    select r.municipality_code, r.year, r.funding_source, r.file, r.replaced_at, a.allocation_id, a.amount_sek
    from imported.replaced as r
    join bundled.frames as f
        on f.municipality_code = r.municipality_code
        and f.funding_source = r.funding_source
        and r.year between f.year_from and f.year_to
    left join bundled.allocations as a on a.frame_id = f.frame_id and (a.year is null or a.year = r.year)
)
select
    l.municipality_code,
    mu.municipality,
    l.year,
    l.funding_source,
    l.file,
    l.replaced_at,
    count(l.allocation_id) as lines,
    sum(l.amount_sek) as amount_sek,
    list(l.allocation_id order by l.allocation_id) filter (where l.allocation_id is not null) as allocation_ids
from replaced_lines as l
join main.municipalities as mu using (municipality_code)
group by all
order by mu.municipality, l.year, l.funding_source;
