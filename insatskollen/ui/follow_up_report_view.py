"""Uppföljning's section *Återrapportering*: the drafted paragraph in a text area the official edits
(handläggare and above where sign-in is configured; a läsare reads it), and the yearly report of the
frame-year as Word and Excel with that paragraph. The report itself is `follow_up_report` (pure)."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import date

import pandas as pd
import streamlit as st

from insatskollen.core import headline, key_figures, plan_chain, roles, yearly_report
from insatskollen.core.filters import Filters
from insatskollen.export import follow_up_report, table_files
from insatskollen.ui import auth, downloads, session, text

LOG = logging.getLogger(__name__)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_LABEL = f"Sammanfattande text ({yearly_report.DRAFT_MARK})"
EDITED_LABEL = "Sammanfattande text (redigerad)"  # once edited, the files carry it without the draft mark
READ_LABEL = "Sammanfattande text (utkast)"


def _file_slug(text: str) -> str:
    """'Malmö' -> 'malmo': a file name without characters some mail systems mangle."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "kommun"


@st.cache_data(show_spinner=False, max_entries=20)
def _report(token: str, _rows: pd.DataFrame, municipality: str, today: date) -> yearly_report.YearlyReport:
    """The report, built once per data version, frame-year and day (`token`): the rows come from
    session.query, cached on the same version."""
    return yearly_report.build(
        _rows,
        session.query("indicators", municipality=municipality),
        session.query("documents"),
        created=today,
        series=session.query("indicator_series", municipality=municipality),
        balance=frame_year_balance(_rows),
        plan=plan_chain.rows_for(session.query, [municipality]),
    )


def frame_year_balance(rows: pd.DataFrame) -> key_figures.Balance | None:
    """The frame-year of the follow_up rows, its frame against its lines by the headline rule."""
    first = rows.iloc[0]
    filters = Filters(
        municipalities=(str(first.municipality),),
        years=(int(first.year),),
        funding_sources=(str(first.funding_source),),
    )
    head = headline.from_rows(session.query(headline.QUERY, filters), filters)
    return next((x.balance for x in head.frame_years if x.frame_id == first.frame_id), None)


@st.cache_data(show_spinner=False, max_entries=20)
def _file(kind: str, token: str, paragraph: str, _report: yearly_report.YearlyReport) -> bytes:
    """The report as docx or xlsx, made once per data version, frame-year, day and paragraph (`token`)."""
    make = follow_up_report.to_docx if kind == "docx" else follow_up_report.to_xlsx
    return make(_report, paragraph)


def may_edit(identity: roles.Identity | None) -> bool:
    """Handläggare and above edit the paragraph (everyone, without sign-in: the single-user tool)."""
    return identity is not None and identity.may(roles.OFFICIAL)


def section(rows: pd.DataFrame, frame_id: str, year: int) -> None:
    """The Återrapportering section for the follow_up rows of one frame-year."""
    st.subheader("Återrapportering")
    if rows.empty:
        st.caption("Ramen har inga insatser det året; det finns inget att återrapportera.")
        return
    municipality = str(rows.municipality.iloc[0])
    today = date.today()
    token = f"{session.database().built_version()}|{frame_id}|{year}|{today.isoformat()}"
    try:
        report = _report(token, rows, municipality, today)
    except Exception as error:  # the boundary: the person reads Swedish, the log gets the details
        LOG.exception("Yearly report failed: %s %s", frame_id, year)
        st.error(table_files.failure_text("Återrapporterings", error), icon=":material/error:")
        return
    editable = may_edit(auth.current())
    st.caption(
        "Årets återrapportering som Word och Excel: varje insats med beviljat, utfall, avvikelse, genomförande, "
        "resultat och de indikatorer kommunens dokument anger, summor per område och nämnd, och källorna. "
        + (
            "Texten nedan är ett utkast skapat ur raderna; redigera den innan du laddar ner. "
            "Så länge den inte är redigerad märks den som utkast i filerna."
            if editable
            else "Texten är ett utkast skapat ur raderna; en handläggare kan redigera den."
        )
    )
    paragraph = report.draft
    if editable:
        digest = hashlib.sha256(report.draft.encode()).hexdigest()[:12]  # new data, new draft
        key = f"uppf_report_text_{frame_id}_{year}_{digest}"
        # the label follows the text (the widget keeps its value: its identity is the key, not the label)
        edited = not yearly_report.is_draft(report, st.session_state.get(key, report.draft))
        paragraph = st.text_area(
            EDITED_LABEL if edited else TEXT_LABEL,
            value=report.draft,
            key=key,
            height=180,
            max_chars=20_000,
        )
    else:  # read-only, as readable text (a disabled text area is greyed out); no widget a forged edit could set
        with st.container(border=True):
            st.caption(READ_LABEL)
            st.markdown(text.plain(report.draft))  # data text escaped, never rendered as markdown
    name = f"aterrapportering-{_file_slug(municipality)}-{year}"
    # Made on a click ("Skapa …", then "Ladda ner …"): writing the Word file on every rerun was most of the
    # page's time (issue 16). A file made from another text or frame-year is not offered.
    made_from = f"{token}|{hashlib.sha256(paragraph.encode()).hexdigest()}"
    files = (
        ("Word", "Skapa återrapportering som Word", "docx", DOCX_MIME, "description"),
        ("Excel", "Skapa återrapportering som Excel", "xlsx", downloads.XLSX_MIME, "table"),
    )
    for column, (what, label, kind, mime, icon) in zip(st.columns(2), files, strict=True):
        downloads.download_after_click(
            what,
            label,
            lambda kind=kind: _file(kind, token, paragraph, report),
            f"{name}.{kind}",
            mime,
            icon,
            made_from,
            column,
            key=f"uppf_report_{kind}",
        )
    st.caption(yearly_report.TOTALS_RULE)
