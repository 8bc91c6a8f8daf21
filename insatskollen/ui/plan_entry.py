"""Adding a goal and linking a measure on Från lägesbild till resultat (issue 26): typed by a handläggare.

The form goes the import's way, as the follow-up form does: its values become one row of a plan file named
PAGE_FILE, validated by plan_file (same rules, same messages, said per field) and written by
committer.commit_plan, so it is logged with who and when and comes back with "Ångra senaste import". A goal
the municipality already has (same area and words) is linked to, not added again.
"""

from __future__ import annotations

import streamlit as st

from insatskollen.core import roles, theme
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, plan_file
from insatskollen.ui import auth, session, text
from insatskollen.ui.follow_up_entry import problems_text

PAGE_FILE = "Sidan Från lägesbild till resultat"
HEADER = ["Kommun", "Område", "Problem", "Indikator", "Mål", "Insats-id"]
MESSAGE = "plan_entry_message"
NO_MEASURE = ""


class _Read:
    """What the reader gives the validator: the header and one numbered row (the header is line 1)."""

    def __init__(self, row: list[str]):
        self.header, self.body, self.delimiter = HEADER, [(2, row)], None


def add(db, *, municipality: str, area: str, goal: str, indicator: str, measure_id: str, author) -> str:
    """Validate and write one goal (or a link to one the municipality has); DataError when invalid."""
    row = [municipality, area, "", indicator.strip(), goal.strip(), measure_id]
    preview = plan_file.preview(db, PAGE_FILE, _Read(row), form=True)
    return committer.commit_plan(db, preview, author)


def render(db, municipality: str) -> None:
    """The form under the chain, for handläggare and administratörer; the role is asked again on sending."""
    st.subheader("Lägg till ett mål eller knyt en insats")
    identity = auth.current()
    if identity is None or not identity.may(roles.OFFICIAL):
        st.caption("Att lägga till mål kräver rollen handläggare.")
        return
    message = st.session_state.pop(MESSAGE, None)
    if message:
        kind, lines = message
        getattr(st, kind)(text.plain(lines[0]))
        for line in lines[1:]:
            st.text(line)
    measures = session.query("plan_measures", municipality=municipality)
    titles = dict(zip(measures.measure_id, measures.title, strict=True))
    with st.form("plan_entry", clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        area = left.selectbox("Område", list(theme.AREA_COLORS), key="plan_entry_area")
        measure_id = right.selectbox(
            "Insats som svarar mot målet",
            [NO_MEASURE, *titles],
            format_func=lambda m: titles.get(m, "Ingen insats ännu"),
            key="plan_entry_measure",
        )
        goal = st.text_input(
            "Mål",
            key="plan_entry_goal",
            help="Ett mål kommunen redan har i området (samma ord) knyts till insatsen i stället för att läggas "
            "till igen.",
        )
        indicator = st.text_input(
            "Indikator (valfri)", key="plan_entry_indicator", help="T.ex. N07403 Anmälda våldsbrott."
        )
        name = "" if identity.signed_in else st.text_input("Ditt namn (loggas)", key="plan_entry_author")
        sent = st.form_submit_button("Spara målet", icon=":material/save:")
    if not sent:
        return
    try:
        checked = auth.require(roles.OFFICIAL, "lägga till mål")  # asked again: the role may have changed
        add(
            db,
            municipality=municipality,
            area=area,
            goal=goal,
            indicator=indicator,
            measure_id=measure_id,
            author=checked.actor(name),
        )
    except DataError as error:
        st.session_state[MESSAGE] = ("error", ["Målet sparades inte:", *problems_text(error)])
    except (roles.NotAllowed, roles.AuthSettingError) as refused:
        st.session_state[MESSAGE] = ("error", [str(refused)])
    else:
        st.cache_data.clear()
        linked = f" med insatsen {titles[measure_id]}" if measure_id else ""
        st.session_state[MESSAGE] = (
            "success",
            [f"Målet ”{goal.strip()}” i {area} är sparat{linked}. Det kan ångras under Importera."],
        )
    st.rerun()
