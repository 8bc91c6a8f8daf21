"""Opening the working store: the URL (INSATSKOLLEN_DATABASE_URL; default var/working.sqlite3), the
engine's settings (SQLite: WAL, full fsync, BEGIN IMMEDIATE; PostgreSQL: a pool), the Alembic migrations
run on every start, and `WorkingStore`: the engine with every feature's statements.

The working store holds saved scenarios, their change log and wastebasket, imported rows, follow-up
reports, indicator values, the role table and the import log. It is the one owner of that database;
every write is a named method of a feature module (scenarios, users, imports, follow_up, indicators),
one transaction each (base.StoreBase._write).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from insatskollen.core.errors import DatabaseSettingError
from insatskollen.store.working.base import LOCK_MIGRATE
from insatskollen.store.working.follow_up import FollowUp
from insatskollen.store.working.imports import Imports
from insatskollen.store.working.indicators import Indicators
from insatskollen.store.working.scenarios import Scenarios
from insatskollen.store.working.users import Users

URL_ENV = "INSATSKOLLEN_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


class WorkingStore(Scenarios, Users, Imports, FollowUp, Indicators):
    """The working store: one engine, every feature's reads and writes (each in its own module)."""


def default_url(var: Path) -> str:
    return os.environ.get(URL_ENV) or f"sqlite:///{Path(var) / 'working.sqlite3'}"


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


def head_revision() -> str:
    """The newest migration's revision, read from the files in migrations/versions (the one no other names as
    its down_revision), without importing Alembic."""
    import re

    revisions, downs = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(re.findall(r'^revision = "([^"]+)"', source, re.M))
        downs.update(re.findall(r'^down_revision = "([^"]+)"', source, re.M))
    [head] = revisions - downs
    return head


def _at_head(store: WorkingStore) -> bool:
    """Whether the schema is at the newest migration already: one read, so a server's start imports Alembic
    (~12 MB of the process, issue 25) only when there is something to migrate."""
    version = Table("alembic_version", MetaData(), Column("version_num", String))
    try:
        with store.engine.connect() as conn:
            return list(conn.execute(select(version.c.version_num)).scalars()) == [head_revision()]
    except SQLAlchemyError:  # a new database: no table yet
        return False


def migrate(store: WorkingStore) -> None:
    """Alembic upgrade to head, in one transaction; concurrent starts wait for each other (SQLite: the
    write lock taken by BEGIN IMMEDIATE; PostgreSQL: an advisory lock). Nothing, and no Alembic, when the
    schema is at head already."""
    if _at_head(store):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store._write(serialise=LOCK_MIGRATE) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
