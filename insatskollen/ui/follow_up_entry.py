"""Reporting one measure-year on the Uppföljning page (issue 15, item 2): utfall, genomförande, date and
results, typed by a handläggare.

The form goes exactly the import's way: its values become one row of a follow-up file named
PAGE_FILE, validated by import_follow_up (same rules, same messages) and written by
committer.commit_follow_up, so it is logged with who and when, supersedes the report in force
and comes back with "Ångra senaste import" like any import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from insatskollen import ui
from insatskollen.core import fmt, na, roles
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, follow_up_file
from insatskollen.ui import auth

PAGE_FILE = "Uppföljningssidan"
STATUSES = ["ej påbörjad", "pågår", "genomförd", "avbruten"]
HEADER = ["Kommun", "Insats-id", "År", "Utfall (kr)", "Genomförande", "Datum", "Resultat"]
MESSAGE = "uppf_entry_message"


@dataclass(frozen=True)
class _Read:
    """What import_read gives the validator: the header and numbered rows (the header is line 1)."""

    header: list[str]
    body: list[tuple[int, list[str]]]
    delimiter: str | None = None  # a form's row has every field: no short-row check (import_validate)


def problems_text(error: DataError) -> list[str]:
    """The validator's problems said for a form: the field and what was wrong, no file or line."""
    out = []
    for p in error.problems:
        field = f"{p.column}: " if p.column else ""
        value = f"värdet ”{p.value}” – " if p.value not in (None, "") else ""
        out.append(f"{field}{value}förväntat {p.expected}")
    return out


def report(
    db,
    *,
    municipality: str,
    item_id: str,
    year: int,
    spent: str,
    status: str,
    status_date: date | None,
    result: str,
    author,
) -> str:
    """Validate and write one report; returns the import id. DataError (nothing written) when invalid."""
    row = [
        municipality,
        item_id,
        str(year),
        spent.strip(),
        status,
        status_date.isoformat() if status_date else "",
        result,
    ]
    preview = follow_up_file.preview(db, PAGE_FILE, _Read(HEADER, [(2, row)]))
    return committer.commit_follow_up(db, preview, author)


def current_report(row) -> str | None:
    """The report in force for a measure-year, said before the form replaces it; None without one."""
    if row.status == "ingen rapport" or na.missing(row.report_file):
        return None
    spent = "utfall okänt" if na.missing(row.spent_sek) else f"utfall {fmt.sek(int(row.spent_sek))}"
    when = "" if na.missing(row.status_date) else f" ({row.status_date:%Y-%m-%d})"
    return (
        f"Insatsen har redan en rapport: {spent}, {row.status}{when}, från {row.report_file}. "
        "Sparar du ersätts den (den gamla kan återställas med Ångra senaste import)."
    )


def render(db, rows, year: int) -> None:
    """The form under the measures of one frame-year. Offered to handläggare and administratörer; the
    role is asked again when the form is sent."""
    st.subheader("Rapportera utfall för en insats")
    identity = auth.current()
    if identity is None or not identity.may(roles.OFFICIAL):
        st.caption("Att rapportera utfall kräver rollen handläggare.")
        return
    message = st.session_state.pop(MESSAGE, None)
    if message:
        kind, lines = message
        getattr(st, kind)(ui.plain(lines[0]))
        for line in lines[1:]:
            st.text(line)
    items = {
        (r.measure_id if isinstance(r.measure_id, str) else r.allocation_id): r for r in rows.itertuples()
    }
    # outside the form, so choosing a measure shows its report in force and fills the form with it
    item_id = st.selectbox(
        "Insats att rapportera",
        list(items),
        format_func=lambda i: str(items[i].measure),
        key="uppf_entry_item",
    )
    chosen = items[item_id]
    current = current_report(chosen)
    if current:
        st.info(ui.plain(current), icon=":material/history:")
    with st.form(f"uppf_entry_{item_id}", clear_on_submit=False, enter_to_submit=False):
        left, middle, right = st.columns(3)
        spent = left.text_input(
            "Utfall (kr)",
            value="" if na.missing(chosen.spent_sek) else fmt.number(int(chosen.spent_sek)),
            help="Tomt betyder okänt, inte noll. T.ex. 250 000 eller 1,2 mnkr.",
        )
        status = middle.selectbox(
            "Genomförande", STATUSES, index=STATUSES.index(chosen.status) if chosen.status in STATUSES else 0
        )
        status_date = right.date_input(
            "Datum", value=None if na.missing(chosen.status_date) else chosen.status_date, format="YYYY-MM-DD"
        )
        result = st.text_area(
            "Resultat",
            value="" if na.missing(chosen.result) else str(chosen.result),
            max_chars=follow_up_file.MAX_RESULT,
            help=f"Högst {follow_up_file.MAX_RESULT} tecken.",
        )
        name = "" if identity.signed_in else st.text_input("Ditt namn (loggas)", key="uppf_entry_author")
        sent = st.form_submit_button("Spara rapporten", icon=":material/save:")
    if not sent:
        return
    try:
        checked = auth.require(roles.OFFICIAL, "rapportera utfall")  # asked again: the role may have changed
        report(
            db,
            municipality=str(chosen.municipality),
            item_id=item_id,
            year=year,
            spent=spent,
            status=status,
            status_date=status_date,
            result=result,
            author=checked.actor(name),
        )
    except DataError as error:
        st.session_state[MESSAGE] = ("error", ["Rapporten sparades inte:", *problems_text(error)])
    except (roles.NotAllowed, roles.AuthSettingError) as refused:
        st.session_state[MESSAGE] = ("error", [str(refused)])
    else:
        st.cache_data.clear()
        st.session_state[MESSAGE] = (
            "success",
            [f"Rapporten för {chosen.measure} {year} är sparad. Den kan ångras under Importera."],
        )
    st.rerun()
