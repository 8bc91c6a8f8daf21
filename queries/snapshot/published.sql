-- The data version of the attached read-store file (bundled): fails on a file that holds no build.
select data_version from bundled.build_info;
