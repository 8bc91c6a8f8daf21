"""Datakvalitet: the consistency findings in plain Swedish, each with the rows involved."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import functools

import streamlit as st

from insatskollen.ui import downloads, findings_view, sidebar, widgets

NO_TOTALS = (
    "Summor som stämmer: inga att pröva. Urvalets dokument och filer anger inga egna summor; en summa som "
    "ett dokument anger (”Totalt”, ”sammanlagt”) prövas här mot raderna."
)

filters = sidebar.current_filters()
widgets.page_header(
    "Datakvalitet",
    "Här säger verktyget var källdokumenten motsäger sig själva, var en ram över- eller underfördelas, "
    "var en regel bryts och var belopp saknas. Iakttagelserna är information, inte fel i verktyget.",
    filters,
)

report = findings_view.report(filters)
shown = list(report.findings)
widgets.metric_row(findings_view.count_boxes(report))
if not report.totals_checked:
    st.caption(NO_TOTALS)
if not shown:
    widgets.empty_state("Inga iakttagelser")
    st.stop()

cards = shown
if len(shown) > findings_view.CARDS:
    st.markdown(findings_view.pages_text(len(shown)))
    page_count = findings_view.page_count(shown)
    page = st.number_input(
        findings_view.page_label(page_count),
        1,
        page_count,
        1,
        key=widgets.VIEW_KEYS["finding_page"],
        bind="query-params",
    )
    cards = findings_view.on_page(shown, page)
involved = functools.cache(lambda: findings_view.involved(cards))  # the rows, once a card's rows are open
for position, finding in enumerate(cards):
    findings_view.card(finding, involved, position)

if len(shown) > findings_view.CARDS:
    st.subheader("Alla iakttagelser")
    everything = findings_view.all_findings(shown)
    st.markdown(findings_view.summary_text(len(shown)))
    widgets.table(findings_view.summary(everything))
    downloads.download_buttons(everything, "iakttagelser", key="findings_all")
