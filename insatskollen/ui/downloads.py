"""Files handed out: a table's CSV and Excel, the deck's Office files, and any file made on a click;
a file that cannot be made is said in Swedish, never handed out empty."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from insatskollen.core import fmt
from insatskollen.export import table_files
from insatskollen.ui.session import CACHE_TTL

LOG = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Above this many rows a table's Excel file is made on a click ("Skapa Excel"), not before the buttons: the
# national "per ram och år" table (2 900 rows) took longer to write than the rest of Översikt (issue 16).
EAGER_EXCEL_ROWS = 1_000


def download_buttons(table: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel buttons. The files are made before the buttons (cached per table), so a failure is
    said here in Swedish instead of being lost in a click; a file that could not be made has no button.
    A large table's Excel file is made on a click instead (`EAGER_EXCEL_ROWS`)."""
    left, right = st.columns(2)
    token = table_files.fingerprint(table)
    _ready_button(left, "CSV", "csv", "text/csv", table, name, key, token)
    if len(table) > EAGER_EXCEL_ROWS:
        download_after_click(
            "Excel",
            f"Skapa Excel ({fmt.count_phrase(len(table), 'rad', 'rader')})",
            lambda: _table_file("xlsx", token, name, table),
            f"insatskollen-{name}.xlsx",
            XLSX_MIME,
            "table",
            token,
            right,
            key=f"{key}_xlsx",
        )
    else:
        _ready_button(right, "Excel", "xlsx", XLSX_MIME, table, name, key, token)


def _ready_button(
    column, what: str, kind: str, mime: str, table: pd.DataFrame, name: str, key: str, token: str
) -> None:
    """The table's file of this kind, made now, and its "Ladda ner …" button in `column`; no button (said in
    Swedish by export_bytes) when it could not be made."""
    data = export_bytes(what, lambda: _table_file(kind, token, name, table))
    if data is not None:
        column.download_button(
            f"Ladda ner {what}",
            data,
            file_name=f"insatskollen-{name}.{kind}",
            mime=mime,
            key=f"{key}_{kind}",
            icon=":material/download:",
            on_click="ignore",
        )


@st.cache_data(show_spinner=False, max_entries=200, ttl=CACHE_TTL)
def _table_file(kind: str, token: str, name: str, _table: pd.DataFrame) -> bytes:
    """The file of `_table`, cached by its fingerprint `token` (table_files.fingerprint), not by hashing it."""
    return table_files.to_csv(_table) if kind == "csv" else table_files.to_xlsx({name: _table})


def export_bytes(what: str, make: Callable[[], bytes]) -> bytes | None:
    """The file `make` returns, or None after saying in Swedish which file failed (details go to the log)."""
    try:
        return make()
    except Exception as error:  # the boundary: whatever broke, the person reads Swedish, never a traceback
        LOG.exception("Export failed: %s", what)
        st.error(table_files.failure_text(what, error), icon=":material/error:")
        return None


@st.cache_data(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def _deck_file(kind: str, fingerprint: str, _deck) -> bytes:
    from insatskollen.export import deck_docx, deck_pptx, deck_xlsx  # the Office libraries load when used

    return {"pptx": deck_pptx.to_pptx, "docx": deck_docx.to_docx, "xlsx": deck_xlsx.to_xlsx}[kind](_deck)


def deck_bytes(kind: str, deck) -> bytes:
    """The deck as a PowerPoint (pptx), Word (docx) or Excel (xlsx) file, made once per deck content."""
    from insatskollen.export import deck_layout

    return _deck_file(kind, deck_layout.fingerprint(deck), deck)


def download_after_click(
    what: str,
    label: str,
    make: Callable[[], bytes],
    file_name: str,
    mime: str,
    icon: str,
    token: str,
    column,
    key: str | None = None,
) -> None:
    """A file made on a click (the deck's Office files, PDF or PNG through Chromium, a large table's Excel):
    a button in `column` makes it, with a spinner; then a download button hands it out. A failure is said in
    Swedish below the buttons; nothing empty is handed out. `token` names what the file was made from: a file
    made for another deck, slide or table is not offered. `key` tells apart two files of the same kind on a
    page (default: `what`)."""
    key = key or what
    made: dict = st.session_state.setdefault("_made_files", {})
    wanted = f"_make_{key}"  # set by the click's callback, so a rerun in between cannot lose the click
    column.button(
        label,
        key=f"exp_make_{key}",
        icon=f":material/{icon}:",
        on_click=st.session_state.__setitem__,
        args=(wanted, True),
    )
    if st.session_state.pop(wanted, False):
        # said beside the button that was clicked (in the presentation's panel, not below the slide)
        with column, st.spinner(f"Skapar {what} …"):
            data = export_bytes(what, make)
        if data is None:
            made.pop(key, None)
        else:
            made[key] = (token, data)
    if key in made and made[key][0] == token:
        column.download_button(
            f"Ladda ner {what}",
            made[key][1],
            file_name=file_name,
            mime=mime,
            key=f"exp_{key}",
            on_click="ignore",
            icon=":material/download:",
        )
