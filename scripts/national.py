#!/usr/bin/env python3
"""Generate a deterministic synthetic national data set in the same CSV format as data/, and build it
into its own database (never mixed with the bundled data).

    .venv/bin/python scripts/national.py [--lines 1000000] [--out var/national]

Writes var/national/data/*.csv and var/national/national.duckdb and prints the build time. All 290
municipalities (synthetic names and codes), 10 years, one frame per municipality, year and funding source,
Linköping-style interval rules on every fourth frame, and measures with one allocation line each until
`--lines` allocation lines exist. The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insatskollen.core import fmt  # noqa: E402
from insatskollen.core.schema import TABLES  # noqa: E402

AREAS = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]
SOURCES = [
    "Statsbidrag Tillväxtverket",
    "Statsbidrag Delmos",
    "Statsbidrag Socialstyrelsen",
    "KS anslag till förfogande",
]
STATUSES = ["beslutad", "föreslagen", "planerad"]
YEARS = range(2015, 2025)
MUNICIPALITIES = 290
COMMITTEES = [
    "Kommunstyrelsen",
    "Utbildningsnämnden",
    "Socialnämnden",
    "Kulturnämnden",
    "Tekniska nämnden",
    "Arbetsmarknadsnämnden",
    "Fritidsnämnden",
    "Stadsbyggnadsnämnden",
]
REFERENCE = (
    "priority_areas",
    "statuses",
    "funding_sources",
    "sweden_municipalities",
)  # copied from data/ as they are


def _writer(directory: Path, table: str):
    handle = (directory / f"{table}.csv").open("w", encoding="utf-8", newline="")
    columns = next(t for t in TABLES if t.name == table).column_names
    writer = csv.DictWriter(handle, columns, lineterminator="\n")
    writer.writeheader()
    return handle, writer


def generate(out: Path, lines: int, seed: int = 2018) -> dict[str, int]:
    rng = random.Random(seed)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for table in REFERENCE:
        shutil.copy(ROOT / "data" / f"{table}.csv", data / f"{table}.csv")
    files = {t.name: _writer(data, t.name) for t in TABLES if t.name not in REFERENCE}
    w = {name: pair[1] for name, pair in files.items()}
    frames = [(m, y, s) for m in range(MUNICIPALITIES) for y in YEARS for s in SOURCES]
    per_frame, extra = divmod(lines, len(frames))
    counts = dict.fromkeys(w, 0)

    def put(table: str, row: dict) -> None:
        w[table].writerow(row)
        counts[table] += 1

    for m in range(MUNICIPALITIES):
        code = f"{9000 + m:04d}"
        doc = f"syntetisk-{code}.txt"
        put("municipalities", {"municipality_code": code, "municipality": f"Kommun {m + 1:03d}"})
        put(
            "documents",
            {
                "document_id": doc,
                "municipality_code": code,
                "date": "2024",
                "case_number": f"SYN-{m}",
                "title": f"Syntetiskt underlag {m + 1}",
                "kind": "Syntetisk",
                "taken": "Genererat",
            },
        )
        for c, name in enumerate(COMMITTEES):
            put(
                "committees",
                {
                    "committee_id": f"c{code}-{c}",
                    "municipality_code": code,
                    "committee": name,
                    "administration": None,
                    "decision_label": name,
                    "source_document": doc,
                    "source_section": "Genererat",
                },
            )
    for area in AREAS:  # the national names, valid for every municipality
        put(
            "area_labels",
            {
                "municipality_code": None,
                "label": area,
                "priority_area": area,
                "secondary_area": None,
                "source_document": "syntetisk-9000.txt",
                "source_section": "Genererat",
                "note": None,
            },
        )
    for index, (m, year, source) in enumerate(frames):
        code, doc = f"{9000 + m:04d}", f"syntetisk-{9000 + m:04d}.txt"
        frame_id = f"f{code}-{year}-{SOURCES.index(source)}"
        count = per_frame + (1 if index < extra else 0)
        amounts = [rng.randrange(50, 3000) * 1000 for _ in range(count)]
        frame_amount = sum(amounts) + rng.choice([0, 0, 250_000, -100_000])
        put(
            "frames",
            {
                "frame_id": frame_id,
                "municipality_code": code,
                "funding_source": source,
                "year_from": year,
                "year_to": year,
                "amount_sek": max(frame_amount, 0),
                "amount_text": "Genererat",
                "source_document": doc,
                "source_section": "Genererat",
                "note": None,
                "basis": "dokument",
            },
        )
        if index % 4 == 0:
            for a, area in enumerate(AREAS):
                put(
                    "frame_rules",
                    {
                        "rule_id": f"{frame_id}-r{a}",
                        "frame_id": frame_id,
                        "rule_kind": "finansieringsintervall",
                        "budget_line": area,
                        "min_pct": 5,
                        "max_pct": 40,
                        "source_document": doc,
                        "source_section": "Genererat",
                    },
                )
        for k, amount in enumerate(amounts):
            measure_id = f"{frame_id}-m{k}"
            unknown = rng.random() < 0.03
            put(
                "measures",
                {
                    "measure_id": measure_id,
                    "municipality_code": code,
                    "title": f"Insats {k}",
                    "description": "Genererad insats",
                    "committee_id": f"c{code}-{k % len(COMMITTEES)}",
                    "committee_basis": "dokument",
                    "area_label": None,
                    "primary_area": AREAS[k % 5],
                    "area_basis": "dokument",
                    "direction": None,
                    "districts": None,
                    "status": STATUSES[k % 3],
                    "requested_sek": None,
                    "requested_text": None,
                    "source_document": doc,
                    "source_section": "Genererat",
                    "interpretation": None,
                },
            )
            put(
                "allocations",
                {
                    "allocation_id": f"{measure_id}-a",
                    "frame_id": frame_id,
                    "year": None,
                    "measure_id": measure_id,
                    "committee_id": None,
                    "priority_area": None,
                    "amount_sek": None if unknown else amount,
                    "status": None,
                    "source_document": doc,
                    "source_section": "Genererat",
                    "note": None,
                    "basis": "dokument",
                },
            )
    for handle, _ in files.values():
        handle.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000, help="allocation lines (default 1 000 000)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "national")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = generate(args.out, args.lines)
    generated = time.perf_counter() - start
    print(
        f"Genererade {fmt.number(counts['allocations'])} fördelningsrader, {fmt.number(counts['measures'])} "
        f"insatser, {fmt.number(counts['frames'])} ramar på {generated:.1f} s"
    )
    from insatskollen.store.db import Database

    var = args.out / "var"  # the read store and the working store of the national data
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    db = Database.open(var, database_url=f"sqlite:///{var / 'working.sqlite3'}")
    start = time.perf_counter()
    db.build(args.out / "data")
    print(f"Bygge av nationell läsdatabas: {time.perf_counter() - start:.1f} s ({var})")
    db.close()


if __name__ == "__main__":
    main()
