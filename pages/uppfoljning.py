"""Uppföljning: per frame-year, granted against spent per area and per nämnd, the flagged measures,
each measure's granted and spent over the years (the follow_up view; read-only), and the yearly report
(återrapportering) as Word and Excel with a paragraph the official edits."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import (
    follow_up_entry,
    follow_up_report_view,
    follow_up_upload,
    follow_up_view,
    session,
    sidebar,
    text,
    widgets,
)

MAX_FRAME_OPTIONS = 60  # as on Scenarier: a longer list is chosen in two steps, kommun then frame-year
MAX_MUNICIPALITIES = 12  # more kommuner in view: the kommun is chosen before the frame-years are counted

filters = sidebar.current_filters()
widgets.page_header(
    "Uppföljning",
    "Från beslut till utfall: vad varje insats har använt av det beviljade, hur långt den har kommit och "
    "vad den har gett, enligt de uppföljningsrapporter som har lästs in under Importera.",
    filters,
)

in_view = follow_up_view.municipalities_in_view(filters)
if len(in_view) > MAX_MUNICIPALITIES:
    # the kommun first, before any frame-year is counted: counting every frame-year's measures and reports
    # nationally (11 600 frame-years, 1 M lines) took ~0.6 s on each change, for a list nobody reads whole
    kommun = st.selectbox("Kommun", sorted(in_view), key="uppf_municipality")
    filters = follow_up_view.for_municipality(filters, kommun)
frame_years = follow_up_view.frame_years(filters)
if frame_years.empty:
    widgets.empty_state("Inga ramar med insatser att följa upp")
    st.stop()
if len(frame_years) > MAX_FRAME_OPTIONS and len(in_view) <= MAX_MUNICIPALITIES:  # a few kommuner, many years
    kommun = st.selectbox("Kommun", follow_up_view.municipalities_of(frame_years), key="uppf_municipality")
    frame_years = follow_up_view.of_municipality(frame_years, kommun)
labels = follow_up_view.frame_year_labels(frame_years)
chosen = widgets.linked_selectbox("Ram och år", labels, widgets.VIEW_KEYS["follow_up_frame"])
rows, frame_id, year = follow_up_view.frame_year(chosen)

widgets.metric_row(follow_up_view.boxes(rows))
if (balance := follow_up_report_view.frame_year_balance(rows)) is not None:
    # the headline rule (insatskollen.core.key_figures), as Översikt
    st.caption(text.plain(f"Ramen: {balance.clause()}"))
deviation_note, flag_sentence, rules = follow_up_view.notes(rows)
st.caption(deviation_note)
st.markdown(flag_sentence)  # our words and counts, no data text
st.caption(rules)

area, committee = st.tabs(["Per område", "Per nämnd"])
for tab, by, column, key in (
    (area, "priority_area", "Område", "uppf_area"),
    (committee, "committee", "Nämnd", "uppf_committee"),
):
    with tab:
        chart, summary = follow_up_view.summary(rows, by, column)
        widgets.render_chart(chart, key=key)
        widgets.table(summary)

st.subheader("Insatserna")
widgets.table(follow_up_view.measures_table(rows))

code, name = follow_up_view.municipality_of(rows)
follow_up_entry.render(session.database(), rows, year)
follow_up_upload.render(session.database(), code, name)

st.subheader("En insats över åren")
items = follow_up_view.measure_items(rows)
item = widgets.linked_selectbox("Insats", items, widgets.VIEW_KEYS["follow_up_measure"])
widgets.render_chart(follow_up_view.measure_years_chart(item, items[item]), key="uppf_years")

follow_up_report_view.section(rows, frame_id, year)
