"""Nämnder: allocation per nämnd with its measures, the money flow, requested versus allocated."""

import streamlit as st

from insatskollen.core import fmt, theme
from insatskollen.export import charts
from insatskollen.ui import frame, session, sidebar, text, widgets

frame.require_app_frame()
filters = sidebar.current_filters()
widgets.page_header(
    "Nämnder",
    "Hur ramarna fördelas på nämnder och förvaltningar, flödet från finansieringskälla via nämnd till "
    "område, och äskade mot föreslagna belopp.",
    filters,
)

by_committee = session.query("allocation_by_committee", filters)
if by_committee.empty:
    widgets.empty_state("Inga fördelningsrader")
    st.stop()

flow = session.query("allocation_flow", filters)
years = sorted(by_committee.year.unique())
if by_committee.amount_sek.notna().any():
    unknown_lines = int(flow.lines_without_amount.sum())
    widgets.render_chart(
        session.chart(charts.committee_bars, by_committee, unknown_lines=unknown_lines), key="committees_main"
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
chosen = st.selectbox(
    "Välj nämnd",
    names,
    key=widgets.VIEW_KEYS["committee_pick"],
    placeholder="Välj nämnd",
    bind="query-params",
)
mine = session.query(
    "allocation_lines_page",
    filters,
    committee="" if chosen == theme.NO_COMMITTEE else chosen,
    limit=widgets.PAGE_ROWS,
)
total_rows = int(mine.total_rows.iloc[0]) if len(mine) else 0
total = mine.total_sek.iloc[0] if len(mine) else None
st.markdown(f"**{text.plain(chosen)}**: {fmt.sek(total)} på {fmt.count_phrase(total_rows, 'rad', 'rader')}.")
widgets.table(
    mine.assign(
        Belopp=mine.amount_sek.map(fmt.sek),
        Område=mine.priority_area.map(theme.area_label),
        Insats=mine.measure.fillna("(pott till nämnden, ingen insats angiven)"),
    ).rename(columns={"municipality": "Kommun", "year": "År", "funding_source": "Källa", "status": "Status"})[
        ["Insats", "Kommun", "År", "Källa", "Område", "Belopp", "Status"]
    ],
)
if total_rows > len(mine):
    st.caption(widgets.first_rows_note(len(mine), total_rows, "rader", "belopp, störst först"))

if flow.amount_sek.notna().any():
    st.subheader("Flödet")
    widgets.render_chart(session.chart(charts.flow_sankey, flow), key="committees_flow")

both = session.query("requested_allocated", filters, limit=charts.MAX_BARS)
if len(both):
    st.subheader("Äskat och föreslaget")
    widgets.render_chart(session.chart(charts.requested_vs_allocated, both), key="committees_requested")
else:  # the page's intro promises it: say why it is not here
    st.caption(
        "Äskat och föreslaget: inga rader med både äskat och föreslaget belopp med de valda filtren, så "
        "jämförelsen kan inte visas."
    )
