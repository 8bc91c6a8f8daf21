"""Importera's pieces: the role asked again at a click, the undo of the last import with the import log, a
file's cached preview and its big numbers, and the commit with its errors said in Swedish."""

from __future__ import annotations

import streamlit as st

from insatskollen.core import fmt, import_history, roles
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, plan_file, previewer, template
from insatskollen.store.working.base import StoreError
from insatskollen.ui import auth, session, widgets
from insatskollen.ui.downloads import XLSX_MIME
from insatskollen.ui.text import plain


def allowed(what: str) -> bool:
    """Asked again at the click (a role taken away since the page was drawn): refused in Swedish."""
    try:
        auth.require(roles.ADMIN, what)
    except (roles.NotAllowed, roles.AuthSettingError) as refused:
        st.error(plain(str(refused)), icon=":material/block:")
        return False
    return True


def template_buttons() -> None:
    """The import templates, two by two: the measures' and the follow-up's, as CSV and as Excel (made on a
    click: the Excel files list the allowed values and the measures' ids)."""
    db = session.database()
    templates = (  # label, the file (or what makes it), file name, mime, key
        ("Mall (CSV)", template.measures_csv(), "insatskollen-mall.csv", "text/csv", "tpl_csv"),
        (
            "Mall (Excel, med tillåtna värden)",
            lambda: template.measures_xlsx(db),
            "insatskollen-mall.xlsx",
            XLSX_MIME,
            "tpl_xlsx",
        ),
        (
            "Mall för uppföljning (CSV)",
            template.follow_up_csv(),
            "insatskollen-uppfoljning-mall.csv",
            "text/csv",
            "tpl_follow_up_csv",
        ),
        (
            "Mall för uppföljning (Excel, med insatsernas id)",
            lambda: template.follow_up_xlsx(db),
            "insatskollen-uppfoljning-mall.xlsx",
            XLSX_MIME,
            "tpl_follow_up_xlsx",
        ),
    )
    columns = [*st.columns(2), *st.columns(2)]
    for column, (label, data, file_name, mime, key) in zip(columns, templates, strict=True):
        column.download_button(
            label,
            data,
            file_name=file_name,
            mime=mime,
            key=key,
            on_click="ignore",
            icon=":material/download:",
        )


def plan_template_button() -> None:
    """The plan file's template (lägesbild, mål, insats-id) as CSV."""
    st.download_button(
        "Mall för lägesbild och mål (CSV)",
        template.plan_csv(),
        file_name="insatskollen-plan-mall.csv",
        mime="text/csv",
        key="tpl_plan_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def size_limit_text() -> str:
    """'Högst 5 MB.' (the server's upload limit, our bound)."""
    return f"Högst {fmt.number(previewer.max_bytes() / 1e6, 1).removesuffix(',0')} MB."


def undo_section(identity: roles.Identity) -> None:
    """Without a file: what "Ångra senaste import" would undo, its button, and the import log."""
    db = session.database()
    log = db.work.import_log_rows()
    last = import_history.last_undoable(log)
    if last is None:
        st.caption("Det finns ingen import att ångra.")
    else:
        st.caption(plain("Ångra senaste import gäller " + import_history.undo_caption(last) + "."))
    if (
        last is not None
        and st.button("Ångra senaste import", key="import_undo", icon=":material/undo:")
        and allowed("ångra importer")
    ):
        try:
            done = committer.undo_last(db, identity.actor(st.session_state.get("import_author", "")))
        except StoreError as error:
            st.error(plain(str(error)))
            st.stop()
        st.cache_data.clear()
        st.session_state["import_message"] = (
            ("success", f"Senaste importen är ångrad. Den gällde {done['file']}.")
            if done
            else ("info", "Det finns ingen import att ångra.")
        )
        st.rerun()
    if len(log):
        with st.expander(f"Importloggen ({fmt.count_phrase(len(log), 'händelse', 'händelser')})"):
            st.dataframe(import_history.table(log), hide_index=True, width="stretch")


@st.cache_data(show_spinner=False, max_entries=20)
def _preview(digest: str, name: str, _data: bytes, sheet: str | None, version: str | None):
    """The preview of one file (read in a capped child process), cached per file hash, sheet and data."""
    try:
        return previewer.preview(session.database(), name, _data, sheet=sheet), None
    except DataError as error:
        return None, error


def preview(digest: str, name: str, data: bytes, sheet: str | None):
    """(preview, None) or (None, the DataError saying why the file cannot be imported)."""
    return _preview(digest, name, data, sheet, session.database().built_version())


def preview_boxes(preview) -> list[tuple]:
    """Rader, Totalt and Utan belopp of a file's rows (unknown amounts counted, never 0)."""
    amounts = preview.rows["Belopp (kr)"]
    return [
        ("Rader", str(len(preview.rows)), None),
        ("Totalt", previewer.total_text(amounts), None),
        ("Utan belopp", str(int(amounts.isna().sum())), "Räknas som okända, inte noll."),
    ]


def plan_preview(preview) -> None:
    """A plan file's preview: what it holds in one sentence, its rows as text, what it replaces."""
    st.markdown(plain(plan_file.summary(preview)))
    widgets.table(preview.rows)
    for finding in preview.findings:
        st.info(plain(finding))


def commit(preview, identity: roles.Identity, replace: bool | None = None) -> bool:
    """Write the previewed file; False after saying in Swedish why it was not written."""
    try:
        author = identity.actor(st.session_state.get("import_author", ""))
        if replace is None:  # a follow-up or plan file
            committer.commit(session.database(), preview, author=author)
        else:
            committer.commit(session.database(), preview, replace=replace, author=author)
    except (DataError, committer.ReplaceNeeded, StoreError) as error:
        st.error(plain(str(error)))
        return False
    st.cache_data.clear()
    return True


def imported_text(preview) -> str:
    """What the success message says was imported."""
    count = len(preview.rows)
    if preview.kind == "follow_up":
        return f"{fmt.count_phrase(count, 'uppföljningsrapport', 'uppföljningsrapporter')} är importerade."
    if preview.kind == "plan":
        return (
            f"Planen är importerad ({fmt.count_phrase(count, 'rad', 'rader')}) och syns under "
            "Från lägesbild till resultat."
        )
    return (
        f"{fmt.count_phrase(count, 'rad är importerad', 'rader är importerade')} och syns nu på alla sidor."
    )
