#!/usr/bin/env python3
"""Measure what many scenario edits cost: N "Lägg till insatsen" clicks, then one save, then opening it.

    .venv/bin/python scripts/scenario_history.py [--adds 1000] [--var DIR]

Each phase runs in a child process of its own, so its memory is its own: `edit` makes the N adds through
the engine as the page's callback does (refused adds are counted, not raised), `save` saves the scenario
as new, `open` opens the saved scenario as a link does (ActiveScenario.open). Prints, per phase, the
seconds, the peak RSS (VmHWM) and how much it grew, and the stored history row's size. Nothing is
asserted: the tests check sizes, this script reports times.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def child(var: Path, adds: int) -> dict:
    """Edit, save and report; the scenario id goes back in the result."""
    from insatskollen.core import scenario as sc
    from insatskollen.core.scenario_undo import Scenario
    from insatskollen.store import scenario_store as store
    from insatskollen.store.db import Database

    db = Database.open(var)
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    start_rss, _ = _rss_mb()
    started = time.perf_counter()
    refused, message = 0, ""
    for number in range(1, adds + 1):
        title = f"Insats {number}"
        try:
            scenario.apply(f"Lade till ”{title}” med 1 000 kr", sc.add_line, title, None, None, 1000)
        except sc.EditError as error:
            refused, message = refused + 1, str(error)
    edit_seconds = time.perf_counter() - started
    edit_rss, _ = _rss_mb()
    started = time.perf_counter()
    scenario_id = store.save_new(
        db, scenario, name="Många tillägg", author="Mätning", frame_id="mal-ks", year=2022
    )
    save_seconds = time.perf_counter() - started
    end_rss, peak = _rss_mb()
    row = db.work.scenario_row(scenario_id)
    db.close()
    return {
        "scenario_id": scenario_id,
        "edit_seconds": edit_seconds,
        "save_seconds": save_seconds,
        "rss_start_mb": start_rss,
        "rss_after_edits_mb": edit_rss,
        "rss_after_save_mb": end_rss,
        "peak_mb": peak,
        "history_bytes": len((row["history_json"] or "").encode()),
        "state_bytes": len(row["state_json"].encode()),
        "lines": len(scenario.current.lines),
        "undo_steps": len(scenario.history),
        "refused": refused,
        "message": message,
    }


def child_open(var: Path, scenario_id: str) -> dict:
    from insatskollen.store.db import Database
    from insatskollen.ui.scenario_session import ActiveScenario

    db = Database.open(var)
    db.query("scenario_frames")  # the data is loaded, as in a running server
    start_rss, _ = _rss_mb()
    started = time.perf_counter()
    opened = ActiveScenario.open(db, scenario_id)
    seconds = time.perf_counter() - started
    end_rss, peak = _rss_mb()
    metrics = opened.metrics()
    db.close()
    return {
        "open_seconds": seconds,
        "rss_start_mb": start_rss,
        "rss_after_open_mb": end_rss,
        "peak_mb": peak,
        "undo_steps": len(opened.scenario.history),
        "metrics": metrics,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=1000)
    parser.add_argument("--var", type=Path, help="var folder (default: a new temporary one)")
    parser.add_argument("--child", choices=["save", "open"], help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "save":
        print(json.dumps(child(args.var, args.adds)))
        return
    if args.child == "open":
        print(json.dumps(child_open(args.var, args.scenario)))
        return

    var = args.var or Path(tempfile.mkdtemp(prefix="scenario-history-")) / "var"
    var.mkdir(parents=True, exist_ok=True)
    from insatskollen.store.db import Database

    db = Database.open(var)
    db.ensure_built()
    db.close()

    def run(*extra: str) -> dict:
        out = subprocess.run(
            [sys.executable, __file__, "--var", str(var), "--adds", str(args.adds), *extra],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    saved = run("--child", "save")
    opened = run("--child", "open", "--scenario", saved["scenario_id"])
    print(
        f"{args.adds} adds on Malmö 2022 KS ({saved['refused']} refused; {saved['lines']} lines, "
        f"{saved['undo_steps']} undo steps)"
    )
    if saved["message"]:
        print(f"  refusal: {saved['message']}")
    print(
        f"  edits: {saved['edit_seconds']:.2f} s, RSS {saved['rss_start_mb']:.0f} → {saved['rss_after_edits_mb']:.0f} MB"
    )
    print(
        f"  save:  {saved['save_seconds']:.2f} s, RSS → {saved['rss_after_save_mb']:.0f} MB (peak {saved['peak_mb']:.0f} MB); "
        f"history row {saved['history_bytes'] / 1e6:.3f} MB, state {saved['state_bytes'] / 1e3:.0f} kB"
    )
    print(
        f"  open:  {opened['open_seconds']:.2f} s, RSS {opened['rss_start_mb']:.0f} → {opened['rss_after_open_mb']:.0f} MB "
        f"(peak {opened['peak_mb']:.0f} MB); {opened['undo_steps']} undo steps; "
        + ", ".join(f"{label} {value}" for label, value, _ in opened["metrics"])
    )


if __name__ == "__main__":
    main()
