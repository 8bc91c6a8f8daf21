"""The read store: the bundled data as versioned DuckDB files, published atomically, read by every
process through its own in-memory DuckDB. The one owner of DuckDB; nothing else opens a connection.

Layout of the folder (INSATSKOLLEN_READ_STORE, default var/read/):
    rs-<data version>-<stamp>.duckdb   one file per build, never changed after it is published
    CURRENT                            JSON naming the published file (replaced atomically)
    .publish.lock                      one publisher at a time

Publishing (`publish`): build into a private temp file, checkpoint, fsync, rename to its final name,
fsync the folder, then replace CURRENT the same way. A reader sees the old version or the new one,
never half of one.

Reading (`Snapshot`): an in-memory DuckDB per process attaches the published file READ_ONLY as
`bundled`, loads the imported rows from the working store into `imported`, and computes the model
tables over both (build.refresh_models). Why attach into memory rather than open the file itself:
the imported rows come from the working store (SQLite or PostgreSQL, shared by every server) and must
sit beside the bundled data, which a read-only file cannot hold; and a new import then costs a reload
of a few thousand rows in each process instead of a rebuild and republish of the whole file.

A snapshot holds a shared flock on its file while it lives; `remove_unused` deletes every file that is
not CURRENT and that no process holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.errors import DatabaseSettingError
from insatskollen.core.schema import TABLES
from insatskollen.store import build as build_module
from insatskollen.store import queries
from insatskollen.store.working.indicators import INDICATORS_KEY

POINTER = "CURRENT"
FILE_NAME = re.compile(r"rs-[0-9a-f]{12}-\d{8}T\d{6}-[0-9a-f]{6}\.duckdb")
BINDING = "WORKING_STORE"  # which working store this read store's servers use
PREFIX = "rs-"


class SelectOutOfMemory(MemoryError):
    """A `select` DuckDB could not hold in its memory (the caller words it: it knows its own bounds)."""


class SelectFailed(Exception):
    """A `select` DuckDB refused while running; the message is DuckDB's first line."""


@dataclass(frozen=True)
class Published:
    """A published read-store file, as CURRENT names it."""

    path: Path
    data_version: str
    published_at: str
    row_counts: dict | None = None  # known right after a build

    @property
    def version(self) -> str:
        return self.path.stem.removeprefix(PREFIX)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries (after a rename), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write a file under a temporary name in its folder, fsync, rename over the old one, fsync the folder: a
    reader sees the old file or the new one, never half of one; a failure leaves no temporary file behind."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        _fsync(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync(path.parent)


