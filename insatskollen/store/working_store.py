"""The working store: saved scenarios, their change log and wastebasket, imported rows, follow-up
reports and the import log. The one owner of that database; every write is a named function here, one
transaction each.

SQLAlchemy Core over SQLite (default: var/working.sqlite3, WAL) or PostgreSQL, chosen by
INSATSKOLLEN_DATABASE_URL. The schema is made only by the Alembic migrations in
insatskollen/migrations/ (run by `open_store` on every start; idempotent, serialised between
processes). The Table objects below describe that schema for building statements; a test checks that
they match the migrations.

Imported rows are kept as JSON per row (with the keys needed to find them as columns), so that a new
column in data/ needs no migration. Nothing imported is ever deleted: a later import of the same
municipality-year supersedes rows, an undo supersedes the undone import's rows and brings back the rows
it had superseded.
"""

from __future__ import annotations

import json
import os
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from insatskollen.core import na
from insatskollen.core.errors import DatabaseSettingError
from insatskollen.core.roles import Actor, as_actor

URL_ENV = "INSATSKOLLEN_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# PostgreSQL advisory locks (held to the end of a transaction)
LOCK_MIGRATE, LOCK_SCENARIO_NAMES, LOCK_IMPORTS = 7813, 7814, 7815
INDICATORS_KEY = "indicator_values"  # the key of the indicator values in imported_tables()

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
    Column("status", String(20), nullable=False),  # FOLLOW_UP_STATUSES
    Column("status_date", Date),
    Column("result", Text),
    Column("file", String(300), nullable=False),
    Column("line", Integer, nullable=False),
    Column("superseded_by", String(32), index=True),
)

FOLLOW_UP_STATUSES = ("ej påbörjad", "pågår", "genomförd", "avbruten")
FOLLOW_UP_COLUMNS = [
    "report_id",
    "municipality_code",
    "measure_id",
    "allocation_id",
    "year",
    "spent_sek",
    "status",
    "status_date",
    "result",
    "file",
    "line",
    "import_id",
    "reported_at",
    "reported_by",
    "subject",
    "email",
    "identity_kind",
]

users = Table(
    "users",
    metadata,
    Column("principal", String(320), primary_key=True),  # OIDC subject or e-mail (lower case)
    Column("role", String(20), nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime, nullable=False),
)

