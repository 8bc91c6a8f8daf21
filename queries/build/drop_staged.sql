-- The staged CSV stg_{table}, no longer needed once its typed table is written.
drop table stg_{table};
