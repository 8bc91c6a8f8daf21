"""Import, step 2: a measures file's header row mapped to our columns (Swedish or English headings, from
data/import_columns.csv), every problem with it at once; the templates' header and example row."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Callable
from pathlib import Path

from insatskollen.core.errors import DataError, Problem
from insatskollen.core.source_names import norm
from insatskollen.ingest import reading
from insatskollen.ingest.cells import suggestion
from insatskollen.store.db import DATA_DIR

REQUIRED = ("municipality", "year", "funding_source", "measure", "amount_sek")
TEMPLATE_HEADERS = [
    "Kommun",
    "Kommunkod",
    "År",
    "Finansieringskälla",
    "Typ av finansiering",
    "Ram (kr)",
    "Nämnd",
    "Insats",
    "Beskrivning",
    "Område",
    "Belopp (kr)",
    "Äskat (kr)",
    "Status",
    "Källa",
    "Dnr",
]
# The example row cannot be imported by mistake: its Kommun is no municipality, so a template sent in
# unchanged is refused at that row instead of adding an invented measure.
TEMPLATE_EXAMPLE = [
    "EXEMPEL (skriv er kommun)",
    "",
    "2025",
    "Statsbidrag Delmos",
    "statsbidrag",
    "2 000 000",
    "Utbildningsnämnden",
    "EXEMPEL: Läxhjälp (ersätt eller ta bort raden)",
    "Kort beskrivning av insatsen",
    "Utbildning",
    "350 000",
    "350 000",
    "föreslagen",
    "t.ex. Tjänsteskrivelse 2025-03-12",
    "t.ex. KS 2025/0123",
]


def column_aliases(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Swedish and English header -> canonical column, from data/import_columns.csv."""
    with (data_dir / "import_columns.csv").open(encoding="utf-8", newline="") as handle:
        return {norm(r["alias"]): r["column"] for r in csv.DictReader(handle)}


def map_header(
    name: str, header: list, aliases: dict[str, str], unknown: Callable[[str], str]
) -> tuple[dict[str, int], list[Problem]]:
    """The file's columns (canonical name -> index) and every problem with the header row: an empty heading,
    one `aliases` does not know (`unknown(label)` says what was expected), a column given twice. Shared by
    the measures file and the follow-up file."""
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = str(raw).strip()
        canonical = aliases.get(norm(label))
        letter = reading.column_letters(index)
        if not label:
            problems.append(Problem(name, 1, letter, None, "en kolumnrubrik (kolumnen saknar rubrik)"))
        elif canonical is None:
            problems.append(Problem(name, 1, letter, label, unknown(label)))
        elif canonical in columns:
            problems.append(
                Problem(
                    name,
                    1,
                    letter,
                    label,
                    f"kolumnen finns redan i kolumn {reading.column_letters(columns[canonical])}",
                )
            )
        else:
            columns[canonical] = index
    return columns, problems


def template_expectation(
    template: str, template_headers: tuple[str, ...] | list[str]
) -> Callable[[str], str]:
    """What an unknown header of a template's file was expected to be: "en rubrik i planmallen: Kommun, … .
    Menade du 'Mål'?" (the closest of the template's headers, when one is close)."""

    def expected(label: str) -> str:
        hint = difflib.get_close_matches(label, template_headers, n=1, cutoff=0.6)
        return (
            f"en rubrik i {template}: "
            + ", ".join(template_headers)
            + (f". Menade du '{hint[0]}'?" if hint else "")
        )

    return expected


def raise_header_problems(name: str, problems: list[Problem], body: list, rows_are: str) -> None:
    """DataError with every header problem, or when the file has only its header row (`rows_are`: 'insatser')."""
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    if not body:
        raise DataError(
            [Problem(name, None, None, None, f"filen innehåller bara rubrikraden, inga {rows_are}")],
            heading=f"Filen {name} kan inte importeras",
        )


def check_header(name: str, header: list, body: list) -> dict[str, int]:
    """The file's columns (canonical name -> index); DataError with every header problem at once."""
    aliases = column_aliases()
    columns, problems = map_header(
        name,
        header,
        aliases,
        lambda label: (
            "en känd kolumnrubrik, t.ex. "
            + ", ".join(TEMPLATE_HEADERS[:6])
            + "…"
            + suggestion(label, TEMPLATE_HEADERS)
        ),
    )
    for needed in REQUIRED:
        if needed not in columns and not (needed == "municipality" and "municipality_code" in columns):
            shown = next(h for h in TEMPLATE_HEADERS if aliases.get(norm(h)) == needed)
            problems.append(Problem(name, 1, None, None, f"kolumnen ”{shown}” saknas"))
    raise_header_problems(name, problems, body, "insatser")
    return columns
