"""Kommuner: one municipality's frames, rules (intervals as bands), activity matrix, indicators and statistics."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import (
    indicator_panel,
    municipality_view,
    per_capita_view,
    session,
    sidebar,
    text,
    widgets,
)

filters = sidebar.current_filters()
widgets.page_header(
    "Kommuner",
    "En kommun i taget: dess ramar och regler, hur aktiviteterna fördelar sig på områden och inriktningar, "
    "och de indikatorer och den statistik som dokumenten anger.",
    filters,
)

options = list(filters.municipalities) or sidebar.filter_options()["municipalities"]
municipality = st.selectbox(
    "Välj kommun",
    options,
    key=widgets.VIEW_KEYS["municipality_pick"],
    placeholder="Välj kommun",
    bind="query-params",
)

st.subheader("Ramar")
frames = municipality_view.frames(municipality, filters)
if frames.empty:
    widgets.empty_state("Ingen ram för kommunen")
else:
    widgets.table(municipality_view.frames_table(frames))
    for reading in municipality_view.frame_readings(
        frames
    ):  # beside the table: where the frame is our reading
        st.caption(text.plain(reading))

per_capita_view.render_municipality(municipality, filters)  # kr per invånare, when population is imported

rules = municipality_view.rules(municipality)
if len(rules):
    st.subheader("Regler för ramen")
    for line in municipality_view.co_financing_lines(rules):
        st.markdown(line)
    intervals = municipality_view.intervals(rules)
    if len(intervals):
        judged = municipality_view.judged_intervals(municipality, intervals, filters)
        widgets.render_chart(judged.chart, key="municipality_intervals")
        if judged.shown_year is not None:
            st.caption(f"Fördelad andel visas för {judged.shown_year}.")
        else:
            st.caption("Dokumentet anger inga belopp per område, så bara de tillåtna intervallen kan visas.")
        for warning in judged.warnings:
            st.warning(warning, icon=":material/rule:")

matrix = session.query("activity_matrix", municipality=municipality)
model = session.query("model_cells", municipality=municipality)
directions = session.query("directions", municipality=municipality)
if len(matrix):
    widgets.render_chart(municipality_view.matrix_chart(matrix, directions), key="municipality_matrix")
elif len(model):
    st.subheader("Modellen: fokusområden och inriktningar")
    spec, missing = municipality_view.model_chart(model, directions)
    widgets.render_chart(spec, key="municipality_model")
    if missing:
        st.caption(
            "Inriktningar som dokumentet nämner men som inte finns i modelltabellen: "
            + "; ".join(missing)
            + "."
        )
else:  # the page's intro promises it: say why it is not here
    st.caption(
        "Områden och inriktningar: kommunens underlag anger inga inriktningar eller modelltabell, så "
        "fördelningen på inriktningar kan inte visas; fördelningen på områden finns under Prioriterade områden."
    )

indicators = session.query("indicators", municipality=municipality)
stats = session.query("statistics", municipality=municipality)
if not len(indicators) and not len(stats):  # said here, not under the Kolada heading that follows
    st.caption("Mål, indikatorer och statistik: kommunens dokument anger inga som verktyget har läst in.")
indicator_panel.render_municipality(municipality)  # Kolada series per area beside the money
if len(indicators):
    st.markdown("**Mål och indikatorer i dokumenten**")
    widgets.table(municipality_view.indicators_table(indicators))

if len(stats):
    st.markdown("**Statistik i dokumenten**")
    widgets.table(municipality_view.statistics_table(stats))

labels = session.query("area_labels", municipality=municipality)
if len(labels):
    with st.expander("Kommunens egna namn på områdena"):
        widgets.table(municipality_view.area_labels_table(labels))
