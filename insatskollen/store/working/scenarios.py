"""Saved scenarios in the working store: writes (new, changed, renamed, into and out of the wastebasket,
emptied), each with its change-log entries in the same transaction, and reads."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from insatskollen.core.roles import Actor, as_actor
from insatskollen.store.working.base import LOCK_SCENARIO_NAMES, StoreBase, StoreError
from insatskollen.store.working.tables import scenario_log, scenarios


class Scenarios(StoreBase):
    # ------------------------------------------------------------ scenarios: writes

    def insert_scenario(self, row: dict, log: list[tuple[datetime, Actor | str, str, str]]) -> None:
        """A new scenario and its log entries (logged_at, author, action, detail), together or not at all."""
        with self._write(LOCK_SCENARIO_NAMES) as conn:
            _check_unique(conn, row["name"])  # under LOCK_SCENARIO_NAMES
            conn.execute(insert(scenarios).values(**row))
            _insert_log(conn, row["scenario_id"], log)

    def update_scenario(
        self, scenario_id: str, values: dict, log: list[tuple[datetime, Actor | str, str, str]]
    ) -> None:
        with self._write() as conn:
            _require(conn, scenario_id)
            conn.execute(update(scenarios).where(scenarios.c.scenario_id == scenario_id).values(**values))
            _insert_log(conn, scenario_id, log)

    def rename_scenario(self, scenario_id: str, name: str, at: datetime, author: Actor | str) -> None:
        with self._write(LOCK_SCENARIO_NAMES) as conn:
            old = _require(conn, scenario_id)
            _check_unique(conn, name, except_id=scenario_id)
            conn.execute(
                update(scenarios)
                .where(scenarios.c.scenario_id == scenario_id)
                .values(name=name, updated_at=at)
            )
            _insert_log(conn, scenario_id, [(at, author, "bytte namn", f"”{old}” → ”{name}”")])

    def delete_scenario(self, scenario_id: str, at: datetime, author: Actor | str) -> None:
        """Soft delete: into the wastebasket, restorable."""
        with self._write() as conn:
            _require(conn, scenario_id)
            conn.execute(
                update(scenarios).where(scenarios.c.scenario_id == scenario_id).values(deleted_at=at)
            )
            _insert_log(
                conn, scenario_id, [(at, author, "tog bort", "Flyttade scenariot till papperskorgen")]
            )

    def restore_scenario(self, scenario_id: str, at: datetime, author: Actor | str) -> None:
        with self._write(LOCK_SCENARIO_NAMES) as conn:
            name = _require(conn, scenario_id, deleted=True)
            _check_unique(conn, name, except_id=scenario_id)
            conn.execute(
                update(scenarios).where(scenarios.c.scenario_id == scenario_id).values(deleted_at=None)
            )
            _insert_log(
                conn, scenario_id, [(at, author, "återställde", "Återställde scenariot från papperskorgen")]
            )

    # ------------------------------------------------------------ scenarios: reads

    def list_scenarios(self, deleted: bool = False) -> pd.DataFrame:
        c = scenarios.c
        where = c.deleted_at.is_not(None) if deleted else c.deleted_at.is_(None)
        stmt = (
            select(
                c.scenario_id,
                c.name,
                c.frame_id,
                c.year,
                c.author,
                c.comment,
                c.created_at,
                c.updated_at,
                c.data_version,
                c.deleted_at,
                c.owner_subject,
            )
            .where(where)
            .order_by(c.updated_at.desc(), c.scenario_id)
        )
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(
            [tuple(r) for r in rows],
            columns=[
                "scenario_id",
                "name",
                "frame_id",
                "year",
                "author",
                "comment",
                "created_at",
                "updated_at",
                "data_version",
                "deleted_at",
                "owner_subject",
            ],
        )

    def scenario_row(self, scenario_id: str) -> dict | None:
        with self._read() as conn:
            row = (
                conn.execute(select(scenarios).where(scenarios.c.scenario_id == scenario_id))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def scenario_log_rows(self, scenario_id: str) -> pd.DataFrame:
        c = scenario_log.c
        stmt = (
            select(c.logged_at, c.author, c.action, c.detail, c.subject, c.email, c.identity_kind)
            .where(c.scenario_id == scenario_id)
            .order_by(c.logged_at, c.log_id)
        )
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(
            [tuple(r) for r in rows],
            columns=["logged_at", "author", "action", "detail", "subject", "email", "identity_kind"],
        )

    def add_log_entry(
        self, scenario_id: str, at: datetime, author: Actor | str, action: str, detail: str
    ) -> None:
        """One entry in a scenario's change log (a comment), without changing the scenario."""
        with self._write() as conn:
            _require(conn, scenario_id)
            _insert_log(conn, scenario_id, [(at, author, action, detail)])

    def empty_wastebasket(self, at: datetime, author: Actor | str) -> int:
        """Delete the scenarios in the wastebasket for good; their change logs stay, each with an entry
        saying who emptied it. Returns how many were deleted."""
        with self._write() as conn:
            gone = [
                r[0]
                for r in conn.execute(
                    select(scenarios.c.scenario_id).where(scenarios.c.deleted_at.is_not(None))
                )
            ]
            for scenario_id in gone:
                _insert_log(
                    conn, scenario_id, [(at, author, "tömde papperskorgen", "Raderade scenariot för gott")]
                )
            if gone:
                conn.execute(delete(scenarios).where(scenarios.c.scenario_id.in_(gone)))
        return len(gone)

    def scenario_id_named(self, name: str) -> str | None:
        """The saved scenario (not in the wastebasket) with this name, in any case; None if there is none."""
        c = scenarios.c
        with self._read() as conn:
            return conn.execute(
                select(c.scenario_id).where(
                    func.lower(c.name) == name.strip().lower(), c.deleted_at.is_(None)
                )
            ).scalar()

    def set_scenario_owner(
        self, scenario_id: str, subject: str, at: datetime, author: Actor | str, detail: str
    ) -> None:
        """Give a saved scenario an owner (the one signed-in subject who may change it), logged."""
        with self._write() as conn:
            _require(conn, scenario_id)
            conn.execute(
                update(scenarios).where(scenarios.c.scenario_id == scenario_id).values(owner_subject=subject)
            )
            _insert_log(conn, scenario_id, [(at, author, "bytte ägare", detail)])


def _check_unique(conn: Connection, name: str, except_id: str | None = None) -> None:
    c = scenarios.c
    taken = conn.execute(
        select(func.count()).where(
            func.lower(c.name) == name.lower(), c.deleted_at.is_(None), c.scenario_id != (except_id or "")
        )
    ).scalar_one()
    if taken:
        raise StoreError(f"Det finns redan ett scenario som heter ”{name}”. Välj ett annat namn.")


def _require(conn: Connection, scenario_id: str, deleted: bool = False) -> str:
    c = scenarios.c
    where = c.deleted_at.is_not(None) if deleted else c.deleted_at.is_(None)
    name = conn.execute(select(c.name).where(c.scenario_id == scenario_id, where)).scalar()
    if name is None:
        place = "i papperskorgen" if deleted else "bland sparade scenarier"
        raise StoreError(f"Scenariot {scenario_id} finns inte {place}.")
    return name


def _insert_log(
    conn: Connection, scenario_id: str, log: list[tuple[datetime, Actor | str, str, str]]
) -> None:
    if log:
        conn.execute(
            insert(scenario_log),
            [
                {
                    "scenario_id": scenario_id,
                    "logged_at": at,
                    "action": action,
                    "detail": detail,
                    **as_actor(author).log_values(),
                }
                for at, author, action, detail in log
            ],
        )
