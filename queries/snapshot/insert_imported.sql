-- The imported rows of {table} from the registered frame `incoming`, already cast to the table's types.
insert into imported.{table} select * from incoming;