class ReadStore:
    """The folder of published read-store files."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def ensure_folder(self) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise DatabaseSettingError(
                f"{self.folder} är en fil, inte en mapp (läsdatabasens mapp). Välj en mapp; ingenting har ändrats."
            )
        self.folder.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------ the pointer

    def current(self) -> Published | None:
        """The published version, or None before the first build."""
        pointer = self.folder / POINTER
        try:
            info = json.loads(pointer.read_text(encoding="utf-8"))
            name, version, at = info["file"], info["data_version"], info["published_at"]
            if not (isinstance(name, str) and isinstance(version, str) and isinstance(at, str)):
                raise TypeError(name)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DatabaseSettingError(
                f"{pointer} är skadad ({type(error).__name__}). Kör python -m insatskollen build, som skriver en ny."
            ) from error
        if not FILE_NAME.fullmatch(name):  # never a path: only a published file in this folder
            raise DatabaseSettingError(
                f"{pointer} pekar på {name!r}, som inte är en publicerad läsdatabas. Kör python -m insatskollen build."
            )
        return Published(self.folder / name, version, at)

    def readable(self, published: Published) -> bool:
        """Whether the published file opens and holds a build (a truncated file does not)."""
        con = duckdb.connect(":memory:")
        try:
            con.execute("set autoinstall_known_extensions = false")
            con.execute("attach $path as bundled (read_only)", {"path": str(published.path)})
            con.execute("select data_version from bundled.build_info").fetchone()
            con.execute("select count(*) from bundled.model_allocation").fetchone()
            return True
        except duckdb.Error:
            return False
        finally:
            con.close()

    def pointer_stamp(self) -> tuple[int, int] | None:
        """A cheap fingerprint of CURRENT (inode, mtime), to notice a new publication."""
        try:
            st = (self.folder / POINTER).stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    # ------------------------------------------------------------ which working store

    def binding(self) -> dict | None:
        """{"id": …, "store": …} of the working store the servers on this read store use, or None."""
        try:
            return json.loads((self.folder / BINDING).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # unreadable: bound again by the next opener

    def bind(self, identity: str, described: str) -> None:
        write_atomically(self.folder / BINDING, json.dumps({"id": identity, "store": described}))

    # ------------------------------------------------------------ publishing

    def publish(self, data_dir: Path, only_if_changed: bool = False) -> Published:
        """Validate data_dir and publish it as a new version; DataError (and nothing published) if invalid.
        With only_if_changed, a version of the same data already published (by another process that
        started at the same time) is kept."""
        self.ensure_folder()
        with open(self.folder / ".publish.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for leftover in self.folder.glob(".tmp-*"):  # from a build that was killed: we hold the lock
                leftover.unlink(missing_ok=True)
            if only_if_changed:
                try:
                    current = self.current()
                except DatabaseSettingError:
                    current = None  # a damaged pointer is replaced by this publication
                same = current and current.data_version == build_module.data_version(Path(data_dir))
                if same and self.readable(current):
                    return current
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            temp = self.folder / f".tmp-{uuid.uuid4().hex}.duckdb"
            try:
                con = duckdb.connect(str(temp))
                try:
                    result = build_module.build(con, data_dir)
                    con.execute("checkpoint")
                finally:
                    con.close()
                scratch = duckdb.connect(":memory:")
                try:
                    scratch.execute("attach $path as bundled", {"path": str(temp)})
                    build_module.precompute_models(scratch)
                    scratch.execute("detach bundled")
                finally:
                    scratch.close()
                final = self.folder / f"{PREFIX}{result.data_version}-{stamp}-{uuid.uuid4().hex[:6]}.duckdb"
                _fsync(temp)
                os.replace(temp, final)
                _fsync(self.folder)
            finally:
                for leftover in (temp, temp.with_name(temp.name + ".wal")):
                    leftover.unlink(missing_ok=True)
            published = Published(
                final, result.data_version, datetime.now(UTC).isoformat(timespec="seconds"), result.row_counts
            )
            write_atomically(
                self.folder / POINTER,
                json.dumps(
                    {
                        "file": final.name,
                        "data_version": published.data_version,
                        "published_at": published.published_at,
                    }
                ),
            )
        self.remove_unused()
        return published

    def remove_unused(self) -> list[Path]:
        """Delete the files that are not CURRENT and that no process has open (no shared flock held)."""
        current = self.current()
        removed = []
        for path in sorted(self.folder.glob(f"{PREFIX}*.duckdb")):
            if current is not None and path.name == current.path.name:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a process still reads it
            try:
                path.unlink(missing_ok=True)
                path.with_name(path.name + ".wal").unlink(missing_ok=True)
                removed.append(path)
            finally:
                os.close(fd)
        return removed

    # ------------------------------------------------------------ reading

    def open_current(self) -> tuple[Published, int]:
        """The published file with a shared flock held on it (the returned fd), so it is not removed."""
        for _ in range(20):
            published = self.current()
            if published is None:
                raise FileNotFoundError(self.folder / POINTER)
            try:
                fd = os.open(published.path, os.O_RDONLY)
            except FileNotFoundError:
                if self.current() == published:  # not a publication in between: the file is gone
                    raise DatabaseSettingError(
                        f"Läsdatabasens fil {published.path} saknas ({POINTER} pekar på den). "
                        "Kör python -m insatskollen build."
                    ) from None
                continue  # replaced and removed between reading CURRENT and opening: read CURRENT again
            fcntl.flock(fd, fcntl.LOCK_SH)
            if os.fstat(fd).st_nlink > 0:
                return published, fd
            os.close(fd)
        raise DatabaseSettingError(f"Läsdatabasen i {self.folder} byts ut hela tiden; försök igen.")


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
                self.con.execute("select data_version from bundled.build_info").fetchone()
            except duckdb.Error as error:
                raise DatabaseSettingError(
                    f"Läsdatabasen {published.path} kan inte läsas ({str(error).splitlines()[0]}). "
                    "Kör python -m insatskollen build."
                ) from error
            _load_imported(self.con, imported)
            _models(self.con, imported)
            _indicator_values(self.con, imported.get(INDICATORS_KEY))
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


def _models(con: duckdb.DuckDBPyConnection, imported: dict[str, pd.DataFrame]) -> None:
    """model.frame_year, model.allocation and model.measure_overview for this snapshot.

    With no imported rows they are views over the tables precomputed in the published file: nothing is
    copied, so a process holds no second copy of a national data set. With imported rows, the model of
    the imported rows alone is computed in memory (a few thousand rows) and put beside the precomputed
    one; bundled frame-years an import replaced are left out, and the measures that had lines in them
    are summarised again."""
    rows = any(
        len(frame)
        for name, frame in imported.items()
        if name not in ("replaced", "follow_up", INDICATORS_KEY)
    )
    replaced = len(imported.get("replaced", ())) > 0
    build_module.union_views(con)
    if not rows and not replaced:
        con.execute("create schema model")
        for name in build_module.MODEL_TABLES:
            con.execute(f"create view model.{name} as select * from bundled.model_{name}")
        build_module.macros_and_views(con)
        return
    # the imported rows' own model, from the imported frames, lines and measures alone
    build_module.union_views(con, only_imported=build_module.DRIVING_TABLES)
    build_module.model_tables(con)
    con.execute("create schema imported_model")
    for name in reversed(build_module.MODEL_TABLES):
        con.execute(f"create table imported_model.{name} as select * from model.{name}")
        con.execute(f"drop table model.{name}")
    build_module.union_views(con)
    hidden = (
        "exists (select 1 from imported.replaced as r where r.municipality_code = b.municipality_code "
        "and r.year = b.year and r.funding_source = b.funding_source)"
    )
    keep = f"where not {hidden}" if replaced else ""
    for name in ("frame_year", "allocation"):
        con.execute(
            f"create view model.{name} as select * from bundled.model_{name} as b {keep} "
            f"union all by name select * from imported_model.{name}"
        )
    if not replaced:
        con.execute(
            "create view model.measure_overview as select * from bundled.model_measure_overview "
            "union all by name select * from imported_model.measure_overview"
        )
    else:
        # bundled measures with lines in a replaced frame-year: summarised again over what is left
        con.execute(
            "create table imported_model.affected as select distinct measure_id from bundled.model_allocation as b "
            f"where measure_id is not null and {hidden}"
        )
        con.execute(
            "create or replace view main.measures as select * from bundled.measures "
            "where measure_id in (select measure_id from imported_model.affected)"
        )
        build_module.model_tables_from(con, "03")
        con.execute("create table imported_model.resummarised as select * from model.measure_overview")
        con.execute("drop table model.measure_overview")
        build_module.union_views(con)
        con.execute(
            "create view model.measure_overview as select * from bundled.model_measure_overview "
            "where measure_id not in (select measure_id from imported_model.affected) "
            "union all by name select * from imported_model.resummarised "
            "union all by name select * from imported_model.measure_overview"
        )
    build_module.macros_and_views(con)


def _load_imported(con: duckdb.DuckDBPyConnection, imported: dict[str, pd.DataFrame]) -> None:
    """The working store's current imported rows, typed like the bundled tables."""
    con.execute("create schema imported")
    for table in TABLES:
        con.execute(f"create table imported.{table.name} as select * from bundled.{table.name} where false")
        frame = imported.get(table.name)
        if frame is not None and len(frame):
            incoming = frame.reindex(columns=table.column_names).astype(object)
            con.register("incoming", incoming.where(incoming.notna(), None))
            con.execute(
                f"insert into imported.{table.name} select {build_module.cast_select(table)} from incoming"
            )
            con.unregister("incoming")
    _one_row_per_funding_source(con)
    con.execute(
        "create table imported.replaced (municipality_code varchar, year integer, funding_source varchar, "
        "import_id varchar, file varchar, replaced_at timestamp)"
    )
    frame = imported.get("replaced")
    if frame is not None and len(frame):
        con.register("incoming", frame)
        con.execute(
            "insert into imported.replaced select municipality_code, year, funding_source, import_id, file, "
            "replaced_at from incoming"
        )
        con.unregister("incoming")
    _load_follow_up(con, imported.get("follow_up"))


