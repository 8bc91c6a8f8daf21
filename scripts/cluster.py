#!/usr/bin/env python3
"""Several Insatskollen servers behind nginx on this machine: the organisation setup, for tests and trials.

    .venv/bin/python scripts/cluster.py [--servers 2] [--sqlite] [--port 8080]

Starts, all inside one temp dir and on loopback only:
1. a throwaway PostgreSQL (tests/pg_kit.py: Debian's `postgresql` package, initdb + pg_ctl, trust
   authentication on 127.0.0.1) as the shared working store, unless --sqlite (then the servers share
   `working.sqlite3` in the shared INSATSKOLLEN_VAR, which works on one machine only);
2. `python -m insatskollen build` once, which publishes the read store;
3. N Streamlit servers (`streamlit run app.py`, headless, fileWatcherType none) with the same
   INSATSKOLLEN_VAR, INSATSKOLLEN_READ_STORE, INSATSKOLLEN_DATABASE_URL and cookie secret;
4. nginx (Debian package), as a child process in the foreground, with the configuration rendered from
   deploy/nginx.conf (the one template, also for real deployments): sticky sessions by an `ik_route`
   cookie, the websocket upgraded, `X-Upstream` saying which server answered.
It prints the URLs and runs until Ctrl-C, which stops everything and removes the temp dir.

From Python (tests/cluster/test_cluster.py):

    with Cluster(servers=2, postgres=True) as cluster:
        cluster.nginx_url, cluster.server_urls, cluster.database_url, cluster.var, cluster.env
        cluster.kill(0)      # SIGKILL server A, as a crash would
        cluster.restart(0)   # start it again on the same port
        cluster.cli("check") # the command line with the servers' settings

PostgreSQL runs as a daemon (pg_ctl): if this script is killed with SIGKILL it keeps running; stop it
with `pg_ctl -D /tmp/insatskollen-pg-*/data stop` (as the user `postgres` when root started it).

The command line against the running cluster needs the servers' settings; the script prints them as an
`env … python -m insatskollen` line to paste (or use `cluster.cli(...)`).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import pg_kit  # noqa: E402
from tests.server_kit import free_port, streamlit_command, wait_healthy  # noqa: E402 - one way to start a server

NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
MIME_TYPES = Path("/etc/nginx/mime.types")
START_TIMEOUT = 120


def find_nginx() -> str | None:
    """Debian's nginx: on PATH, or in /usr/sbin (not on a normal user's PATH)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def render_nginx(run_dir: Path, listen: str, upstreams: list[str], mime_types: Path = MIME_TYPES) -> str:
    """deploy/nginx.conf with its placeholders filled in; every placeholder must be known."""
    values = {
        "RUN_DIR": str(run_dir),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": "\n        ".join(
            f"server {address} max_fails=1 fail_timeout=2s;" for address in upstreams
        ),
        "MIME_TYPES": str(mime_types),
    }

    def fill(match: re.Match) -> str:
        if match.group(1) not in values:
            raise KeyError(f"deploy/nginx.conf: unknown placeholder {match.group(0)}")
        return values[match.group(1)]

    return PLACEHOLDER.sub(fill, NGINX_TEMPLATE.read_text(encoding="utf-8"))


def warm_up(url: str) -> None:
    """Run Översikt once in a server, as its first browser would, before sending it more browsers.

    Until app.py has called st.navigation once in a process, Streamlit 1.67 runs a page asked for by
    name (/namnder) straight from pages/, without app.py: a browser arriving at a fresh process while
    its first run is still going gets a page without the sidebar filters and with Streamlit's own
    page list (seen: 7 of 20 load-test sessions on two fresh servers). Serving one page first closes
    that window; nginx still sends traffic as soon as the port answers, so the app should fix it."""
    from ws_session import Session, run_async, ws_url

    async def first_run() -> None:
        async with Session(ws_url(url), START_TIMEOUT) as session:
            await session.rerun("", None)

    run_async(first_run)


