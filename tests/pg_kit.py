"""A throwaway PostgreSQL for tests and for scripts/cluster.py: initdb in a temp dir, loopback only.

    with throwaway_postgres() as pg:
        engine = sqlalchemy.create_engine(pg.url)   # postgresql+psycopg://insatskollen@127.0.0.1:PORT/insatskollen

The server binaries come from PATH or Debian's `/usr/lib/postgresql/<version>/bin` (package `postgresql`).
The cluster is made with trust authentication, encoding UTF8 and locale C.UTF-8 (C where that locale is
missing), listens on 127.0.0.1 only, on a free port, with its unix socket inside the temp dir. It holds a
database `insatskollen` owned by a login role `insatskollen` (not a superuser: the app's rights in a real
deployment). PostgreSQL refuses to run as root, so as root initdb and the server run as the user
`postgres` (Debian's package creates it) or else `nobody`, via `runuser`, with the temp dir given to them.
`pg_ctl stop` and removing the temp dir happen on exit, also after a failed test.

In pytest: `require_postgres()` skips with the reason when no binaries are found, and fails instead when
INSATSKOLLEN_REQUIRE_CLUSTER=1 (CI). `postgres_url` is a session-scoped fixture conftest can import.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import server_kit

REQUIRE_ENV = "INSATSKOLLEN_REQUIRE_CLUSTER"
DATABASE = ROLE = "insatskollen"
SUPERUSER = "postgres"  # the bootstrap superuser initdb creates; the app never uses it
UNPRIVILEGED = ("postgres", "nobody")  # who runs the server when we are root


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: PATH first, then the newest Debian version."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def require_postgres() -> Path:
    """The binaries' folder, or skip the test (fail under INSATSKOLLEN_REQUIRE_CLUSTER=1)."""
    import pytest

    found = find_bin_dir()
    if found is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql): no initdb/pg_ctl found"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}, and {REQUIRE_ENV}=1 requires it.")
        pytest.skip(reason)
    return found


def _run_as() -> str | None:
    """The unprivileged user to run PostgreSQL as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and neither user 'postgres' nor 'nobody' exists")


@dataclass
class PostgresServer:
    """A running throwaway cluster: its folder, port and the SQLAlchemy URL of the app's database."""

    root: Path
    port: int
    bin_dir: Path
    user: str | None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @property
    def url(self) -> str:
        """The app's URL over TCP on loopback."""
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def socket_url(self) -> str:
        """The same database over the unix socket in the temp dir."""
        return f"postgresql+psycopg://{ROLE}@/{DATABASE}?host={self.socket_dir}&port={self.port}"

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.user, "--", *command] if self.user else command

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run one of the server's programs (initdb, pg_ctl, psql…) as the server's user."""
        result = subprocess.run(
            self._command(*args),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr or result.stdout}\n{log}"
            )
        return result

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement through psql as the superuser, over the unix socket."""
        return self.run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-tAc",
            statement,
        ).stdout.strip()

    def new_database(self) -> str:
        """A new, empty database owned by the app's role (one per test); its SQLAlchemy URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(f"create database {name} owner {ROLE} encoding 'UTF8' template template0")
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            try:
                self.run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60")
            except (RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w")


def start_postgres(base_dir: Path | None = None) -> PostgresServer:
    """initdb + start a new cluster in a fresh temp dir under base_dir (default: the system temp dir,
    which the unprivileged user can reach; pytest's tmp_path is private to root). Call .stop() and
    remove .root afterwards, or use throwaway_postgres()."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin")
    user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="insatskollen-pg-", dir=base_dir))
    server = PostgresServer(root, server_kit.free_port(), bin_dir, user)
    try:
        server.socket_dir.mkdir()
        if user:
            entry = pwd.getpwnam(user)
            for path in (root, server.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _initdb(server)
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(server.port),
            "unix_socket_directories": f"'{server.socket_dir}'",
            "max_connections": "200",  # two servers' pools, 16 saving sessions, a CLI, the test itself
            "fsync": "on",  # the durability tests need real commits
            "synchronous_commit": "on",
        }
        with (server.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# insatskollen throwaway cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        server.run(
            "pg_ctl", "start", "-D", str(server.data_dir), "-l", str(server.log_file), "-w", "-t", "60"
        )
        server.sql(f"create role {ROLE} login")
        server.sql(f"create database {DATABASE} owner {ROLE} encoding 'UTF8' template template0")
    except BaseException:
        try:
            server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _initdb(server: PostgresServer) -> None:
    base = ["initdb", "-D", str(server.data_dir), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"]
    try:
        server.run(*base, "--locale=C.UTF-8")
    except RuntimeError:  # a system without the C.UTF-8 locale
        shutil.rmtree(server.data_dir, ignore_errors=True)
        server.run(*base, "--locale=C")


@contextmanager
def throwaway_postgres(base_dir: Path | None = None) -> Iterator[PostgresServer]:
    """A running cluster for the duration of the block; stopped and removed afterwards."""
    server = start_postgres(base_dir)
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(server.root, ignore_errors=True)


def wait_ready(url: str, timeout: float = 30) -> None:
    """Wait until the database at a SQLAlchemy URL answers `select 1`."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("select 1"))
                return
            except sa.exc.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


def postgres_url_fixture() -> Iterator[str]:
    """Body of a pytest fixture: skip (or fail in CI) without PostgreSQL, else yield a fresh URL."""
    require_postgres()
    with throwaway_postgres() as server:
        yield server.url


try:  # a ready-made session fixture for conftest: `from tests.pg_kit import postgres_url`
    import pytest as _pytest

    postgres_url = _pytest.fixture(scope="session", name="postgres_url")(postgres_url_fixture)
except ImportError:  # used by scripts/cluster.py without pytest installed
    pass
