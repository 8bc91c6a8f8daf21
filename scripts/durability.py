#!/usr/bin/env python3
"""Durability: SIGKILL a process in the middle of saving scenarios, then count what was lost.

    .venv/bin/python scripts/durability.py --backend sqlite --rounds 100
    .venv/bin/python scripts/durability.py --backend postgresql --rounds 100   # starts a throwaway PostgreSQL
    .venv/bin/python scripts/durability.py --backend both --rounds 100 --json artifacts/durability.json

Each round starts a writer process that saves scenarios through the same code as the Scenarier page
(scenario_store.save_new: the scenario row and its change log in one transaction) and prints the id of
each save once save_new has returned (= acknowledged). After a random number of saves, with further
saves in flight, the writer is killed with SIGKILL. Then the store is opened again and checked:
- lost: an acknowledged save that is not there, or not as saved (name, amount);
- partial: any saved scenario, acknowledged or not, whose state does not parse or whose change log
  is not complete (two entries: the edit and "skapade").
Target: 0 lost and 0 partial on both backends. Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITER = textwrap.dedent(
    """
    import sys
    from insatskollen.core import scenario as sc
    from insatskollen.core.scenario_undo import Scenario
    from insatskollen.store import scenario_store as store
    from insatskollen.store.db import Database
    db = Database.open(sys.argv[1], database_url=sys.argv[2]); db.ensure_built()
    prefix = sys.argv[3]
    base = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    print("ready", flush=True)
    for i in range(1_000_000):
        s = Scenario.start(base.baseline, base.rules)
        s.apply(f"Satte {i}", sc.set_amount, "a-mal-01", i)
        sid = store.save_new(db, s, name=f"{prefix} {i}", author="kill", frame_id="mal-ks", year=2022)
        print(f"{sid} {i}", flush=True)
    """
)


@dataclass
class Round:
    acknowledged: int
    lost: int
    partial: int


@dataclass
class Report:
    backend: str
    rounds: int
    acknowledged: int
    lost: int
    partial: int
    seconds: float


def one_round(var: Path, url: str, prefix: str, kill_after: int) -> Round:
    """Start a writer, kill it after `kill_after` acknowledged saves, and check the store."""
    from insatskollen.store import scenario_store as store
    from insatskollen.store.db import Database

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(var), url, prefix],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    acknowledged: list[tuple[str, int]] = []
    deadline = time.time() + 120
    try:
        if writer.stdout.readline().strip() != "ready":
            raise RuntimeError("the writer did not start")
        while len(acknowledged) < kill_after and time.time() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            sid, i = line.split()
            acknowledged.append((sid, int(i)))
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    db = Database.open(var, database_url=url)
    try:
        saved = store.list_scenarios(db)
        saved = saved[saved.name.str.startswith(prefix + " ")]
        names = dict(zip(saved.scenario_id, saved.name, strict=True))
        lost = 0
        for sid, i in acknowledged:
            if names.get(sid) != f"{prefix} {i}":
                lost += 1
                continue
            _, scenario = store.load(db, sid)
            if scenario.current.line("a-mal-01").amount != i:
                lost += 1
        partial = 0
        for sid in names:
            try:
                _, scenario = store.load(db, sid)
                complete = list(store.change_log(db, sid).action) == ["ändring", "skapade"]
            except (ValueError, KeyError):
                complete = False
            partial += not complete
    finally:
        db.close()
    return Round(len(acknowledged), lost, partial)


def run(backend: str, url: str, var: Path, rounds: int, seed: int = 13) -> Report:
    from insatskollen.store.db import Database

    Database.open(var, database_url=url).close()  # publish + migrate once, outside the timing
    db = Database.open(var, database_url=url)
    db.ensure_built()
    db.close()
    rng = random.Random(seed)
    start = time.perf_counter()
    total = Report(backend, 0, 0, 0, 0, 0.0)
    for n in range(rounds):
        result = one_round(var, url, f"R{n}", kill_after=rng.randint(1, 12))
        total.rounds += 1
        total.acknowledged += result.acknowledged
        total.lost += result.lost
        total.partial += result.partial
    total.seconds = round(time.perf_counter() - start, 1)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--json", type=Path, default=ROOT / "artifacts" / "durability.json")
    args = parser.parse_args()
    from tests.pg_kit import throwaway_postgres

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            var = Path(tmp) / backend
            var.mkdir()
            if backend == "sqlite":
                reports.append(run(backend, f"sqlite:///{var / 'working.sqlite3'}", var, args.rounds))
            else:
                with throwaway_postgres() as server:
                    reports.append(run(backend, server.new_database(), var, args.rounds))
    print(f"{'backend':<11} {'rounds':>6} {'acknowledged':>12} {'lost':>5} {'partial':>7} {'seconds':>8}")
    for r in reports:
        print(f"{r.backend:<11} {r.rounds:>6} {r.acknowledged:>12} {r.lost:>5} {r.partial:>7} {r.seconds:>8}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps([asdict(r) for r in reports], indent=2), encoding="utf-8")
    if any(r.lost or r.partial for r in reports):
        sys.exit(1)


if __name__ == "__main__":
    main()
