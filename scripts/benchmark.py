#!/usr/bin/env python3
"""Benchmark: each page's server-side run time, in-process with Streamlit's AppTest.

    .venv/bin/python scripts/benchmark.py [--runs 30] [--json artifacts/benchmark.json]

For every page, the filters are changed on each rerun (cycling through a fixed list of
combinations, as a user clicking around would), and the time of that rerun is recorded.
"cold" clears Streamlit's caches before each rerun (every query and chart is recomputed);
"warm" keeps them, as for a user returning to a filter combination already seen.
Prints a table and writes JSON. Targets are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "Översikt": "pages/oversikt.py",
    "Prioriterade områden": "pages/omraden.py",
    "Nämnder": "pages/namnder.py",
    "Kommuner": "pages/kommuner.py",
    "Insatser": "pages/insatser.py",
    "Källor": "pages/kallor.py",
    "Datakvalitet": "pages/datakvalitet.py",
    "Scenarier": "pages/scenarier.py",
    "Importera": "pages/importera.py",
    "Presentation": "pages/presentation.py",
}
FILTER_CYCLE = [
    {},
    {"municipalities": ["Malmö"]},
    {"municipalities": ["Södertälje"], "years": ["2019"]},
    {"areas": ["Utbildning"]},
    {"funding_sources": ["KS anslag till förfogande"], "areas": ["Boende"]},
    {"municipalities": ["Linköping", "Motala"]},
]
TARGET_MS = 100


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _apply(at, filters: dict) -> None:
    for key in ("municipalities", "years", "funding_sources", "committees", "areas", "statuses"):
        at.multiselect(key=f"filter_{key}").set_value(filters.get(key, []))


def time_page(page: str, runs: int, cold: bool) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from insatskollen import ui

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    timings = []
    for i in range(runs):
        _apply(at, FILTER_CYCLE[i % len(FILTER_CYCLE)])
        if cold:
            st.cache_data.clear()
            ui._cached_chart.clear()  # the charts and decks too; the database handle stays, as in production
            ui._cached_deck.clear()
        start = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
    return timings


def page_benchmarks(runs: int) -> list[dict]:
    rows = []
    for name, page in PAGES.items():
        for mode in ("cold", "warm"):
            timings = time_page(page, runs, cold=mode == "cold")
            rows.append(
                {
                    "page": name,
                    "mode": mode,
                    "runs": runs,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 95), 1),
                    "max_ms": round(max(timings), 1),
                }
            )
    return rows


def scenario_benchmark(lines: int = 10_000, runs: int = 30) -> dict:
    """Time to recompute a scenario after one edit (apply + evaluate + compare) on a large synthetic frame."""
    from fractions import Fraction

    from insatskollen import scenario as sc

    areas = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]
    state = sc.State(
        lines * 100_000,
        tuple(
            sc.Line(f"l{i}", f"Insats {i}", f"Nämnd {i % 40}", areas[i % 5], 50_000 + i) for i in range(lines)
        ),
    )
    rules = tuple(sc.Rule("finansieringsintervall", None, a, Fraction(5), Fraction(40)) for a in areas)
    scenario = sc.Scenario.start(state, rules)
    timings = []
    for i in range(runs):
        start = time.perf_counter()
        if i % 2:
            scenario.apply("flytta", sc.move, sc.AREA, areas[i % 5], 1_000_000, target=areas[(i + 1) % 5])
        else:
            scenario.apply("sätt", sc.set_amount, f"l{i}", 123_456)
        scenario.evaluate()
        sc.compare_groups(scenario.baseline, scenario.current, sc.AREA)
        sc.compare_groups(scenario.baseline, scenario.current, sc.COMMITTEE)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "lines": lines,
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "target_ms": 50,
    }


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="reruns per page and mode (default 30)")
    parser.add_argument("--json", type=Path, default=ROOT / "artifacts" / "benchmark.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INSATSKOLLEN_DB"] = str(Path(tmp) / "bench.duckdb")
        from insatskollen.db import Database

        start = time.perf_counter()
        db = Database.open()
        db.build()
        build_ms = (time.perf_counter() - start) * 1000
        db.close()
        rows = page_benchmarks(args.runs)
    recompute = scenario_benchmark()

    result = {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "data": "bundled",
        "build_ms": round(build_ms, 1),
        "pages": rows,
        "scenario_recompute": recompute,
        "target_p95_ms": TARGET_MS,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"Bygge av databasen (paketerad data): {build_ms:.0f} ms")
    print(f"{'Sida':<22} {'läge':<5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  mål p95 < {TARGET_MS} ms")
    for row in rows:
        ok = "ok" if row["p95_ms"] < TARGET_MS else "MISSAR"
        print(
            f"{row['page']:<22} {row['mode']:<5} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}  {ok}"
        )
    ok = "ok" if recompute["p95_ms"] < recompute["target_ms"] else "MISSAR"
    print(
        f"Omräkning av scenario efter en ändring ({recompute['lines']} rader): p50 {recompute['p50_ms']} ms, "
        f"p95 {recompute['p95_ms']} ms  mål < {recompute['target_ms']} ms  {ok}"
    )
    print(f"JSON: {args.json}")


if __name__ == "__main__":
    main()
