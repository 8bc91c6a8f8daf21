"""Nämnder: allocation per nämnd with its measures, the money flow, requested versus allocated."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.export import chart_builder, committee_charts
from insatskollen.ui import committees, session, sidebar, widgets

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
if by_committee.amount_sek.notna().any():
    widgets.render_chart(committees.committee_chart(by_committee, flow), key="committees_main")
    if years_note := committees.years_note(by_committee):
        st.caption(years_note)
else:
    st.info("Inga belopp per nämnd är kända med de valda filtren.")

st.subheader("Nämndernas insatser")
chosen = st.selectbox(
    "Välj nämnd",
    committees.names(by_committee),
    key=widgets.VIEW_KEYS["committee_pick"],
    placeholder="Välj nämnd",
    bind="query-params",
)
mine = committees.lines(filters, chosen)
st.markdown(mine.heading)
widgets.table(mine.table)
if mine.total_rows > mine.shown:
    st.caption(widgets.first_rows_note(mine.shown, mine.total_rows, "rader", "belopp, störst först"))

if flow.amount_sek.notna().any():
    st.subheader("Flödet")
    widgets.render_chart(session.chart(committee_charts.flow_sankey, flow), key="committees_flow")

both = session.query("requested_allocated", filters, limit=chart_builder.MAX_BARS)
if len(both):
    st.subheader("Äskat och föreslaget")
    widgets.render_chart(
        session.chart(committee_charts.requested_vs_allocated, both), key="committees_requested"
    )
else:  # the page's intro promises it: say why it is not here
    st.caption(
        "Äskat och föreslaget: inga rader med både äskat och föreslaget belopp med de valda filtren, så "
        "jämförelsen kan inte visas."
    )
