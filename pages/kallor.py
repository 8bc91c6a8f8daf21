"""Källor: each source document with municipality, case number, date, what was taken, and its text."""

import html

import streamlit as st

from insatskollen.store import sources
from insatskollen.ui import frame, session, sidebar, source_view, text, widgets

frame.require_app_frame()
filters = sidebar.current_filters()
widgets.page_header(
    "Källor",
    "De offentliga dokument som all data kommer ifrån. Varje belopp i Insatskollen går att spåra till ett av "
    "dem, med avsnitt eller tabell.",
    filters,
)

docs = session.query("documents")
if filters.municipalities:
    docs = docs[docs.municipality.isin(filters.municipalities)]
if docs.empty:
    widgets.empty_state("Inga källdokument")
    st.stop()

widgets.table(
    docs.rename(
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
    )[["Kommun", "Datum", "Dnr", "Typ", "Dokument", "Ramar", "Insatser", "Fördelningsrader"]],
)
st.caption(
    "Ramar, Insatser och Fördelningsrader: hur många av dem i Insatskollen som hämtats ur dokumentet. En "
    "importerad fil med åtta rader ger åtta insatser och åtta fördelningsrader under sin ram."
)
replaced = session.query("replaced_frame_years")
if filters.municipalities:
    replaced = replaced[replaced.municipality.isin(filters.municipalities)]
if len(replaced):
    st.subheader("Ersatt av import")
    st.caption(
        "Källdokumentens rader för dessa år visas inte, eftersom en kommun har importerat nyare siffror. "
        "De kommer tillbaka om importen ångras."
    )
    widgets.table(
        replaced.assign(
            replaced_at=replaced.replaced_at.dt.strftime("%Y-%m-%d"),
        )
        .rename(
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
        .pipe(widgets.display_table)
    )
# Each document's text is sent to the browser with the page, open or not: nationally (290 documents, ~320 kB)
# that was most of every filter change (issue 16). Beyond this many, the person narrows by municipality.
MAX_TEXTS = 20
if len(docs) > MAX_TEXTS and not filters.municipalities:
    st.info(
        f"Texterna visas för högst {MAX_TEXTS} dokument åt gången; urvalet har {len(docs)}. "
        "Välj kommun i filtret till vänster för att läsa dokumentens text.",
        icon=":material/filter_alt:",
    )
    docs = docs.iloc[0:0]
elif len(docs) > MAX_TEXTS:  # one kommun with many imported files: its first documents, and say so
    st.caption(
        f"Texterna visas för de {MAX_TEXTS} första av kommunens {len(docs)} dokument, i tabellens ordning."
    )
    docs = docs.head(MAX_TEXTS)
for doc in docs.itertuples():
    imported = doc.kind == source_view.IMPORTED_KIND
    with st.expander(text.plain(f"{doc.municipality} {doc.date}: {doc.title}")):
        st.markdown(  # a missing Dnr is said, never shown as "nan"; an imported file has no file of ours to name
            ("" if imported else f"- **Fil:** `{doc.document_id}`\n")
            + f"- **Dnr:** {text.plain(text.or_text(doc.case_number, 'anges inte'))}\n"
            f"- **Typ:** {text.plain(text.or_text(doc.kind, '–'))}\n- **Hämtat:** {text.plain(text.or_text(doc.taken, '–'))}"
        )
        if imported:  # its rows are the data itself; there is no document text to show
            st.caption(
                "Filens rader finns under Insatser och Kommuner; texten i den importerade filen sparas inte."
            )
            continue
        st.caption("Dokumentets text")
        # Our own scrolling box, not st.container(height=...): Streamlit's cannot take keyboard focus, so
        # a keyboard user could not scroll the text (axe: scrollable-region-focusable). Escaped and
        # rendered by sources.to_html: formatting only, no links or images.
        label = html.escape(f"Dokumentets text: {doc.title}", quote=True)
        st.markdown(
            f'{source_view.SOURCE_STYLE}<div class="ik-scroll" tabindex="0" role="region" aria-label="{label}">'
            f'<div class="ik-source ik-document">{sources.document_html(doc.document_id)}</div></div>',
            unsafe_allow_html=True,
        )
