"""A plain population file (Kommun, År, Invånare), recognised by its headers on the Kolada import: its rows
become Kolada's N01951 "Invånare totalt, antal" (insatskollen.core.per_capita), so kronor per invånare reads
them as it reads an export from kolada.se. Kommun is a name in any spelling or an SCB code; an empty Invånare is
unknown, never zero. Problems name the row and the column; kolada_file stops the whole file on any."""

from __future__ import annotations

import csv
import re
from functools import cache

from insatskollen.core import per_capita
from insatskollen.core.errors import Problem
from insatskollen.core.municipality_names import Directory, Municipality
from insatskollen.ingest import kolada
from insatskollen.store.db import DATA_DIR

HEADERS = {
    "municipality": ("kommun", "kommunkod", "kommun-id"),
    "year": ("år", "year", "period"),
    "population": ("invånare", "folkmängd", "befolkning", "antal invånare"),
}


def recognised(header: list[str]) -> bool:
    """A header row with a population column and no Kolada KPI column."""
    lowered = [h.strip().lower() for h in header]
    return any(h in lowered for h in HEADERS["population"]) and "nyckeltal-id" not in lowered


@cache
def _directory() -> Directory:
    with (DATA_DIR / "sweden_municipalities.csv").open(encoding="utf-8", newline="") as handle:
        return Directory(
            [Municipality(r["municipality_code"], r["municipality"]) for r in csv.DictReader(handle)]
        )


def rows(name: str, table, year_of) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """(line, row) per data row in the Kolada import's row format, and the problems. `year_of` reads a year
    as the Kolada export does (kolada_file._year)."""
    header = [str(h or "").strip().lower() for h in table.header]
    where = {}
    for key, names in HEADERS.items():
        where[key] = next((header.index(n) for n in names if n in header), None)
    problems = [
        Problem(name, 1, None, None, f"en kolumn med rubriken {HEADERS[key][0].capitalize()}")
        for key in HEADERS
        if where[key] is None
    ]
    if problems:
        return [], problems
    out, source = [], f"Befolkningsfil {name}"
    for line, cells in table.body:
        if not any(str(c or "").strip() for c in cells):
            continue

        def cell(key: str, cells=cells):
            index = where[key]
            return cells[index] if index < len(cells) and cells[index] is not None else ""

        def bad(key: str, value, expected: str, line=line) -> None:
            problems.append(Problem(name, line, table.header[where[key]], str(value), expected))

        raw = cell("municipality")
        found = _directory().by_code_value(raw) or (
            _directory().by_name_value(str(raw)) if isinstance(raw, str) else None
        )
        if found is None:
            hint = _directory().suggestion(str(raw)) if str(raw).strip() else None
            bad(
                "municipality",
                raw,
                "en av Sveriges 290 kommuner, med namn eller kommunkod"
                + (f" (menade du {hint}?)" if hint else ""),
            )
        year = year_of(cell("year"))
        if year is None:
            bad("year", cell("year"), "ett årtal med fyra siffror (0–9), t.ex. 2022")
        count = _count(cell("population"))
        if count is _BAD:
            bad(
                "population",
                cell("population"),
                "ett helt antal invånare större än 0, t.ex. 357 377, eller tomt om det saknas",
            )
        if found is None or year is None or count is _BAD:
            continue
        out.append(
            (
                line,
                {
                    "kpi_id": per_capita.POPULATION_KPI,
                    "kpi_title": per_capita.POPULATION_TITLE,
                    "municipality_code": found.code,
                    "municipality_name": found.name,
                    "period": year,
                    "gender": kolada.TOTAL,
                    "value": count,
                    "status": None,
                    "unit": "antal",
                    "source": source,
                    "fetched_at": None,
                },
            )
        )
    return out, problems


_BAD = object()


def _count(value):
    """A whole, positive number of inhabitants as float (the indicator values' type); empty is None. A
    municipality of 0 inhabitants is a mistake, not a figure to divide by."""
    if isinstance(value, bool):
        return _BAD
    if isinstance(value, int | float):
        return float(value) if value > 0 and float(value).is_integer() else _BAD
    text = str(value).replace("\u00a0", "").replace(" ", "").strip()
    if text in ("", "-", "..", "–"):
        return None
    return float(text) if re.fullmatch(r"[0-9]{1,9}", text) and int(text) > 0 else _BAD
