"""The working store: scenarios and their change log, imported rows and the import log, replaced bundled
frame-years, follow-up reports, indicator values, the role table and the store's own identity.

One initial migration (the five of issues 13, 14, 15 and 21 squashed before any installation existed);
the next schema change is 0002. Table objects for statements: insatskollen/store/working/tables.py.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _identity_columns() -> list[sa.Column]:
    """Who wrote a log entry. identity_kind: 'oidc' (subject, name and e-mail from the identity provider)
    or 'free_text' (a name typed into a field, by anyone: a server without [auth])."""
    return [
        sa.Column("subject", sa.String(320)),
        sa.Column("display_name", sa.String(200)),
        sa.Column("email", sa.String(320)),
        sa.Column("identity_kind", sa.String(20), nullable=False, server_default="free_text"),
    ]


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("scenario_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("frame_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("data_version", sa.String(100)),
        sa.Column("baseline_json", sa.Text, nullable=False),
        sa.Column("state_json", sa.Text, nullable=False),
        sa.Column("history_json", sa.Text),  # format 2: steps back from state_json (core/scenario_history.py)
        sa.Column("deleted_at", sa.DateTime),
        sa.Column("owner_subject", sa.String(320)),  # the signed-in owner; NULL: saved without sign-in
    )
    op.create_table(
        "scenario_log",
        sa.Column("log_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(32), nullable=False),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("detail", sa.Text),
        *_identity_columns(),
    )
    op.create_index("ix_scenario_log_scenario_id", "scenario_log", ["scenario_id"])
    op.create_table(
        "import_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.String(32), nullable=False),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("undone_by", sa.String(32)),
        *_identity_columns(),
    )
    op.create_table(
        "imported_rows",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(50), nullable=False),
        sa.Column("municipality_code", sa.String(10)),
        sa.Column("year_from", sa.Integer),
        sa.Column("year_to", sa.Integer),
        sa.Column("frame_id", sa.String(100)),
        sa.Column("measure_id", sa.String(100)),
        sa.Column("row_json", sa.Text, nullable=False),
        sa.Column("superseded_by", sa.String(32)),
    )
    op.create_index("ix_imported_rows_import_id", "imported_rows", ["import_id"])
    op.create_index("ix_imported_rows_superseded_by", "imported_rows", ["superseded_by"])
    op.create_table(
        "replaced_frame_years",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("municipality_code", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("funding_source", sa.String(200), nullable=False),
        sa.Column("import_id", sa.String(32), nullable=False),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("replaced_at", sa.DateTime, nullable=False),
        sa.Column("superseded_by", sa.String(32)),
    )
    op.create_table(
        "store_info",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("principal", sa.String(320), primary_key=True),  # OIDC subject or e-mail (lower case)
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    # Follow-up: per measure (or allocation line without a measure) and year, what was spent (utfall), how
    # far it has come (genomförande) with a date, and a results text. Who and when: the import's entry in
    # import_log. A newer report of the same measure-year supersedes the older one; an undo brings it back.
    op.create_table(
        "follow_up_reports",
        sa.Column("report_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.String(32), nullable=False, index=True),
        sa.Column("municipality_code", sa.String(10)),
        # exactly one of the two: a measure (data/measures.csv or imported), or a line without a measure
        sa.Column("measure_id", sa.String(100)),
        sa.Column("allocation_id", sa.String(100)),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("spent_sek", sa.BigInteger),  # whole kronor; NULL = unknown, never 0
        sa.Column("status", sa.String(20), nullable=False),  # ej påbörjad, pågår, genomförd, avbruten
        sa.Column("status_date", sa.Date),
        sa.Column("result", sa.Text),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("superseded_by", sa.String(32), index=True),
    )
    # Outcome indicators (Kolada): one row per KPI, municipality, year and gender as imported; value NULL is
    # unknown (with Kolada's status), never zero. A later import of the same KPI, municipality, year and
    # gender supersedes the row; an undo brings it back.
    op.create_table(
        "indicator_values",
        sa.Column("value_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.String(32), nullable=False, index=True),
        sa.Column("kpi_id", sa.String(20), nullable=False),
        sa.Column("kpi_title", sa.String(500), nullable=False),  # the title when fetched or exported
        sa.Column("municipality_code", sa.String(10), nullable=False),
        sa.Column("municipality_name", sa.String(200)),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("value", sa.Float),  # NULL: unknown
        sa.Column("status", sa.String(100)),
        sa.Column("unit", sa.String(100)),
        sa.Column("source", sa.String(500), nullable=False),  # 'Kolada' + snapshot/manifest or file name
        sa.Column("fetched_at", sa.DateTime),
        sa.Column("superseded_by", sa.String(32), index=True),
    )


def downgrade() -> None:
    for table in (
        "indicator_values",
        "follow_up_reports",
        "users",
        "store_info",
        "replaced_frame_years",
        "imported_rows",
        "import_log",
        "scenario_log",
        "scenarios",
    ):
        op.drop_table(table)
