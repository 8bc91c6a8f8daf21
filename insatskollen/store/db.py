"""How the rest of the code reaches the two stores: `Database` reads through a snapshot of the read
store (read_store.py) and writes through the working store (store/working/).

One `Stores` per process (cached by the app); `Database` is a view on it. A view made with `pinned()`
keeps one snapshot for its whole life, which the app uses so that a rerun in progress finishes on
the data it started with; an unpinned view follows the newest snapshot. A process notices a newly
published read store or new imported rows (another server, the command line) at most `POLL_SECONDS`
after they land, and switches on the next rerun without a restart.

Settings (environment):
    INSATSKOLLEN_VAR           folder for local state (default <project>/var)
    INSATSKOLLEN_READ_STORE    folder of the published read store (default $INSATSKOLLEN_VAR/read)
    INSATSKOLLEN_DATABASE_URL  the working store (default sqlite:///$INSATSKOLLEN_VAR/working.sqlite3)
    INSATSKOLLEN_DATA          the CSV folder the read store is built from (default data/)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

from insatskollen.core.errors import DatabaseBusyError, DatabaseSettingError
from insatskollen.store import build as build_module
from insatskollen.store.read_store import Published, ReadStore
from insatskollen.store.snapshot import Snapshot
from insatskollen.store.working.engine import WorkingStore, default_url, open_store

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_VAR = PROJECT_DIR / "var"
VAR_ENV = "INSATSKOLLEN_VAR"
READ_ENV = "INSATSKOLLEN_READ_STORE"
DATA_ENV = "INSATSKOLLEN_DATA"
POLL_SECONDS = 1.0


def default_var() -> Path:
    return Path(os.environ.get(VAR_ENV) or DEFAULT_VAR)


def default_data_dir() -> Path:
    """The CSV folder the read store is built from: $INSATSKOLLEN_DATA if set (e.g. the synthetic
    national data), else data/ in the project."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