INDICATOR_VIEW = """
create view main.indicator_values as
select kpi_id, kpi_title, municipality_code,
       case when municipality_code = '0000' then 'Riket'
            else coalesce(mu.municipality, sw.municipality, i.municipality_name) end as municipality,
       period as year, gender, value, status, unit, source, fetched_at, import_id, imported_by, imported_at
from imported.indicator_values as i
left join main.municipalities as mu using (municipality_code)
left join main.sweden_municipalities as sw using (municipality_code)
"""


def _indicator_values(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame | None) -> None:
    """main.indicator_values: the imported outcome indicators (Kolada) in force, one row per KPI,
    municipality, year and gender; value NULL is unknown. Documented in the README."""
    con.execute(
        "create table imported.indicator_values (kpi_id varchar, kpi_title varchar, municipality_code varchar, "
        "municipality_name varchar, period integer, gender varchar, value double, status varchar, unit varchar, "
        "source varchar, fetched_at timestamp, import_id varchar, imported_by varchar, imported_at timestamp)"
    )
    if frame is not None and len(frame):
        incoming = frame.astype(object).where(frame.notna(), None)
        con.register("incoming", incoming)
        con.execute(
            "insert into imported.indicator_values select kpi_id, kpi_title, municipality_code, municipality_name, "
            "period, gender, value, status, unit, source, fetched_at, import_id, imported_by, imported_at "
            "from incoming"
        )
        con.unregister("incoming")
    con.execute(INDICATOR_VIEW)


