"""Scenarier: what-if reallocation of one frame, with its rules, comparison, saving and a change log."""

import pandas as pd
import streamlit as st

from insatskollen import charts, exports, fmt, theme, ui
from insatskollen import scenario as sc
from insatskollen import scenario_store as store
from insatskollen.amounts import AmountError, parse_amount

ui.require_app_frame()
st.title("Scenarier")
st.markdown(
    "Pröva andra fördelningar av en ram: ändra belopp, flytta pengar mellan områden eller nämnder, finansiera "
    "ett förslag eller lägg till en insats. Reglerna för ramen prövas direkt. Spara scenariot för att jämföra "
    "och för att andra ska kunna se vem som ändrade vad och när."
)

db = ui.database()
ACTIVE, MESSAGE = "scn_active", "scn_message"
ERRORS = (sc.EditError, AmountError, store.ScenarioError)


def frame_label(row) -> str:
    amount = fmt.sek(row.amount_sek) if pd.notna(row.amount_sek) else "belopp saknas"
    return f"{row.municipality} {row.year} · {row.funding_source} ({amount})"


def say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


def start_new() -> None:
    frame_id, year = st.session_state["scn_new_frame"]
    state, rules = store.baseline(db, frame_id, year)
    st.session_state[ACTIVE] = {
        "scenario": sc.Scenario.start(state, rules),
        "frame_id": frame_id,
        "year": year,
        "saved_id": None,
        "name": None,
        "stale": False,
        "counter": 0,
    }
    st.query_params.pop("scenario", None)


def open_saved(scenario_id: str) -> None:
    try:
        meta, scenario = store.load(db, scenario_id)
    except store.ScenarioError as error:
        say("error", str(error))
        return
    st.session_state[ACTIVE] = {
        "scenario": scenario,
        "frame_id": meta.frame_id,
        "year": meta.year,
        "saved_id": meta.scenario_id,
        "name": meta.name,
        "comment": meta.comment,
        "author": meta.author,
        "stale": store.baseline_changed(db, meta, scenario),
        "counter": 0,
    }
    st.query_params["scenario"] = meta.scenario_id


def act(description: str, edit, *args, **kwargs) -> None:
    """Apply one edit to the open scenario; a refused edit shows its message and changes nothing."""
    active = st.session_state[ACTIVE]
    try:
        active["scenario"].apply(description, edit, *args, **kwargs)
        active["counter"] += 1
        say("success", description)
    except ERRORS as error:
        say("error", str(error))


def amount_from(key: str) -> int | None:
    try:
        return parse_amount(st.session_state.get(key, ""))
    except AmountError as error:
        say("error", str(error))
        return None


# ---------------------------------------------------------------- callbacks for the edit forms


def on_set_amount() -> None:
    line_id = st.session_state["scn_line"]
    amount = amount_from("scn_amount")
    if amount is not None:
        label = st.session_state[ACTIVE]["scenario"].current.line(line_id).label
        act(f"Satte ”{label}” till {fmt.sek(amount)}", sc.set_amount, line_id, amount)


def on_set_zero() -> None:
    line_id = st.session_state["scn_line"]
    label = st.session_state[ACTIVE]["scenario"].current.line(line_id).label
    act(f"Satte ”{label}” till 0 kr", sc.set_amount, line_id, 0)


def on_toggle_lock() -> None:
    line_id = st.session_state["scn_line"]
    line = st.session_state[ACTIVE]["scenario"].current.line(line_id)
    act(f"{'Låste upp' if line.locked else 'Låste'} ”{line.label}”", sc.set_locked, line_id, not line.locked)


def on_move() -> None:
    by = sc.AREA if st.session_state["scn_move_by"] == "Område" else sc.COMMITTEE
    amount = amount_from("scn_move_amount")
    if amount is None:
        return
    source, target = st.session_state["scn_move_from"], st.session_state["scn_move_to"]
    line = st.session_state.get("scn_move_line") or None
    target_text = line and st.session_state[ACTIVE]["scenario"].current.line(line).label or target or "–"
    act(
        f"Flyttade {fmt.sek(amount)} från {source or '(inget)'} till {target_text}",
        sc.move,
        by,
        source,
        amount,
        target=target,
        target_line=line,
    )


