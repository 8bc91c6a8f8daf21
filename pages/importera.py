"""Importera: a municipality's own measures and budgets from CSV or Excel, previewed before anything is written."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import hashlib

import streamlit as st

from insatskollen.ingest import committer, follow_up_file, headers, plan_file, previewer
from insatskollen.ui import (
    follow_up_upload,
    import_view,
    kolada_upload,
    session,
    signin,
    text,
    widgets,
)

identity = signin.page_identity("importera", "Importera")  # the role is checked before anything is drawn
st.title("Importera")
st.markdown(
    "Läs in kommunens egna insatser och budgetar från en CSV- eller Excelfil. Du ser en förhandsgranskning "
    "med summor och iakttagelser innan något sparas, och den senaste importen kan ångras. Importerad data "
    "ligger kvar när appen startas om. Finansieringskällan får heta som hos er (t.ex. Egna medel eller "
    "KF budget 2025, högst 120 tecken); ange gärna Typ av finansiering: statsbidrag, egna medel eller annat."
)
db = session.database()


KINDS = ("Insatser och budgetar", "Nyckeltal från Kolada")
kind = st.radio("Vad vill du importera?", KINDS, key="import_kind", horizontal=True)
if kind == KINDS[1]:
    kolada_upload.render(db, identity, import_view.allowed)
    st.stop()

import_view.template_buttons()
st.caption(
    "Rubriker på svenska eller engelska: " + ", ".join(headers.TEMPLATE_HEADERS) + ". Belopp som "
    "1 000 000, 1 000 000 kr, 2,08 mnkr eller 300 tkr. Områden med de nationella namnen eller kommunens egna "
    "(t.ex. ”Bostad / Samhällsservice”). " + import_view.size_limit_text()
)

st.caption(
    "Uppföljning (utfall, genomförande och resultat per insats och år) läses in på samma sätt, med "
    "rubrikerna "
    + ", ".join(follow_up_file.TEMPLATE_HEADERS)
    + ". Tomt utfall betyder okänt, inte noll. Utan "
    "kolumnen Kommun söks insatsernas namn i all data (under Uppföljning: i den valda kommunen)."
)
import_view.plan_template_button()
st.caption(
    "Lägesbild och åtgärdsplan (sidan Från lägesbild till resultat) läses in med rubrikerna "
    + ", ".join(plan_file.TEMPLATE_HEADERS)
    + ": en rad per mål och insats som svarar mot det, med insatsens id eller namn. Kommunens insatser "
    "importeras först; en ny plan för kommunen ersätter den förra."
)

# The uploader states server.maxUploadSize (.streamlit/config.toml: 5, our limit) as "5MB per file". Its
# words ("Upload", "Drag and drop file here") cannot be set in Streamlit 1.67: README, Known limitations.
upload = st.file_uploader(
    "Välj fil",
    type=["csv", "txt", "tsv", "xlsx"],
    key="import_file",
    help="Dra och släpp filen i rutan, eller klicka på knappen Upload för att välja den på datorn.",
)
message = st.session_state.pop("import_message", None)
if message:
    getattr(st, message[0])(text.plain(message[1]))

if upload is None:
    import_view.undo_section(identity)
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()
sheet_key = f"import_sheet_{digest[:16]}"  # one choice per file: a new file starts from its first sheet
sheet = st.session_state.get(sheet_key)
with st.spinner("Läser och kontrollerar filen …"):
    preview, failure = import_view.preview(digest, upload.name, data, sheet)
if failure is not None:
    text.data_error(failure)
    st.stop()
if len(preview.sheets) > 1:
    st.selectbox(
        "Blad i Excel-filen",
        preview.sheets,
        index=preview.sheets.index(preview.sheet),
        key=sheet_key,
        help="Det första synliga bladet läses om du inte väljer ett annat.",
    )

st.subheader("Förhandsgranskning")
if preview.kind == "plan":
    import_view.plan_preview(preview)
    if not identity.signed_in:
        st.text_input("Ditt namn (loggas)", key="import_author")
    if st.button("Importera", type="primary", key="import_go") and import_view.allowed("importera"):
        if not import_view.commit(preview, identity):
            st.stop()
        st.success(import_view.imported_text(preview))
    st.stop()
if preview.kind == "follow_up":
    follow_up_upload.show(preview)  # as Uppföljning shows it
    if not identity.signed_in:
        st.text_input("Ditt namn (loggas)", key="import_author")
    if st.button("Importera", type="primary", key="import_go") and import_view.allowed("importera"):
        if not import_view.commit(preview, identity):
            st.stop()
        st.success(import_view.imported_text(preview))
    st.stop()
widgets.metric_row(import_view.preview_boxes(preview))
widgets.table(widgets.display_table(preview.rows))
# one under the other: side by side at 1024×768 each was too narrow and cut "minst 250 000 kr" to "minst 250 000"
st.markdown("**Per område**")
# "minst" where a group has a line without amount (the one rule), so text, not display_table's numbers
widgets.table(previewer.group_totals(preview.rows, "Område", preview.by_area))
st.markdown("**Per nämnd**")
widgets.table(previewer.group_totals(preview.rows, "Nämnd", preview.by_committee))
for finding in preview.findings:
    st.info(text.plain(finding))

bundled, existing = committer.conflicts(db, preview)
replace = False
if bundled:
    st.warning(
        "Filen har nyare siffror för "
        + ", ".join(f"{n} {y}" for n, y in bundled)
        + ", som i dag kommer från källdokumenten. Om du bekräftar visar alla sidor, exporter och "
        "kontrollen filens rader i stället; källdokumentens rader står kvar som ”ersatt av import” under "
        "Källor och Datakvalitet och kommer tillbaka med ”Ångra senaste import”.",
        icon=":material/swap_horiz:",
    )
if existing:
    st.warning(
        "Det finns redan importerad data för "
        + ", ".join(f"{n} {y}" for n, y in existing)
        + ". Den ersätts om du bekräftar, och kan återställas med ”Ångra senaste import”."
    )
if bundled or existing:
    replace = st.checkbox("Ja, ersätt den befintliga datan med filens rader", key="import_replace")
if not identity.signed_in:  # signed in, the log names the identity instead
    st.text_input("Ditt namn (loggas)", key="import_author")
if st.button(
    "Importera", type="primary", key="import_go", disabled=bool(existing or bundled) and not replace
) and import_view.allowed("importera"):
    if not import_view.commit(preview, identity, replace=replace):
        st.stop()
    st.success(import_view.imported_text(preview))
