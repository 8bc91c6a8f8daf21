"""Prioriterade områden's figures: allocation per national area, the areas to choose from, and the measures
of the chosen area (primary, and linked as secondary)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from insatskollen.core import fmt, theme
from insatskollen.core.filters import Filters
from insatskollen.export import area_charts, chart_builder
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui import session, widgets


def area_chart(by_area: pd.DataFrame, counts: pd.DataFrame, share: bool) -> ChartSpec:
    """Allocation per area, as amounts or as shares of the frame, with the measures whose amount is unknown."""
    return session.chart(
        area_charts.area_bars,
        by_area,
        area_charts.SHARE if share else area_charts.AMOUNT,
        unknown_measures=int(counts.measures_without_amount.sum()),
    )


def municipality_count(by_area: pd.DataFrame) -> int:
    return by_area.municipality.nunique()


def too_many_text(count: int) -> str:
    return (
        f"Urvalet har {fmt.number(count)} kommuner. Välj högst {chart_builder.MAX_BARS} i filtret "
        "för att jämföra deras fördelning sida vid sida."
    )


def choices(counts: pd.DataFrame) -> list[str]:
    """The five national areas, and "" (Inget område angivet) only when a measure lacks an area: offered
    without one it led to an empty list."""
    no_area = counts.primary_area.isna() | counts.primary_area.eq("")
    return list(theme.AREA_COLORS) + ([""] if int(counts[no_area].measures.sum()) else [])


def area_name(area: str | None) -> str:
    """An area as the pills show it; "" is 'Inget område angivet'."""
    return area or theme.NO_AREA


def primary_heading(counts: pd.DataFrame, chosen: str) -> tuple[str, int, int]:
    """('**3 insatser med Boende som primärt område**', count, of them without an amount)."""
    in_area = counts[counts.primary_area.fillna("") == chosen]
    count, unknown = int(in_area.measures.sum()), int(in_area.measures_without_amount.sum())
    return (
        f"**{fmt.count_phrase(count, 'insats', 'insatser')} med {theme.area_label(chosen)} som primärt område**",
        count,
        unknown,
    )


def primary_measures(filters: Filters, chosen: str) -> pd.DataFrame:
    """The first widgets.PAGE_ROWS measures with the chosen area as primary, by kommun and title."""
    return session.query(
        "measures_page", replace(filters, areas=(chosen,)), sort="kommun", limit=widgets.PAGE_ROWS
    )


def primary_table(primary: pd.DataFrame) -> pd.DataFrame:
    table = primary.assign(
        Belopp=primary.allocated_sek.map(fmt.sek),
        År=[fmt.years(a, b) for a, b in zip(primary.year_from, primary.year_to, strict=True)],
    ).rename(columns={"title": "Insats", "municipality": "Kommun", "committee": "Nämnd", "status": "Status"})
    return table[["Insats", "Kommun", "Nämnd", "Belopp", "År", "Status"]]


def unknown_text(unknown: int) -> str:
    return f"{fmt.count_phrase(unknown, 'insats', 'insatser')} utan belopp. Beloppen gäller per år."


def secondary_table(filters: Filters, chosen: str) -> pd.DataFrame:
    """The measures linked to the chosen area as a secondary one (their money counts under the primary)."""
    links = session.query("measure_links", filters)
    return links[links.priority_area == chosen].rename(
        columns={
            "title": "Insats",
            "municipality": "Kommun",
            "primary_area": "Primärt område",
            "basis": "Kopplingen enligt",
            "note": "Not",
        }
    )[["Insats", "Kommun", "Primärt område", "Kopplingen enligt", "Not"]]
