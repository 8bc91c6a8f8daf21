"""The one write primitive every feature of the working store builds on: a transaction (`_write`), a read
connection (`_read`), the advisory locks that serialise writes that check before they write, the refusal
(StoreError) and the store's own identity.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from insatskollen.store.working.tables import store_info

# PostgreSQL advisory locks (held to the end of a transaction)
LOCK_MIGRATE, LOCK_SCENARIO_NAMES, LOCK_IMPORTS = 7813, 7814, 7815


def utc_now() -> datetime:
    """Timestamps for saved work: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class StoreError(ValueError):
    """A write the store refuses (a name taken, a scenario that is not there); Swedish message."""


class StoreBase:
    """An engine and the transactions on it; each feature's statements are a subclass (engine.WorkingStore)."""

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