def on_add() -> None:
    amount = amount_from("scn_add_amount")
    if amount is not None:
        title = st.session_state.get("scn_add_title", "")
        act(
            f"Lade till ”{title.strip()}” med {fmt.sek(amount)}",
            sc.add_line,
            title,
            st.session_state.get("scn_add_committee") or None,
            st.session_state.get("scn_add_area") or None,
            amount,
        )


def on_frame() -> None:
    amount = amount_from("scn_frame_amount")
    if amount is not None:
        act(f"Ändrade ramen till {fmt.sek(amount)}", sc.set_frame, amount)


def on_undo() -> None:
    active = st.session_state[ACTIVE]
    if active["scenario"].undo():
        active["counter"] += 1
        say("success", "Ångrade senaste ändringen.")
    else:
        say("info", "Det finns inget att ångra.")


def on_reset() -> None:
    active = st.session_state[ACTIVE]
    active["scenario"].reset()
    active["counter"] += 1
    say("success", "Scenariot är återställt till utgångsläget.")


def on_save_new() -> None:
    active = st.session_state[ACTIVE]
    try:
        scenario_id = store.save_new(
            db,
            active["scenario"],
            name=st.session_state.get("scn_name", ""),
            author=st.session_state.get("scn_author", ""),
            comment=st.session_state.get("scn_comment", ""),
            frame_id=active["frame_id"],
            year=active["year"],
        )
    except ERRORS as error:
        say("error", str(error))
        return
    open_saved(scenario_id)
    say("success", "Scenariot är sparat.")


def on_save_changes() -> None:
    active = st.session_state[ACTIVE]
    try:
        store.save_changes(
            db, active["saved_id"], active["scenario"], author=st.session_state.get("scn_author", "")
        )
    except ERRORS as error:
        say("error", str(error))
        return
    say("success", "Ändringarna är sparade.")


def on_manage(action: str, scenario_id: str) -> None:
    author = st.session_state.get("scn_author", "")
    try:
        if action == "rename":
            store.rename(
                db, scenario_id, st.session_state.get(f"scn_rename_{scenario_id}", ""), author=author
            )
            say("success", "Namnet är ändrat.")
        elif action == "duplicate":
            new_id = store.duplicate(
                db, scenario_id, st.session_state.get(f"scn_rename_{scenario_id}", ""), author=author
            )
            open_saved(new_id)
            say("success", "Kopian är sparad och öppnad.")
        elif action == "delete":
            store.delete(db, scenario_id, author=author)
            if st.session_state.get(ACTIVE, {}).get("saved_id") == scenario_id:
                st.session_state.pop(ACTIVE)
                st.query_params.pop("scenario", None)
            say("success", "Scenariot ligger i papperskorgen och kan återställas.")
        elif action == "restore":
            store.restore(db, scenario_id, author=author)
            say("success", "Scenariot är återställt.")
    except ERRORS as error:
        say("error", str(error))


# ---------------------------------------------------------------- choose a frame or a saved scenario

MAX_FRAME_OPTIONS = 60  # a longer list of frames is chosen in two steps: kommun, then frame

frames = ui.query("scenario_frames")
link = st.query_params.get("scenario")
if link and st.session_state.get(ACTIVE, {}).get("saved_id") != link:
    open_saved(link)

saved = store.list_scenarios(db)
st.text_input("Ditt namn (visas i ändringsloggen)", key="scn_author", max_chars=store.MAX_AUTHOR)
new_col, open_col = st.columns(2)
with new_col:
    choosable = frames
    if len(frames) > MAX_FRAME_OPTIONS:  # e.g. 290 kommuner x 10 years x 4 sources: pick the kommun first
        kommun = st.selectbox("Kommun", sorted(frames.municipality.unique()), key="scn_new_municipality")
        choosable = frames[frames.municipality == kommun]
    options = [(r.frame_id, int(r.year)) for r in choosable.itertuples()]
    labels = {(r.frame_id, int(r.year)): frame_label(r) for r in choosable.itertuples()}
    st.selectbox("Utgå från ram", options, format_func=lambda o: labels[o], key="scn_new_frame")
    st.button("Starta nytt scenario", on_click=start_new, key="scn_start", icon=":material/add:")
