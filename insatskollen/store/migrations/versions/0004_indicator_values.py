"""Outcome indicators from Kolada beside the money (issue 15, item 6): imported indicator values.

One row per KPI, municipality, year and gender as imported; value NULL is unknown (with Kolada's
status), never zero. Who imported and when is in import_log (same import_id). Nothing is deleted: a
later import of the same KPI, municipality, year and gender supersedes the row, and an undo brings it back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    op.drop_table("indicator_values")