class Cluster:
    """PostgreSQL (or shared SQLite) + one build + N Streamlit servers + nginx with sticky sessions."""

    def __init__(
        self,
        servers: int = 2,
        postgres: bool = True,
        nginx_port: int | None = None,
        base_dir: Path | None = None,
        keep: bool = False,
        data_dir: Path | None = None,
    ):
        self.count = servers
        self.data_dir = data_dir  # the CSV folder the build reads (INSATSKOLLEN_DATA); None: data/
        self.postgres = postgres
        self.nginx_port = nginx_port or free_port()
        self.base_dir = base_dir
        self.keep = keep
        self.root: Path | None = None
        self.pg: pg_kit.PostgresServer | None = None
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen | None] = []
        self.nginx: subprocess.Popen | None = None
        self.env: dict[str, str] = {}
        self.started_in_s: float | None = None

    # ------------------------------------------------------------ what tests use

    @property
    def var(self) -> Path:
        return self.root / "var"

    @property
    def read_store(self) -> Path:
        return self.var / "read"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def nginx_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def server_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    @property
    def upstreams(self) -> list[str]:
        """The addresses nginx names in X-Upstream, server i at index i."""
        return [f"127.0.0.1:{port}" for port in self.ports]

    @property
    def database_url(self) -> str:
        """The shared working store's SQLAlchemy URL."""
        return self.env["INSATSKOLLEN_DATABASE_URL"] if self.postgres else self.sqlite_url

    @property
    def sqlite_url(self) -> str:
        return f"sqlite:///{self.var / 'working.sqlite3'}"

    @property
    def pids(self) -> list[int | None]:
        return [p.pid if p and p.poll() is None else None for p in self.processes]

    def server_env(self, index: int) -> dict[str, str]:
        """What server `index` runs with: the shared settings."""
        return dict(self.env)

    def cli(self, *args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
        """`python -m insatskollen <args>` with the servers' settings, as an administrator runs it."""
        result = subprocess.run(
            [sys.executable, "-m", "insatskollen", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"insatskollen {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
        return result

    def kill(self, index: int) -> None:
        """SIGKILL server `index` (a crash: no shutdown code runs) and reap it."""
        process = self.processes[index]
        if process and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)

    def restart(self, index: int) -> None:
        """Start server `index` again on its port (after kill) and wait until it is healthy."""
        self.kill(index)
        self.processes[index] = self._start_server(index)
        wait_healthy(self.server_urls[index], lambda: self.processes[index].poll() is None)
        warm_up(self.server_urls[index])

    def log(self, name: str, tail: int = 4000) -> str:
        """The end of a log: 'server-0', 'server-1', 'build', 'nginx-error', 'nginx-access'."""
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-tail:] if path.exists() else ""

    # ------------------------------------------------------------ start and stop

    def __enter__(self) -> Cluster:
        start = time.monotonic()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        self.started_in_s = round(time.monotonic() - start, 1)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self) -> None:
        nginx = find_nginx()
        if nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.root = Path(tempfile.mkdtemp(prefix="insatskollen-cluster-", dir=self.base_dir))
        self.root.chmod(0o755)  # nginx's workers run as nobody when we are root
        self.var.mkdir()
        self.logs.mkdir()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("INSATSKOLLEN_", "STREAMLIT_"))
        } | {
            "INSATSKOLLEN_VAR": str(self.var),
            "INSATSKOLLEN_READ_STORE": str(self.read_store),
            # one secret for all processes: a session that moves to another process keeps a valid XSRF cookie
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
        }
        if self.data_dir is not None:
            self.env["INSATSKOLLEN_DATA"] = str(self.data_dir)
        for key in ("INSATSKOLLEN_IMPORT_MAX_BYTES", "INSATSKOLLEN_CHROMIUM"):
            if key in os.environ:
                self.env[key] = os.environ[key]
        if self.postgres:
            self.pg = pg_kit.start_postgres(self.base_dir)
            self.env["INSATSKOLLEN_DATABASE_URL"] = self.pg.url
        self._build()
        self.ports = [free_port() for _ in range(self.count)]
        self.processes = [self._start_server(i) for i in range(self.count)]
        for i, url in enumerate(self.server_urls):
            wait_healthy(url, lambda i=i: self.processes[i].poll() is None)
            warm_up(url)
        self._start_nginx(nginx)

    def _build(self) -> None:
        first = self.server_env(0)
        with open(self.logs / "build.log", "w") as log:
            result = subprocess.run(
                [sys.executable, "-m", "insatskollen", "build"],
                cwd=ROOT,
                env=first,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=600,
            )
        if result.returncode != 0:
            raise RuntimeError(f"insatskollen build failed ({result.returncode}):\n{self.log('build')}")

    def _start_server(self, index: int) -> subprocess.Popen:
        command = streamlit_command(self.ports[index])
        log = open(self.logs / f"server-{index}.log", "a")  # noqa: SIM115 - the child keeps it
        try:
            return subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.server_env(index),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()

    def _start_nginx(self, nginx: str) -> None:
        run_dir = self.root / "nginx"
        run_dir.mkdir()
        run_dir.chmod(0o755)
        config = run_dir / "nginx.conf"
        config.write_text(
            render_nginx(run_dir, f"127.0.0.1:{self.nginx_port}", self.upstreams), encoding="utf-8"
        )
        # the logs nginx writes go where the servers' logs are
        for name in ("error", "access"):
            (self.logs / f"nginx-{name}.log").symlink_to(run_dir / f"{name}.log")
        self.nginx = subprocess.Popen(
            [
                nginx,
                "-p",
                str(run_dir),
                "-c",
                str(config),
                "-e",
                str(run_dir / "error.log"),
                "-g",
                "daemon off;",
            ],
            cwd=run_dir,
            stdout=subprocess.DEVNULL,
            stderr=open(run_dir / "stderr.log", "w"),  # noqa: SIM115 - the child keeps it
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_healthy(self.nginx_url, lambda: self.nginx.poll() is None, timeout=30)
        except RuntimeError as error:
            raise RuntimeError(
                f"{error}\n{(run_dir / 'stderr.log').read_text()}{self.log('nginx-error')}"
            ) from None

    def stop(self) -> None:
        """Stop nginx, the servers and PostgreSQL; remove the temp dir (unless keep)."""
        children = [self.nginx, *self.processes]
        for process in children:
            if process and process.poll() is None:
                process.terminate()
        for process in children:
            if process:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=15)
        self.nginx, self.processes = None, []
        if self.pg:
            try:
                self.pg.stop()
            finally:
                shutil.rmtree(self.pg.root, ignore_errors=True)
                self.pg = None
        if self.root and not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servers", type=int, default=2, help="Streamlit server processes (default 2)")
    parser.add_argument(
        "--sqlite", action="store_true", help="share SQLite in INSATSKOLLEN_VAR, no PostgreSQL"
    )
    parser.add_argument("--port", type=int, default=None, help="nginx's port (default: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, var/) afterwards")
    args = parser.parse_args()
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    with Cluster(
        servers=args.servers, postgres=not args.sqlite, nginx_port=args.port, keep=args.keep
    ) as cluster:
        print(f"Klustret startade på {cluster.started_in_s} s.")
        print(f"  nginx (öppna den här):  {cluster.nginx_url}")
        for i, url in enumerate(cluster.server_urls):
            print(f"  {'server ' + chr(ord('A') + i) + ':':<24}{url}")
        print(f"  arbetsdatabas:          {cluster.database_url}")
        print(f"  INSATSKOLLEN_VAR:       {cluster.var}")
        shared = {
            k: v
            for k, v in cluster.env.items()
            if k.startswith("INSATSKOLLEN_") and k != "INSATSKOLLEN_REQUIRE_CLUSTER"
        }
        settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(shared.items()))
        print(f"  kommandoraden:          env {settings} {sys.executable} -m insatskollen imports")
        print(f"  loggar:                 {cluster.logs}")
        print("Ctrl-C stoppar allt.", flush=True)
        try:
            while True:
                time.sleep(1)
                if stop["now"]:
                    break
                dead = [i for i, p in enumerate(cluster.processes) if p.poll() is not None]
                if cluster.nginx.poll() is not None or dead:
                    print(f"En process avslutades (servrar {dead}, nginx {cluster.nginx.poll()}); stoppar.")
                    break
        except KeyboardInterrupt:
            pass
        print("Stoppar…")


if __name__ == "__main__":
    main()
