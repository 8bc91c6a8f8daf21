-- main.{table}: the bundled rows and the imported rows of {table} together, read by the model SQL.
create or replace view main.{table} as
select * from bundled.{table}
union all by name
select * from imported.{table};
