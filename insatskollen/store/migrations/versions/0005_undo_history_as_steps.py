"""Saved undo histories as steps back from the current state, not whole copies (issue 21, item 4).

`scenarios.history_json` held one whole state per undo step (format 1): 1 000 added measures stored a
100 MB row that every opening parsed. This rewrites each format 1 history as format 2 (see
insatskollen/core/scenario_history.py), anchored on the row's own `state_json`. Nothing is lost: every stored
step is kept (the cap of 100 undo steps applies when a scenario is opened, not here) and format2_to_1 gives
back the same states, dict for dict; the downgrade does exactly that. One row at a time, so a large row is
held once. No schema change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from insatskollen.core.scenario_history import format1_to_2, format2_to_1

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

scenarios = sa.table(
    "scenarios",
    sa.column("scenario_id", sa.String),
    sa.column("state_json", sa.Text),
    sa.column("history_json", sa.Text),
)


def _rewrite(convert) -> None:
    conn = op.get_bind()
    ids = [r[0] for r in conn.execute(sa.select(scenarios.c.scenario_id).order_by(scenarios.c.scenario_id))]
    for scenario_id in ids:
        row = conn.execute(
            sa.select(scenarios.c.state_json, scenarios.c.history_json).where(
                scenarios.c.scenario_id == scenario_id
            )
        ).one()
        converted = convert(row.history_json, row.state_json)
        if converted != row.history_json:
            conn.execute(
                sa.update(scenarios)
                .where(scenarios.c.scenario_id == scenario_id)
                .values(history_json=converted)
            )


def upgrade() -> None:
    _rewrite(format1_to_2)


def downgrade() -> None:
    _rewrite(format2_to_1)
