"""The benchmark and the load test run with one command each and report what they promise.

These are the small-data variants that CI runs; the national ones run on demand (README, "Prestanda").
Timings are not asserted (this machine's speed is not the code's property); the presence of every
figure, zero failed sessions and the commands' exit codes are.
"""

from __future__ import annotations

import json
import subprocess
import sys

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
