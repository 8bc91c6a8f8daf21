"""A source as a reader sees it: 'Källa: title (dnr), avsnitt …' and the passage from the document, with
the table row an amount comes from."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from insatskollen.core import fmt
from insatskollen.core.filters import Filters
from insatskollen.core.schema import IMPORTED_DOCUMENT
from insatskollen.ui.session import query
from insatskollen.ui.text import md_escape, or_text, plain
from insatskollen.ui.widgets import display_table

# Static CSS for source passages (no user data): tables from the documents, amounts right-aligned.
SOURCE_STYLE = """<style>
.ik-source, .ik-source-row { border-left: 4px solid #D1D5DB; padding: 0.2rem 0 0.2rem 0.9rem; margin: 0.3rem 0 0.8rem; }
.ik-source table, .ik-source-row table { border-collapse: collapse; margin: 0.3rem 0; }
.ik-source th, .ik-source td, .ik-source-row th, .ik-source-row td { border-bottom: 1px solid #D1D5DB;
  padding: 0.2rem 0.7rem; text-align: left; vertical-align: top; }
.ik-source .num, .ik-source-row .num { text-align: right; white-space: nowrap; }
.ik-source.ik-document { border-left: none; padding-left: 0; }
.ik-scroll { max-height: 420px; overflow-y: auto; border: 1px solid #D1D5DB; border-radius: 0.5rem;
  padding: 0.2rem 1rem; }
.ik-scroll:focus-visible { outline: 2px solid #005A8C; outline-offset: 2px; }
</style>"""


IMPORTED_KIND = IMPORTED_DOCUMENT


def document_label(title, date, document_id: str) -> str:
    """A source as a reader knows it: 'Importerad fil gavle.xlsx, 2026-12-06' or a document's title and date;
    the internal id only when the document is not in the data."""
    if or_text(title, "") == "":
        return str(document_id)
    return f"{title}, {date}" if or_text(date, "") else str(title)


def _document_citation(document_id: str) -> str:
    """'Title, dnr X, date' of a bundled document, escaped for markdown."""
    docs = query("documents").set_index("document_id")
    if document_id not in docs.index:
        return md_escape(document_id)
    doc = docs.loc[document_id]
    case = f", dnr {doc['case_number']}" if isinstance(doc["case_number"], str) else ""
    return f"{md_escape(doc['title'])}{md_escape(case)}, {md_escape(doc['date'])}"


def source_block(document_id: str, section: str, *hints: str, measure=None) -> None:
    """'Källa: title (dnr), avsnitt …' with the passage from the document. For a measure (a measure_detail
    row) the passage runs up to its amount, and the table row its allocated amount comes from is cited and
    shown with the table's header. The document's markdown is rendered as formatting, safely."""
    from insatskollen.store import sources

    docs = query("documents").set_index("document_id")
    imported = document_id in docs.index and docs.loc[document_id, "kind"] == IMPORTED_KIND
    st.markdown(  # an imported file is named by its title; its internal id says nothing to a reader
        f"**Källa:** {_document_citation(document_id)}  \n"
        f"Avsnitt: {md_escape(section)}" + ("" if imported else f"  \nFil: {md_escape(document_id)}")
    )
    if imported:  # its text is not kept (Källor says so): say what is known instead of a passage not found
        doc = docs.loc[document_id]
        case = or_text(doc["case_number"], "")
        st.caption(  # the section names the file and its row ("gavle.xlsx rad 4"), often the dnr too
            "Den importerade filens text sparas inte, så det finns inget avsnitt att visa. Insatsen kommer från "
            + plain(section)
            + (f", dnr {plain(case)}" if case and case not in str(section) else "")
            + f", importerad {plain(doc['date'])}."
        )
        return
    shown = sources.MeasureSource(sources.excerpt(document_id, section, *hints))
    amount = None
    if measure is not None:
        lines = query("measure_sources", measure_id=measure.measure_id)
        allocations = tuple(
            (r.source_document, r.source_section, None if pd.isna(r.amount_sek) else int(r.amount_sek))
            for r in lines.itertuples()
        )
        shown = sources.for_measure(
            document_id,
            section,
            measure.title,
            measure.description if isinstance(measure.description, str) else "",
            measure.requested_text if isinstance(measure.requested_text, str) else None,
            None if pd.isna(measure.requested_sek) else int(measure.requested_sek),
            allocations,
        )
        amount = next(
            (a for d, s, a in allocations if (d, s) == (shown.table_document, shown.table_section)), None
        )
    if shown.table and amount is not None:
        st.markdown(
            f"**Beloppet {md_escape(fmt.sek(amount))}:** {_document_citation(shown.table_document)}, "
            f"tabellen ”{md_escape(shown.table_section)}”"
        )
    with st.expander("Visa texten i källdokumentet"):
        if shown.passage:
            st.markdown(
                f'{SOURCE_STYLE}<div class="ik-source">{sources.to_html(shown.passage)}</div>',
                unsafe_allow_html=True,
            )
        else:
            st.caption("Avsnittet kunde inte hittas automatiskt i texten; se hela dokumentet under Källor.")
        if shown.table:
            st.caption(f"Raden som beloppet {fmt.sek(amount)} kommer från, med tabellens rubrikrad:")
            st.markdown(
                f'{SOURCE_STYLE}<div class="ik-source-row">{sources.to_html(shown.table)}</div>',
                unsafe_allow_html=True,
            )


# ------------------------------------------------------------------ Källor


def documents_in(filters: Filters) -> pd.DataFrame:
    """The source documents of the chosen municipalities (all without a kommun filter)."""
    docs = query("documents")
    return docs[docs.municipality.isin(filters.municipalities)] if filters.municipalities else docs


def documents_table(docs: pd.DataFrame) -> pd.DataFrame:
    """Källor's table of documents, with how many frames, measures and lines each one gives."""
    return docs.rename(
        columns={
            "municipality": "Kommun",
            "date": "Datum",
            "case_number": "Dnr",
            "title": "Dokument",
            "kind": "Typ",
            "frames_citing": "Ramar",
            "measures_citing": "Insatser",
            "lines_citing": "Fördelningsrader",
        }
    )[["Kommun", "Datum", "Dnr", "Typ", "Dokument", "Ramar", "Insatser", "Fördelningsrader"]]


def replaced_table(filters: Filters) -> pd.DataFrame:
    """The frame-years whose source rows an import replaced, as shown (empty when none)."""
    replaced = query("replaced_frame_years")
    if filters.municipalities:
        replaced = replaced[replaced.municipality.isin(filters.municipalities)]
    return display_table(
        replaced.assign(
            replaced_at=replaced.replaced_at.dt.strftime("%Y-%m-%d"),
        ).rename(
            columns={
                "municipality": "Kommun",
                "year": "År",
                "funding_source": "Finansieringskälla",
                "lines": "Rader i källdokumenten",
                "amount_sek": "Belopp (kr)",
                "file": "Ersatt av import av",
                "replaced_at": "Datum",
            }
        )[
            [
                "Kommun",
                "År",
                "Finansieringskälla",
                "Rader i källdokumenten",
                "Belopp (kr)",
                "Ersatt av import av",
                "Datum",
            ]
        ]
    )


def document_text(document_id: str, title: str) -> None:
    """A document's whole text in a box that scrolls within itself.

    Our own scrolling box, not st.container(height=...): Streamlit's cannot take keyboard focus, so a keyboard
    user could not scroll the text (axe: scrollable-region-focusable). Escaped and rendered by
    sources.to_html: formatting only, no links or images."""
    from insatskollen.store import sources

    label = html.escape(f"Dokumentets text: {title}", quote=True)
    st.markdown(
        f'{SOURCE_STYLE}<div class="ik-scroll" tabindex="0" role="region" aria-label="{label}">'
        f'<div class="ik-source ik-document">{sources.document_html(document_id)}</div></div>',
        unsafe_allow_html=True,
    )
