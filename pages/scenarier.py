"""Scenarier: what-if reallocation of one frame, with its rules, comparison, saving and a change log."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.ui import downloads, session, sidebar, signin, text, widgets
from insatskollen.ui import scenario_actions as act
from insatskollen.ui import scenario_view as view
from insatskollen.ui.scenario_session import ActiveScenario

identity = signin.page_identity("scenarier", "Scenarier")  # the role is checked before anything is drawn
st.title("Scenarier")
st.markdown(
    "Pröva andra fördelningar av en ram: ändra belopp, flytta pengar mellan områden eller nämnder, finansiera "
    "ett förslag eller lägg till en insats. Reglerna för ramen prövas direkt. Spara scenariot för att jämföra "
    "och för att andra ska kunna se vem som ändrade vad och när."
)

db = session.database()
MAX_FRAME_OPTIONS = 60  # a longer list of frames is chosen in two steps: kommun, then frame


# ---------------------------------------------------------------- choose a frame or a saved scenario

frames = session.query("scenario_frames")
link = st.query_params.get("scenario")
current = act.active()
if link and (current is None or current.saved_id != link):
    act.open_saved(link)

saved, saved_labels = view.saved_list(db)
if not identity.signed_in:  # signed in, the log names the identity instead
    view.author_box()
filtered = act.filtered_frames(frames, sidebar.current_filters())  # the sidebar's kommun, år and källa
new_col, open_col = st.columns(2)
with new_col:
    choosable = frames
    if len(frames) > MAX_FRAME_OPTIONS:  # e.g. 290 kommuner x 10 years x 4 sources: pick the kommun first
        choosable = view.municipality_choice(frames, filtered)
    view.frame_choice(choosable, filtered)
    st.button("Starta nytt scenario", on_click=act.start_new, key="scn_start", icon=":material/add:")
with open_col:
    if len(saved):
        st.selectbox(
            "Öppna sparat scenario", list(saved_labels), format_func=saved_labels.get, key="scn_open_pick"
        )
        st.button(
            "Öppna",
            on_click=act.on_open,
            key="scn_open",
            icon=":material/folder_open:",
        )
    else:
        st.caption("Inga sparade scenarier ännu.")
act.show_message("top")
current: ActiveScenario | None = act.active()
with st.container():  # one fixed slot, so the expanders below keep their place (and open state)
    if current is None:
        st.info(
            "Välj en ram och starta ett nytt scenario, eller öppna ett sparat.",
            icon=":material/arrow_upward:",
        )

    # ---------------------------------------------------------------- the open scenario

    if current is not None:
        scenario = current.scenario
        frame_row = view.frame_row(frames, current)
        st.divider()
        text.text_heading(current.title, 2)
        if frame_row is not None:
            st.caption(f"Ram: {text.plain(act.frame_label(frame_row))}")
        else:
            st.warning(
                f"Ramen som scenariot bygger på ({text.plain(current.frame_id)}, {current.year}) finns inte längre "
                "i datan: importen kan ha ångrats eller datan byggts om. Scenariot visas som det sparades och "
                "kan inte ändras; exportera raderna eller kopiera siffrorna till ett nytt scenario.",
                icon=":material/link_off:",
            )
        if current.comment:
            st.caption(f"Kommentar från {text.plain(current.author)}: {text.plain(current.comment)}")
        if current.stale:
            st.warning(
                "Underlaget har ändrats sedan scenariot sparades. Scenariot är kvar som det sparades; "
                "utgångsläget nedan är det som gällde då.",
                icon=":material/history:",
            )
        widgets.metric_row(current.metrics())
        getattr(st, current.status()[0])(current.status()[1])
        note = current.baseline_note()
        if note and view.from_imported_file(
            frame_row
        ):  # a file the municipality wrote is no source document's words (issue 23)
            if not note.startswith(current.status()[1]):  # unchanged, it would repeat the line above
                st.caption(text.plain(f"Utgångsläget i den importerade filen: {note}"))  # data, shown as text
        elif note:
            st.caption(f"Ur källdokumentet: {note}")
        summary = current.rules_summary()
        if summary:
            getattr(st, summary[0])(summary[1], icon=":material/rule:")
        if scenario.rules:
            act.text_table(current.rules_table())

        # ------------------------------------------------------------ edits

        own = act.may_change(identity, current)  # the owner as stored now; the callbacks check again
        if not own:
            view.not_own_note(current)
        if not current.orphaned and own:  # a scenario whose frame is gone, or someone else's, is read-only
            line_labels = current.line_labels()
            tab_line, tab_move, tab_add, tab_frame = st.tabs(
                ["Ändra en rad", "Flytta pengar", "Ny insats", "Ändra ramen"]
            )
            with tab_line:
                chosen = st.selectbox("Rad", list(line_labels), key="scn_line", format_func=line_labels.get)
                st.caption(current.line_note(chosen))
                st.text_input("Nytt belopp", key="scn_amount", placeholder="t.ex. 1 500 000 eller 1,5 mnkr")
                c1, c2, c3 = st.columns(3)
                c1.button("Sätt belopp", on_click=act.on_set_amount, key="scn_do_set", type="primary")
                c2.button("Sätt till noll", on_click=act.on_set_amount, args=(True,), key="scn_do_zero")
                c3.button("Lås/lås upp raden", on_click=act.on_toggle_lock, key="scn_do_lock")
            with tab_move:
                by_label = st.radio("Flytta mellan", ["Område", "Nämnd"], horizontal=True, key="scn_move_by")
                groups, empty = view.move_groups(by_label, current)
                st.selectbox("Från", groups, format_func=lambda g: g or empty, key="scn_move_from")
                st.selectbox(
                    "Till",
                    groups,
                    format_func=lambda g: g or empty,
                    key="scn_move_to",
                    index=min(1, len(groups) - 1),
                )
                targets = {"": "Fördela på målets olåsta rader"} | line_labels
                st.selectbox(
                    "…eller till en viss rad (valfritt)",
                    list(targets),
                    format_func=targets.get,
                    key="scn_move_line",
                )
                st.text_input("Belopp att flytta", key="scn_move_amount", placeholder="t.ex. 1 mnkr")
                st.checkbox("Avrunda till hela tusental", value=True, key="scn_move_round")
                st.caption(
                    "Beloppet tas från källans olåsta rader i proportion till deras belopp. Låsta rader lämnas orörda. "
                    "Avrundat blir varje rads andel hela tusental; det som blir över (under 1 000 kr) läggs på den "
                    "största raden, så att hela beloppet flyttas."
                )
                st.button("Flytta", on_click=act.on_move, key="scn_do_move", type="primary")
            with tab_add:
                view.new_measure_inputs(current)
                st.button("Lägg till insatsen", on_click=act.on_add, key="scn_do_add", type="primary")
            with tab_frame:
                st.text_input("Ny ram", key="scn_frame_amount", placeholder="t.ex. 15 mnkr")
                st.button("Ändra ramen", on_click=act.on_frame, key="scn_do_frame", type="primary")
            u1, u2, _ = st.columns([1, 1, 3])
            u1.button(
                "Ångra senaste",
                on_click=act.on_undo,
                key="scn_undo",
                icon=":material/undo:",
                disabled=not scenario.history,
            )
            u2.button(
                "Återställ",
                on_click=act.on_reset,
                key="scn_reset",
                icon=":material/restart_alt:",
                disabled=scenario.is_baseline,
            )
            act.show_message("edit")

        # ------------------------------------------------------------ the lines and the comparison

        st.subheader("Raderna")
        act.text_table(current.lines_shown())
        downloads.download_buttons(current.lines_table(), "scenario", key="scn_export")

        bands = current.interval_chart()
        if bands is not None:
            widgets.render_chart(bands, key="scn_bands")

        st.subheader("Utgångsläge och scenario")
        widgets.render_chart(current.difference_chart(), key="scn_diff")
        changes = current.changes_table()
        if len(changes):
            st.markdown(view.changes_heading(len(changes)))
            act.text_table(changes)

        # ------------------------------------------------------------ saving

        if not current.orphaned:
            st.subheader("Spara")
            view.save_inputs()
            s1, s2 = st.columns(2)
            s1.button(
                "Spara som nytt scenario",
                on_click=act.on_save_new,
                key="scn_save_new",
                type="primary",
                icon=":material/save:",
            )
            if current.saved_id and own:
                s2.button(
                    "Spara ändringar", on_click=act.on_save_changes, key="scn_save", icon=":material/save_as:"
                )
            act.show_message("save")
            if current.saved_id:
                view.link_box(current.saved_id, sidebar.current_filters().to_query_params())
        if current.saved_id:
            view.comment_box()
        with st.expander("Ändringslogg (svensk tid)", key="scn_log"):
            log = current.change_log(db)
            if len(log):  # an if, not a conditional expression: Streamlit's magic would show its None
                act.text_table(log)
            else:
                st.caption("Inga ändringar ännu.")

# ---------------------------------------------------------------- the saved scenarios

view.manage_saved(db, saved, saved_labels, identity)
if len(saved) >= 2:
    view.compare_saved(db, saved_labels)
