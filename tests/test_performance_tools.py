"""The benchmark, the load test and the browser latency run with one command each and report what they
promise.

These are the small-data variants that CI runs; the national ones run on demand (README, "Prestanda").
Timings are not asserted (this machine's speed is not the code's property); the presence of every
figure, zero failed sessions and the commands' exit codes are.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PAGES = [
    "Översikt",
    "Prioriterade områden",
    "Nämnder",
    "Kommuner",
    "Insatser",
    "Källor",
    "Datakvalitet",
    "Scenarier",
    "Importera",
    "Presentation",
]


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def _check_pages(result: dict, runs: int) -> None:
    rows = {(r["page"], r["mode"]): r for r in result["pages"]}
    assert set(rows) == {(page, mode) for page in PAGES for mode in ("cold", "warm")}
    for row in rows.values():
        assert row["runs"] == runs
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
    assert result["server_peak_rss_mb"] > 50 and result["python_heap_peak_mb"] > 0


def test_benchmark_on_the_bundled_data_prints_and_saves_every_figure(tmp_path):
    out = tmp_path / "benchmark.json"
    done = _run("scripts/benchmark.py", "--runs", "2", "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "bundled" and result["allocation_rows"] == 63
    assert 0 < result["build_s"] < 60
    _check_pages(result, runs=2)
    assert result["scenario_recompute"]["lines"] == 10_000 and result["scenario_recompute"]["p95_ms"] > 0
    cases = result["pandas_vs_duckdb"]["cases"]
    assert [c["filter"] for c in cases] == ["alla kommuner", "en kommun (Linköping)"]
    assert all(c["duckdb_ms"] > 0 and c["pandas_ms"] > 0 and c["ratio"] > 0 for c in cases)
    for text in [
        "Bygge av databasen",
        "Översikt",
        "Presentation",
        "Omräkning av scenario",
        "högsta RSS",
        "pandas",
    ]:
        assert text in done.stdout, text


def test_benchmark_national_mode_generates_builds_and_runs_every_page(tmp_path):
    # 290 kommuner with few lines: the national code path (generator, INSATSKOLLEN_DATA, pages that
    # summarise instead of drawing 290 bars) without the million lines.
    out = tmp_path / "national.json"
    done = _run(
        "scripts/benchmark.py",
        "--national",
        "--national-dir",
        str(tmp_path / "national"),
        "--lines",
        "3000",
        "--runs",
        "1",
        "--json",
        str(out),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "national" and result["allocation_rows"] == 3000
    assert result["generated_s"] > 0
    _check_pages(result, runs=1)
    assert "Generering av syntetisk data" in done.stdout


def test_load_test_drives_the_real_server_without_failures(tmp_path):
    out = tmp_path / "load.json"
    done = _run(
        "scripts/loadtest.py", "--sessions", "3", "--seconds", "6", "--think", "0.2", "--json", str(out)
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["failed_sessions"] == 0 and result["failures"] == []
    assert result["sessions"] == 3 and result["changes"] >= 6
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert sum(p["changes"] for p in result["per_page"].values()) == result["changes"]
    assert result["server_peak_rss_mb"] > 50
    assert "Misslyckade sessioner: 0" in done.stdout


def _charts_shown(at_class, path: str, url: str) -> int:
    """How many Plotly charts the page draws for the filters in `url`, counted by the app itself."""
    from urllib.parse import parse_qsl, urlsplit

    script = {"/": "pages/oversikt.py", "/namnder": "pages/namnder.py"}[path]
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
    done = _run(
        "scripts/browser_latency.py", "--pages", "Översikt,Nämnder", "--changes", "3", "--json", str(out)
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["data"] == "bundled" and result["target_p95_ms"] == 500
    assert result["machine"] and len(result["load_average_before"]) == 3
    assert not result["server_log_has_traceback"]
    assert [p["page"] for p in result["pages"]] == ["Översikt", "Nämnder"]
    for page in result["pages"]:
        assert page["changes"] == len(page["runs"]) == 3 and page["errors_shown"] == 0
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
