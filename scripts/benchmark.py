#!/usr/bin/env python3
"""Benchmark: build time, each page's server-side run time, scenario recompute, memory, and DuckDB
against pandas on the same aggregations.

    .venv/bin/python scripts/benchmark.py [--runs 30]                  # bundled data
    .venv/bin/python scripts/benchmark.py --national [--runs 12]       # synthetic national data

Bundled: builds data/ into a throwaway database. National: generates var/national/data with
scripts/national.py if it is missing (--lines, default 1 000 000), then builds it into
var/national/var (read store and working store), timing the build.

Pages run in-process with Streamlit's AppTest, in a child process that only serves (so its memory is
that of a server with the data loaded, not of the build). For every page the filters change on
each rerun (scripts/workload.py). "cold" clears the query and chart caches before each rerun, so
every query and chart is recomputed; "warm" keeps them, as for a filter combination already seen.
The consistency report is computed once per data version in both modes, as in the app.
Each page keeps one AppTest session for its cold runs, its warm runs and the traced pass. AppTest's own costs
that a server does not have (it compiled app.py and the page on every run, and polled for the run's end) are
taken out as in the tests (tests/apptest_harness.py).
Memory: the child's peak RSS (VmHWM), and the Python heap's peak (tracemalloc) during one more cold
pass over every page (each of the six filter settings once, or --runs of them if fewer). pandas: the four grouped aggregations behind the browsing pages, computed
with pandas on the allocation table and with the app's DuckDB queries, same filters, same run, the median of
5 repeats (or of --runs if fewer); results are compared before the ratio is reported. Prints a table and
writes JSON. Targets are reported, not asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_compute import PANDAS_REPEATS, pandas_comparison, scenario_benchmark  # noqa: E402
from workload import FILTER_KEYS, PAGES, filter_cycle, percentile  # noqa: E402

TARGETS = {"bundled_p95_ms": 100, "national_p95_ms": 300, "recompute_ms": 50, "build_s": 10, "rss_mb": 600}
PANDAS_TARGET_RATIO = 3
# A page's p95 against the floor page's (scripts/floor_page.py) in the same run, cold and warm (issue 25).
FLOOR_TARGETS = {"cold": 2.0, "warm": 1.5}


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or platform.machine()
    try:
        mem_kb = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        memory = "okänt"
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": cpu,
        "memory": memory,
    }


def status_mb(pid: int | str, field: str) -> float | None:
    """A size field of /proc/<pid>/status (VmHWM, VmRSS) in MB; None without it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """A process's peak resident set size (VmHWM), in MB. For this process without /proc, getrusage;
    for another one, None."""
    peak = status_mb(pid, "VmHWM")
    if peak is not None or pid != "self":
        return peak
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ------------------------------------------------------------------ pages (child process)


def _apply(at, filters: dict) -> None:
    for key in FILTER_KEYS:
        at.multiselect(key=f"filter_{key}").set_value(filters.get(key, []))


def _clear_caches() -> None:
    import streamlit as st

    from insatskollen.ui import session

    st.cache_data.clear()
    session._cached_chart.clear()  # the charts and decks too; the database and the findings stay, as in production
    session._cached_deck.clear()


def _keep_findings() -> None:
    """The consistency report is cached per data version (computed once after a build); clearing
    st.cache_data would drop it, so pin it outside that cache for the benchmark."""
    from insatskollen.ui import session

    report = session.findings()
    session.findings = lambda: report


def time_page(script: str, runs: int, cold: bool, cycle=None, at=None) -> tuple[list[float], list, object]:
    """Time `runs` reruns of a page; `at` is an AppTest already on that page (a new one is opened on the
    page otherwise). Returns the timings, the filter cycle and the AppTest."""
    from streamlit.testing.v1 import AppTest

    from insatskollen.ui import sidebar

    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.switch_page(script).run()  # the session's first run is the page's, as for a link to it
    if cycle is None:
        cycle = filter_cycle(sidebar.filter_options())
    timings = _timed_reruns(at, runs, cold, lambda i: _apply(at, cycle[i % len(cycle)]), len(cycle), script)
    return timings, cycle, at


def _timed_reruns(at, runs: int, cold: bool, choose, settings: int, name: str) -> list[float]:
    """`runs` reruns of the AppTest `at`, each after `choose(i)` set that rerun's filters; cold clears the caches
    before each. Warm first reruns once, untimed, with each of the cycle's `settings` filter settings, so that
    every timed rerun is of a combination already seen (the cold runs before it cleared the caches each time).
    The milliseconds of each rerun."""
    if not cold:
        for i in range(min(runs, settings)):
            choose(i)
            at.run()
    timings = []
    for i in range(runs):
        choose(i)
        if cold:
            _clear_caches()
        start = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
    return timings


