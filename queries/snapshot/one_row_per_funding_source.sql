-- imported.funding_sources: one row per name the bundled sources do not have. Several imports (of other
-- municipalities or years) may name the same own source; a kind a file gives beats "okänd", and among given
-- kinds the latest import's (rows arrive in the order they were written).
create temporary table one_per_source as
select * from imported.funding_sources
where funding_source not in (select funding_source from bundled.funding_sources)
qualify row_number() over (partition by funding_source order by kind = 'okänd', rowid desc) = 1;
delete from imported.funding_sources;
insert into imported.funding_sources select * from one_per_source;
drop table one_per_source;
