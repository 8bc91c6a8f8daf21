"""The headline figures as tables and lines: Nyckeltal, per municipality and year, frame by frame, and the
readings behind them. Numbers stay numbers (empty where unknown); a bound ("minst", "högst") sits beside its
number, never inside it.
"""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, na
from insatskollen.core.filters import Filters
from insatskollen.core.frame_year import FrameYear, names
from insatskollen.core.headline import Headline
from insatskollen.core.key_figures import PARTLY_KNOWN, known_sum

READINGS_QUERY = "readings"
AREA_READINGS_QUERY = "area_readings"


def key_figure_table(head: Headline) -> pd.DataFrame:
    """Nyckeltal as a table (numbers as numbers, empty where unknown; "Gräns" says "minst"/"högst"
    where the number is a bound) for Excel, Word and `check`."""
    over = (
        f"Fördelat utöver ramen i {names(head.over_allocated)}"
        + ("; minst, eftersom rader saknar belopp." if head.over_allocated_is_bound else ".")
        if head.over_allocated
        else "Ingen."
    )
    contradictions = " ".join(x.sentence() for x in head.contradictions) or "Ingen."
    unallocated = (
        f"Ram minus fördelat i {names(head.unallocated)}"
        + ("; högst, eftersom rader saknar belopp." if head.unallocated_is_bound else ".")
        if head.unallocated
        else "Ingen."
    )
    rows = [
        ("Ram", head.frame_sek, "Ramarnas belopp per år, summerat över ramar med känt belopp.", ""),
        (
            "Fördelat",
            head.allocated_sek,
            "Rader med känt belopp" + (" som filtren väljer." if head.line_filters else "."),
            "minst" if head.allocated_is_bound else "",
        ),
        ("Ofördelat", head.unallocated_sek, unallocated, "högst" if head.unallocated_is_bound else ""),
        (
            "Överfördelat",
            head.over_allocated_sek,
            over,
            "minst" if head.over_allocated_is_bound else "",
        ),
        ("Motsägelse i dokumenten", head.contradiction_sek, contradictions, ""),
        (
            "Ram med okänd fördelning",
            head.unknown_allocation_frame_sek,
            head.unknown_text() or "Ingen.",
            "",
        ),
    ]
    table = pd.DataFrame(rows, columns=["Nyckeltal", "Belopp (kr)", "Förklaring", "Gräns"])
    table["Belopp (kr)"] = table["Belopp (kr)"].astype("Int64")
    table["Varav enligt tolkning (kr)"] = pd.array(
        [
            head.frame_reading_sek,
            None if head.allocated_sek is None else head.allocated_reading_sek,
            head.unallocated_reading_sek,
            None if head.over_allocated_sek is None else head.over_reading_sek,
            head.contradiction_reading_sek,
            head.unknown_allocation_reading_sek,
        ],
        dtype="Int64",
    )
    return table


def key_figure_lines(head: Headline) -> list[str]:
    """'Fördelat: minst 66 300 000 kr': the key figures as the Word report and `check` print them."""
    return [
        f"{row[0]}: {'okänt' if na.missing(row[1]) else (row[3] + ' ' if row[3] else '') + fmt.sek(int(row[1]))}"
        for row in key_figure_table(head).itertuples(index=False)
    ]


def by_municipality_year(head: Headline) -> pd.DataFrame:
    """Per municipality and year, for the chart and table: frames (sum of known, NaN when none is
    known), allocated in view (NaN when unknown), unallocated (only when every frame-year is complete)."""
    groups: dict[tuple[str, int], list[FrameYear]] = {}
    for x in head.frame_years:
        groups.setdefault((x.municipality, x.year), []).append(x)
    rows = []
    for (municipality, year), items in groups.items():
        complete = all(x.complete for x in items)
        rows.append(
            {
                "municipality": municipality,
                "year": year,
                "frames": len(items),
                "frame_sek": known_sum(x.frame_sek for x in items),
                "frames_without_amount": sum(x.frame_sek is None for x in items),
                "allocated_sek": known_sum(x.allocated_sek for x in items),
                "unallocated_sek": known_sum(x.unallocated_sek for x in items) if complete else None,
                "lines_without_amount": sum(x.view_lines_without_amount for x in items),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "municipality",
            "year",
            "frames",
            "frame_sek",
            "frames_without_amount",
            "allocated_sek",
            "unallocated_sek",
            "lines_without_amount",
        ],
    )
    for column in ("frame_sek", "allocated_sek", "unallocated_sek"):
        table[column] = table[column].astype("Int64")
    return table


