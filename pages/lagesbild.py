"""Från lägesbild till resultat: one municipality's plan chain, problem -> goal -> measures -> money -> indicator."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import plan_chain_view, plan_entry, session, sidebar, widgets

filters = sidebar.current_filters()
widgets.page_header(
    plan_chain_view.TITLE,
    "Per kommun och område: problemen i lägesbilden, målen, insatserna som svarar mot dem, pengarna som "
    "beviljats och använts, och indikatorn som ska följas. Sidan visar var kedjan brister: ett mål utan "
    "insats eller pengar, en insats utan mål, pengar utan indikator.",
    filters,
)

options = plan_chain_view.municipalities(filters)
if not options:
    st.info(
        "Ingen kommun har en lägesbild eller åtgärdsplan i datan ännu. Läs in en planfil under Importera "
        "(rubrikerna Kommun, Område, Problem, Indikator, Mål, Insats-id).",
        icon=":material/upload_file:",
    )
    st.stop()
municipality = st.selectbox(
    "Välj kommun",
    options,
    key=widgets.VIEW_KEYS["plan_pick"],
    placeholder="Välj kommun",
    bind="query-params",
)
if municipality:
    plan_chain_view.render(municipality)
    plan_entry.render(session.database(), municipality)
