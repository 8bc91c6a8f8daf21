"""A deck as Excel: a sheet saying what the workbook is based on, the key figures, one sheet per slide named
by meaning, and the deck's extra tables (lines, frames, readings), through table_files' safe writer."""

from __future__ import annotations

import re

import pandas as pd

from insatskollen.export import table_files
from insatskollen.export.deck import DRAFT, Deck, Slide


def slide_table(slide: Slide) -> pd.DataFrame:
    if slide.table is not None:
        return slide.table
    data = {"Kategori": list(slide.categories)}
    for name, values in slide.series:
        data[name if "(kr)" in name else f"{name} (kr)"] = list(values)
    return pd.DataFrame(data)


def to_xlsx(deck: Deck) -> bytes:
    """One sheet per view (slide), the extra tables, and a sheet saying what the workbook is based on."""
    sheets: dict[str, pd.DataFrame] = {
        "Om underlaget": pd.DataFrame(
            {
                "Uppgift": ["Titel", "Urval", "Datum", "Scenario", "Status"] + ["Källa"] * len(deck.sources),
                "Värde": [
                    deck.title,
                    deck.scope,
                    deck.created.isoformat(),
                    deck.scenario_name or "–",
                    DRAFT if deck.draft else "Underlag enligt källdokumenten",
                ]
                + list(deck.sources),
            }
        )
    }
    if deck.key_figures is not None:
        sheets["Nyckeltal"] = deck.key_figures
    for slide in deck.slides:
        sheets[_unique_sheet_name(sheets, slide.title)] = slide_table(slide)
    for name, table in deck.extra_sheets.items():
        sheets[_unique_sheet_name(sheets, name)] = table
    return table_files.to_xlsx(sheets)


# A slide's title as a sheet name of at most 31 characters, shortened by meaning, not cut mid-word ("Fördelning
# per prioriterat områ", "Förslag till beslut - Statsbi 2"); applied in order
SHEET_SHORT = (
    (re.compile(r"^Ramen och vad som är fördelat – "), "Ram "),
    (re.compile(r"^Fördelning per prioriterat område$"), "Per område"),
    (re.compile(r"^Fördelning per nämnd$"), "Per nämnd"),
    (re.compile(r"^Förslag till beslut – "), "Beslut "),
    (re.compile(r"^Att känna till inför beslutet$"), "Att känna till"),
    (re.compile(r"^Scenario jämfört med utgångsläget$"), "Scenario mot utgångsläget"),
    (re.compile(r"\bStatsbidrag (?=\S)"), ""),
    (re.compile(r"\bKS anslag till förfogande\b"), "KS anslag"),
)


def sheet_title(title: str) -> str:
    for pattern, short in SHEET_SHORT:
        title = pattern.sub(short, title)
    return title


def _unique_sheet_name(existing: dict, title: str) -> str:
    return table_files.sheet_name(sheet_title(title), list(existing))
