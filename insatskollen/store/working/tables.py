"""The working store's tables, as SQLAlchemy Core Table objects for building statements. The schema itself
is made only by the Alembic migrations in insatskollen/store/migrations/; tests/store/test_working_store.py checks
that these match them.

Imported rows are kept as JSON per row (with the keys needed to find them as columns), so that a new
column in data/ needs no migration.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

scenarios = Table(
    "scenarios",
    metadata,
    Column("scenario_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("frame_id", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("comment", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("data_version", String(100)),
    Column("baseline_json", Text, nullable=False),
    Column("state_json", Text, nullable=False),
    Column("history_json", Text),
    Column("deleted_at", DateTime),
    Column("owner_subject", String(320)),  # the signed-in owner; None: saved without sign-in
)


def _identity_columns() -> list[Column]:
    """Who wrote a log entry: the signed-in identity, or a typed name ('free_text')."""
    return [
        Column("subject", String(320)),
        Column("display_name", String(200)),
        Column("email", String(320)),
        Column("identity_kind", String(20), nullable=False, server_default="free_text"),
    ]


scenario_log = Table(
    "scenario_log",
    metadata,
    Column("log_id", Integer, primary_key=True, autoincrement=True),
    Column("scenario_id", String(32), nullable=False, index=True),
    Column("logged_at", DateTime, nullable=False),
    Column("author", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("detail", Text),
    *_identity_columns(),
)

import_log = Table(
    "import_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("import_id", String(32), nullable=False),
    Column("file", String(300), nullable=False),
    Column("author", String(200), nullable=False),
    Column("logged_at", DateTime, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("action", String(100), nullable=False),
    Column("undone_by", String(32)),  # set on an import when it is undone
    *_identity_columns(),
)

imported_rows = Table(
    "imported_rows",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", String(32), nullable=False, index=True),
    Column("table_name", String(50), nullable=False),
    Column("municipality_code", String(10)),
    Column("year_from", Integer),
    Column("year_to", Integer),
    Column("frame_id", String(100)),
    Column("measure_id", String(100)),
    Column("row_json", Text, nullable=False),
    Column("superseded_by", String(32), index=True),
)

replaced_frame_years = Table(
    "replaced_frame_years",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("municipality_code", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("funding_source", String(200), nullable=False),
    Column("import_id", String(32), nullable=False),
    Column("file", String(300), nullable=False),
    Column("replaced_at", DateTime, nullable=False),
    Column("superseded_by", String(32)),
)


follow_up_reports = Table(  # issue 15; who and when: the import's entry in import_log
    "follow_up_reports",
    metadata,
    Column("report_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", String(32), nullable=False, index=True),
    Column("municipality_code", String(10)),
    Column("measure_id", String(100)),  # a measure, or
    Column("allocation_id", String(100)),  # an allocation line without a measure
    Column("year", Integer, nullable=False),
    Column("spent_sek", BigInteger),  # whole kronor; None = unknown, never 0
    Column("status", String(20), nullable=False),  # follow_up.FOLLOW_UP_STATUSES
    Column("status_date", Date),
    Column("result", Text),
    Column("file", String(300), nullable=False),
    Column("line", Integer, nullable=False),
    Column("superseded_by", String(32), index=True),
)


users = Table(
    "users",
    metadata,
    Column("principal", String(320), primary_key=True),  # OIDC subject or e-mail (lower case)
    Column("role", String(20), nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime, nullable=False),
)

# outcome indicators (Kolada), issue 15 item 6
indicator_values = Table(
    "indicator_values",
    metadata,
    Column("value_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", String(32), nullable=False, index=True),
    Column("kpi_id", String(20), nullable=False),
    Column("kpi_title", String(500), nullable=False),
    Column("municipality_code", String(10), nullable=False),
    Column("municipality_name", String(200)),
    Column("period", Integer, nullable=False),
    Column("gender", String(1), nullable=False),
    Column("value", Float),  # None: unknown
    Column("status", String(100)),
    Column("unit", String(100)),
    Column("source", String(500), nullable=False),
    Column("fetched_at", DateTime),
    Column("superseded_by", String(32), index=True),
)


store_info = Table(  # key/value facts about this store, e.g. its identity (a random id made once)
    "store_info",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)
