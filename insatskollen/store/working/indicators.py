"""Outcome indicator values (Kolada; issue 15 item 6): an undoable import that supersedes the values in
force for the same KPI, municipality, year and gender, and the values in force with who imported them."""

from __future__ import annotations

import uuid

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from insatskollen.core.roles import Actor, as_actor
from insatskollen.store.working.base import LOCK_IMPORTS, StoreBase, StoreError, utc_now
from insatskollen.store.working.tables import import_log, indicator_values

INDICATORS_KEY = "indicator_values"  # the key of the indicator values in Imports.imported_tables()

INDICATOR_COLUMNS = (
    "kpi_id",
    "kpi_title",
    "municipality_code",
    "municipality_name",
    "period",
    "gender",
    "value",
    "status",
    "unit",
    "source",
    "fetched_at",
)


class Indicators(StoreBase):
    def commit_indicator_import(
        self, *, file: str, author: Actor | str, rows: list[dict], action: str
    ) -> str:
        """One undoable import of indicator values, in one transaction: values in force for the same KPI,
        municipality, year and gender are superseded (not deleted), the rows are added and the import is
        logged with its actor. Returns the import id."""
        import_id = uuid.uuid4().hex[:12]
        now = utc_now()
        iv = indicator_values.c
        titles = {r["kpi_id"]: r["kpi_title"] for r in rows}
        with self._write(LOCK_IMPORTS) as conn:
            # the title check again, inside the import lock: two imports at once cannot both pass it
            in_force = conn.execute(
                select(iv.kpi_id, iv.kpi_title).where(
                    iv.superseded_by.is_(None), iv.kpi_id.in_(sorted(titles))
                )
            ).all()
            changed = sorted(
                {kpi for kpi, title in in_force if str(title).strip() != str(titles[kpi]).strip()}
            )
            if changed:
                raise StoreError(
                    "Importen gjordes inte: "
                    + ", ".join(changed)
                    + " har just importerats med ett annat namn (av någon annan). Se importloggen."
                )
            for key in sorted(
                {(r["kpi_id"], r["municipality_code"], r["period"], r["gender"]) for r in rows}
            ):
                conn.execute(
                    update(indicator_values)
                    .where(
                        iv.kpi_id == key[0],
                        iv.municipality_code == key[1],
                        iv.period == key[2],
                        iv.gender == key[3],
                        iv.superseded_by.is_(None),
                    )
                    .values(superseded_by=import_id)
                )
            if rows:
                conn.execute(
                    insert(indicator_values),
                    [{"import_id": import_id, **{k: r.get(k) for k in INDICATOR_COLUMNS}} for r in rows],
                )
            conn.execute(
                insert(import_log).values(
                    import_id=import_id,
                    file=file,
                    logged_at=now,
                    rows=len(rows),
                    action=action,
                    **as_actor(author).log_values(),
                )
            )
        return import_id

    def indicator_titles(self) -> dict[str, tuple[str, str]]:
        """KPI id -> (title, source) of the values in force: what an import's titles are checked against."""
        iv = indicator_values.c
        with self._read() as conn:
            found = conn.execute(
                select(iv.kpi_id, iv.kpi_title, iv.source)
                .where(iv.superseded_by.is_(None))
                .order_by(iv.value_id)
            ).all()
        return {kpi: (title, source) for kpi, title, source in found}


def indicator_rows(conn: Connection) -> pd.DataFrame:
    """The indicator values in force, with who imported them and when (inside a read transaction)."""
    iv, log = indicator_values.c, import_log.c
    found = conn.execute(
        select(
            *(getattr(iv, name) for name in INDICATOR_COLUMNS),
            iv.import_id,
            log.author.label("imported_by"),
            log.logged_at.label("imported_at"),
        )
        .select_from(indicator_values.join(import_log, import_log.c.import_id == iv.import_id))
        .where(iv.superseded_by.is_(None))
        .order_by(iv.value_id)
    ).all()
    columns = [*INDICATOR_COLUMNS, "import_id", "imported_by", "imported_at"]
    return pd.DataFrame([tuple(r) for r in found], columns=columns)
