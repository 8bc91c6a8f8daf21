"""Kronor per invånare on Kommuner and Prioriterade områden: the headline figures and the imported population
fetched, divided by insatskollen.core.per_capita (the one definition), laid out. Without any population: one
line saying how to get it, nothing else."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from insatskollen.core import headline_tables, per_capita
from insatskollen.core.filters import Filters
from insatskollen.export import per_capita_charts
from insatskollen.ui import overview, session, widgets
from insatskollen.ui.text import plain

QUERY = "population"


def population() -> pd.DataFrame:
    return session.query(QUERY)


def rates(filters: Filters) -> pd.DataFrame:
    """Per municipality and year in the filters: Ram and Fördelat as Översikt sums them, per invånare."""
    totals = headline_tables.by_municipality_year(overview.headline(filters))
    return per_capita.table(totals, population())


def render_municipality(municipality: str, filters: Filters) -> None:
    """Kommuner: the chosen municipality's years, then every municipality in the filters compared."""
    people = population()
    if people.empty:
        st.caption(plain(per_capita.HOW_TO_GET))
        return
    st.subheader("Kronor per invånare")
    own = rates(replace(filters, municipalities=(municipality,)))
    if own.empty:
        st.caption(f"{plain(municipality)} har ingen ram med de valda filtren.")
    else:
        widgets.table(per_capita.municipality_table(own))
        if sources := per_capita.sources_text(own):
            st.caption(plain(sources))
        if missing := per_capita.without_population(own):
            st.caption(plain(missing))
    every = rates(filters)
    if every.municipality.nunique() > 1:
        st.markdown("**Kommunerna jämförda per invånare**")
        spec = session.chart(per_capita_charts.per_capita_bars, per_capita.chart_rows(every))
        widgets.render_chart(spec, key="municipality_per_capita")
        widgets.table(per_capita.comparison_table(every))
    st.caption(
        "Varje år delas med kommunens invånare det året (den 31 december); år läggs aldrig ihop. Ram och "
        "fördelat är årets summor som på Översikt, över årets ramar med känt belopp. ”minst” betyder att rader "
        "eller ramar saknar belopp; okänt är okänt, aldrig 0."
    )


def render_area(by_area: pd.DataFrame, area: str) -> None:
    """Prioriterade områden: the chosen area's Fördelat per invånare for the municipalities with population."""
    if not area:
        return
    people = population()
    if people.empty:
        st.caption(plain(per_capita.HOW_TO_GET))
        return
    table = per_capita.area_table(by_area, area, people)
    missing = per_capita.area_missing(by_area, area, people)
    if table.empty and not missing:
        return
    st.markdown(f"**Fördelat till {plain(area)} per invånare**")
    if len(table):
        widgets.table(table)
    if missing:
        st.caption(
            plain(f"Befolkning saknas för {', '.join(missing)}: där är kronor per invånare okänt. ")
            + plain(per_capita.HOW_TO_GET)
        )
