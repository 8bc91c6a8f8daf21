"""Imported rows: one import in one transaction, the undo of the latest, and everything in force read
together. Nothing imported is ever deleted: a later import of the same municipality-year supersedes rows,
an undo supersedes the undone import's rows and brings back the rows it had superseded.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pandas as pd
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from insatskollen.core.roles import Actor, as_actor
from insatskollen.store.working.base import LOCK_IMPORTS, StoreBase, StoreError, utc_now
from insatskollen.store.working.follow_up import follow_up_in_force
from insatskollen.store.working.indicators import INDICATORS_KEY, indicator_rows
from insatskollen.store.working.tables import (
    follow_up_reports,
    import_log,
    imported_rows,
    indicator_values,
    replaced_frame_years,
)


class Imports(StoreBase):
    # ------------------------------------------------------------ change detection

    def generation(self) -> int:
        """Grows with every import and undo: a process reloads its imported rows when it changes."""
        with self._read() as conn:
            return int(conn.execute(select(func.coalesce(func.max(import_log.c.seq), 0))).scalar_one())

    # ------------------------------------------------------------ imports

    def active_frames(self, municipality_code: str, year: int) -> int:
        """How many imported frames (not superseded) cover this municipality-year."""
        with self._read() as conn:
            return _active_frames(conn, municipality_code, year)

    def commit_import(
        self,
        *,
        file: str,
        author: Actor | str,
        rows: int,
        action: str,
        tables: dict[str, list[dict]],
        municipality_years: list[tuple[str, int]],
        replaces: list[tuple[str, int, str]],
        replace: bool = True,
        plans: list[str] | tuple[str, ...] = (),
    ) -> str:
        """One import, in one transaction: earlier imported rows of the same municipality-years are
        superseded, and the earlier imported plan of each municipality code in `plans` (a plan file); bundled
        frame-years listed in `replaces` are marked replaced, the rows are added and the import is logged.
        Returns the import id."""
        import_id = uuid.uuid4().hex[:12]
        now = utc_now()
        with self._write(LOCK_IMPORTS) as conn:
            if not replace:  # checked again here, under the lock: another import may have landed meanwhile
                taken = [
                    (code, year) for code, year in municipality_years if _active_frames(conn, code, year)
                ]
                if taken:
                    raise ImportConflict(taken)
            for code, year in municipality_years:
                _supersede_municipality_year(conn, code, year, import_id)
            for code in plans:
                _supersede_plan(conn, code, import_id)
            for code, year, source in replaces:
                conn.execute(
                    update(replaced_frame_years)
                    .where(
                        replaced_frame_years.c.municipality_code == code,
                        replaced_frame_years.c.year == year,
                        replaced_frame_years.c.funding_source == source,
                        replaced_frame_years.c.superseded_by.is_(None),
                    )
                    .values(superseded_by=import_id)
                )
                conn.execute(
                    insert(replaced_frame_years).values(
                        municipality_code=code,
                        year=year,
                        funding_source=source,
                        import_id=import_id,
                        file=file,
                        replaced_at=now,
                    )
                )
            batch = [_row_record(import_id, table, row) for table, items in tables.items() for row in items]
            if batch:
                conn.execute(insert(imported_rows), batch)
            conn.execute(
                insert(import_log).values(
                    import_id=import_id,
                    file=file,
                    logged_at=now,
                    rows=rows,
                    action=action,
                    **as_actor(author).log_values(),
                )
            )
        return import_id

    def undo_last_import(self, author: Actor | str) -> dict | None:
        """Undo the latest import not yet undone: its rows are superseded, the rows it superseded come
        back. Returns that import's log entry (file, author, logged_at, rows), None when there is none.
        Nothing is deleted."""
        now = utc_now()
        with self._write(LOCK_IMPORTS) as conn:
            c = import_log.c
            undone = (
                conn.execute(
                    select(c.import_id, c.file, c.author, c.logged_at, c.rows)
                    .where(c.action.like("import%"), c.undone_by.is_(None))
                    .order_by(c.seq.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            if undone is None:
                return None
            last = undone["import_id"]
            undo_id = uuid.uuid4().hex[:12]
            for table in (imported_rows, replaced_frame_years, indicator_values, follow_up_reports):
                conn.execute(update(table).where(table.c.superseded_by == last).values(superseded_by=None))
                conn.execute(
                    update(table)
                    .where(table.c.import_id == last, table.c.superseded_by.is_(None))
                    .values(superseded_by=undo_id)
                )
            conn.execute(update(import_log).where(c.import_id == last).values(undone_by=undo_id))
            conn.execute(
                insert(import_log).values(
                    import_id=undo_id,
                    file="",
                    logged_at=now,
                    rows=0,
                    **as_actor(author).log_values(),
                    action="ångrade senaste import",
                )
            )
        return dict(undone)

    def imported_tables(self) -> tuple[int, dict[str, pd.DataFrame]]:
        """The generation and every imported row in force, per table (plus `replaced`), read in one
        transaction so that they belong together."""
        with self._read() as conn, conn.begin():
            generation = int(conn.execute(select(func.coalesce(func.max(import_log.c.seq), 0))).scalar_one())
            rows = conn.execute(
                select(imported_rows.c.table_name, imported_rows.c.row_json)
                .where(imported_rows.c.superseded_by.is_(None))
                .order_by(imported_rows.c.row_id)
            ).all()
            r = replaced_frame_years.c
            replaced = conn.execute(
                select(
                    r.municipality_code, r.year, r.funding_source, r.import_id, r.file, r.replaced_at
                ).where(r.superseded_by.is_(None))
            ).all()
            indicators = indicator_rows(conn)
            follow_up = follow_up_in_force(conn)
        grouped: dict[str, list[dict]] = {}
        for table_name, row_json in rows:
            grouped.setdefault(table_name, []).append(json.loads(row_json))
        out = {name: pd.DataFrame(items) for name, items in grouped.items()}
        out["replaced"] = pd.DataFrame(
            [tuple(x) for x in replaced],
            columns=["municipality_code", "year", "funding_source", "import_id", "file", "replaced_at"],
        )
        out[INDICATORS_KEY] = indicators
        out["follow_up"] = follow_up
        return generation, out

    def import_log_rows(self) -> pd.DataFrame:
        c = import_log.c
        with self._read() as conn:
            rows = conn.execute(
                select(
                    c.import_id,
                    c.file,
                    c.author,
                    c.logged_at,
                    c.rows,
                    c.action,
                    c.undone_by,
                    c.subject,
                    c.email,
                    c.identity_kind,
                ).order_by(c.seq)
            ).all()
        return pd.DataFrame(
            [tuple(r) for r in rows],
            columns=[
                "import_id",
                "file",
                "author",
                "logged_at",
                "rows",
                "action",
                "undone_by",
                "subject",
                "email",
                "identity_kind",
            ],
        )


class ImportConflict(StoreError):
    """Imported data for these (municipality code, year) landed before this import; replace not confirmed."""

    def __init__(self, taken: list[tuple[str, int]]):
        self.taken = taken
        super().__init__(", ".join(f"{code} {year}" for code, year in taken))


def _active_frames(conn: Connection, municipality_code: str, year: int) -> int:
    c = imported_rows.c
    return int(
        conn.execute(
            select(func.count()).where(
                c.table_name == "frames",
                c.superseded_by.is_(None),
                c.municipality_code == municipality_code,
                c.year_from <= year,
                c.year_to >= year,
            )
        ).scalar_one()
    )


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas: unknown
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _row_record(import_id: str, table: str, row: dict) -> dict:
    clean = {k: _json_value(v) for k, v in row.items()}
    return {
        "import_id": import_id,
        "table_name": table,
        "municipality_code": clean.get("municipality_code"),
        "year_from": clean.get("year_from"),
        "year_to": clean.get("year_to"),
        "frame_id": clean.get("frame_id"),
        "measure_id": clean.get("measure_id"),
        "row_json": json.dumps(clean, ensure_ascii=False, sort_keys=True),
        "superseded_by": None,
    }


def _supersede_municipality_year(conn: Connection, code: str, year: int, by: str) -> None:
    """Imported frames covering the municipality-year, their allocations and those allocations' measures;
    and, once an earlier import has no frame of the municipality left in force, that import's documents,
    committees (nämnder) and own funding sources of the municipality, which only its own rows cite."""
    c = imported_rows.c
    active = c.superseded_by.is_(None)
    found = conn.execute(
        select(c.frame_id, c.import_id).where(
            active,
            c.table_name == "frames",
            c.municipality_code == code,
            c.year_from <= year,
            c.year_to >= year,
        )
    ).all()
    frame_ids = [frame_id for frame_id, _ in found]
    if not frame_ids:
        return
    measure_ids = [
        r[0]
        for r in conn.execute(
            select(c.measure_id).where(
                active, c.table_name == "allocations", c.frame_id.in_(frame_ids), c.measure_id.is_not(None)
            )
        )
    ]
    conn.execute(
        update(imported_rows)
        .where(
            active,
            or_(
                and_(c.table_name.in_(("frames", "allocations")), c.frame_id.in_(frame_ids)),
                and_(c.table_name == "measures", c.measure_id.in_(measure_ids or [""])),
            ),
        )
        .values(superseded_by=by)
    )
    for earlier in sorted({import_id for _, import_id in found}):
        frames_left = conn.execute(
            select(func.count())
            .select_from(imported_rows)
            .where(active, c.import_id == earlier, c.table_name == "frames", c.municipality_code == code)
        ).scalar_one()
        if not frames_left:
            conn.execute(
                update(imported_rows)
                .where(
                    active,
                    c.import_id == earlier,
                    c.municipality_code == code,
                    c.table_name.in_(("documents", "committees", "funding_sources")),
                )
                .values(superseded_by=by)
            )


PLAN_TABLES = ("plan_problems", "plan_goals", "plan_goal_measures", "indicators")


def _supersede_plan(conn: Connection, code: str, by: str) -> None:
    """The municipality's earlier imported plan: its problems, goals, links and indicators, and the
    documents row of each plan import that has nothing else of the municipality left in force."""
    c = imported_rows.c
    active = c.superseded_by.is_(None)
    earlier = {
        r[0]
        for r in conn.execute(
            select(c.import_id).where(active, c.table_name.in_(PLAN_TABLES), c.municipality_code == code)
        )
    }
    if not earlier:
        return
    conn.execute(
        update(imported_rows)
        .where(active, c.table_name.in_(PLAN_TABLES), c.municipality_code == code)
        .values(superseded_by=by)
    )
    for import_id in sorted(earlier):
        left = conn.execute(
            select(func.count())
            .select_from(imported_rows)
            .where(active, c.import_id == import_id, c.municipality_code == code, c.table_name != "documents")
        ).scalar_one()
        if not left:
            conn.execute(
                update(imported_rows)
                .where(
                    active, c.import_id == import_id, c.municipality_code == code, c.table_name == "documents"
                )
                .values(superseded_by=by)
            )
