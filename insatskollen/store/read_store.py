"""The read store: the bundled data as versioned DuckDB files, published atomically. A process reads the
published file through a snapshot (snapshot.py); this module owns the folder, its pointer and publishing.

Layout of the folder (INSATSKOLLEN_READ_STORE, default var/read/):
    rs-<data version>-<stamp>.duckdb   one file per build, never changed after it is published
    CURRENT                            JSON naming the published file (replaced atomically)
    .publish.lock                      one publisher at a time

Publishing (`publish`): build into a private temp file (build.py), precompute the model of the bundled
data in it (model.py), checkpoint, fsync, rename to its final name, fsync the folder, then replace
CURRENT the same way. A reader sees the old version or the new one, never half of one.

A snapshot holds a shared flock on its file while it lives (`open_current`); `remove_unused` deletes
every file that is not CURRENT and that no process holds.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from insatskollen.core.errors import DatabaseSettingError
from insatskollen.store import build as build_module
from insatskollen.store import model, queries

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
            con.execute(queries.statement("snapshot/published")).fetchone()
            con.execute(queries.statement("snapshot/precomputed_model")).fetchone()
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
                    model.precompute_models(scratch)
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
