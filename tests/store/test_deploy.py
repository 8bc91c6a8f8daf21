"""deploy/ says what is true: every setting documented, the nginx template valid, the backup commands work.

The nginx and PostgreSQL tests skip without the binaries, unless INSATSKOLLEN_REQUIRE_CLUSTER=1 (CI).
"""

from __future__ import annotations

import http.server
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests import pg_kit, server_kit

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT / "scripts"))
import cluster  # noqa: E402

DOC_URL = "postgresql://insatskollen@db.example:5432/insatskollen"  # the URL backup.md writes


def require_nginx() -> str:
    found = cluster.find_nginx()
    if found is None:
        if os.environ.get(pg_kit.REQUIRE_ENV) == "1":
            pytest.fail(f"nginx is not installed, and {pg_kit.REQUIRE_ENV}=1 requires it.")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


def documented_command(program: str) -> list[str]:
    """The one command line in deploy/backup.md that starts with `program`, split as the shell would."""
    lines = [
        line
        for line in (DEPLOY / "backup.md").read_text(encoding="utf-8").splitlines()
        if line.startswith(program + " ")
    ]
    assert len(lines) == 1, f"backup.md should give one {program} command, not {len(lines)}"
    return shlex.split(lines[0].replace("$(date +%F)", "2026-11-24"))


def test_every_setting_the_code_reads_is_documented():
    documented = set(re.findall(r"`(INSATSKOLLEN_[A-Z_]+)`", (DEPLOY / "environment.md").read_text()))
    sources = [
        *ROOT.glob("insatskollen/**/*.py"),
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("scripts/*.py"),
        *ROOT.glob("tests/*.py"),
        ROOT / "app.py",
        ROOT / ".ci" / "run",
        *DEPLOY.rglob("*.service"),
        DEPLOY / "insatskollen.env.example",
    ]
    used = {
        (name, path.relative_to(ROOT).as_posix())
        for path in sources
        for name in re.findall(r"INSATSKOLLEN_[A-Z_]*[A-Z]", path.read_text(encoding="utf-8"))
    }
    missing = sorted(f"{name} ({where})" for name, where in used if name not in documented)
    assert not missing, f"deploy/environment.md does not name: {missing}"
    assert {"INSATSKOLLEN_VAR", "INSATSKOLLEN_DATABASE_URL", "INSATSKOLLEN_READ_STORE"} <= documented


