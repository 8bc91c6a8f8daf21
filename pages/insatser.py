"""Insatser: every measure and proposal, searchable and sortable, with a detail view and its exact source."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import downloads, measures, session, sidebar, source_view, text, widgets

filters = sidebar.current_filters()
widgets.page_header(
    "Insatser",
    "Alla insatser och förslag i källdokumenten. Sök i sidopanelen, sortera här, och välj en rad för att se "
    "beskrivning, belopp och exakt källa.",
    filters,
)

SORTS = {  # fixed list: the user picks a label, the query gets a fixed key, never a column name
    "Kommun och titel": "kommun",
    "Belopp, högst först": "belopp_hog",
    "Belopp, lägst först": "belopp_lag",
    "Titel A–Ö": "titel",
    "Status": "status",
}

count, unknown = measures.counts(filters)
if not count:
    widgets.empty_state("Inga insatser")
    st.stop()

left, right = st.columns([2, 1])
sort_label = left.selectbox("Sortera", list(SORTS), key="measure_sort")
ordered = session.query("measures_page", filters, sort=SORTS[sort_label], limit=widgets.PAGE_ROWS)
right.metric(*measures.count_metric(count, unknown))

event = st.dataframe(
    measures.shown_table(ordered),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="measure_table",
)
downloads.download_buttons(measures.download_table(ordered), "insatser", key="measures_download")
if count > len(ordered):
    st.caption(widgets.first_rows_note(len(ordered), count, "insatser", sort_label.lower()))

selected_rows = event.selection.rows if event else []
if selected_rows:
    st.query_params["insats"] = ordered.measure_id[selected_rows[0]]
measure_id = st.query_params.get("insats")
if not measure_id:
    st.caption(
        "Välj en rad i tabellen för att se detaljerna. Med tangentbordet: Tab till tabellen, pilarna till "
        "raden, Skift+Mellanslag väljer den."
    )
    st.stop()

m = measures.detail(measure_id)
if m is None:
    st.warning("Insatsen i länken finns inte i datan.")
    st.stop()
st.divider()
text.text_heading(m.title, 2)
st.markdown(text.plain(m.description))
widgets.metric_row(measures.detail_boxes(m))
for note in measures.detail_notes(m):  # beside the amount: where it is our reading of the document
    st.caption(text.plain(note))
facts = measures.facts(m)
st.markdown("\n".join(f"- **{label}:** {text.plain(value)}" for label, value in facts))
if isinstance(m.interpretation, str):
    st.info(f"**Tolkning:** {text.plain(m.interpretation)}", icon=":material/info:")
source_view.source_block(m.source_document, m.source_section, m.title, measure=m)

for finding in measures.related_findings(measure_id):
    st.warning(
        f"**{text.plain(finding.category)}.** {text.plain(finding.message)}", icon=":material/warning:"
    )