indicator_values = Table(  # outcome indicators (Kolada), issue 15 item 6; see migration 0004
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

store_info = Table(  # key/value facts about this store, e.g. its identity (a random id made once)
    "store_info",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

legacy_migrations = Table(
    "legacy_migrations",
    metadata,
    Column("source", String(500), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("migrated_at", DateTime, nullable=False),
    Column("summary", Text, nullable=False),
)


def utc_now() -> datetime:
    """Timestamps for saved work: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def default_url(var: Path) -> str:
    return os.environ.get(URL_ENV) or f"sqlite:///{Path(var) / 'working.sqlite3'}"


class StoreError(ValueError):
    """A write the store refuses (a name taken, a scenario that is not there); Swedish message."""


class WorkingStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        """Where the store is, for messages, without any password (also one given as ?password=…)."""
        url = self.engine.url
        query = {k: ("***" if "password" in k.lower() else v) for k, v in url.query.items()}
        return url.set(query=query).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, serialise: int | None = None) -> Iterator[Connection]:
        """One writing transaction. On SQLite it takes the write lock at BEGIN (see _sqlite_events), so
        writers queue. On PostgreSQL, `serialise` names an advisory lock held to the commit, for writes
        that check before they write (a scenario name is free; which rows an import supersedes)."""
        with self.engine.connect() as conn:
            conn.execution_options(ik_write=True)
            with conn.begin():
                if serialise is not None and self.backend == "postgresql":
                    conn.exec_driver_sql(f"select pg_advisory_xact_lock({int(serialise)})")
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # ------------------------------------------------------------ identity

    def identity(self) -> str:
        """This store's id, made once: a read store records the working store it belongs to, so that a
        command pointed at another store (a missing INSATSKOLLEN_DATABASE_URL) is refused, not misled."""
        with self._read() as conn:
            found = conn.execute(select(store_info.c.value).where(store_info.c.key == "store_id")).scalar()
        if found:
            return found
        with self._write(LOCK_MIGRATE) as conn:
            found = conn.execute(select(store_info.c.value).where(store_info.c.key == "store_id")).scalar()
            if found is None:
                found = uuid.uuid4().hex
                conn.execute(insert(store_info).values(key="store_id", value=found))
        return found

    # ------------------------------------------------------------ change detection

    def generation(self) -> int:
        """Grows with every import and undo: a process reloads its imported rows when it changes."""
        with self._read() as conn:
            return int(conn.execute(select(func.coalesce(func.max(import_log.c.seq), 0))).scalar_one())

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

    def subjects_with_email(self, email: str) -> list[str]:
        """The signed-in subjects the logs have seen with this e-mail (in any case)."""
        found: set[str] = set()
        with self._read() as conn:
            for log in (scenario_log, import_log):
                found.update(
                    conn.execute(
                        select(log.c.subject)
                        .where(
                            func.lower(log.c.email) == email.strip().lower(), log.c.identity_kind == "oidc"
                        )
                        .distinct()
                    ).scalars()
                )
        return sorted(s for s in found if s)

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

    # ------------------------------------------------------------ the role table

    def set_user_role(self, principal: str, role: str, added_by: str) -> None:
        """Give a subject or e-mail a role (replacing the role it had)."""
        key = principal.strip().lower() if "@" in principal else principal.strip()
        with self._write() as conn:
            conn.execute(delete(users).where(users.c.principal == key))
            conn.execute(
                insert(users).values(principal=key, role=role, added_by=added_by, added_at=utc_now())
            )

    def remove_user(self, principal: str) -> bool:
        key = principal.strip().lower() if "@" in principal else principal.strip()
        with self._write() as conn:
            return conn.execute(delete(users).where(users.c.principal == key)).rowcount > 0

    def user_roles(self) -> pd.DataFrame:
        c = users.c
        with self._read() as conn:
            rows = conn.execute(
                select(c.principal, c.role, c.added_by, c.added_at).order_by(c.principal)
            ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["principal", "role", "added_by", "added_at"])

    def roles_of(self, subject: str | None, email: str | None) -> tuple[str | None, str | None]:
        """The role table's rows for a subject and for an e-mail (in any case): (role by subject, role by
        e-mail), None where not listed. Whether an e-mail's row counts is auth.table_role's to say."""
        email = unicodedata.normalize("NFC", (email or "").strip().lower()) or None
        found: list[str | None] = []
        with self._read() as conn:
            for key in (subject, email):
                role = (
                    conn.execute(select(users.c.role).where(users.c.principal == key)).scalar()
                    if key
                    else None
                )
                found.append(role or None)
        return found[0], found[1]

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
    ) -> str:
        """One import, in one transaction: earlier imported rows of the same municipality-years are
        superseded, bundled frame-years listed in `replaces` are marked replaced, the rows are added and
        the import is logged. Returns the import id."""
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
            indicators = self._indicator_rows(conn)
            follow_up = _follow_up_in_force(conn)
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

    # ------------------------------------------------------------ indicator values (Kolada)

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

    def commit_follow_up(self, *, file: str, author: Actor | str, reports: list[dict]) -> str:
        """One follow-up import, in one transaction: each report (municipality_code, measure_id or
        allocation_id, year, spent_sek, status, status_date, result, line) supersedes the report in force
        for the same measure-year (or line-year), and the import is logged with who and when. Returns the
        import id; undo_last_import brings back what it superseded."""
        import_id = uuid.uuid4().hex[:12]
        now = utc_now()
        c = follow_up_reports.c
        with self._write(LOCK_IMPORTS) as conn:
            for report in reports:
                key = (
                    c.measure_id == report["measure_id"]
                    if report.get("measure_id")
                    else and_(c.measure_id.is_(None), c.allocation_id == report["allocation_id"])
                )
                conn.execute(
                    update(follow_up_reports)
                    .where(key, c.year == report["year"], c.superseded_by.is_(None))
                    .values(superseded_by=import_id)
                )
            if reports:
                conn.execute(
                    insert(follow_up_reports),
                    [
                        {
                            "import_id": import_id,
                            "municipality_code": r.get("municipality_code"),
                            "measure_id": r.get("measure_id"),
                            "allocation_id": None if r.get("measure_id") else r.get("allocation_id"),
                            "year": int(r["year"]),
                            "spent_sek": None if r.get("spent_sek") is None else int(r["spent_sek"]),
                            "status": r["status"],
                            "status_date": r.get("status_date"),
                            "result": r.get("result"),
                            "file": file,
                            "line": int(r["line"]),
                            "superseded_by": None,
                        }
                        for r in reports
                    ],
                )
            conn.execute(
                insert(import_log).values(
                    import_id=import_id,
                    file=file,
                    logged_at=now,
                    rows=len(reports),
                    action="import av uppföljning",
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

    @staticmethod
    def _indicator_rows(conn: Connection) -> pd.DataFrame:
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

    def follow_up_history(self, measure_id: str | None, allocation_id: str | None, year: int) -> pd.DataFrame:
        """Every report of one measure-year (or line-year), oldest first, superseded ones included, with
        who and when: the history of the follow-up."""
        c = follow_up_reports.c
        key = c.measure_id == measure_id if measure_id else c.allocation_id == allocation_id
        with self._read() as conn:
            rows = conn.execute(_follow_up_select().where(key, c.year == year).order_by(c.report_id)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=[*FOLLOW_UP_COLUMNS, "superseded_by"])

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

    # ------------------------------------------------------------ moving old saved work in

    def legacy_done(self, sha256: str) -> bool:
        """Whether an old file with this content was moved in before (from any path, on any machine)."""
        with self._read() as conn:
            found = conn.execute(
                select(legacy_migrations.c.source).where(legacy_migrations.c.sha256 == sha256)
            )
            return found.first() is not None

    def insert_legacy(
        self,
        *,
        source: str,
        sha256: str,
        summary: str,
        scenario_rows: list[dict],
        log_rows: list[dict],
        import_rows: list[dict],
        tables: dict[str, list[dict]],
        replaced: list[dict],
        import_id: str,
    ) -> tuple[bool, int]:
        """Everything from an old DuckDB file, in one transaction, once per content (sha256). Returns (done,
        how many of its scenarios were already there by id and kept as they are); (False, 0) if done before."""
        with self._write(LOCK_IMPORTS) as conn:
            c = legacy_migrations.c
            if conn.execute(select(c.source).where(c.sha256 == sha256)).first():
                return False, 0
            existing = {r[0] for r in conn.execute(select(scenarios.c.scenario_id))}
            fresh = [r for r in scenario_rows if r["scenario_id"] not in existing]
            if fresh:
                conn.execute(insert(scenarios), fresh)
            logs = [r for r in log_rows if r["scenario_id"] not in existing]
            if logs:
                conn.execute(insert(scenario_log), logs)
            if import_rows:
                conn.execute(insert(import_log), import_rows)
            batch = [_row_record(import_id, table, row) for table, items in tables.items() for row in items]
            if batch:
                conn.execute(insert(imported_rows), batch)
            if replaced:
                conn.execute(insert(replaced_frame_years), replaced)
            conn.execute(
                insert(legacy_migrations).values(
                    source=source, sha256=sha256, migrated_at=utc_now(), summary=summary
                )
            )
        return True, len(scenario_rows) - len(fresh)


# ------------------------------------------------------------------ helpers (inside a transaction)


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


def _follow_up_select():
    """The follow-up reports with who imported them and when (their import's log entry)."""
    c, log = follow_up_reports.c, import_log.c
    return select(
        c.report_id,
        c.municipality_code,
        c.measure_id,
        c.allocation_id,
        c.year,
        c.spent_sek,
        c.status,
        c.status_date,
        c.result,
        c.file,
        c.line,
        c.import_id,
        log.logged_at,
        log.author,
        log.subject,
        log.email,
        log.identity_kind,
        c.superseded_by,
    ).join_from(follow_up_reports, import_log, and_(log.import_id == c.import_id, log.action.like("import%")))


def _follow_up_in_force(conn: Connection) -> pd.DataFrame:
    c = follow_up_reports.c
    rows = conn.execute(_follow_up_select().where(c.superseded_by.is_(None)).order_by(c.report_id)).all()
    return pd.DataFrame([tuple(r)[:-1] for r in rows], columns=FOLLOW_UP_COLUMNS)


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


def _json_value(value):
    if na.missing(value):  # None, or NaN, NA or NaT from pandas: unknown
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


# ------------------------------------------------------------------ opening


def _sqlite_events(engine: Engine) -> None:
    """WAL (readers never wait for the writer), full fsync at commit, a busy timeout instead of an
    immediate 'database is locked', and BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("pragma busy_timeout = 30000")
        cursor.execute("pragma journal_mode = wal")
        cursor.execute("pragma synchronous = full")
        cursor.execute("pragma foreign_keys = on")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("begin immediate" if conn.get_execution_options().get("ik_write") else "begin")


def create(url: str) -> WorkingStore:
    """An engine for `url` (not yet migrated); a bad URL or an unreachable server is a Swedish message."""
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if not path or path == ":memory:" or "mode=memory" in url:
                raise DatabaseSettingError(
                    f"{URL_ENV} pekar på en SQLite-databas i minnet ({url}), som försvinner när processen slutar: "
                    "sparat arbete skulle gå förlorat. Ange en fil, t.ex. sqlite:////var/lib/insatskollen/working.sqlite3."
                )
            if path:
                folder = Path(path).parent
                if not folder.is_dir():
                    raise DatabaseSettingError(
                        f"Mappen {folder} för arbetsdatabasen finns inte ({URL_ENV}). Skapa mappen eller välj en "
                        "annan sökväg; ingenting har skapats."
                    )
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            _sqlite_events(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except (ArgumentError, ValueError) as error:
        raise DatabaseSettingError(
            f"{URL_ENV} är ingen giltig databasadress ({str(error).splitlines()[0]}). Exempel: "
            "postgresql+psycopg://användare@värd:5432/insatskollen"
        ) from error
    except ModuleNotFoundError as error:
        raise DatabaseSettingError(f"{URL_ENV}: drivrutinen {error.name} är inte installerad.") from error
    return WorkingStore(engine)


def open_store(url: str) -> WorkingStore:
    """Create the engine and bring the schema to the newest migration."""
    store = create(url)
    try:
        migrate(store)
    except OperationalError as error:
        store.dispose()
        raise DatabaseSettingError(
            f"Arbetsdatabasen {store.describe()} kan inte nås: {str(error.orig).strip().splitlines()[0]}"
        ) from error
    except SQLAlchemyError as error:
        store.dispose()
        raise DatabaseSettingError(
            f"Arbetsdatabasen {store.describe()} kan inte användas: {error}"
        ) from error
    return store


def migrate(store: WorkingStore) -> None:
    """Alembic upgrade to head, in one transaction; concurrent starts wait for each other (SQLite: the
    write lock taken by BEGIN IMMEDIATE; PostgreSQL: an advisory lock)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store._write(serialise=LOCK_MIGRATE) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
