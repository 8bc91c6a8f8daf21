"""The Scenarier page's sections: choosing a frame or a saved scenario, the inputs of an edit, and the two lower
sections drawn from the saved scenarios: manage them, compare two.

Widget options are scenario ids with stable labels; the rename callback re-sets the pickers so a
changed name cannot unselect them (see scenario_session).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, roles, theme
from insatskollen.core.fmt import swedish_time
from insatskollen.export import table_files
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from insatskollen.ui import scenario_actions as act
from insatskollen.ui import session, source_view, text
from insatskollen.ui.scenario_session import ActiveScenario, unique_labels
from insatskollen.ui.scenario_session import compare_saved as compare_tables

ACTIONS = (("Byt namn", "rename"), ("Kopiera", "duplicate"), ("Ta bort", "delete"))


def not_own_note(current: ActiveScenario) -> None:
    """Above someone else's scenario: why it cannot be changed here, and what can be done."""
    st.info(
        f"Scenariot sparades av {text.plain(current.author)}. Du kan läsa, kommentera och kopiera det, men "
        "bara den som äger scenariot kan ändra det. Spara en egen kopia under Spara för att pröva ändringar.",
        icon=":material/lock:",
    )


PAGE_PATH = "scenarier"  # app.py's url_path for the page


def scenario_link(
    page_url: str | None, scenario_id: str, base_path: str = "", filters: dict[str, str] | None = None
) -> str:
    """The address that opens a saved scenario: the page's address as the browser has it (st.context.url: scheme,
    host, a proxy's path prefix and the page, without query), else the page's path under the server's
    baseUrlPath (AppTest, a browser that does not say)."""
    if page_url:
        page = page_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        if not page.endswith(f"/{PAGE_PATH}"):
            page = f"{page}/{PAGE_PATH}"
    else:
        base = base_path.strip("/")
        page = f"/{base}/{PAGE_PATH}" if base else f"/{PAGE_PATH}"
    # the sidebar's filters go with it (Filters.to_query_params), so the page it opens shows the same kommun
    return f"{page}?" + urlencode({"scenario": scenario_id, **(filters or {})}, quote_via=quote)


def link_box(scenario_id: str, filters: dict[str, str] | None = None) -> None:
    """The saved scenario's full address with the sidebar's filters, copyable (st.code has a copy button),
    for a mail or a case file."""
    link = scenario_link(st.context.url, scenario_id, st.get_option("server.baseUrlPath") or "", filters)
    st.markdown("**Länk till scenariot**")
    st.code(link, language=None, wrap_lines=True)
    st.caption(
        "Markera och kopiera länken, eller använd kopieringsknappen i rutan. Den öppnar scenariot för den som har tillgång till verktyget."
    )


def comment_box() -> None:
    """A comment on the open saved scenario (own or someone else's); it goes into the change log."""
    st.text_area("Kommentera scenariot", key="scn_remark", max_chars=store.MAX_COMMENT, height=68)
    st.button("Kommentera", key="scn_do_comment", on_click=act.on_comment, icon=":material/comment:")
    act.show_message("comment")


def manage_saved(db: Database, saved: pd.DataFrame, labels: dict[str, str], identity: roles.Identity) -> None:
    """Rename, copy, delete and restore saved scenarios; messages show at the top of this section. Only
    what the identity may do is offered (the callbacks check again)."""
    with st.expander("Hantera sparade scenarier", key="scn_manage"):
        act.show_message("manage")
        st.caption(fmt.count_phrase(len(saved), "sparat scenario", "sparade scenarier") + " i listan.")
        for row in saved.itertuples():
            label = labels[row.scenario_id]
            st.text(f"{label} · {row.author} · ändrat {swedish_time(row.updated_at)}")
            st.text_input(
                f"Nytt namn för {text.plain(label)}",
                key=f"scn_rename_{row.scenario_id}",
                placeholder="för namnbyte eller kopia",
            )
            own = identity.owns(row.owner_subject)
            offered = [(t, a) for t, a in ACTIONS if own or a == "duplicate"]  # someone else's: copy only
            for column, (caption, action) in zip(st.columns(3), offered, strict=False):
                column.button(
                    caption,
                    key=f"scn_manage_{action}_{row.scenario_id}",
                    on_click=act.on_manage,
                    args=(action, row.scenario_id),
                )
        trash = store.list_scenarios(db, deleted=True)
        if len(trash) and identity.may(roles.ADMIN):
            st.markdown("**Papperskorgen**")
            for row in trash.itertuples():
                st.text(f"{row.name} · borttaget {swedish_time(row.deleted_at)} · sparat av {row.author}")
                st.button(
                    "Återställ",
                    key=f"scn_restore_{row.scenario_id}",
                    on_click=act.on_manage,
                    args=("restore", row.scenario_id),
                )
            confirmed = st.checkbox(
                f"Ja, radera {fmt.count_phrase(len(trash), 'scenario', 'scenarier')} i papperskorgen för gott",
                key=act.EMPTY_CONFIRM,
            )
            st.button(
                "Töm papperskorgen",
                key="scn_empty_trash",
                on_click=act.on_manage,
                args=("empty", ""),
                icon=":material/delete_forever:",
                disabled=not confirmed,
                help="Raderar scenarierna i papperskorgen för gott. Deras ändringsloggar finns kvar "
                "(python -m insatskollen sql kan läsa dem).",
            )