class Stores:
    """The process's working store and read store, and the current snapshot of what pages show."""

    def __init__(self, work: WorkingStore, read: ReadStore, var: Path, temporary: bool = False):
        self.work = work
        self.read = read
        self.var = var
        self._temporary = temporary
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._seen: tuple | None = None

    def current(self, force: bool = False) -> Snapshot:
        """The newest snapshot; looks for a new publication or new imported rows at most every
        POLL_SECONDS (or now, with force)."""
        now = time.monotonic()
        snapshot = self._snapshot
        if snapshot is not None and not force and now - self._checked < POLL_SECONDS:
            return snapshot
        with self._lock:
            if self._snapshot is not None and not force and time.monotonic() - self._checked < POLL_SECONDS:
                return self._snapshot
            seen = (self.read.pointer_stamp(), self.work.generation())
            if self._snapshot is None or seen != self._seen:
                if seen[0] is None:
                    raise DatabaseSettingError(
                        f"Läsdatabasen i {self.read.folder} är inte byggd. Kör: python -m insatskollen build"
                    )
                published, fd = self.read.open_current()
                generation, imported = self.work.imported_tables()
                self._snapshot = Snapshot(published, fd, generation, imported)
                self._seen = (self.read.pointer_stamp(), generation)
                self.read.remove_unused()  # the old snapshot may still be read by a rerun: then it stays
            self._checked = time.monotonic()
            return self._snapshot

    def close(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None
        self.work.dispose()
        if self._temporary:
            shutil.rmtree(self.var, ignore_errors=True)


class Database:
    """Reading (named queries over a snapshot) and the working store, for pages, commands and tests."""

    def __init__(self, stores: Stores, snapshot: Snapshot | None = None):
        self.stores = stores
        self._pinned = snapshot

    @classmethod
    def open(
        cls,
        var: Path | str | None = None,
        *,
        database_url: str | None = None,
        read_store: Path | None = None,
        bind: bool = False,
    ) -> Database:
        """The stores under `var` (default $INSATSKOLLEN_VAR or var/); ':memory:' gives a throwaway
        folder removed on close. Migrates the working store's schema."""
        temporary = str(var) == ":memory:"
        if temporary:
            folder = Path(tempfile.mkdtemp(prefix="insatskollen-"))
            url = database_url or f"sqlite:///{folder / 'working.sqlite3'}"
        else:
            explicit = var is not None or bool(os.environ.get(VAR_ENV))
            folder = Path(var) if var is not None else default_var()
            _check_var(folder, explicit)
            url = database_url or default_url(folder)
        read = ReadStore(
            read_store or (Path(os.environ[READ_ENV]) if os.environ.get(READ_ENV) else folder / "read")
        )
        read.ensure_folder()
        work = open_store(url)
        _check_binding(read, work, bind)
        stores = Stores(work, read, folder, temporary=temporary)
        return cls(stores)

    def pinned(self) -> Database:
        """A view that keeps today's snapshot: one rerun reads one version of the data."""
        return Database(self.stores, self.stores.current())

    @property
    def work(self) -> WorkingStore:
        return self.stores.work

    @property
    def snapshot(self) -> Snapshot:
        return self._pinned or self.stores.current()

    def after_write(self) -> None:
        """After an import or undo through this process: see it now (a pinned view moves too)."""
        snapshot = self.stores.current(force=True)
        if self._pinned is not None:
            self._pinned = snapshot

    def close(self) -> None:
        self._pinned = None
        self.stores.close()

    # ------------------------------------------------------------ reading

    @property
    def con(self):
        """The snapshot's DuckDB connection: for tests and the read-store owner only."""
        return self.snapshot.con

    def query(self, name: str, **params) -> pd.DataFrame:
        return self.snapshot.query(name, **params)

    def scalar(self, sql: str, params: dict | None = None):
        return self.snapshot.scalar(sql, params)

    def built_version(self) -> str | None:
        """The version of all data the pages show (published read store + import generation)."""
        return self.snapshot.version

    # ------------------------------------------------------------ building

    def build(self, data_dir: Path = DATA_DIR) -> Published:
        """Publish a new read store from data_dir; DataError and nothing published if it is invalid."""
        published = self.stores.read.publish(Path(data_dir))
        self.after_write()
        return published

    def ensure_built(self, data_dir: Path = DATA_DIR) -> None:
        """Publish when nothing is published yet or the CSVs in data_dir changed since."""
        read = self.stores.read
        try:
            current = read.current()
        except DatabaseSettingError:
            current = None  # a damaged pointer: publish anew
        fresh = current is not None and current.data_version == build_module.data_version(Path(data_dir))
        if not fresh or not read.readable(current):
            read.publish(Path(data_dir), only_if_changed=True)
            self.after_write()


def _check_binding(read: ReadStore, work: WorkingStore, bind: bool) -> None:
    """A read store belongs to the working store its servers use. A process that opens it with another
    working store (e.g. a command run without the servers' INSATSKOLLEN_DATABASE_URL) would write where no
    server reads: refused. The first opener, and `build` (bind=True), record the pairing."""
    identity = work.identity()
    bound = read.binding()
    if bound is None or bind:
        read.bind(identity, work.describe())
    elif bound.get("id") != identity:
        work.dispose()
        raise DatabaseSettingError(
            f"Läsdatabasen i {read.folder} används tillsammans med arbetsdatabasen {bound.get('store')}, men "
            f"det här kommandot skulle använda {work.describe()}. Ange samma INSATSKOLLEN_DATABASE_URL som "
            "servrarna (se deploy/environment.md). Kommandot har inte körts. Ska läsdatabasen i stället höra till "
            "den här arbetsdatabasen: kör python -m insatskollen build med den."
        )


def _check_var(folder: Path, explicit: bool) -> None:
    """Refuse a var folder that cannot be one, before anything is created. Only the default var/ is created."""
    where = f"{VAR_ENV}" if explicit else "standardsökvägen"
    if folder.exists() and not folder.is_dir():
        raise DatabaseSettingError(
            f"{folder} är en fil, inte en mapp ({where}). Ange en mapp för Insatskollens data; ingenting har ändrats."
        )
    if not folder.exists():
        if explicit and not folder.parent.is_dir():
            raise DatabaseSettingError(
                f"Mappen {folder.parent} finns inte ({where}). Skapa mappen eller välj en annan sökväg; "
                "ingenting har skapats."
            )
        folder.mkdir(parents=True, exist_ok=True)


__all__ = [
    "DATA_DIR",
    "Database",
    "DatabaseBusyError",
    "Stores",
    "default_data_dir",
    "default_var",
]