FLOOR_PAGE = ROOT / "scripts" / "floor_page.py"
FLOOR_TITLE = "Golvsida"


def time_floor(runs: int, cold: bool, cycle: list, at=None) -> tuple[list[float], object]:
    """Time `runs` reruns of the floor page (scripts/floor_page.py) with the same filter changes as the pages (its
    only filter is kommun), cold or warm as they are."""
    from streamlit.testing.v1 import AppTest

    if at is None:
        at = AppTest.from_file(str(FLOOR_PAGE), default_timeout=600)
        at.run()

    def choose(i: int) -> None:
        box = at.multiselect(key="floor_kommun")
        box.set_value([m for m in cycle[i % len(cycle)].get("municipalities", []) if m in box.options])

    return _timed_reruns(at, runs, cold, choose, len(cycle), FLOOR_PAGE.name), at


def _row(title: str, mode: str, runs: int, timings: list[float]) -> dict:
    return {
        "page": title,
        "mode": mode,
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


def child_pages(runs: int, titles: list[str] | None = None) -> dict:
    """Runs in the child: every page (or those titled `titles`), each cold and warm; one traced cold pass for the
    Python heap; then the floor page, cold and warm, and each page's ratio to it."""
    from insatskollen.ui import session, sidebar
    from tests import apptest_harness

    apptest_harness.install()  # AppTest's own overheads out of the timings (a compile per run, polling)
    database = session.database()
    os.environ["INSATSKOLLEN_FLOOR_DB"] = str(database.stores.read.current().path)
    _keep_findings()
    cycle = filter_cycle(sidebar.filter_options())
    rows = []
    measured = {}  # script -> its AppTest, kept on the page for the next mode and the traced pass
    for title, script, _ in PAGES:
        if titles and title not in titles:
            continue
        at = None
        for mode in ("cold", "warm"):
            try:
                timings, cycle, at = time_page(script, runs, mode == "cold", cycle, at)
            except ValueError as error:
                # AppTest cannot rerun a page whose select box (stable ids shown through format_func, as
                # in the app) holds an id its own label list lacks; the load test times such a page on the
                # real server instead.
                rows.append({"page": title, "mode": mode, "runs": runs, "error": f"AppTest: {error}"})
                at = None  # its state after the error is unknown: the next mode opens the page anew
                if script in measured:
                    measured[script] = None  # and so does the traced pass
                continue
            measured[script] = at
            rows.append(_row(title, mode, runs, timings))
    rss = peak_rss_mb()
    breakdown = memory_breakdown()
    tracemalloc.start()
    # every filter setting of the cycle once, or only `runs` of them in a shorter run (the tests' smoke run)
    for script, at in measured.items():
        with contextlib.suppress(ValueError):  # AppTest's select box limit (above), met on a later change
            time_page(script, min(runs, len(cycle)), True, cycle, at)
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # the floor page last, after the memory figures (its own DuckDB connection is not the app's memory); its rows
    # first in the table, and every page's p95 as a multiple of its p95 in the same mode
    floor_rows, floor_at = [], None
    for mode in ("cold", "warm"):
        timings, floor_at = time_floor(runs, mode == "cold", cycle, floor_at)
        floor_rows.append(_row(FLOOR_TITLE, mode, runs, timings) | {"floor": True})
    floor = {r["mode"]: r["p95_ms"] for r in floor_rows}
    for row in rows:
        if "p95_ms" in row:
            row["floor_ratio"] = round(row["p95_ms"] / floor[row["mode"]], 1)
    rows = floor_rows + rows
    return {
        "pages": rows,
        "peak_rss_mb": rss,
        "python_heap_peak_mb": round(heap_peak / 1024 / 1024, 1),
        "memory": breakdown,
    }


def current_rss_mb() -> float:
    now = status_mb("self", "VmRSS")
    return float("nan") if now is None else now


def memory_breakdown() -> dict:
    """Where a serving process's memory is, after every page has run warm: DuckDB's own accounting
    (duckdb_memory(): the buffer pool's table blocks, hash tables, ...), Streamlit's caches as it counts them
    itself (the bytes behind /_stcore/metrics: pickled size for cache_data, an estimate for cache_resource),
    and the process's resident size; the rest is the Python runtime and its libraries and what the
    allocators keep after a query has freed it."""
    from streamlit.runtime.caching.cache_data_api import _data_caches
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    from insatskollen.ui import session

    caches: dict[str, float] = {}
    for family in (_data_caches.get_stats(), _resource_caches.get_stats()):
        for stats in family.values():
            for stat in stats:
                name = stat.cache_name.rsplit(".", 1)[-1] or stat.category_name
                caches[name] = caches.get(name, 0) + stat.byte_length
    con = session.database().snapshot.con
    duck = dict(
        con.execute(
            "select tag, sum(memory_usage_bytes) from duckdb_memory() group by tag having sum(memory_usage_bytes) > 0"
        ).fetchall()
    )
    mb = 1024 * 1024
    result = {
        "rss_mb": current_rss_mb(),
        "duckdb_mb": round(sum(duck.values()) / mb, 1),
        "duckdb_by_tag_mb": {tag: round(v / mb, 1) for tag, v in duck.items()},
        "duckdb_memory_limit": con.execute("select current_setting('memory_limit')").fetchone()[0],
        "caches_mb": round(sum(caches.values()) / mb, 1),
        "caches_by_function_mb": {k: round(v / mb, 1) for k, v in sorted(caches.items())},
    }
    result["rest_mb"] = round(result["rss_mb"] - result["duckdb_mb"] - result["caches_mb"], 1)
    return result


def pages_in_child(db_path: Path, data_dir: Path, runs: int, titles: list[str] | None = None) -> dict:
    env = os.environ | {"INSATSKOLLEN_VAR": str(db_path), "INSATSKOLLEN_DATA": str(data_dir)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pages.json"
        # AppTest's own warnings (no runtime, no script context) are not the report: shown only on a failure
        done = subprocess.run(
            [sys.executable, __file__, "--child-pages", str(out), "--runs", str(runs)]
            + (["--pages", ",".join(titles)] if titles else []),
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if done.returncode:
            sys.stderr.write(done.stdout)
            raise SystemExit(f"Sidmätningen misslyckades (kod {done.returncode}).")
        return json.loads(out.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ main


def _national_data(directory: Path, lines: int) -> tuple[Path, float | None]:
    import national

    data = directory / "data"
    if (data / "allocations.csv").exists():
        return data, None
    start = time.perf_counter()
    national.generate(directory, lines)
    return data, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="reruns per page and mode (30 bundled, 12 national); given, also of the scenario recompute (at least 3) "
        "and of the pandas comparison (at most 5, its default)",
    )
    parser.add_argument("--national", action="store_true", help="the synthetic national data (var/national)")
    parser.add_argument("--national-dir", type=Path, default=ROOT / "var" / "national")
    parser.add_argument(
        "--lines", type=int, default=1_000_000, help="lines to generate if the data is missing"
    )
    parser.add_argument("--json", type=Path, default=None, help="default artifacts/benchmark[-national].json")
    parser.add_argument(
        "--pages",
        default=None,
        help="only these pages, by title, comma-separated (default all; the tests' smoke run)",
    )
    parser.add_argument("--child-pages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = args.runs or (12 if args.national else 30)
    titles = [t.strip() for t in args.pages.split(",")] if args.pages else None
    if titles and (unknown := [t for t in titles if t not in [title for title, _, _ in PAGES]]):
        parser.error(f"okänd sida: {', '.join(unknown)}")

    if args.child_pages:
        args.child_pages.write_text(json.dumps(child_pages(runs, titles)), encoding="utf-8")
        return

    from insatskollen.store.db import DATA_DIR, Database

    label = "national" if args.national else "bundled"
    out = args.json or ROOT / "artifacts" / f"benchmark{'-national' if args.national else ''}.json"
    generated_s = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.national:
            data_dir, generated_s = _national_data(args.national_dir, args.lines)
            db_path = args.national_dir / "var"
        else:
            data_dir, db_path = DATA_DIR, Path(tmp) / "bench.duckdb"
        shutil.rmtree(db_path, ignore_errors=True)  # a fresh var folder (read store + working store)
        db_path.mkdir(parents=True)
        db = Database.open(db_path, database_url=f"sqlite:///{db_path / 'working.sqlite3'}")
        start = time.perf_counter()
        built = db.build(data_dir)
        build_s = time.perf_counter() - start
        lines = built.row_counts["allocations"]
        comparison = pandas_comparison(
            db, repeats=PANDAS_REPEATS if args.runs is None else min(PANDAS_REPEATS, args.runs)
        )
        db.close()
        pages = pages_in_child(db_path, data_dir, runs, titles)
    recompute = scenario_benchmark(
        runs=30 if args.runs is None else max(3, args.runs), target_ms=TARGETS["recompute_ms"]
    )
    target_ms = TARGETS[f"{label}_p95_ms"]

    result = {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "data": label,
        "allocation_rows": lines,
        "generated_s": None if generated_s is None else round(generated_s, 1),
        "build_s": round(build_s, 2),
        "pages": pages["pages"],
        "server_peak_rss_mb": pages["peak_rss_mb"],
        "python_heap_peak_mb": pages["python_heap_peak_mb"],
        "memory": pages["memory"],
        "scenario_recompute": recompute,
        "pandas_vs_duckdb": comparison,
        "targets": TARGETS | {"pages_p95_ms": target_ms, "pandas_ratio": PANDAS_TARGET_RATIO},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(result, target_ms)
    print(f"JSON: {out}")


def fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _ok(good: bool) -> str:
    return "ok" if good else "MISSAR"


def print_report(r: dict, target_ms: int) -> None:
    m = r["machine"]
    print(f"Maskin: {m['processor']}, {m['cpus']} kärnor, {m['memory']}, Python {m['python']}")
    print(f"Data: {r['data']}, {fmt_int(r['allocation_rows'])} fördelningsrader")
    if r["generated_s"] is not None:
        print(f"Generering av syntetisk data: {r['generated_s']} s")
    print(
        f"Bygge av databasen: {r['build_s']} s  mål < {TARGETS['build_s']} s  {_ok(r['build_s'] < TARGETS['build_s'])}"
    )
    print(
        f"{'Sida':<22} {'läge':<5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  mål p95 < {target_ms} ms  "
        f"× golvsidans p95 (mål ≤ {FLOOR_TARGETS['cold']} kall, ≤ {FLOOR_TARGETS['warm']} varm)"
    )
    for row in r["pages"]:
        if "error" in row:
            print(f"{row['page']:<22} {row['mode']:<5} kunde inte mätas här ({row['error'][:80]})")
            continue
        ratio = row.get("floor_ratio")
        versus = (
            "(golvet: 4 mått, 3 diagram, 2 tabeller, 3 frågor)"
            if row.get("floor")
            else f"{ratio}×  {_ok(ratio <= FLOOR_TARGETS[row['mode']])}"
        )
        print(
            f"{row['page']:<22} {row['mode']:<5} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}  "
            f"{_ok(row['p95_ms'] < target_ms):<6}  {versus}"
        )
    rc = r["scenario_recompute"]
    print(
        f"Omräkning av scenario efter en ändring ({rc['lines']} rader): p50 {rc['p50_ms']} ms, p95 {rc['p95_ms']} ms  "
        f"mål < {rc['target_ms']} ms  {_ok(rc['p95_ms'] < rc['target_ms'])}"
    )
    print(
        f"Minne i serverprocessen med datan laddad: högsta RSS {r['server_peak_rss_mb']} MB  "
        f"mål < {TARGETS['rss_mb']} MB  {_ok(r['server_peak_rss_mb'] < TARGETS['rss_mb'])}; "
        f"Python-heap högst {r['python_heap_peak_mb']} MB"
    )
    mem = r["memory"]
    print(
        f"  därav (efter alla sidor, varma): RSS {mem['rss_mb']} MB = DuckDB {mem['duckdb_mb']} MB "
        f"(gräns {mem['duckdb_memory_limit']}) + cacher {mem['caches_mb']} MB + resten {mem['rest_mb']} MB "
        "(Python, bibliotek, allokatorernas sparade minne)"
    )
    for name, size in mem["caches_by_function_mb"].items():
        print(f"    cache {name}: {size} MB")
    cmp = r["pandas_vs_duckdb"]
    repeats = f"{cmp['repeats']} {'körning' if cmp['repeats'] == 1 else 'körningar'}"
    print(
        f"Samma grupperingar i pandas och DuckDB ({fmt_int(cmp['rows'])} rader, median av {repeats}; "
        "pandas måste först läsa in dem: "
        f"{cmp['load_into_pandas_ms']} ms, {cmp['pandas_frames_mb']} MB):"
    )
    for case in cmp["cases"]:
        print(
            f"  {case['filter']:<28} DuckDB {case['duckdb_ms']:>7} ms  pandas {case['pandas_ms']:>8} ms  "
            f"{case['ratio']}×  mål ≥ {PANDAS_TARGET_RATIO}×  {_ok(case['ratio'] >= PANDAS_TARGET_RATIO)}"
        )


if __name__ == "__main__":
    main()
