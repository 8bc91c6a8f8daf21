"""Nämnder: allocation per nämnd with its measures, the money flow, requested versus allocated."""

import streamlit as st

from insatskollen import charts, fmt, theme, ui

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Nämnder",
    "Hur ramarna fördelas på nämnder och förvaltningar, flödet från finansieringskälla via nämnd till "
    "område, och äskade mot föreslagna belopp.",
    filters,
)

by_committee = ui.query("allocation_by_committee", filters)
if by_committee.empty:
    ui.empty_state("Inga fördelningsrader")
    st.stop()

lines = ui.query("allocation_lines", filters)
years = sorted(by_committee.year.unique())
if by_committee.amount_sek.notna().any():
    unknown_lines = int(lines[lines.amount_sek.isna()].allocation_id.nunique())
    ui.render_chart(
        ui.chart(charts.committee_bars, by_committee, unknown_lines=unknown_lines), key="committees_main"
    )
    if len(years) > 1:
        st.caption(
            f"Beloppen är summerade över åren {fmt.years(years[0], years[-1])}. Välj ett år i filtret för "
            "att se ett års fördelning."
        )
else:
    st.info("Inga belopp per nämnd är kända med de valda filtren.")

st.subheader("Nämndernas insatser")
names = sorted(by_committee.committee.fillna(theme.NO_COMMITTEE).unique())
chosen = st.selectbox("Välj nämnd", names, key="committee_pick")
mine = lines[lines.committee.fillna(theme.NO_COMMITTEE) == chosen]
total = mine.amount_sek.sum(min_count=1)
st.markdown(f"**{chosen}**: {fmt.sek(total)} på {fmt.count_phrase(len(mine), 'rad', 'rader')}.")
ui.table(
    mine.assign(
        Belopp=mine.amount_sek.map(fmt.sek),
        Område=mine.priority_area.map(theme.area_label),
        Insats=mine.measure.fillna("(pott till nämnden, ingen insats angiven)"),
    ).rename(columns={"municipality": "Kommun", "year": "År", "funding_source": "Källa", "status": "Status"})[
        ["Insats", "Kommun", "År", "Källa", "Område", "Belopp", "Status"]
    ],
)

if lines.amount_sek.notna().any():
    st.subheader("Flödet")
    ui.render_chart(ui.chart(charts.flow_sankey, lines), key="committees_flow")

measures = ui.query("measures_list", filters)
both = measures[measures.requested_sek.notna() & measures.allocated_sek.notna()]
if len(both):
    st.subheader("Äskat och föreslaget")
    ui.render_chart(
        ui.chart(charts.requested_vs_allocated, measures[["title", "requested_sek", "allocated_sek"]]),
        key="committees_requested",
    )
