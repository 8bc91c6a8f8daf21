"""The Kolada part of the Importera page: an export file from kolada.se, previewed, then imported as
one undoable import (the same reading and writing as `python -m insatskollen kolada import`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, per_capita
from insatskollen.core.errors import DataError
from insatskollen.ingest import kolada_file
from insatskollen.store.working.base import StoreError
from insatskollen.ui import text, widgets


@st.cache_data(show_spinner=False, max_entries=10)
def _read(digest: str, name: str, _data: bytes):
    """The parsed file (read in the capped child process), cached per file hash."""
    try:
        return kolada_file.read_export(name, _data), None
    except DataError as error:
        return None, error


def preview_table(parsed: kolada_file.Parsed) -> pd.DataFrame:
    """The rows as the person will see them after the import; unknown values stay empty."""
    rows = pd.DataFrame(parsed.rows)
    return pd.DataFrame(
        {
            "Nyckeltal": rows.kpi_id + " " + rows.kpi_title,
            "Kommun": rows.municipality_name.fillna(rows.municipality_code),
            "Kommunkod": rows.municipality_code,
            "År": rows.period,
            "Värde": [  # as text; a count of inhabitants without a decimal
                "okänt" if pd.isna(v) else fmt.number(v, 0 if k == per_capita.POPULATION_KPI else 1)
                for k, v in zip(rows.kpi_id, rows.value, strict=True)
            ],
            "Status": rows.status,
        }
    )


def render(db, identity, allowed) -> None:
    """Upload, preview and import a Kolada export. `allowed(what)` checks the role at the click."""
    st.caption(
        "En export från kolada.se som .csv eller .xlsx, en rad per nyckeltal, kommun och år, med rubrikerna "
        "Nyckeltal-id, Nyckeltal, Kommun-id, År och Värde (valfritt Kommun, Kön, Status, Enhet). Bara Totalt "
        "importeras; ett tomt värde är okänt, inte noll."
    )
    st.caption(
        "Befolkning för kronor per invånare: Koladas N01951 (Invånare totalt, antal) i en sådan export, eller en "
        "egen fil med rubrikerna Kommun, År och Invånare."
    )
    round_ = st.session_state.get("kolada_round", 0)  # a new key after an import empties the uploader
    upload = st.file_uploader(
        "Välj fil från Kolada", type=["csv", "txt", "xlsx"], key=f"kolada_file_{round_}"
    )
    message = st.session_state.pop("kolada_message", None)
    if message:
        st.success(text.plain(message))
    if upload is None:
        return
    data = upload.getvalue()
    parsed, failure = _read(hashlib.sha256(data).hexdigest(), upload.name, data)
    if failure is not None:
        text.data_error(failure)  # as for the other imports: beyond 50 problems the rest are counted
        return
    table = preview_table(parsed)
    st.subheader("Förhandsgranskning")
    widgets.metric_row(
        [
            ("Värden", fmt.number(len(table)), None),
            (
                "Okända",
                fmt.number(sum(r["value"] is None for r in parsed.rows)),
                "Visas som lucka i linjen, aldrig som noll.",
            ),
            ("Nyckeltal", fmt.number(table["Nyckeltal"].nunique()), None),
            ("Kommuner", fmt.number(table["Kommun"].nunique()), "Riket har kommunkod 0000."),
        ]
    )
    widgets.table(table)
    for finding in parsed.findings:
        st.info(text.plain(finding))
    if not identity.signed_in:
        st.text_input("Ditt namn (loggas)", key="import_author")
    if st.button("Importera nyckeltalen", type="primary", key="kolada_go") and allowed("importera"):
        try:
            author = identity.actor(st.session_state.get("import_author", ""))
            kolada_file.commit(db.work, parsed, author)
        except (DataError, StoreError) as error:
            st.error(text.plain(str(error)))
            return
        st.cache_data.clear()
        st.session_state["kolada_message"] = (
            f"{fmt.count_phrase(len(table), 'värde', 'värden')} från {Path(upload.name).name} är importerade. "
            "De syns under Kommuner och Prioriterade områden. Importen kan ångras med ”Ångra senaste import” under "
            "Insatser och budgetar."
        )
        st.session_state["kolada_round"] = round_ + 1
        st.rerun()
