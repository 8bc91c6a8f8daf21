"""Källor: each source document with municipality, case number, date, what was taken, and its text."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import open_data, sidebar, source_view, text, widgets

filters = sidebar.current_filters()
widgets.page_header(
    "Källor",
    "De offentliga dokument som all data kommer ifrån. Varje belopp i Insatskollen går att spåra till ett av "
    "dem, med avsnitt eller tabell.",
    filters,
)

docs = source_view.documents_in(filters)
if docs.empty:
    widgets.empty_state("Inga källdokument")
    st.stop()

widgets.table(source_view.documents_table(docs))
st.caption(
    "Ramar, Insatser och Fördelningsrader: hur många av dem i Insatskollen som hämtats ur dokumentet. En "
    "importerad fil med åtta rader ger åtta insatser och åtta fördelningsrader under sin ram."
)
open_data.section(filters)
replaced = source_view.replaced_table(filters)
if len(replaced):
    st.subheader("Ersatt av import")
    st.caption(
        "Källdokumentens rader för dessa år visas inte, eftersom en kommun har importerat nyare siffror. "
        "De kommer tillbaka om importen ångras."
    )
    widgets.table(replaced)
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
# A document's details and text are made when its expander is opened (widgets.lazy_expander): the five bundled
# texts were ~120 kB sent and drawn, hidden, on every rerun of the page.
for doc in docs.itertuples():
    imported = doc.kind == source_view.IMPORTED_KIND
    label = text.plain(f"{doc.municipality} {doc.date}: {doc.title}")
    with widgets.lazy_expander(label, key=f"kallor_dokument_{doc.document_id}") as box:
        if not box.open:
            continue
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
        source_view.document_text(doc.document_id, doc.title)
