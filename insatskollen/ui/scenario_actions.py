"""The Scenarier page's callbacks: read the widgets, change the ActiveScenario, leave a message by the button.

Session state holds one ActiveScenario (ACTIVE) and at most one message (MESSAGE) tagged with the
place it belongs to ("top", "edit", "save", "manage"), so a message shows next to the button that
caused it. Everything else in session state is a widget's own value.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, roles, scenario_undo
from insatskollen.core import scenario as sc
from insatskollen.core.amounts import AmountError, parse_amount
from insatskollen.core.filters import Filters
from insatskollen.store import scenario_store as store
from insatskollen.ui import auth, session, text, unexpected, widgets
from insatskollen.ui.scenario_session import ActiveScenario

ACTIVE, MESSAGE = "scn_active", "scn_message"
ERRORS = (sc.EditError, AmountError, store.ScenarioError, roles.NotAllowed, roles.AuthSettingError)
# What one scenario's form holds; emptied when another scenario starts or opens, so nothing carries over.
# Text boxes are set to "" (a popped key would keep the text the browser still shows); choices are dropped.
FORM_TEXTS = (
    "scn_amount",
    "scn_move_amount",
    "scn_add_title",
    "scn_add_amount",
    "scn_frame_amount",
    "scn_name",
    "scn_comment",
)
FORM_CHOICES = (
    "scn_line",
    "scn_move_from",
    "scn_move_to",
    "scn_move_line",
    "scn_add_committee",
    "scn_add_area",
)
PICKERS = ("scn_open_pick", "scn_cmp_a", "scn_cmp_b")  # saved-scenario pickers: ids whose labels can change


def filtered_frames(frames: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The frames the sidebar's kommun, år and finansieringskälla select, in list order; empty when no such
    filter is set (the list then starts at its first frame). "Utgå från ram" defaults to the first of them."""
    if not (filters.municipalities or filters.years or filters.funding_sources):
        return frames.iloc[0:0]
    keep = pd.Series(True, index=frames.index)
    if filters.municipalities:
        keep &= frames.municipality.isin(filters.municipalities)
    if filters.years:
        keep &= frames.year.astype(int).isin(filters.years)
    if filters.funding_sources:
        keep &= frames.funding_source.isin(filters.funding_sources)
    return frames[keep]


def frame_label(row) -> str:
    """'Malmö 2022 · KS anslag till förfogande (15 000 000 kr)' for a row of scenario_frames."""
    amount = fmt.sek(row.amount_sek) if pd.notna(row.amount_sek) else "belopp saknas"
    return f"{row.municipality} {row.year} · {row.funding_source} ({amount})"


# Up to STATIC_ROWS rows a table is static (every row readable, in print too); beyond, a scrollable grid.
STATIC_ROWS = 300


def text_table(table: pd.DataFrame) -> None:
    """A static table whose cells are shown as text (st.table renders markdown, so data is escaped).
    A very long table (a national-scale frame) is shown as a scrollable data grid instead."""
    if len(table) > STATIC_ROWS:
        widgets.table(table)
        return
    shown = table.astype(object).where(table.notna(), "–").map(text.plain)
    st.table(shown, border="horizontal", hide_index=True)


def active() -> ActiveScenario | None:
    return st.session_state.get(ACTIVE)


