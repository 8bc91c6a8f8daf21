"""The one owner of the DuckDB connection. Nothing else opens the database.

One connection per process; every query runs on its own cursor so that threads
(Streamlit sessions) do not share a result set.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from insatskollen import build as build_module
from insatskollen import queries
from insatskollen.errors import DatabaseBusyError, DatabaseSettingError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = PROJECT_DIR / "var" / "insatskollen.duckdb"
DB_ENV = "INSATSKOLLEN_DB"
DATA_ENV = "INSATSKOLLEN_DATA"
RESERVED_NAMES = {"app", "bundled", "imported", "model", "main", "memory", "system", "temp"}


def utc_now() -> datetime:
    """Timestamps for saved work: naive UTC (DuckDB would need pytz to return time zones)."""
    return datetime.now(UTC).replace(tzinfo=None)


def default_path() -> Path:
    """The database file: $INSATSKOLLEN_DB if set, else var/insatskollen.duckdb in the project."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def default_data_dir() -> Path:
    """The CSV folder the database is built from: $INSATSKOLLEN_DATA if set (e.g. the synthetic
    national data), else data/ in the project."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


class Database:
    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None):
        self.con = con
        self.path = path
        self._write_lock = threading.Lock()
        self._version: str | None = None

    @classmethod
    def open(cls, path: Path | str | None = None) -> Database:
        """Open (or create) the database file; ':memory:' gives a throwaway database."""
        if str(path) == ":memory:":
            return cls(duckdb.connect(":memory:"), None)
        target = Path(path) if path else default_path()
        if target.stem.lower() in RESERVED_NAMES:
            # DuckDB names the catalog after the file; it would shadow our schemas of the same name.
            raise DatabaseBusyError(
                f"Databasfilen får inte heta {target.name}: namnet krockar med en intern del av databasen. "
                "Välj ett annat filnamn, t.ex. insatskollen.duckdb."
            )
        _check_path(target, explicit=path is not None or bool(os.environ.get(DB_ENV)))
        try:
            con = duckdb.connect(str(target))
        except duckdb.IOException as exc:
            raise DatabaseBusyError(_busy_message(target, exc)) from exc
        return cls(con, target)

    def close(self) -> None:
        self.con.close()

    # ------------------------------------------------------------ reading

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run the named query from `queries/` with bound parameters; returns a DataFrame."""
        q = queries.get(name)
        cur = self.con.cursor()
        try:
            return cur.execute(q.sql, q.bind(params)).df()
        finally:
            cur.close()

    def scalar(self, sql: str, params: dict | None = None):
        cur = self.con.cursor()
        try:
            row = cur.execute(sql, params or {}).fetchone()
            return row[0] if row else None
        finally:
            cur.close()

    # ------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One writer at a time in this process; commit on success, roll back on any error."""
        with self._write_lock:
            cur = self.con.cursor()
            cur.execute("begin transaction")
            try:
                yield cur
                cur.execute("commit")
            except BaseException:
                cur.execute("rollback")
                raise
            finally:
                cur.close()

    # ------------------------------------------------------------ building

    def bundled_version(self) -> str | None:
        try:
            return self.scalar("select data_version from bundled.build_info")
        except duckdb.CatalogException:
            return None

    def built_version(self) -> str | None:
        """The version of all data the pages show: the bundled build plus the number of imports and undos.
        Remembered; writes through this object forget it. Caches and saved scenarios key on it."""
        if self._version is None:
            bundled = self.bundled_version()
            if bundled is None:
                return None
            try:
                imports = self.scalar("select count(*) from app.imports")
            except duckdb.CatalogException:
                imports = 0
            self._version = f"{bundled}+{imports}" if imports else bundled
        return self._version

    def forget_version(self) -> None:
        self._version = None

    def build(self, data_dir: Path = DATA_DIR) -> build_module.BuildResult:
        with self._write_lock:
            result = build_module.build(self.con, data_dir)
            self._version = None
            return result

    def ensure_built(self, data_dir: Path = DATA_DIR) -> None:
        """Build when the bundled data is missing or older than the CSVs in `data_dir`; refresh the model
        tables, macros and views when the database was made by older code (same data, new SQL)."""
        if self.bundled_version() != build_module.data_version(Path(data_dir)):
            self.build(data_dir)
        elif self.model_version() != build_module.model_version():
            with self.transaction() as cur:
                build_module.refresh_models(cur)

    def model_version(self) -> str | None:
        try:
            return self.scalar("select model_version from model.version")
        except duckdb.CatalogException:
            return None

    def lock_down(self) -> None:
        """After loading: no file access from SQL (read_csv, COPY, ATTACH …) and no changing that back."""
        if self.scalar("select current_setting('lock_configuration')"):
            return  # already locked: DuckDB shares one instance per file within a process
        self.con.execute("set enable_external_access = false")
        self.con.execute("set lock_configuration = true")


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def _check_path(target: Path, explicit: bool) -> None:
    """Refuse a path that cannot be our database, before DuckDB creates or misreads anything.
    Only the default var/ folder is created; a path someone chose must already have its folder."""
    where = f"{DB_ENV} eller --db" if explicit else "standardsökvägen"
    if target.is_dir():
        raise DatabaseSettingError(
            f"{target} är en mapp, inte en databasfil ({where}). Ange en fil, t.ex. {target / 'insatskollen.duckdb'}."
        )
    if not target.parent.is_dir():
        if explicit:
            raise DatabaseSettingError(
                f"Mappen {target.parent} finns inte ({where}). Skapa mappen eller välj en annan sökväg; "
                "ingenting har skapats."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and target.stat().st_size > 0:
        with target.open("rb") as handle:
            head = handle.read(12)
        if head[8:12] != DUCKDB_MAGIC:
            raise DatabaseSettingError(
                f"{target} är ingen DuckDB-databas ({where}). Filen har inte ändrats; välj en annan sökväg "
                "eller flytta filen."
            )


def _busy_message(path: Path, exc: Exception) -> str:
    pid = re.search(r"PID (\d+)", str(exc))
    who = f" (process {pid.group(1)})" if pid else ""
    return (
        f"Databasen {path} används av en annan process{who}, troligen den körande appen. "
        "Stoppa appen och försök igen, eller peka ut en annan fil med INSATSKOLLEN_DB."
    )