def _one_row_per_funding_source(con: duckdb.DuckDBPyConnection) -> None:
    """imported.funding_sources: one row per name that the bundled sources do not have. Several imports
    (of other municipalities or years) may name the same own source; a kind a file gives beats "okänd",
    and among given kinds the latest import's (rows arrive in the order they were written)."""
    con.execute(
        "create temporary table one_per_source as select * from imported.funding_sources "
        "where funding_source not in (select funding_source from bundled.funding_sources) "
        "qualify row_number() over (partition by funding_source order by kind = 'okänd', rowid desc) = 1"
    )
    con.execute("delete from imported.funding_sources")
    con.execute("insert into imported.funding_sources select * from one_per_source")
    con.execute("drop table one_per_source")


def _load_follow_up(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame | None) -> None:
    """The follow-up reports in force (working/follow_up.FOLLOW_UP_COLUMNS), typed as sql/06_follow_up.sql
    declares them; the view main.follow_up reads them."""
    con.execute(
        "create table imported.follow_up_reports (report_id integer, municipality_code varchar, "
        "measure_id varchar, allocation_id varchar, year integer, spent_sek bigint, status varchar, "
        "status_date date, result varchar, file varchar, line integer, import_id varchar, "
        "reported_at timestamp, reported_by varchar, subject varchar, email varchar, identity_kind varchar)"
    )
    if frame is None or not len(frame):
        return
    incoming = frame.rename(columns={"author": "reported_by", "logged_at": "reported_at"}).astype(object)
    con.register("incoming", incoming.where(incoming.notna(), None))
    con.execute(
        "insert into imported.follow_up_reports select report_id, municipality_code, measure_id, "
        "allocation_id, year, spent_sek, status, status_date, result, file, line, import_id, reported_at, "
        "reported_by, subject, email, identity_kind from incoming"
    )
    con.unregister("incoming")
