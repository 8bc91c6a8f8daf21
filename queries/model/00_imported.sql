-- The imported rows beside the bundled ones that are not tables of the bundled data: the frame-years an
-- import replaced, the follow-up reports and the Kolada values. Loaded from the working store into each
-- snapshot (store/imported_rows.py); empty in a build. The data tables' imported.* copies are made per
-- table (model/imported_table.sql).
create schema if not exists imported;

-- Bundled frame-years that an import replaced (after confirmation): hidden from every view, listed on
-- Källor and Datakvalitet as "ersatt av import", and back exactly when the import is undone.
create table if not exists imported.replaced (
    municipality_code varchar,
    year integer,
    funding_source varchar,
    import_id varchar,
    file varchar,
    replaced_at timestamp
);

-- Follow-up reports in force (issue 15), loaded from the working store (empty in a build).
-- spent_sek: whole kronor; NULL = unknown, never 0. reported_*: who imported the report and when (UTC).
create table if not exists imported.follow_up_reports (
    report_id integer,
    municipality_code varchar,
    measure_id varchar,
    allocation_id varchar,
    year integer,
    spent_sek bigint,
    status varchar,
    status_date date,
    result varchar,
    file varchar,
    line integer,
    import_id varchar,
    reported_at timestamp,
    reported_by varchar,
    subject varchar,
    email varchar,
    identity_kind varchar
);

-- Outcome indicators from Kolada in force: one row per KPI, municipality, year and gender; value NULL is
-- unknown. Shown through main.indicator_values (model/07_indicator_values.sql).
create table if not exists imported.indicator_values (
    kpi_id varchar,
    kpi_title varchar,
    municipality_code varchar,
    municipality_name varchar,
    period integer,
    gender varchar,
    value double,
    status varchar,
    unit varchar,
    source varchar,
    fetched_at timestamp,
    import_id varchar,
    imported_by varchar,
    imported_at timestamp
);