def compare_saved(db: Database, labels: dict[str, str]) -> None:
    """Two saved scenarios side by side per area and per nämnd, with an Excel download."""
    with st.expander("Jämför två sparade scenarier", key="scn_compare"):
        first = st.selectbox("Scenario A", list(labels), format_func=labels.get, key="scn_cmp_a")
        second = st.selectbox("Scenario B", list(labels), format_func=labels.get, key="scn_cmp_b", index=1)
        tables, sheets = compare_tables(db, first, second)
        for table in tables:
            act.text_table(table)
        st.download_button(
            "Ladda ner jämförelsen (Excel)",
            lambda: table_files.to_xlsx(sheets),
            file_name="insatskollen-jamforelse.xlsx",
            key="scn_cmp_xlsx",
            on_click="ignore",
        )


# ---------------------------------------------------------------- choosing and editing (the upper sections)


def saved_list(db: Database) -> tuple[pd.DataFrame, dict[str, str]]:
    """The saved scenarios and their unique labels (a scenario whose frame is gone says so)."""
    saved = store.list_scenarios(db)
    labels = unique_labels(
        [
            (r.scenario_id, f"{r.name}{' (ramen saknas)' if r.orphaned else ''}", None)
            for r in saved.itertuples()
        ]
    )
    return saved, labels


def author_box() -> None:
    st.text_input("Ditt namn (visas i ändringsloggen)", key="scn_author", max_chars=store.MAX_AUTHOR)


def municipality_choice(frames: pd.DataFrame, filtered: pd.DataFrame) -> pd.DataFrame:
    """A long list of frames (e.g. 290 kommuner x 10 years x 4 sources) is chosen in two steps: the kommun
    (the sidebar's first, when it has one) here, then the frame; returns that kommun's frames."""
    kommuner = sorted(frames.municipality.unique())
    first = kommuner.index(filtered.municipality.iloc[0]) if len(filtered) else 0
    kommun = st.selectbox("Kommun", kommuner, index=first, key="scn_new_municipality")
    return frames[frames.municipality == kommun]


def frame_choice(choosable: pd.DataFrame, filtered: pd.DataFrame) -> None:
    """'Utgå från ram': the frames to start from, the sidebar's first one chosen."""
    labels = {(r.frame_id, int(r.year)): act.frame_label(r) for r in choosable.itertuples()}
    keys = list(labels)
    wanted = zip(filtered.frame_id, filtered.year.astype(int), strict=True)
    first = next((keys.index(k) for k in wanted if k in labels), 0)
    st.selectbox("Utgå från ram", keys, index=first, format_func=labels.get, key="scn_new_frame")


def frame_row(frames: pd.DataFrame, current: ActiveScenario):
    """The scenario's frame in the data, or None when it is gone (an import undone)."""
    rows = frames[(frames.frame_id == current.frame_id) & (frames.year == current.year)]
    return rows.iloc[0] if len(rows) else None


def from_imported_file(frame) -> bool:
    """True when the frame comes from a file a municipality imported (its words are no source document's)."""
    documents = session.query("documents")
    return frame is not None and frame.source_document in set(
        documents.document_id[documents.kind == source_view.IMPORTED_KIND]
    )


def move_groups(by_label: str, current: ActiveScenario) -> tuple[list[str], str]:
    """The groups money moves between (the areas or the scenario's nämnder, and none), and the word for none."""
    if by_label == "Område":
        return list(theme.AREA_COLORS) + [""], theme.NO_AREA
    return _committees(current) + [""], theme.NO_COMMITTEE


def _committees(current: ActiveScenario) -> list[str]:
    return sorted({x.committee for x in current.scenario.current.lines if x.committee})


def new_measure_inputs(current: ActiveScenario) -> None:
    """'Ny insats': its name, nämnd, area and amount."""
    st.text_input("Namn på insatsen", key="scn_add_title", max_chars=200)
    st.selectbox(
        "Nämnd",
        [""] + _committees(current),
        format_func=lambda c: c or theme.NO_COMMITTEE,
        key="scn_add_committee",
    )
    st.selectbox(
        "Område", [""] + list(theme.AREA_COLORS), format_func=lambda a: a or theme.NO_AREA, key="scn_add_area"
    )
    st.text_input("Belopp", key="scn_add_amount", placeholder="t.ex. 500 000")


def changes_heading(count: int) -> str:
    return f"**{fmt.count_phrase(count, 'ändring', 'ändringar')} mot utgångsläget**"


def save_inputs() -> None:
    st.text_input("Scenariots namn", key="scn_name", max_chars=store.MAX_NAME)
    st.text_area("Kommentar", key="scn_comment", max_chars=store.MAX_COMMENT, height=80)
