"""Follow-up (issue 15): per measure (or allocation line without a measure) and year, what was spent
(utfall), how far it has come (genomförande) with a date, and a results text. Rows come from follow-up
imports; who and when is the import's entry in import_log (import_id). Nothing is deleted: a newer report
of the same measure-year supersedes the older one, an undo brings it back (like imported_rows).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_table("follow_up_reports")
