"""Sign-in and roles (issue 14): the role table, the signed-in identity on both logs, and the owner of
a scenario. Entries written before sign-in keep their typed name and are marked as free text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# identity_kind: 'oidc' (subject, name and e-mail from the identity provider) or 'free_text' (a name
# typed into a field, by anyone: entries from before sign-in and from a server without [auth]).
LOGS = ("scenario_log", "import_log")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("principal", sa.String(320), primary_key=True),  # OIDC subject or e-mail (lower case)
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    for table in LOGS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("subject", sa.String(320)))
            batch.add_column(sa.Column("display_name", sa.String(200)))
            batch.add_column(sa.Column("email", sa.String(320)))
            batch.add_column(
                sa.Column("identity_kind", sa.String(20), nullable=False, server_default="free_text")
            )
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("owner_subject", sa.String(320)))


def downgrade() -> None:
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_column("owner_subject")
    for table in LOGS:
        with op.batch_alter_table(table) as batch:
            for column in ("identity_kind", "email", "display_name", "subject"):
                batch.drop_column(column)
    op.drop_table("users")
