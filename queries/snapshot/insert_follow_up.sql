-- The follow-up reports in force, from the registered frame `incoming` (working_store.FOLLOW_UP_COLUMNS).
insert into imported.follow_up_reports
select report_id, municipality_code, measure_id, allocation_id, year, spent_sek, status, status_date, result,
       file, line, import_id, reported_at, reported_by, subject, email, identity_kind
from incoming;
