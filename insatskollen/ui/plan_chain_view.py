"""Från lägesbild till resultat (issue 26): one municipality's plan chain per area, problem -> goal ->
measures -> money -> the indicator's values, with the flags where the chain breaks. Everything from the
data is shown as plain text; the chain itself is core.plan_chain's, built from the view `plan_chain`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, na, plan_chain
from insatskollen.core.filters import Filters
from insatskollen.ui import indicator_panel, session, text, widgets

TITLE = "Från lägesbild till resultat"
FLAG_ICON = ":material/link_off:"


def municipalities(filters: Filters) -> list[str]:
    """The municipalities with a plan chain, narrowed to the sidebar's choice when one is made."""
    names = list(session.query("plan_municipalities").municipality)
    chosen = [m for m in names if m in filters.municipalities]
    return chosen or names


def measures_table(
    measures: tuple[plan_chain.ChainMeasure, ...] | list, goal_indicator: str | None = None
) -> pd.DataFrame:
    """The measures of a goal (or without one) as text: money unknown reads 'okänt', never 0. A column
    Indikator only where a measure's indicator is not the goal's (its own follow-up, Södertälje's), so the
    table fits 1024 pixels."""
    own = any(m.indicator != goal_indicator for m in measures)
    return pd.DataFrame(
        [
            {
                "Insats": m.title,
                "År": m.years,
                "Beviljat": plan_chain.amount_text(m.granted_sek, m.unfunded),
                "Använt": plan_chain.amount_text(m.spent_sek),
                "Uppföljning": m.status,
                **({"Indikator": m.indicator or "ingen"} if own else {}),
                "Källa (beviljat)": m.granted_source or "–",
            }
            for m in measures
        ]
    )


def _problem_lines(problems: pd.DataFrame) -> None:
    for row in problems.itertuples():
        st.markdown("**Problem:** " + text.plain(row.problem))
        facts = []
        if isinstance(row.indicator, str):
            facts.append(f"Indikator: {row.indicator}")
        if not na.missing(row.stat_value):
            qualifier = f"{row.stat_qualifier} " if isinstance(row.stat_qualifier, str) else ""
            period = f", {row.stat_period}" if isinstance(row.stat_period, str) else ""
            facts.append(
                f"Dokumentets siffra: {row.stat_topic}, {row.stat_region}{period}: {qualifier}"
                f"{fmt.number(row.stat_value, 1).removesuffix(',0')} {row.stat_unit}"
            )
        quote = f" ”{row.quote}”" if isinstance(row.quote, str) else ""
        facts.append(f"Källa: {row.source_title}, {row.source_section}.{quote}")
        for fact in facts:
            st.caption(text.plain(fact))


def _series(area_kpis: list[str], series: pd.DataFrame, years: tuple[int, ...], municipality: str, key: str):
    """The Kolada series of the area's indicators, or a line saying how to get them."""
    for kpi_id in area_kpis:
        kpi = series[series.kpi_id == kpi_id]
        if kpi.empty:
            st.caption(
                text.plain(
                    f"Indikatorn har nyckeltalet {kpi_id} i Kolada, men inga värden är importerade: hämta en "
                    "export från kolada.se och läs in den under Importera, Nyckeltal från Kolada."
                )
            )
        else:
            indicator_panel.kpi_chart(kpi, years, municipality, key=f"{key}_{kpi_id}")


def _granted_readings(measures) -> None:
    """Where a granted amount rests on our reading: each reading once, naming its measures."""
    readings: dict[str, list[str]] = {}
    for m in measures:
        for reading in m.granted_readings:
            readings.setdefault(reading, []).append(m.title)
    for reading, titles in readings.items():
        st.caption(text.plain(f"{reading} (gäller {', '.join(titles)})"))


def render(municipality: str) -> None:
    """The whole chain of one municipality, area by area."""
    st.caption(plan_chain.SCOPE)
    chain = plan_chain.areas(session.query("plan_chains", municipalities=[municipality]))
    problems = session.query("plan_problems", municipality=municipality)
    indicators = session.query("plan_indicators", municipality=municipality)
    series = session.query("indicator_series", municipality=municipality)
    years = tuple(
        sorted(int(y) for y in session.query("municipality_frames", municipality=municipality).year.unique())
    )
    st.markdown(text.plain(plan_chain.flag_summary(chain)))
    st.caption(plan_chain.NO_CAUSAL_CLAIM)
    for number, area in enumerate(chain):
        text.text_heading(area.area, 3)
        in_area = problems[problems.priority_area.fillna(plan_chain.NO_AREA) == area.area]
        if len(in_area):
            _problem_lines(in_area)
        elif area.area != plan_chain.NO_AREA:
            st.caption("Lägesbilden anger inget problem i området.")
        kpis = list(dict.fromkeys(in_area.kpi_id.dropna()))
        for goal in area.goals:
            st.markdown("**Mål:** " + text.plain(goal.goal))
            st.caption(text.plain(f"Indikator: {goal.indicator or 'ingen'}. Källa: {goal.source}."))
            if goal.reading:
                st.caption(text.plain(goal.reading))
            if goal.measures:
                widgets.table(measures_table(goal.measures, goal.indicator))
                for reading in dict.fromkeys(m.link_reading for m in goal.measures if m.link_reading):
                    st.caption(text.plain(reading))
                _granted_readings(goal.measures)
            kpis += list(indicators[indicators.goal_id == goal.goal_id].kpi_id.dropna())
        if area.unlinked:
            st.markdown("**Insatser utan mål**")
            widgets.table(measures_table(area.unlinked))
            _granted_readings(area.unlinked)
        for flag in area.flags:
            st.warning(text.plain(flag.text), icon=FLAG_ICON)
        _series(list(dict.fromkeys(kpis)), series, years, municipality, key=f"plan_{number}")