with open_col:
    if len(saved):
        names = dict(zip(saved.scenario_id, saved.name, strict=True))
        st.selectbox(
            "Öppna sparat scenario", list(names), format_func=lambda i: names[i], key="scn_open_pick"
        )
        st.button(
            "Öppna",
            on_click=lambda: open_saved(st.session_state["scn_open_pick"]),
            key="scn_open",
            icon=":material/folder_open:",
        )
    else:
        st.caption("Inga sparade scenarier ännu.")

message = st.session_state.pop(MESSAGE, None)
if message:
    getattr(st, message[0])(ui.plain(message[1]))

active = st.session_state.get(ACTIVE)
if not active:
    st.info(
        "Välj en ram och starta ett nytt scenario, eller öppna ett sparat.", icon=":material/arrow_upward:"
    )
    st.stop()

scenario: sc.Scenario = active["scenario"]
state = scenario.current
evaluation = scenario.evaluate()
frame_row = frames[(frames.frame_id == active["frame_id"]) & (frames.year == active["year"])].iloc[0]

# ---------------------------------------------------------------- the open scenario

st.divider()
title = active["name"] or "Nytt scenario (inte sparat)"
draft = "" if scenario.is_baseline else " · Utkast"
ui.text_heading(f"{title}{draft}", 2)
st.caption(f"Ram: {frame_label(frame_row)}")
if active.get("comment"):
    st.markdown(f"*{ui.plain(active['comment'])}* — {ui.plain(active.get('author', ''))}")
if active["stale"]:
    st.warning(
        "Underlaget har ändrats sedan scenariot sparades. Scenariot är kvar som det sparades; "
        "utgångsläget nedan är det som gällde då.",
        icon=":material/history:",
    )

ui.metric_row(
    [
        ("Ram", fmt.sek(state.frame_amount), None),
        (
            "Fördelat",
            fmt.sek(evaluation.allocated),
            f"{evaluation.unknown_lines} rader utan belopp räknas inte."
            if evaluation.unknown_lines
            else None,
        ),
        (
            "Överfördelat" if evaluation.over_allocated else "Kvar att fördela",
            fmt.sek(None if evaluation.remaining is None else abs(evaluation.remaining)),
            None,
        ),
    ]
)
if evaluation.remaining is None:
    st.info(evaluation.remaining_message)
elif evaluation.over_allocated:
    st.error(evaluation.remaining_message, icon=":material/error:")
elif evaluation.remaining == 0:
    st.success(evaluation.remaining_message, icon=":material/check_circle:")
else:
    st.info(evaluation.remaining_message)
for result in evaluation.rules:
    if result.status in ("under", "över"):
        st.error(result.message, icon=":material/rule:")
    elif result.status == "ok" and result.rule.kind == "finansieringsintervall":
        st.success(result.message, icon=":material/check:")
    else:
        st.info(result.message)

# ---------------------------------------------------------------- edits

lines = {x.line_id: x for x in state.lines}
areas = list(theme.AREA_COLORS)
committees = sorted({x.committee for x in state.lines if x.committee})
tab_line, tab_move, tab_add, tab_frame = st.tabs(
    ["Ändra en rad", "Flytta pengar", "Ny insats", "Ändra ramen"]
)
with tab_line:
    st.selectbox(
        "Rad",
        list(lines),
        key="scn_line",
        format_func=lambda i: (
            f"{lines[i].label} — {fmt.sek(lines[i].amount)}{' (låst)' if lines[i].locked else ''}"
        ),
    )
    st.text_input("Nytt belopp", key="scn_amount", placeholder="t.ex. 1 500 000 eller 1,5 mnkr")
    c1, c2, c3 = st.columns(3)
    c1.button("Sätt belopp", on_click=on_set_amount, key="scn_do_set", type="primary")
    c2.button("Sätt till noll", on_click=on_set_zero, key="scn_do_zero")
    c3.button("Lås/lås upp raden", on_click=on_toggle_lock, key="scn_do_lock")
