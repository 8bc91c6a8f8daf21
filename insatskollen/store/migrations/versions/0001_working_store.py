"""The working store (issue 13): scenarios, their log, imported rows, the import log, replaced
bundled frame-years, the store's own identity and the record of moved-in legacy DuckDB files.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


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
        sa.Column("history_json", sa.Text),
        sa.Column("deleted_at", sa.DateTime),
    )
    op.create_table(
        "scenario_log",
        sa.Column("log_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(32), nullable=False),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("detail", sa.Text),
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
        "legacy_migrations",
        sa.Column("source", sa.String(500), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("migrated_at", sa.DateTime, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "legacy_migrations",
        "store_info",
        "replaced_frame_years",
        "imported_rows",
        "import_log",
        "scenario_log",
        "scenarios",
    ):
        op.drop_table(table)