def test_the_cluster_renders_deploy_nginx_conf_and_nginx_accepts_it():
    nginx = require_nginx()
    assert cluster.NGINX_TEMPLATE == DEPLOY / "nginx.conf"
    run_dir = Path(tempfile.mkdtemp(prefix="insatskollen-nginx-test-"))
    try:
        run_dir.chmod(0o755)
        text = cluster.render_nginx(run_dir, "127.0.0.1:18080", ["127.0.0.1:18501", "127.0.0.1:18502"])
        assert "{{" not in text
        assert "hash $ik_route consistent;" in text
        assert "server 127.0.0.1:18501 max_fails=1" in text and "server 127.0.0.1:18502 max_fails=1" in text
        config = run_dir / "nginx.conf"
        config.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [nginx, "-t", "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr
    finally:
        import shutil

        shutil.rmtree(run_dir, ignore_errors=True)


def test_nginx_rate_limits_uploads_and_refuses_a_body_bigger_than_one_file(tmp_path):
    """Issue 21: any session could PUT file after file to /_stcore/upload_file. Through deploy/nginx.conf a
    burst of 10 passes, the rest of 30 quick PUTs get 429 without reaching a server, and a 7 MB body gets 413."""
    nginx = require_nginx()
    reached: list[str] = []

    class Upstream(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):  # noqa: N802 - the name http.server calls
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            reached.append(self.path)
            self.send_response(204)
            self.end_headers()

        def do_GET(self):  # noqa: N802 - /_stcore/health, for wait_healthy
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    run_dir = Path(tempfile.mkdtemp(prefix="insatskollen-nginx-limit-"))
    run_dir.chmod(0o755)
    port = server_kit.free_port()
    config = run_dir / "nginx.conf"
    config.write_text(
        cluster.render_nginx(run_dir, f"127.0.0.1:{port}", [f"127.0.0.1:{upstream.server_port}"]),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [nginx, "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def put(size: int) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/_stcore/upload_file/session/{uuid.uuid4()}",
            data=b"x" * size,
            method="PUT",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        server_kit.wait_healthy(f"http://127.0.0.1:{port}", lambda: process.poll() is None, timeout=30)
        big = put(7 * 2**20)
        statuses = [put(1000) for _ in range(30)]
    finally:
        process.terminate()
        process.wait(timeout=30)
        upstream.shutdown()
        shutil.rmtree(run_dir, ignore_errors=True)
    assert big == 413
    assert statuses[:10] == [204] * 10
    assert statuses.count(429) >= 15 and set(statuses) == {204, 429}
    assert len(reached) == statuses.count(204)


def test_an_unknown_placeholder_in_the_template_is_refused(monkeypatch, tmp_path):
    template = tmp_path / "nginx.conf"
    template.write_text("listen {{LISTEN}}; root {{DOCUMENT_ROOT}};")
    monkeypatch.setattr(cluster, "NGINX_TEMPLATE", template)
    with pytest.raises(KeyError, match="DOCUMENT_ROOT"):
        cluster.render_nginx(tmp_path, "127.0.0.1:1", [])


def test_the_documented_pg_dump_and_pg_restore_bring_back_what_was_saved():
    bin_dir = pg_kit.require_postgres()
    with pg_kit.throwaway_postgres() as pg, tempfile.TemporaryDirectory() as folder:
        libpq = pg.url.replace("postgresql+psycopg://", "postgresql://")
        import sqlalchemy as sa

        engine = sa.create_engine(pg.url, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text("create table scenarios (name text)"))
            connection.execute(sa.text("insert into scenarios values ('Rosengård dubbelt')"))

        dump = documented_command("pg_dump")
        dump = [str(bin_dir / "pg_dump"), *(a.replace(DOC_URL, libpq) for a in dump[1:])]
        dump = [
            a.replace("--file=insatskollen-2026-11-24.dump", f"--file={folder}/backup.dump") for a in dump
        ]
        subprocess.run(dump, check=True, capture_output=True, timeout=60)

        with engine.begin() as connection:  # the loss the backup is for
            connection.execute(sa.text("delete from scenarios"))
        restore = documented_command("pg_restore")
        restore = [str(bin_dir / "pg_restore"), *(a.replace(DOC_URL, libpq) for a in restore[1:-1])]
        subprocess.run([*restore, f"{folder}/backup.dump"], check=True, capture_output=True, timeout=60)

        with engine.connect() as connection:
            names = connection.execute(sa.text("select name from scenarios")).scalars().all()
        engine.dispose()
    assert names == ["Rosengård dubbelt"]


def test_the_documented_sqlite_online_backup_holds_saves_still_in_the_wal(tmp_path):
    live = tmp_path / "working.sqlite3"
    server = sqlite3.connect(live)
    server.execute("pragma journal_mode=wal")
    server.execute("pragma wal_autocheckpoint=0")  # as under load: the save is only in the WAL so far
    server.execute("create table scenarios (name text)")
    server.execute("insert into scenarios values ('Rosengård dubbelt')")
    server.commit()
    try:
        copied = tmp_path / "cp.sqlite3"  # what backup.md warns against: the main file alone
        copied.write_bytes(live.read_bytes())
        with sqlite3.connect(copied) as check:
            assert check.execute("select count(*) from sqlite_master").fetchone()[0] == 0

        command = documented_command("python3")
        backup = tmp_path / "backup.sqlite3"
        subprocess.run(
            [sys.executable, *command[1:-2], str(live), str(backup)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    finally:
        server.close()
    with sqlite3.connect(backup) as check:
        assert check.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert check.execute("select name from scenarios").fetchall() == [("Rosengård dubbelt",)]


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify on the units, with /opt/insatskollen pointing at this checkout."""
    import shutil

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (package systemd)")
    environment = tmp_path / "environment"
    environment.write_text((DEPLOY / "insatskollen.env.example").read_text())
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text().replace("/opt/insatskollen", str(ROOT))
        text = text.replace("/etc/insatskollen/environment", str(environment))
        name = unit.name.replace("@.service", "@8501.service")  # an instance, as systemctl starts it
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, timeout=120)
    complaints = [line for line in result.stderr.splitlines() if str(tmp_path) in line or ".service" in line]
    assert result.returncode == 0 and complaints == [], result.stderr
