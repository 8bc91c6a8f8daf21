"""A snapshot: one consistent view for reading, per process. An in-memory DuckDB attaches the published
read-store file READ_ONLY as `bundled`, loads the imported rows from the working store into `imported`
(imported_rows.py), and puts the model tables over both (model.snapshot_models).

Why attach into memory rather than open the file itself: the imported rows come from the working store
(SQLite or PostgreSQL, shared by every server) and must sit beside the bundled data, which a read-only
file cannot hold; and a new import then costs a reload of a few thousand rows in each process instead of
a rebuild and republish of the whole file.

Also here: the bounds of DuckDB's memory per process and of the `sql` command (`Snapshot.select`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading

import duckdb
import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.errors import DatabaseSettingError
from insatskollen.store import model, queries
from insatskollen.store.imported_rows import load_imported
from insatskollen.store.read_store import Published, ReadStore


class SelectOutOfMemory(MemoryError):
    """A `select` DuckDB could not hold in its memory (the caller words it: it knows its own bounds)."""


class SelectFailed(Exception):
    """A `select` DuckDB refused while running; the message is DuckDB's first line."""


# DuckDB's working memory per server process (hash tables of the aggregations, the read store's cached blocks);
# beyond it, a query spills to a temporary folder instead of growing the process. Unbounded, ten sessions
# aggregating the national data at once took a process to 770 MB, and the allocator kept most of it
# (issue 16: under 600 MB per process). An administrator can change it (DuckDB's syntax: 512MB, 1GB).
MEMORY_LIMIT_VARIABLE = "INSATSKOLLEN_DUCKDB_MEMORY"
DEFAULT_MEMORY_LIMIT = "256MB"


# At most this many page queries run at once in a process: DuckDB already spreads one query over every core,
# so more at once add no speed, only memory (each holds its hash tables and its result). Ten sessions
# aggregating the national data at once otherwise each held theirs.
_RUNNING = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|KIB|MIB|GIB)", re.IGNORECASE)
_BYTES = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}
SMALLEST_MEMORY_LIMIT = 128 * 2**20  # below it the pages' national queries cannot run at all


# Bounds of the `sql` command (Snapshot.select): rows and bytes of text it converts and prints, and the
# longest time limit it accepts (a query always has one).
MAX_SELECT_ROWS = 2_000_000
MAX_SELECT_BYTES = 100 * 2**20
MAX_SELECT_SECONDS = 3600


def memory_limit() -> str:
    """The limit from INSATSKOLLEN_DUCKDB_MEMORY: a size (256MB, 1GB), at least 128 MB; DuckDB's other forms
    ('80%', '-1' for none) are refused, since they lift the bound without saying so."""
    value = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip() or DEFAULT_MEMORY_LIMIT
    size = _SIZE.fullmatch(value)
    if size is None or float(size.group(1)) * _BYTES[size.group(2).upper()] < SMALLEST_MEMORY_LIMIT:
        raise DatabaseSettingError(
            f"{MEMORY_LIMIT_VARIABLE}={value[:40]!r} är ingen minnesgräns som Insatskollen kan använda: skriv en "
            "storlek på minst 128MB, t.ex. 256MB eller 1GB."
        )
    return value


