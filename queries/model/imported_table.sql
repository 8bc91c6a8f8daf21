-- imported.{table}: an empty copy of the bundled table {table}, typed like it, for the imported rows.
create table imported.{table} as select * from bundled.{table} where false;
