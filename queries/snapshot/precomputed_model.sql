-- Whether the attached read-store file holds its precomputed model (a truncated file does not).
select count(*) from bundled.model_allocation;
