"""The outcome panel per area (issue 15, item 6): a municipality's Kolada series beside the money it
allocated to that area, with Riket and other imported municipalities, the years with a frame shaded,
and the goals and indicators its own documents name. Used by Kommuner and Prioriterade områden.

Values come only from imported Kolada files (the app never calls Kolada). Which area a KPI belongs to
is our interpretation (data/kpi_areas.csv), and the panel says so ("Tolkning"), as it says when that
table's id and title were not checked against a source quoting Kolada ("ej kontrollerad mot Kolada").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, theme
from insatskollen.core.filters import Filters
from insatskollen.export import indicator_charts
from insatskollen.ui import session, sidebar, text, widgets

RAW_SOURCE = "Källa: Kolada"
COMPUTED_SOURCE = "Egen bearbetning av data från Kolada"  # for values we compute (none shown yet)
NOT_CAUSAL = (
    "Nyckeltalen visas bredvid pengarna, inte som effekt av dem: diagrammet visar inte att insatserna har "
    "orsakat någon förändring. Många andra saker påverkar nyckeltalen."
)
NO_KPI_AREA = "Nyckeltal utan område"
UNVERIFIED = "ej kontrollerad mot Kolada"


def no_values_text(municipality: str) -> str:
    """What would fill the section when the municipality has no imported Kolada values."""
    return (
        f"Inga nyckeltal från Kolada för {municipality} ännu – hämta en export från kolada.se och läs in den "
        "under Importera, Nyckeltal från Kolada."
    )


def allocation_text(alloc: pd.DataFrame, area: str | None) -> str:
    """What the municipality allocated to the area, per year, in words; unknown amounts said, never 0."""
    rows = alloc[alloc.priority_area.fillna("") == (area or "")]
    if rows.empty:
        return f"Inget fördelat till {theme.area_label(area)} i underlaget."
    parts = []
    for row in rows.itertuples():
        known = "" if pd.isna(row.amount_sek) else fmt.sek(row.amount_sek)
        gap = (
            f"{fmt.count_phrase(int(row.lines_without_amount), 'rad', 'rader')} utan belopp"
            if row.lines_without_amount
            else ""
        )
        parts.append(f"{int(row.year)}: " + (" och ".join(p for p in (known, gap) if p) or "belopp okänt"))
    return f"Fördelat till {theme.area_label(area)}: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class _Municipality:
    """What the panel shows of one municipality, fetched once (the queries are cached per data version)."""

    series: pd.DataFrame  # its imported Kolada series, each KPI with its area (data/kpi_areas.csv)
    indicators: pd.DataFrame  # the goals and indicators its documents name
    allocation: pd.DataFrame  # what it allocated per area and year
    years: tuple[int, ...]  # the years it has a frame (marked in the charts)


def _load(municipality: str) -> _Municipality:
    frames = session.query("municipality_frames", municipality=municipality)
    return _Municipality(
        series=session.query("indicator_series", municipality=municipality),
        indicators=session.query("indicators", municipality=municipality),
        allocation=session.query("area_allocation_by_year", municipality=municipality),
        years=tuple(sorted(int(y) for y in frames.year.unique())),
    )


def _in_area(rows: pd.DataFrame, area: str | None) -> pd.DataFrame:
    """The rows of one area; None and "" are the rows without an area."""
    return rows[rows.priority_area.fillna("") == (area or "")]


def kpi_chart(kpi: pd.DataFrame, years: tuple[int, ...], municipality: str, key: str) -> None:
    widgets.render_chart(session.chart(indicator_charts.indicator_lines, kpi, years, municipality), key=key)
    rationale = kpi.rationale.iloc[0]
    reading = (
        f" Tolkning: nyckeltalet visas under {kpi.priority_area.iloc[0]} därför att: {rationale}"
        if isinstance(rationale, str)
        else ""
    )
    files = "; ".join(sorted({str(s).removeprefix("Kolada, ") for s in kpi.source.dropna()}))
    st.caption(text.plain(f"{RAW_SOURCE} ({files}).{reading}{unverified_text(kpi)}"))


def unverified_text(kpi: pd.DataFrame) -> str:
    """The label for a KPI whose id and title in data/kpi_areas.csv nobody checked against a source quoting
    Kolada (`verified` no); empty for a checked one and for a KPI the table does not list."""
    if kpi.verified.iloc[0] != "no":
        return ""
    return (
        f" {kpi.kpi_id.iloc[0]} {kpi.mapped_title.iloc[0]}: {UNVERIFIED} (id och namn i vår kopplingstabell "
        "har inte jämförts med Koladas nyckeltalslista)."
    )


def _document_indicators(indicators: pd.DataFrame) -> None:
    for row in indicators.itertuples():
        st.markdown(
            f"- Dokumentets indikator: {text.plain(row.indicator)} (mål: {text.plain(row.goal)}; källa: "
            f"{text.plain(row.source_document)}, {text.plain(row.source_section)})"
        )


def render_area(
    municipality: str,
    area: str | None,
    key: str,
    with_heading: bool = True,
    documents: bool = True,
    data: _Municipality | None = None,
) -> bool:
    """One municipality's panel for one area: allocation, Kolada series, and (with `documents`) the
    indicators its documents name. Returns False (and draws nothing) when there is nothing to show."""
    data = data or _load(municipality)
    series = _in_area(data.series, area)
    in_area = _in_area(data.indicators, area) if documents else data.indicators[:0]
    if series.empty and in_area.empty:
        return False
    if with_heading:
        text.text_heading(f"{municipality}: {area or NO_KPI_AREA}", 4)
    if area:
        st.markdown(text.plain(allocation_text(data.allocation, area)))
    for kpi_id, kpi in series.groupby("kpi_id", sort=True):
        kpi_chart(kpi, data.years, municipality, key=f"{key}_{kpi_id}")
    if documents:
        _document_indicators(in_area)
    return True


def render_municipality(municipality: str) -> None:
    """Kommuner: the panel for every area that has Kolada series; the page shows the documents' goals,
    indicators and statistics right after, under the same heading. Without imported series only those show."""
    data = _load(municipality)
    st.subheader("Nyckeltal bredvid pengarna")
    if data.series.empty:  # the heading never stands empty: say what would fill it
        st.caption(text.plain(no_values_text(municipality)))
        return
    st.caption(NOT_CAUSAL)
    for area in [*theme.AREA_COLORS]:
        render_area(municipality, area, key=f"kpi_{area}", documents=False, data=data)
    unmapped = data.series[data.series.priority_area.isna()]
    if len(unmapped):
        text.text_heading(NO_KPI_AREA, 4)
        st.caption(
            "Nyckeltalen finns inte i kopplingstabellen data/kpi_areas.csv och visas därför utan område."
        )
        for kpi_id, kpi in unmapped.groupby("kpi_id", sort=True):
            kpi_chart(kpi, data.years, municipality, key=f"kpi_none_{kpi_id}")


def render_for_area(filters: Filters, area: str) -> None:
    """Prioriterade områden: the panel for the chosen area, per municipality in the filter that has
    imported Kolada series mapped to it or document indicators in it."""
    have = session.query("indicator_municipalities")
    names = set(have[have.priority_area == area].municipality)
    documented = session.query(
        "document_indicator_areas"
    )  # one query, not one per municipality (290 nationally)
    candidates = set(filters.municipalities or sidebar.filter_options()["municipalities"])
    names |= set(documented[documented.priority_area == area].municipality) & candidates
    chosen = [m for m in (filters.municipalities or sorted(names)) if m in names]
    if not chosen:
        return
    st.subheader(f"Nyckeltal bredvid pengarna: {area}")
    if len(have):
        st.caption(NOT_CAUSAL)
    for municipality in chosen:
        render_area(municipality, area, key=f"area_kpi_{municipality}")
