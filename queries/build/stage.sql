-- stg_{table}: the CSV at $path as text, every column varchar ($columns), with its 1-based line number (_line).
create or replace temp table stg_{table} as
select (row_number() over () + 1)::bigint as _line, *
from read_csv(
    $path,
    header = true, auto_detect = false, columns = $columns, delim = ',',
    quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8'
);