def say(place: str, kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (place, kind, text)


def show_message(place: str) -> None:
    """Show the pending message if it belongs here (as text, never markdown). The slot is always drawn,
    so the elements after it keep their place between reruns (an expander that moves closes)."""
    slot = st.container()
    message = st.session_state.get(MESSAGE)
    if message and message[0] == place:
        st.session_state.pop(MESSAGE)
        getattr(slot, message[1])(text.plain(message[2]))


def _activate(opened: ActiveScenario, keep_line: bool = False) -> None:
    chosen = st.session_state.get("scn_line")
    for key in FORM_TEXTS:
        st.session_state[key] = ""
    for key in FORM_CHOICES:
        st.session_state.pop(key, None)
    # A popped choice keeps the label the browser shows while the page goes back to the first option
    # (Streamlit 1.67): the Rad box would show one line and "Sätt belopp" change another. Set it explicitly:
    # the line being edited when the same scenario is saved, else the first line.
    lines = [x.line_id for x in opened.scenario.current.lines]
    if lines:
        st.session_state["scn_line"] = chosen if keep_line and chosen in lines else lines[0]
    st.session_state["scn_move_line"] = ""
    st.session_state[ACTIVE] = opened
    if opened.saved_id:
        st.query_params["scenario"] = opened.saved_id
    else:
        st.query_params.pop("scenario", None)


@unexpected.callback
def start_new() -> None:
    try:
        roles.check(_identity(), roles.OFFICIAL, "skapa scenarier")
    except ERRORS as error:
        say("top", "error", str(error))
        return
    chosen = st.session_state.get("scn_new_frame")  # a forged click may come without it
    if not chosen:
        say("top", "error", "Välj en ram att utgå från.")
        return
    frame_id, year = chosen
    _activate(ActiveScenario.new(session.database(), frame_id, year))


@unexpected.callback
def on_open() -> None:
    """ "Öppna": the saved scenario chosen in the picker."""
    chosen = st.session_state.get("scn_open_pick")
    if not chosen:
        say("top", "error", "Välj ett sparat scenario att öppna.")
        return
    open_saved(chosen)


def open_saved(scenario_id: str, place: str = "top", keep_line: bool = False) -> bool:
    try:
        _activate(ActiveScenario.open(session.database(), scenario_id), keep_line)
    except store.ScenarioError as error:
        say(place, "error", str(error))
        return False
    return True


def owner_of(current: ActiveScenario) -> str | None:
    """Who owns the open saved scenario now, read from the store (not what this session remembers: an
    owner given on the command line holds from the next click)."""
    row = session.database().work.scenario_row(current.saved_id) if current.saved_id else None
    return (row or {}).get("owner_subject")


def may_change(identity: roles.Identity, current: ActiveScenario) -> bool:
    """May `identity` change the open scenario: a handläggare on a new one, the owner on a saved one."""
    if current.saved_id is None:
        return identity.may(roles.OFFICIAL)
    return identity.may(roles.OFFICIAL) and identity.owns(owner_of(current))


def _check_change(what: str = "ändra scenariot") -> roles.Identity:
    """Raise NotAllowed unless this session's identity, read now, may change the open scenario. Edits
    are checked like saves: a läsare builds no scenario, and a colleague's scenario is read-only even in
    memory (a changed copy shown under the owner's name would be presented as the owner's)."""
    identity, current = _identity(), active()
    if current is None:
        raise roles.NotAllowed(f"Du får inte {what}: inget scenario är öppet.")
    if current.saved_id is None:
        roles.check(identity, roles.OFFICIAL, what)
    else:
        roles.check_owner(identity, owner_of(current), what)
    return identity


def _editing(callback: Callable[..., None]) -> Callable[..., None]:
    """An edit button's callback, run only if this session may change the open scenario, checked before
    anything is read; a refusal is shown at the top (the edit controls may not be drawn at all)."""

    @wraps(callback)
    def run(*args, **kwargs) -> None:
        try:
            _check_change()
        except ERRORS as error:
            say("top", "error", str(error))
            return
        callback(*args, **kwargs)

    return run


def _act(description: str, edit, *args, **kwargs) -> None:
    """Apply one edit to the open scenario; a refused edit shows its message and changes nothing. An edit
    that pushed the oldest undo step out says so (a warning, with what to do)."""
    scenario = active().scenario
    dropped = scenario.dropped
    try:
        scenario.apply(description, edit, *args, **kwargs)
    except ERRORS as error:
        say("edit", "error", str(error))
        return
    if scenario.dropped > dropped:
        say("edit", "warning", f"{description}. {scenario_undo.UNDO_FULL}")
    else:
        say("edit", "success", description)


def _amount(key: str) -> int | None:
    try:
        return parse_amount(st.session_state.get(key, ""))
    except AmountError as error:
        say("edit", "error", str(error))
        return None


def _chosen_line() -> sc.Line | None:
    try:
        return active().scenario.current.line(st.session_state.get("scn_line"))
    except sc.EditError:
        say("edit", "error", "Välj en rad.")
        return None


@unexpected.callback
@_editing
def on_set_amount(zero: bool = False) -> None:
    line = _chosen_line()
    amount = 0 if zero else _amount("scn_amount")
    if line is not None and amount is not None:
        _act(f"Satte ”{line.label}” till {fmt.sek(amount)}", sc.set_amount, line.line_id, amount)


@unexpected.callback
@_editing
def on_toggle_lock() -> None:
    line = _chosen_line()
    if line is not None:
        verb = "Låste upp" if line.locked else "Låste"
        _act(f"{verb} ”{line.label}”", sc.set_locked, line.line_id, not line.locked)


@unexpected.callback
@_editing
def on_move() -> None:
    chosen = [st.session_state.get(key) for key in ("scn_move_by", "scn_move_from", "scn_move_to")]
    if None in chosen:  # a forged click may come without the choices a browser always sends
        say("edit", "error", "Välj vad pengarna ska flyttas mellan, från och till.")
        return
    by = sc.AREA if chosen[0] == "Område" else sc.COMMITTEE
    amount = _amount("scn_move_amount")
    if amount is None:
        return
    source, target = chosen[1], chosen[2]
    line_id = st.session_state.get("scn_move_line") or None
    current = active().scenario.current
    target_text = current.line(line_id).label if line_id else (target or "–")
    _act(
        f"Flyttade {fmt.sek(amount)} från {source or '(inget)'} till {target_text}",
        sc.move,
        by,
        source,
        amount,
        target=target,
        target_line=line_id,
        round_to=sc.ROUND_TO if st.session_state.get("scn_move_round", True) else 1,
    )


@unexpected.callback
@_editing
def on_add() -> None:
    amount = _amount("scn_add_amount")
    if amount is not None:
        title = st.session_state.get("scn_add_title", "")
        _act(
            f"Lade till ”{title.strip()}” med {fmt.sek(amount)}",
            sc.add_line,
            title,
            st.session_state.get("scn_add_committee") or None,
            st.session_state.get("scn_add_area") or None,
            amount,
        )


@unexpected.callback
@_editing
def on_frame() -> None:
    amount = _amount("scn_frame_amount")
    if amount is not None:
        before = active().scenario.current.frame_amount
        _act(f"Ändrade ramen från {fmt.sek(before)} till {fmt.sek(amount)}", sc.set_frame, amount)


@unexpected.callback
@_editing
def on_undo() -> None:
    scenario = active().scenario
    oldest = f" {scenario_undo.UNDO_OLDEST}" if scenario.dropped and len(scenario.history) <= 1 else ""
    if scenario.undo():
        say("edit", "success", f"Ångrade senaste ändringen.{oldest}")
    else:
        say("edit", "info", f"Det finns inget att ångra.{oldest}")


@unexpected.callback
@_editing
def on_reset() -> None:
    active().scenario.reset()
    say("edit", "success", "Scenariot är återställt till utgångsläget.")


def _actor(identity: roles.Identity):
    """Who goes into the log: the signed-in identity, or (without sign-in) the name typed on the page."""
    return identity.actor(st.session_state.get("scn_author", ""))


def _identity() -> roles.Identity:
    """This session's identity, read now (a callback runs before the page: the role may have changed)."""
    identity = auth.current()
    if identity is None:
        raise roles.NotAllowed("Du är inte inloggad. Logga in och försök igen.")
    return identity


@unexpected.callback
def on_save_new() -> None:
    current = active()
    try:
        identity = _identity()
        roles.check(identity, roles.OFFICIAL, "spara scenarier")
        scenario_id = store.save_new(
            session.database(),
            current.scenario,
            name=st.session_state.get("scn_name", ""),
            author=_actor(identity),
            comment=st.session_state.get("scn_comment", ""),
            frame_id=current.frame_id,
            year=current.year,
            copy_of=current.name if current.saved_id else None,  # saved anew from an opened scenario
        )
    except ERRORS as error:
        say("save", "error", str(error))
        return
    if open_saved(scenario_id, "save", keep_line=True):  # the scenario just saved: its lines are the same
        say("save", "success", "Scenariot är sparat.")


@unexpected.callback
def on_save_changes() -> None:
    current = active()
    try:
        identity = _check_change("spara ändringar i scenariot")
        store.save_changes(session.database(), current.saved_id, current.scenario, author=_actor(identity))
    except ERRORS as error:
        say("save", "error", str(error))
        return
    say("save", "success", "Ändringarna är sparade.")


def _keep_choices() -> None:
    """Re-set the saved-scenario pickers to the ids they hold, so a renamed label cannot unselect them."""
    for key in PICKERS:
        if st.session_state.get(key):
            st.session_state[key] = st.session_state[key]


def _check_manage(identity: roles.Identity, action: str, scenario_id: str) -> None:
    """Rename and delete: the owner; copy: any handläggare; restore and empty: an administratör."""
    if action in ("restore", "empty"):
        roles.check(identity, roles.ADMIN, "återställa från eller tömma papperskorgen")
    elif action == "duplicate":
        roles.check(identity, roles.OFFICIAL, "kopiera scenarier")
    else:
        row = session.database().work.scenario_row(scenario_id) or {}
        what = "byta namn på scenariot" if action == "rename" else "ta bort scenariot"
        roles.check_owner(identity, row.get("owner_subject"), what)


EMPTY_CONFIRM = "scn_empty_confirm"


@unexpected.callback
def on_manage(action: str, scenario_id: str) -> None:
    db = session.database()
    new_name = st.session_state.get(f"scn_rename_{scenario_id}", "")
    try:
        identity = _identity()
        _check_manage(identity, action, scenario_id)
        author = _actor(identity)
        if action == "rename":
            store.rename(db, scenario_id, new_name, author=author)
            current = active()
            if current and current.saved_id == scenario_id:
                current.name = new_name.strip()
            _keep_choices()
            say("manage", "success", "Namnet är ändrat.")
        elif action == "duplicate":
            if open_saved(store.duplicate(db, scenario_id, new_name, author=author), "manage"):
                say("manage", "success", "Kopian är sparad och öppnad.")
        elif action == "delete":
            store.delete(db, scenario_id, author=author)
            current = active()
            if current and current.saved_id == scenario_id:
                st.session_state.pop(ACTIVE)
                st.query_params.pop("scenario", None)
            restore = (
                "Det kan återställas under Papperskorgen här nedan."
                if identity.may(roles.ADMIN)
                else "En administratör kan återställa det."
            )
            say("manage", "success", f"Scenariot ligger i papperskorgen. {restore}")
        elif action == "restore":
            store.restore(db, scenario_id, author=author)
            say("manage", "success", "Scenariot är återställt.")
        elif action == "empty":
            if not st.session_state.get(EMPTY_CONFIRM):  # a click without the box ticked (or replayed)
                raise store.ScenarioError(
                    "Kryssa först i rutan som bekräftar att scenarierna i papperskorgen raderas för gott."
                )
            st.session_state[EMPTY_CONFIRM] = False
            count = store.empty_wastebasket(db, author=author)
            gone = fmt.count_phrase(count, "scenario", "scenarier")
            say(
                "manage",
                "success",
                f"Papperskorgen är tömd: {gone} raderade för gott. Ändringsloggarna finns kvar.",
            )
    except ERRORS as error:
        say("manage", "error", str(error))
        return
    st.session_state[f"scn_rename_{scenario_id}"] = ""  # done: the typed name does not linger


@unexpected.callback
def on_comment() -> None:
    """A comment on the open saved scenario, own or someone else's: an entry in its change log."""
    current = active()
    try:
        identity = _identity()
        roles.check(identity, roles.OFFICIAL, "kommentera scenarier")
        store.comment(
            session.database(),
            current.saved_id,
            st.session_state.get("scn_remark", ""),
            author=_actor(identity),
        )
    except ERRORS as error:
        say("comment", "error", str(error))
        return
    st.session_state["scn_remark"] = ""
    say("comment", "success", "Kommentaren står i ändringsloggen.")