BOUND = ", gräns"  # "Ofördelat, gräns" beside "Ofördelat (kr)": "minst"/"högst" where the number is a bound


def frame_year_table(head: Headline) -> pd.DataFrame:
    """One row per frame-year with its figures, Swedish column names, numbers as numbers: the rows
    every headline figure is summed from, by the same rule (a partly known frame's ofördelat is "högst" kvar,
    its bound in the column beside it, as "Gräns" in the Nyckeltal sheet; empty where unknown)."""
    years = head.frame_years
    return pd.DataFrame(
        {
            "Kommun": [x.municipality for x in years],
            "År": [x.year for x in years],
            "Finansieringskälla": [x.funding_source for x in years],
            "Ram (kr)": pd.array([x.frame_sek for x in years], dtype="Int64"),
            "Fördelat (kr)": pd.array([x.allocated_sek for x in years], dtype="Int64"),
            f"Fördelat{BOUND}": ["minst" if x.allocated_is_bound else "" for x in years],
            "Ofördelat (kr)": pd.array([x.balance.free_sek for x in years], dtype="Int64"),
            f"Ofördelat{BOUND}": ["högst" if x.balance.free_is_bound else "" for x in years],
            "Överfördelat (kr)": pd.array([x.balance.over_sek for x in years], dtype="Int64"),
            f"Överfördelat{BOUND}": ["minst" if x.balance.over_is_bound else "" for x in years],
            "Rader utan belopp": [x.view_lines_without_amount for x in years],
            "Fördelning": [_state(x) for x in years],
            "Bedömning": [x.balance.text() for x in years],
        }
    )


def _state(x: FrameYear) -> str:
    if x.frame_sek is None:
        return "ramens belopp okänt"
    if x.lines == 0:
        return "okänd: inga rader för året"
    if x.lines_without_amount:
        known = "delvis känd" if x.balance.state == PARTLY_KNOWN else "okänd"
        return f"{known}: {fmt.count_phrase(x.lines_without_amount, 'rad', 'rader')} utan belopp"
    return "känd"


def readings_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Each reading behind the headline figures (query `readings`), one row per reading (lines that share a
    note are one row): what it is, where, the years, the amount per year (empty when unknown or when it differs
    between the years) and our note. Swedish column names, amounts as numbers."""
    columns = ["Vad", "Kommun", "År", "Gäller", "Belopp per år (kr)", "Tolkning"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    keys = ["kind", "municipality", "funding_source", "basis_note"]
    for (kind, municipality, source, note), group in rows.groupby(keys, sort=False, dropna=False):
        subjects = list(dict.fromkeys(group.subject))
        if kind == "Ram":
            what, about = "Ram", source
        else:
            what = "Fördelningsrad" if len(subjects) == 1 else "Fördelningsrader"
            about = subjects[0] if len(subjects) == 1 else f"{len(subjects)} rader: {_first(subjects)}"
        per_year = {
            int(year): (None if part.amount_sek.isna().any() else int(part.amount_sek.sum()))
            for year, part in group.groupby("year")
        }
        amounts = set(per_year.values())
        out.append(
            {
                "Vad": what,
                "Kommun": municipality,
                "År": fmt.years(min(per_year), max(per_year)),
                "Gäller": about,
                "Belopp per år (kr)": next(iter(amounts)) if len(amounts) == 1 else None,
                "Tolkning": note,
            }
        )
    table = pd.DataFrame(out, columns=columns)
    table["Belopp per år (kr)"] = table["Belopp per år (kr)"].astype("Int64")
    return table


def readings(db, filters: Filters) -> pd.DataFrame:
    """The readings behind the headline figures for the filters (see readings_table)."""
    return readings_table(db.query(READINGS_QUERY, **filters.params()))


def _first(items: list[str], shown: int = 4) -> str:
    """'a, b, c, d' or, for more, 'a, b, c och 10 till' (every line is in the Fördelningsrader sheet)."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[: shown - 1])} och {len(items) - shown + 1} till"


def area_reading_text(rows: pd.DataFrame) -> str:
    """'Tolkning: varav 32,7 mnkr har fått sitt område enligt tolkning (Boende 11,1 mnkr, Utbildning 21,6 mnkr).'
    from the query `area_readings`; '' when every area in view is the document's."""
    if rows.empty or not rows.amount_sek.notna().any():
        return ""
    total = int(rows.amount_sek.sum())
    parts = ", ".join(f"{r.priority_area} {fmt.mnkr(int(r.amount_sek))}" for r in rows.itertuples())
    return f"Tolkning: varav {fmt.mnkr(total)} har fått sitt område enligt tolkning ({parts})."