class Snapshot:
    """One consistent view for reading: a published file plus the imported rows of one working-store
    generation, in a private in-memory DuckDB. Never changes; a newer one replaces it."""

    def __init__(
        self, published: Published, lock_fd: int, generation: int, imported: dict[str, pd.DataFrame]
    ):
        self.published = published
        self.generation = generation
        self._lock_fd = lock_fd
        self._spill = tempfile.mkdtemp(
            prefix="insatskollen-duckdb-"
        )  # this snapshot's own: processes share /tmp
        self.con = duckdb.connect(":memory:")
        try:
            self.con.execute("set autoinstall_known_extensions = false")
            self.con.execute("set autoload_known_extensions = false")
            self.con.execute("set memory_limit = $limit", {"limit": memory_limit()})
            self.con.execute("set temp_directory = $folder", {"folder": self._spill})
            try:
                self.con.execute("attach $path as bundled (read_only)", {"path": str(published.path)})
                self.con.execute(queries.statement("snapshot/published")).fetchone()
            except duckdb.Error as error:
                raise DatabaseSettingError(
                    f"Läsdatabasen {published.path} kan inte läsas ({str(error).splitlines()[0]}). "
                    "Kör python -m insatskollen build."
                ) from error
            load_imported(self.con, imported)
            model.snapshot_models(self.con, imported)
            self.con.execute("set enable_external_access = false")
            self.con.execute("set lock_configuration = true")
        except BaseException:
            self.close()
            raise

    @property
    def version(self) -> str:
        """What the pages show: the published version plus the working store's import generation.
        Caches and saved scenarios key on it."""
        base = self.published.data_version
        return f"{base}+{self.generation}" if self.generation else base

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run the named query from `queries/` with bound parameters; returns a DataFrame."""
        q = queries.get(name)
        with _RUNNING:
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

    def select(
        self,
        sql: str,
        max_rows: int = MAX_SELECT_ROWS,
        timeout: float = 120,
        max_bytes: int = MAX_SELECT_BYTES,
    ) -> tuple[list[str], list[tuple]]:
        """One read-only statement (the `sql` command): refused unless it is a single SELECT, stopped after
        `timeout` seconds and refused beyond `max_rows` rows or `max_bytes` bytes of text, so that a mistaken
        query costs bounded time and memory. Returns the column names and the rows as Python values (whole
        numbers stay whole, NULL None). DuckDB's own copy of the result is bounded by the caller (the CLI
        caps the process's memory while it runs)."""
        try:
            statements = self.con.extract_statements(sql)
        except (TypeError, UnicodeError) as error:
            raise ValueError(
                "Frågan innehåller tecken som inte kan läsas (kontrollera teckenkodningen)."
            ) from error
        except duckdb.Error as error:
            raise ValueError(
                f"Frågan kunde inte tolkas. DuckDB svarar: {str(error).splitlines()[0]}"
            ) from error
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise ValueError("Frågan måste vara en enda SELECT-sats (bara läsning).")
        cur = self.con.cursor()
        timer = threading.Timer(timeout, cur.interrupt)
        timer.start()
        try:
            cur.execute(sql)
            columns = [d[0] for d in cur.description]
            rows = _fetch_bounded(cur, max_rows, max_bytes)
        except duckdb.InterruptException as error:
            seconds = f"{timeout:g}".replace(".", ",")
            raise ValueError(
                f"Frågan avbröts efter {seconds} sekunder. Begränsa den, eller ge mer tid med --tidsgrans "
                f"(högst {fmt.number(MAX_SELECT_SECONDS)})."
            ) from error
        except duckdb.OutOfMemoryException as error:
            raise SelectOutOfMemory(str(error)) from error
        except duckdb.Error as error:
            raise SelectFailed(str(error).strip().splitlines()[0]) from error
        finally:
            timer.cancel()
            cur.close()
        return columns, rows

    def close(self) -> None:
        """Close the connection and let go of the file; an old version nobody else reads is removed."""
        try:
            self.con.close()
        finally:
            shutil.rmtree(self._spill, ignore_errors=True)
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # releases the shared flock
                self._lock_fd = None
                ReadStore(self.published.path.parent).remove_unused()

    def __del__(self):  # the last rerun using an old snapshot lets it go
        with contextlib.suppress(Exception):  # at interpreter shutdown
            self.close()


def _fetch_bounded(cur, max_rows: int, max_bytes: int) -> list[tuple]:
    """The result's rows as Python values, fetched a batch at a time so that no more than one batch beyond
    `max_rows` rows or `max_bytes` bytes of text is ever converted. A batch holds about 1 MB, judged by the
    last one (a row of one 100 MB text comes alone after a batch of one); its size is that of its printed
    form (repr, in UTF-8), measured in one call per batch."""
    rows: list[tuple] = []
    size, batch = 0, 64
    while True:
        fetched = cur.fetchmany(min(batch, max_rows + 1 - len(rows)))
        if not fetched:
            return rows
        text = repr(fetched)
        fetched_bytes = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        del text
        size += fetched_bytes
        if size > max_bytes:
            raise ValueError(
                f"Frågan ger mer än {fmt.number(max_bytes // 2**20)} MB text, det mesta som sql skriver ut. "
                "Begränsa den (färre kolumner, kortare texter eller limit), eller hämta resultatet i delar "
                "med limit och offset."
            )
        rows += fetched
        if len(rows) > max_rows:
            more = "" if max_rows >= MAX_SELECT_ROWS else ", eller tillåt fler med --max-rader"
            raise ValueError(
                f"Frågan ger fler än {fmt.number(max_rows)} rader. Begränsa den (t.ex. med limit eller "
                f"group by){more}."
            )
        batch = max(1, min(10_000, 2**20 * len(fetched) // max(1, fetched_bytes)))
