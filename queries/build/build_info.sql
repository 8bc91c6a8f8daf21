-- main.build_info: the data version ($version, a hash of the CSVs) and when the file was built ($at, UTC).
create table main.build_info as select $version as data_version, $at as built_at;
