"""The benchmark, the load test, the browser latency and the scaling run with one command each and report
what they promise.

Smoke tests, seconds each: tiny inputs, one run, the output's shape asserted. The real measurements run
on demand (docs/performance.md). Timings are not asserted (this machine's speed is not the code's
property); the presence of every figure, zero failed sessions and the commands' exit codes are.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import national  # noqa: E402
import scaling  # noqa: E402

from insatskollen.export import chart_builder  # noqa: E402


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def _check_pages(result: dict, runs: int, pages: list[str]) -> None:
    rows = {(r["page"], r["mode"]): r for r in result["pages"]}
    # the floor page (scripts/floor_page.py) first, in the same run, and every page's ratio to it
    assert set(rows) == {(page, mode) for page in ["Golvsida", *pages] for mode in ("cold", "warm")}
    assert [r["page"] for r in result["pages"][:2]] == ["Golvsida", "Golvsida"]
    floor = {mode: rows[("Golvsida", mode)]["p95_ms"] for mode in ("cold", "warm")}
    for row in rows.values():
        # every page the smoke runs is measured: no "error" row (the benchmark's word for a page AppTest cannot rerun)
        assert row["runs"] == runs and "error" not in row, row
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
        if row["page"] != "Golvsida":
            assert row["floor_ratio"] == round(row["p95_ms"] / floor[row["mode"]], 1), row
    assert result["server_peak_rss_mb"] > 50 and result["python_heap_peak_mb"] > 0
    memory = result["memory"]
    assert memory["rss_mb"] > 50 and memory["duckdb_mb"] >= 0 and memory["caches_mb"] >= 0
    assert memory["duckdb_memory_limit"] == "244.1 MiB"  # INSATSKOLLEN_DUCKDB_MEMORY's default


# The bundled run's smoke size: one run of two pages, Översikt and a light one, so that more than one page goes
# through the cold, warm and traced passes; every page's content is tests/app/test_pages.py's.
SMOKE_PAGES = ["Översikt", "Källor"]


def test_benchmark_on_the_bundled_data_prints_and_saves_every_figure(tmp_path):
    out = tmp_path / "benchmark.json"
    done = _run("scripts/benchmark.py", "--runs", "1", "--pages", ",".join(SMOKE_PAGES), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "bundled" and result["allocation_rows"] == 63
    assert 0 < result["build_s"] < 60
    _check_pages(result, runs=1, pages=SMOKE_PAGES)
    assert result["scenario_recompute"]["lines"] == 10_000 and result["scenario_recompute"]["p95_ms"] > 0
    # --runs 1 is also the pandas comparison's repeats (its default 5 is for the measurement)
    assert result["pandas_vs_duckdb"]["repeats"] == 1
    cases = result["pandas_vs_duckdb"]["cases"]
    assert [c["filter"] for c in cases] == ["alla kommuner", "en kommun (Linköping)"]
    assert all(c["duckdb_ms"] > 0 and c["pandas_ms"] > 0 and c["ratio"] > 0 for c in cases)
    # the report is the table: AppTest's warnings from the child that runs the pages are not in it
    assert "ScriptRunContext" not in done.stdout + done.stderr and "No runtime found" not in done.stderr
    for text in [
        "Bygge av databasen",
        "Golvsida",
        "× golvsidans p95",
        *SMOKE_PAGES,
        "Omräkning av scenario",
        "högsta RSS",
        "pandas",
    ]:
        assert text in done.stdout, text


# The national smoke: one page, the one whose national branch depends on how many municipalities have lines.
# scripts/national.py gives lines to its frames in order, 40 per municipality (10 years x 4 sources), so this
# many lines reach one municipality more than a chart draws (chart_builder.MAX_BARS), and Prioriterade
# områden summarises them instead of drawing the bars (at 600 lines, 15 municipalities, it drew them). The
# 290 municipalities' frames are there at any size. National pages in the browser are
# tests/browser/test_journey_national_formats.py's, every page's content is tests/app/test_pages.py's.
NATIONAL_PAGES = ["Prioriterade områden"]
NATIONAL_LINES = (chart_builder.MAX_BARS + 1) * len(national.YEARS) * len(national.SOURCES)


def test_benchmark_national_mode_generates_builds_and_runs_pages(tmp_path):
    out = tmp_path / "national.json"
    done = _run(
        "scripts/benchmark.py",
        "--national",
        "--national-dir",
        str(tmp_path / "national"),
        "--lines",
        str(NATIONAL_LINES),
        "--runs",
        "1",
        "--pages",
        ",".join(NATIONAL_PAGES),
        "--json",
        str(out),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "national" and result["allocation_rows"] == NATIONAL_LINES
    assert result["generated_s"] > 0
    _check_pages(result, runs=1, pages=NATIONAL_PAGES)
    assert "Generering av syntetisk data" in done.stdout


def test_load_test_drives_the_real_server_without_failures(tmp_path):
    out = tmp_path / "load.json"
    done = _run(
        "scripts/loadtest.py",
        # two changes per session, the same work on any machine; --seconds only bounds it
        *("--sessions", "2", "--changes", "2", "--seconds", "300", "--think", "0.2"),
        # a slow rerun is this machine's speed, not a failed session (seen: 30 s at a load of 25)
        *("--timeout", "120", "--json", str(out)),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["failed_sessions"] == 0 and result["failures"] == []
    assert result["sessions"] == 2 and result["changes_per_session"] == 2
    assert [r["changes"] for r in result["records"]] == [2, 2] and result["changes"] == 4
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert sum(p["changes"] for p in result["per_page"].values()) == result["changes"]
    assert result["server_peak_rss_mb"] > 50
    assert "Misslyckade sessioner: 0" in done.stdout


def _charts_shown(at_class, path: str, url: str) -> int:
    """How many Plotly charts the page draws for the filters in `url`, counted by the app itself."""
    from urllib.parse import parse_qsl, urlsplit

    script = {"/": "pages/oversikt.py"}[path]
    at = at_class.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in parse_qsl(urlsplit(url).query):
        at.query_params[key] = value
    at.run()
    at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return len(at.get("plotly_chart"))


@pytest.mark.browser
def test_browser_latency_times_each_sidebar_change_until_every_chart_is_drawn(tmp_path, fresh_streamlit):
    from streamlit.testing.v1 import AppTest

    from tests import browser_kit

    browser_kit.require_browser()
    out = tmp_path / "latency.json"
    done = _run("scripts/browser_latency.py", "--pages", "Översikt", "--changes", "2", "--json", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "bundled" and result["target_p95_ms"] == 500
    assert result["machine"] and len(result["load_average_before"]) == 3
    assert not result["server_log_has_traceback"]
    assert [p["page"] for p in result["pages"]] == ["Översikt"]
    for page in result["pages"]:
        assert page["changes"] == len(page["runs"]) == 2 and page["errors_shown"] == 0
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
        assert page["waits_for"] == "idle + plotly_afterplot"
        for run in page["runs"]:
            # the click, the rerun's messages and the drawing happen in that order, on the page's clock
            assert 0 < run["first_message_ms"] <= run["server_ms"] <= run["total_ms"] < 60_000
            assert run["bytes"] > 0 and run["messages"] > 0
            # every chart the page shows for these filters is in the browser, and each one drawn by
            # this change was drawn after the click
            assert run["charts"] == _charts_shown(AppTest, page["path"], run["url"]), run["change"]
            assert run["charts_redrawn"] <= run["charts"] == len(run["spec_bytes"]) == len(run["points"])
            assert all(size > 1000 for size in run["spec_bytes"]) and all(n > 0 for n in run["points"])
        # a new municipality's numbers are new charts: at least one change redrew one
        assert page["charts_redrawn_total"] > 0
    assert "Svarstid i webbläsaren" in done.stdout and "Översikt" in done.stdout


# ---------------------------------------------------------------- scaling (scripts/scaling.py)

STEP_FIGURES = {
    "sessions",
    "changes",
    "p50_ms",
    "p95_ms",
    "max_ms",
    "failed_sessions",
    "held",
    "peak_rss_mb",
    "cpu_s",
    "server_cpu_ms_per_change",
    "machine_busy_pct",
    "loadavg_before",
    "loadavg_after",
}


def _require_cluster() -> None:
    from tests import pg_kit
    from tests.store.test_deploy import require_nginx

    pg_kit.require_postgres()
    require_nginx()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _assert_all_stopped(run: dict) -> None:
    """Nothing the run started is left: no port answers, no process lives, no temp dir remains."""
    ports = [run["ports"]["nginx"], run["ports"]["postgres"], *run["ports"]["servers"]]
    assert len(ports) == 2 + run["servers"] and all(ports)
    assert [p for p in ports if _listening(p)] == []
    assert run["pids"]["nginx"] and run["pids"]["postgres"] and len(run["pids"]["servers"]) == run["servers"]
    pids = [*run["pids"]["nginx"], *run["pids"]["servers"], *run["pids"]["postgres"]]
    assert sorted(p["pid"] for p in run["processes"]) == sorted(pids)
    assert [d for d in run["dirs"] if Path(d).exists()] == []
    assert _still_running(run["processes"]) == []


def _still_running(processes: list[dict], grace_s: float = 10) -> list[str]:
    """The processes of the list that still run after a short grace, as 'pid state command'. A process is
    its pid and start time (pids are reused within minutes here); a zombie waiting for its parent to
    reap it (state Z) runs nothing and holds no port."""

    def running() -> list[str]:
        found = []
        for process in processes:
            pid = process["pid"]
            if scaling.start_time(pid) != process["start"]:
                continue
            try:
                stat = Path(f"/proc/{pid}/stat").read_text(errors="replace")
            except OSError:  # it ended meanwhile
                continue
            state = stat[stat.rindex(")") + 2]
            if state not in "ZX":
                found.append(f"{pid} {state} {stat[: stat.rindex(')') + 1]}")
        return found

    deadline = time.monotonic() + grace_s
    while (found := running()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


@pytest.mark.cluster
def test_scaling_steps_sessions_up_reports_the_curve_and_stops_everything(tmp_path):
    _require_cluster()
    out, png = tmp_path / "scaling.json", tmp_path / "scaling.png"
    done = _run(
        "scripts/scaling.py",
        *("--servers", "1", "--steps", "1", "2", "--seconds", "2", "--think", "0.5", "--pause", "0"),
        *("--json", str(out), "--png", str(png)),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["complete"] is True and result["interrupted"] is None
    assert result["machine"]["cpus"] >= 1 and len(result["loadavg_at_start"]) == 3
    [run] = result["runs"]
    assert run["servers"] == 1 and run["stopped"] is True
    steps = run["steps"]
    # steps go up and stop at the first miss (speed is this machine's, so either may happen)
    assert [s["sessions"] for s in steps] == [1, 2][: len(steps)] and steps
    assert [s["held"] for s in steps[:-1]] == [True] * (len(steps) - 1)
    assert run["ended_by"] == ("steps_exhausted" if steps[-1]["held"] else "missed")
    assert run["sessions_held"] == max([s["sessions"] for s in steps if s["held"]], default=0)
    for step in steps:
        assert set(step) >= STEP_FIGURES
        assert step["held"] == (
            step["p95_ms"] is not None and step["p95_ms"] < 1000 and step["failed_sessions"] == 0
        )
        if step["changes"]:
            assert 0 < step["p50_ms"] <= step["p95_ms"] <= step["max_ms"]
        assert len(step["peak_rss_mb"]) == 1 and step["peak_rss_mb"][0] > 50
        assert len(step["loadavg_before"]) == len(step["loadavg_after"]) == 3
        assert set(step["cpu_s"]) == {"servers", "nginx", "postgres", "client"}
    assert result["curve"] == [
        {
            "servers": 1,
            "sessions_held": run["sessions_held"],
            "at_least": run["ended_by"] == "steps_exhausted",
        }
    ]
    at_least = "minst " if run["ended_by"] == "steps_exhausted" else ""
    assert f"Kurva (servrar → sessioner):\n  1 → {at_least}{run['sessions_held']}\n" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _assert_all_stopped(run)


@pytest.mark.cluster
def test_ctrl_c_during_a_scaling_step_stops_everything_it_started(tmp_path):
    _require_cluster()
    out = tmp_path / "scaling.json"
    process = subprocess.Popen(
        [sys.executable, "scripts/scaling.py", "--servers", "1", "--steps", "2", "--seconds", "120"]
        + ["--json", str(out), "--no-png"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and "ports" in json.loads(out.read_text(encoding="utf-8"))["runs"][0]):
            assert process.poll() is None and time.monotonic() < deadline, "the cluster did not start"
            time.sleep(0.5)
        time.sleep(1)  # inside the step's load test
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, output[-3000:]
    assert "Avbruten (SIGINT)" in output and "Traceback" not in output
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["complete"] is False and result["interrupted"] == "SIGINT"
    [run] = result["runs"]
    assert run["steps"] == [] and result["curve"] == []  # a step cut short is not a measurement
    _assert_all_stopped(run)