with tab_move:
    by_label = st.radio("Flytta mellan", ["Område", "Nämnd"], horizontal=True, key="scn_move_by")
    groups = areas + [""] if by_label == "Område" else committees + [""]
    show = (lambda g: g or theme.NO_AREA) if by_label == "Område" else (lambda g: g or theme.NO_COMMITTEE)
    st.selectbox("Från", groups, format_func=show, key="scn_move_from")
    st.selectbox("Till", groups, format_func=show, key="scn_move_to", index=min(1, len(groups) - 1))
    st.selectbox(
        "…eller till en viss rad (valfritt)",
        [""] + list(lines),
        format_func=lambda i: lines[i].label if i else "Fördela på målets olåsta rader",
        key="scn_move_line",
    )
    st.text_input("Belopp att flytta", key="scn_move_amount", placeholder="t.ex. 1 mnkr")
    st.caption(
        "Beloppet tas från källans olåsta rader i proportion till deras belopp. Låsta rader lämnas orörda."
    )
    st.button("Flytta", on_click=on_move, key="scn_do_move", type="primary")
with tab_add:
    st.text_input("Namn på insatsen", key="scn_add_title", max_chars=200)
    st.selectbox(
        "Nämnd", [""] + committees, format_func=lambda c: c or theme.NO_COMMITTEE, key="scn_add_committee"
    )
    st.selectbox("Område", [""] + areas, format_func=lambda a: a or theme.NO_AREA, key="scn_add_area")
    st.text_input("Belopp", key="scn_add_amount", placeholder="t.ex. 500 000")
    st.button("Lägg till insatsen", on_click=on_add, key="scn_do_add", type="primary")
with tab_frame:
    st.text_input("Ny ram", key="scn_frame_amount", placeholder="t.ex. 15 mnkr")
    st.button("Ändra ramen", on_click=on_frame, key="scn_do_frame", type="primary")
u1, u2, _ = st.columns([1, 1, 3])
u1.button(
    "Ångra senaste", on_click=on_undo, key="scn_undo", icon=":material/undo:", disabled=not scenario.history
)
u2.button(
    "Återställ",
    on_click=on_reset,
    key="scn_reset",
    icon=":material/restart_alt:",
    disabled=scenario.is_baseline,
)

# ---------------------------------------------------------------- the lines and the comparison

table = pd.DataFrame(
    {
        "Rad": [x.label for x in state.lines],
        "Nämnd": [x.committee or "–" for x in state.lines],
        "Område": [theme.area_label(x.priority_area) for x in state.lines],
        "Utgångsläge (kr)": [
            scenario.baseline.line(x.line_id).amount if not x.added else None for x in state.lines
        ],
        "Scenario (kr)": [x.amount for x in state.lines],
        "Låst": ["ja" if x.locked else "" for x in state.lines],
    }
)
both_unknown = table["Scenario (kr)"].isna() & table["Utgångsläge (kr)"].isna()
table["Ändring (kr)"] = (table["Scenario (kr)"].fillna(0) - table["Utgångsläge (kr)"].fillna(0)).where(
    ~both_unknown
)
st.subheader("Raderna")
ui.table(ui.display_table(table))
ui.download_buttons(table, "scenario", key="scn_export")

intervals = [r for r in scenario.rules if r.kind == "finansieringsintervall"]
if intervals:
    rules_frame = pd.DataFrame(
        {
            "budget_line": [r.budget_line for r in intervals],
            "priority_area": [r.priority_area for r in intervals],
            "min_pct": [float(r.min_pct or 0) for r in intervals],
            "max_pct": [float(r.max_pct or 0) for r in intervals],
        }
    )
    shares = {r.rule.budget_line: float(r.share) / 100 for r in evaluation.rules if r.share is not None}
    ui.render_chart(
        charts.interval_bands(rules_frame, shares or None, title="Scenariot mot intervallen"), key="scn_bands"
    )

by_area = sc.compare_groups(scenario.baseline, state, sc.AREA)
by_committee = sc.compare_groups(scenario.baseline, state, sc.COMMITTEE)
st.subheader("Utgångsläge och scenario")
ui.render_chart(charts.scenario_differences(by_area, by_committee), key="scn_diff")
changes = sc.changed_lines(scenario.baseline, state)
if changes:
    st.markdown(f"**{fmt.count_phrase(len(changes), 'ändrad rad', 'ändrade rader')}**")
    ui.table(
        pd.DataFrame(
            {
                "Rad": [c.label for c in changes],
                "Före": [fmt.sek(c.before) for c in changes],
                "Efter": [fmt.sek(c.after) for c in changes],
                "Ändring": [fmt.signed_sek((c.after or 0) - (c.before or 0)) for c in changes],
            }
        )
    )

