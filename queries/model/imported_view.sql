-- main.{table}: the imported rows of {table} alone, to compute the model of the imported rows by themselves.
create or replace view main.{table} as select * from imported.{table};
