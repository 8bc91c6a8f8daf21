"""Nämnder's figures: allocation per nämnd, the lines of one nämnd and the sentences around them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insatskollen.core import fmt, theme
from insatskollen.core.filters import Filters
from insatskollen.export import committee_charts
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui import session, widgets
from insatskollen.ui.text import plain


def committee_chart(by_committee: pd.DataFrame, flow: pd.DataFrame) -> ChartSpec:
    """Allocation per nämnd, with the count of lines whose amount is unknown."""
    unknown_lines = int(flow.lines_without_amount.sum())
    return session.chart(committee_charts.committee_bars, by_committee, unknown_lines=unknown_lines)


def years_note(by_committee: pd.DataFrame) -> str:
    """Said under the chart when it sums several years; '' for one year."""
    years = sorted(by_committee.year.unique())
    if len(years) <= 1:
        return ""
    return (
        f"Beloppen är summerade över åren {fmt.years(years[0], years[-1])}. Välj ett år i filtret för "
        "att se ett års fördelning."
    )


def names(by_committee: pd.DataFrame) -> list[str]:
    """The nämnder to choose from; lines without one are 'Ingen nämnd angiven'."""
    return sorted(by_committee.committee.fillna(theme.NO_COMMITTEE).unique())


@dataclass(frozen=True)
class CommitteeLines:
    heading: str  # markdown, data escaped: "**Nämnd**: 1,2 mnkr på 3 rader."
    table: pd.DataFrame  # the first widgets.PAGE_ROWS lines, as shown
    shown: int
    total_rows: int


def lines(filters: Filters, chosen: str) -> CommitteeLines:
    """The chosen nämnd's allocation lines, largest first, with their total over every line."""
    mine = session.query(
        "allocation_lines_page",
        filters,
        committee="" if chosen == theme.NO_COMMITTEE else chosen,
        limit=widgets.PAGE_ROWS,
    )
    total_rows = int(mine.total_rows.iloc[0]) if len(mine) else 0
    total = mine.total_sek.iloc[0] if len(mine) else None
    table = mine.assign(
        Belopp=mine.amount_sek.map(fmt.sek),
        Område=mine.priority_area.map(theme.area_label),
        Insats=mine.measure.fillna("(pott till nämnden, ingen insats angiven)"),
    ).rename(columns={"municipality": "Kommun", "year": "År", "funding_source": "Källa", "status": "Status"})[
        ["Insats", "Kommun", "År", "Källa", "Område", "Belopp", "Status"]
    ]
    heading = f"**{plain(chosen)}**: {fmt.sek(total)} på {fmt.count_phrase(total_rows, 'rad', 'rader')}."
    return CommitteeLines(heading, table, len(mine), total_rows)