# ---------------------------------------------------------------- saving and the saved scenarios

st.subheader("Spara")
st.text_input("Scenariots namn", key="scn_name", max_chars=store.MAX_NAME)
st.text_area("Kommentar", key="scn_comment", max_chars=store.MAX_COMMENT, height=80)
s1, s2 = st.columns(2)
s1.button(
    "Spara som nytt scenario",
    on_click=on_save_new,
    key="scn_save_new",
    type="primary",
    icon=":material/save:",
)
if active["saved_id"]:
    s2.button("Spara ändringar", on_click=on_save_changes, key="scn_save", icon=":material/save_as:")
    st.caption("Länk till scenariot: lägg till `?scenario=" + active["saved_id"] + "` efter sidans adress.")
    with st.expander("Ändringslogg"):
        log = store.change_log(db, active["saved_id"])
        ui.table(
            log.rename(
                columns={"logged_at": "Tid (UTC)", "author": "Vem", "action": "Vad", "detail": "Detaljer"}
            )
        )

with st.expander(f"Hantera sparade scenarier ({len(saved)})"):
    for row in saved.itertuples():
        st.markdown(
            f"**{ui.plain(row.name)}** · {ui.plain(row.author)} · {row.updated_at:%Y-%m-%d %H:%M} UTC"
        )
        st.text_input("Nytt namn (för namnbyte eller kopia)", key=f"scn_rename_{row.scenario_id}")
        b1, b2, b3 = st.columns(3)
        b1.button(
            "Byt namn", key=f"scn_rn_{row.scenario_id}", on_click=on_manage, args=("rename", row.scenario_id)
        )
        b2.button(
            "Kopiera",
            key=f"scn_dup_{row.scenario_id}",
            on_click=on_manage,
            args=("duplicate", row.scenario_id),
        )
        b3.button(
            "Ta bort", key=f"scn_del_{row.scenario_id}", on_click=on_manage, args=("delete", row.scenario_id)
        )
    trash = store.list_scenarios(db, deleted=True)
    if len(trash):
        st.markdown("**Papperskorgen**")
        for row in trash.itertuples():
            st.markdown(f"{ui.plain(row.name)} · borttaget {row.deleted_at:%Y-%m-%d %H:%M} UTC")
            st.button(
                "Återställ",
                key=f"scn_restore_{row.scenario_id}",
                on_click=on_manage,
                args=("restore", row.scenario_id),
            )

if len(saved) >= 2:
    with st.expander("Jämför två sparade scenarier"):
        names = dict(zip(saved.scenario_id, saved.name, strict=True))
        first = st.selectbox("Scenario A", list(names), format_func=lambda i: names[i], key="scn_cmp_a")
        second = st.selectbox(
            "Scenario B", list(names), format_func=lambda i: names[i], key="scn_cmp_b", index=1
        )
        _, a = store.load(db, first)
        _, b = store.load(db, second)
        for by, label in ((sc.AREA, "Område"), (sc.COMMITTEE, "Nämnd")):
            diff = sc.compare_groups(a.current, b.current, by)
            ui.table(
                pd.DataFrame(
                    {
                        label: [d.name or "–" for d in diff],
                        "A": [fmt.sek(d.baseline) for d in diff],
                        "B": [fmt.sek(d.scenario) for d in diff],
                        "B − A": [fmt.signed_sek(d.change) for d in diff],
                    }
                )
            )
        st.download_button(
            "Ladda ner jämförelsen (Excel)",
            lambda: exports.to_xlsx(
                {
                    "A": pd.DataFrame(
                        {
                            "Rad": [x.label for x in a.current.lines],
                            "Belopp (kr)": [x.amount for x in a.current.lines],
                        }
                    ),
                    "B": pd.DataFrame(
                        {
                            "Rad": [x.label for x in b.current.lines],
                            "Belopp (kr)": [x.amount for x in b.current.lines],
                        }
                    ),
                }
            ),
            file_name="insatskollen-jamforelse.xlsx",
            key="scn_cmp_xlsx",
            on_click="ignore",
        )
