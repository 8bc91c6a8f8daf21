"""What scripts/benchmark.py measures apart from the pages: a scenario's recompute after one edit on a large
synthetic frame, and the browsing pages' grouped aggregations in pandas against the app's DuckDB queries on the
same rows (the same numbers are checked before a ratio is reported). Targets are the caller's; nothing is asserted
about speed.
"""

from __future__ import annotations

import statistics
import time

from workload import percentile

# The pandas comparison: each aggregation's median of this many runs, or of --runs if fewer (the tests' smoke run).
PANDAS_REPEATS = 5


# ------------------------------------------------------------------ scenario


def scenario_benchmark(lines: int = 10_000, runs: int = 30, target_ms: float | None = None) -> dict:
    """Time to recompute a scenario after one edit (apply + evaluate + compare) on a large synthetic frame."""
    from fractions import Fraction

    from insatskollen.core import scenario as sc
    from insatskollen.core import scenario_evaluation
    from insatskollen.core.scenario_undo import Scenario

    areas = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]
    state = sc.State(
        lines * 100_000,
        tuple(
            sc.Line(f"l{i}", f"Insats {i}", f"Nämnd {i % 40}", areas[i % 5], 50_000 + i) for i in range(lines)
        ),
    )
    rules = tuple(sc.Rule("finansieringsintervall", None, a, Fraction(5), Fraction(40)) for a in areas)
    scenario = Scenario.start(state, rules)
    timings = []
    for i in range(runs):
        start = time.perf_counter()
        if i % 2:
            scenario.apply("flytta", sc.move, sc.AREA, areas[i % 5], 1_000_000, target=areas[(i + 1) % 5])
        else:
            scenario.apply("sätt", sc.set_amount, f"l{i}", 123_456)
        scenario.evaluate()
        scenario_evaluation.compare_groups(scenario.baseline, scenario.current, sc.AREA)
        scenario_evaluation.compare_groups(scenario.baseline, scenario.current, sc.COMMITTEE)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "lines": lines,
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "target_ms": target_ms,
    }


# ------------------------------------------------------------------ pandas against DuckDB


def _pandas_aggregations(lines, frames, municipalities: list[str]):
    """The aggregations of totals_by_municipality_year, allocation_by_area, allocation_by_committee and
    allocation_flow, written the way one would in pandas, on the allocation and frame_year tables."""
    import pandas as pd

    if municipalities:
        lines = lines[lines.municipality.isin(municipalities)]
        frames = frames[frames.municipality.isin(municipalities)]
    by_my = lines.groupby(["municipality", "year"])
    totals = pd.DataFrame(
        {
            "allocated_sek": by_my.amount_sek.sum(min_count=1),
            "lines": by_my.size(),
            "measures": by_my.measure_id.nunique(),
        }
    ).join(
        frames.groupby(["municipality", "year"]).amount_sek.sum(min_count=1).rename("frame_sek"), how="right"
    )
    by_area = lines.groupby(["municipality", "year", "priority_area"], dropna=False).agg(
        amount_sek=("amount_sek", lambda s: s.sum(min_count=1)), lines=("amount_sek", "size")
    )
    by_committee = lines.groupby(["municipality", "year", "funding_source", "committee"], dropna=False).agg(
        amount_sek=("amount_sek", lambda s: s.sum(min_count=1)), lines=("amount_sek", "size")
    )
    flow = lines.groupby(["funding_source", "committee", "priority_area"], dropna=False).amount_sek.sum(
        min_count=1
    )
    return {"totals": totals, "by_area": by_area, "by_committee": by_committee, "flow": flow}


def pandas_comparison(db, repeats: int = PANDAS_REPEATS) -> dict:
    from insatskollen.core.filters import Filters

    start = time.perf_counter()
    lines = db.con.execute("select * from model.allocation").df()
    frames = db.con.execute("select * from model.frame_year").df()
    load_ms = (time.perf_counter() - start) * 1000
    first = sorted(set(frames.municipality))[:1]
    queries = (
        "totals_by_municipality_year",
        "allocation_by_area",
        "allocation_by_committee",
        "allocation_flow",
    )
    frame_mb = (lines.memory_usage(deep=True).sum() + frames.memory_usage(deep=True).sum()) / 1024 / 1024
    result = {
        "rows": len(lines),
        "load_into_pandas_ms": round(load_ms, 1),
        "pandas_frames_mb": round(frame_mb, 1),  # what pandas must hold in memory to answer at all
        "repeats": repeats,
        "cases": [],
    }
    for label, municipalities in (("alla kommuner", []), (f"en kommun ({first[0]})", first)):
        params = Filters(municipalities=tuple(municipalities)).params()
        duck, panda = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            from_duckdb = {name: db.query(name, **params) for name in queries}
            duck.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            from_pandas = _pandas_aggregations(lines, frames, municipalities)
            panda.append((time.perf_counter() - start) * 1000)
        # the same numbers, or the comparison means nothing
        assert (
            from_pandas["totals"].allocated_sek.sum()
            == from_duckdb["totals_by_municipality_year"].allocated_sek.sum()
        )
        assert (
            from_pandas["totals"].measures.sum() == from_duckdb["totals_by_municipality_year"].measures.sum()
        )
        assert len(from_pandas["by_committee"]) == len(from_duckdb["allocation_by_committee"])
        assert from_pandas["flow"].sum() == from_duckdb["allocation_flow"].amount_sek.sum()
        duck_ms, pandas_ms = statistics.median(duck), statistics.median(panda)
        result["cases"].append(
            {
                "filter": label,
                "duckdb_ms": round(duck_ms, 1),
                "pandas_ms": round(pandas_ms, 1),
                "ratio": round(pandas_ms / duck_ms, 1),
            }
        )
    return result
