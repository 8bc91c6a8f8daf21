"""Datakvalitet: the consistency findings in plain Swedish, each with the rows involved."""

import math

import pandas as pd
import streamlit as st

from insatskollen import ui
from insatskollen.core import fmt
from insatskollen.core.findings import DEVIATION

NO_TOTALS = (
    "Summor som stämmer: inga att pröva. Urvalets dokument och filer anger inga egna summor; en summa som "
    "ett dokument anger (”Totalt”, ”sammanlagt”) prövas här mot raderna."
)

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Datakvalitet",
    "Här säger verktyget var källdokumenten motsäger sig själva, var en ram över- eller underfördelas, "
    "var en regel bryts och var belopp saknas. Iakttagelserna är information, inte fel i verktyget.",
    filters,
)

report = ui.findings().select(filters.municipalities, filters.years)  # as `check --kommun --ar`
shown = list(report.findings)
deviations = sum(f.severity == DEVIATION for f in shown)
metrics = [
    ("Avvikelser", fmt.number(deviations), "Motsägelser, överskridna ramar och brutna regler."),
    ("Upplysningar", fmt.number(len(shown) - deviations), "Okända belopp och regler som inte kan prövas."),
]
if report.totals_checked:  # "0 av 0" would read as a check that passed
    metrics.append(
        (
            "Summor som stämmer",
            f"{report.totals_matching} av {report.totals_checked}",
            "Summor som dokumenten själva anger, prövade mot raderna.",
        )
    )
ui.metric_row(metrics)
if not report.totals_checked:
    st.caption(NO_TOTALS)
if not shown:
    ui.empty_state("Inga iakttagelser")
    st.stop()

CARDS = 25  # findings shown in full per page; the summary and the download at the end cover every one
MAX_LINKS = 8  # links to the measures a finding involves; more are named by count
cards = shown
if len(shown) > CARDS:
    page_count = math.ceil(len(shown) / CARDS)
    st.markdown(
        f"{fmt.number(len(shown))} iakttagelser, {CARDS} per sida. Längst ned finns en sammanfattning per "
        "slag och hela listan att ladda ner."
    )
    page = st.number_input(
        f"Sida (1–{fmt.number(page_count)})",
        1,
        page_count,
        1,
        key=ui.VIEW_KEYS["finding_page"],
        bind="query-params",
    )
    cards = shown[(page - 1) * CARDS : page * CARDS]
involved = ui.query("rows_by_ids", ids=sorted({i for f in cards for i in f.row_ids}))
documents = ui.query("documents")
imported = set(documents.document_id[documents.kind == ui.IMPORTED_KIND])
# a link names the measure by its title: a measure row's, else its allocation line's (a stated total's name
# is its text)
titles = {
    r.measure_id: r.name
    for r in involved.sort_values("kind", key=lambda k: k == "Insats").itertuples()
    if r.kind != "Summa i dokumentet" and isinstance(r.measure_id, str) and isinstance(r.name, str)
}
for finding in cards:
    with st.container(border=True):
        label = "Avvikelse" if finding.severity == DEVIATION else "Upplysning"
        icon = ":material/warning:" if finding.severity == DEVIATION else ":material/info:"
        when = f" {finding.years_text}" if finding.years else ""
        st.markdown(
            f"{icon} **{label} · {ui.plain(finding.municipality)}{when} · {ui.plain(finding.category)}**"
        )
        st.markdown(f"{ui.plain(finding.subject)}: {ui.plain(finding.message)}")
        st.caption(
            "Källa: "
            + ui.plain("; ".join(finding.sources))
            + (f" · Id: {ui.plain(finding.finding_id)}" if finding.finding_id else "")
        )
        if finding.row_ids:
            with st.expander(f"Visa {fmt.count_phrase(len(finding.row_ids), 'rad', 'rader')} som berörs"):
                rows = involved[involved.id.isin(finding.row_ids)]
                # an imported file's rows have internal ids ('imp-5c576651-a6') that say nothing to a reader:
                # they are named by title and cell (Namn, Avsnitt) only (issue 23)
                own_ids = not rows.source_document.isin(imported).all()
                ui.table(
                    rows.assign(
                        Belopp=rows.amount_sek.map(fmt.sek),
                        År=[fmt.years(a, b) for a, b in zip(rows.year_from, rows.year_to, strict=True)],
                    ).rename(
                        columns={"kind": "Typ", "id": "Id", "name": "Namn", "source_section": "Avsnitt"}
                    )[["Typ", *(["Id"] if own_ids else []), "Namn", "År", "Belopp", "Avsnitt"]],
                )
                linked = list(dict.fromkeys(m for m in rows.measure_id if isinstance(m, str)))
                if len(linked) > MAX_LINKS:
                    st.caption(
                        f"{fmt.count_phrase(len(linked), 'insats', 'insatser')} berörs; öppna dem från sidan "
                        "Insatser (sök på id)."
                    )
                    linked = []
                for measure_id in linked:
                    st.page_link(
                        "pages/insatser.py",
                        label=f"Öppna insatsen {ui.plain(titles.get(measure_id, measure_id))}",  # a label is markdown
                        query_params={"insats": measure_id},
                        icon=":material/open_in_new:",
                    )

if len(shown) > CARDS:
    st.subheader("Alla iakttagelser")
    everything = pd.DataFrame(
        {
            "Typ": ["Avvikelse" if f.severity == DEVIATION else "Upplysning" for f in shown],
            "Kommun": [f.municipality for f in shown],
            "År": [f.years_text for f in shown],
            "Kategori": [f.category for f in shown],
            "Gäller": [f.subject for f in shown],
            "Iakttagelse": [f.message for f in shown],
        }
    )
    summary = everything.groupby(["Typ", "Kategori"]).size().rename("Antal").reset_index()
    st.markdown(
        f"Sammanfattning per slag. Hela listan med {fmt.number(len(shown))} iakttagelser finns i nedladdningen."
    )
    ui.table(summary)
    ui.download_buttons(everything, "iakttagelser", key="findings_all")
