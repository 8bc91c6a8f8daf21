"""Insatser: every measure and proposal, searchable and sortable, with a detail view and its exact source."""

import pandas as pd
import streamlit as st

from insatskollen import ui
from insatskollen.core import basis, fmt, na, theme

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
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

counts = ui.query("measure_counts", filters)
count = int(counts.measures.sum())
if not count:
    ui.empty_state("Inga insatser")
    st.stop()

left, right = st.columns([2, 1])
sort_label = left.selectbox("Sortera", list(SORTS), key="measure_sort")
ordered = ui.query("measures_page", filters, sort=SORTS[sort_label], limit=ui.PAGE_ROWS)
unknown = int(counts.measures_without_amount.sum())
right.metric("Insatser", fmt.number(count), help=f"{fmt.number(unknown)} av dem saknar belopp.")

table = pd.DataFrame(
    {
        "Insats": ordered.title,
        "Kommun": ordered.municipality,
        "Nämnd": ordered.committee.fillna("–"),
        "Område": ordered.primary_area.map(theme.area_label),
        "Belopp per år": [
            basis.allocated_text(a, s) for a, s in zip(ordered.allocated_sek, ordered.status, strict=True)
        ],
        "Äskat": ordered.requested_sek.map(lambda v: "–" if na.missing(v) else fmt.sek(v)),
        "År": [fmt.years(a, b) for a, b in zip(ordered.year_from, ordered.year_to, strict=True)],
        "Status": ordered.status,
    }
)
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="measure_table",
)
ui.download_buttons(
    ordered[
        [
            "measure_id",
            "title",
            "municipality",
            "committee",
            "primary_area",
            "allocated_sek",
            "requested_sek",
            "year_from",
            "year_to",
            "status",
            "source_title",
            "case_number",
            "source_section",
        ]
    ].rename(
        columns={
            "measure_id": "Id",
            "title": "Insats",
            "municipality": "Kommun",
            "committee": "Nämnd",
            "primary_area": "Område",
            "allocated_sek": "Belopp per år (kr)",
            "requested_sek": "Äskat (kr)",
            "year_from": "Från år",
            "year_to": "Till år",
            "status": "Status",
            "source_title": "Källdokument",
            "case_number": "Dnr",
            "source_section": "Avsnitt",
        }
    ),
    "insatser",
    key="measures_download",
)
if count > len(ordered):
    st.caption(ui.first_rows_note(len(ordered), count, "insatser", sort_label.lower()))

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

detail = ui.query("measure_detail", measure_id=measure_id)
if detail.empty:
    st.warning("Insatsen i länken finns inte i datan.")
    st.stop()
m = detail.iloc[0]
st.divider()
ui.text_heading(m.title, 2)
st.markdown(ui.plain(m.description))
ui.metric_row(
    [
        (
            "Föreslaget/beviljat per år",
            basis.allocated_text(m.allocated_sek, m.status),
            "Beloppet på insatsens fördelningsrad."
            if m.status != basis.UNFUNDED
            else "Dokumentet finansierar inte förslaget; det är inte ett okänt belopp.",
        ),
        (
            "Äskat",
            fmt.sek(m.requested_sek) if not na.missing(m.requested_sek) else "–",
            f"Dokumentets formulering: {m.requested_text}" if isinstance(m.requested_text, str) else None,
        ),
        ("År", fmt.years(m.year_from, m.year_to), None),
        ("Status", m.status, None),
    ]
)
for note in m.basis_notes:  # beside the amount: where it is our reading of the document
    st.caption(ui.plain(basis.tolkning_text(note)))
for note in m.document_notes:
    st.caption(ui.plain(basis.document_text(note)))
committee_basis = basis.basis_label(m.committee_basis) if m.committee_basis == basis.READING else ""
facts = [
    ("Kommun", m.municipality),
    (
        "Nämnd/förvaltning",
        (
            " / ".join(dict.fromkeys(x for x in [m.committee, m.administration] if isinstance(x, str)))
            + (f" ({committee_basis})" if committee_basis else "")
        )
        or "Anges inte i dokumentet",
    ),
    (
        "Primärt område",
        f"{theme.area_label(m.primary_area)} ({basis.basis_label(m.area_basis) or 'anges inte'})"
        if isinstance(m.primary_area, str)
        else theme.NO_AREA,
    ),
    ("Kopplas också till", ", ".join(m.secondary_areas) if len(m.secondary_areas) else "–"),
    ("Kommunens områdesnamn", m.area_label if isinstance(m.area_label, str) else "–"),
    ("Inriktning/dimension", m.direction if isinstance(m.direction, str) else "–"),
    ("Områden och platser", m.districts if isinstance(m.districts, str) else "Anges inte"),
    ("Finansiering", ", ".join(m.funding_sources) if len(m.funding_sources) else "–"),
]
st.markdown("\n".join(f"- **{label}:** {ui.plain(value)}" for label, value in facts))
if isinstance(m.interpretation, str):
    st.info(f"**Tolkning:** {ui.plain(m.interpretation)}", icon=":material/info:")
ui.source_block(m.source_document, m.source_section, m.title, measure=m)

related = [f for f in ui.findings().findings if measure_id in f.row_ids]
for finding in related:
    st.warning(f"**{ui.plain(finding.category)}.** {ui.plain(finding.message)}", icon=":material/warning:")
