"""Översikt: frames, allocated, unallocated and unknown amounts; the main chart per national area."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.export import area_charts
from insatskollen.ui import downloads, measures, overview, session, sidebar, text, widgets

filters = sidebar.current_filters()
widgets.page_header(
    "Översikt",
    "Hur mycket pengar mot segregation som finns att fördela, hur mycket som är fördelat och till vilka av "
    "de fem nationella prioriterade områdena.",
    filters,
)

head = overview.headline(filters)
if not head.frame_years:
    widgets.empty_state("Ingen ram")
    st.stop()

measures, unknown_measures = measures.counts(filters)
widgets.metric_row(overview.money_boxes(head))
widgets.readings_panel(overview.readings(filters), head.reading_text(), "overview_readings")
widgets.metric_row(overview.count_boxes(head, measures, unknown_measures))
for sentence in head.balance_sentences():
    st.caption(text.plain(sentence))
if unknown_text := head.unknown_text():
    st.caption(text.plain(unknown_text))
if head.line_filters:
    st.caption(
        "Ram, ofördelat och okänd fördelning gäller hela ramarna; fördelat gäller de rader som filtren för "
        "nämnd, område, status och sökord väljer."
    )

by_area = session.query("allocation_by_area", filters)
if by_area.amount_sek.notna().any():
    widgets.render_chart(
        session.chart(area_charts.area_bars, by_area, unknown_measures=unknown_measures), key="overview_area"
    )
    if area_reading := overview.area_reading(filters):
        st.caption(f"{widgets.READING_BADGE} {text.plain(area_reading)}")
else:
    st.info("Inga belopp per område är kända med de valda filtren.")

st.subheader("Per kommun och år")
widgets.render_chart(overview.frames_chart(head), key="overview_frames")
st.markdown("**Ram för ram**: raderna som nyckeltalen ovan summeras från.")
table = overview.frame_table(head)
widgets.table(widgets.display_table(table.head(widgets.PAGE_ROWS)))
if len(table) > widgets.PAGE_ROWS:  # every row is in the downloads and in the figures above
    st.caption(
        widgets.first_rows_note(
            widgets.PAGE_ROWS, len(table), "ramar och år", "kommun, år och finansieringskälla"
        )
        + " Hela tabellen finns i nedladdningarna."
    )
downloads.download_buttons(table, "per-ram-och-ar", key="overview_table")
