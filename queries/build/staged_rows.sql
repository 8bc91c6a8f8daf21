-- How many rows the staged CSV stg_{table} has.
select count(*) from stg_{table};
