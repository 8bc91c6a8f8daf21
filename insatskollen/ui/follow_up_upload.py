"""Reading a follow-up file on the Uppföljning page (issue 23, item 2). The municipality of the chosen
frame-year narrows the file's titles, so a municipality's own file (`Insats;År;Utfall (kr);Genomförande;
Resultat`, no Kommun column) is read as it is written. The same reader, validator, preview and commit as
Importera (import_preview, import_store): logged with who and when, undone with "Ångra senaste import".
Offered to handläggare, as the form above it (follow_up_entry); the role is asked again at the click.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from insatskollen.core import fmt, roles
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, follow_up_file, previewer
from insatskollen.store.working.base import StoreError
from insatskollen.ui import auth, session, text, widgets

MESSAGE = "uppf_file_message"
ROUND = "uppf_file_round"  # a new uploader after each import, so the imported file is not offered again
HEADERS = ["Insats", "År", "Utfall (kr)", "Genomförande", "Datum", "Resultat"]


@st.cache_data(show_spinner=False, max_entries=10)
def _preview(digest: str, name: str, _data: bytes, within: str, version: str | None):
    """The follow-up preview of one file within one municipality, cached per file hash and data version;
    (None, DataError) when it cannot be imported, (None, None) when it is no follow-up file."""
    db = session.database()
    try:
        read = previewer.read_rows(name, _data)
        if not follow_up_file.is_follow_up(read.header):
            return None, None
        return previewer.follow_up_preview(db, name, read, within), None
    except DataError as error:
        return None, error


def show(preview) -> None:
    """A follow-up preview: counts, the reports beside what was granted, and the findings."""
    spent = preview.rows["Utfall (kr)"]
    widgets.metric_row(
        [
            ("Uppföljningsrapporter", str(len(preview.rows)), None),
            ("Utfall totalt", previewer.total_text(spent), None),
            ("Utan utfall", str(int(spent.isna().sum())), "Räknas som okända, inte noll."),
        ]
    )
    widgets.table(
        widgets.display_table(preview.rows, unknown=("Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)"))
    )
    st.caption(
        "Avvikelse = utfall − beviljat; positiv betyder mer använt än beviljat. Okänt räknas aldrig som noll."
    )
    for finding in preview.findings:
        st.info(text.plain(finding))


def render(db, municipality_code: str, municipality: str) -> None:
    """The uploader, the preview and the import, for the municipality of the chosen frame-year."""
    st.subheader("Läs in en uppföljningsfil")
    identity = auth.current()
    if identity is None or not identity.may(roles.OFFICIAL):
        st.caption("Att läsa in uppföljning kräver rollen handläggare.")
        return
    st.caption(
        text.plain(
            f"En CSV- eller Excelfil med kolumnerna {', '.join(HEADERS)}. Utan kolumnen Kommun söks namnen i "
            f"kolumnen Insats bland insatserna i {municipality}; med den, i kommunen på raden. Tomt utfall betyder "
            "okänt, inte noll."
        )
    )
    message = st.session_state.pop(MESSAGE, None)
    if message:
        st.success(text.plain(message))
    upload = st.file_uploader(
        f"Uppföljningsfil för {municipality}",
        type=["csv", "txt", "tsv", "xlsx"],
        key=f"uppf_file_{st.session_state.get(ROUND, 0)}",
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    with st.spinner("Läser och kontrollerar filen …"):
        preview, failure = _preview(digest, upload.name, data, municipality_code, db.built_version())
    if failure is not None:
        text.data_error(failure)
        return
    if preview is None:
        st.error(
            text.plain(
                f"{upload.name} är ingen uppföljningsfil: den saknar kolumnerna Utfall (kr) och Genomförande. "
                "Insatser och budgetar läses in under Importera."
            )
        )
        return
    show(preview)
    name = "" if identity.signed_in else st.text_input("Ditt namn (loggas med filen)", key="uppf_file_author")
    if not st.button("Importera uppföljningen", type="primary", key="uppf_file_go"):
        return
    try:
        checked = auth.require(
            roles.OFFICIAL, "läsa in uppföljning"
        )  # asked again: the role may have changed
        committer.commit_follow_up(db, preview, checked.actor(name))
    except (DataError, StoreError, roles.NotAllowed, roles.AuthSettingError) as error:
        st.error(text.plain(str(error)))
        return
    st.cache_data.clear()
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    count = len(preview.rows)
    st.session_state[MESSAGE] = (
        f"{fmt.count_phrase(count, 'uppföljningsrapport', 'uppföljningsrapporter')} från {upload.name} "
        + ("är importerad. Den" if count == 1 else "är importerade. De")
        + " kan ångras under Importera."
    )
    st.rerun()
