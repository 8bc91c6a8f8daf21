"""Issue 21, item 4: a scenario's undo history is stored as steps (its size grows with the edits, not with
the lines times the edits), lines and undo steps are capped with a Swedish message, and nothing saved in
the old format is lost. The engine and the codec, without Streamlit or a database."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_undo
from insatskollen.core.fmt import NBSP

AREAS = ["Boende", "Utbildning", "Arbetsmarknad"]
LINE_CAP_MESSAGE = (
    "Ett scenario kan ha högst 200 rader, och det här har redan 200. Ändra beloppet på en befintlig rad i "
    "stället, eller ångra en insats du har lagt till."
)


def _malmo_like(lines: int = 19) -> sc.State:
    """A frame like Malmö 2022 KS (19 lines, 15 mnkr)."""
    return sc.State(
        15_000_000,
        tuple(
            sc.Line(f"a-{i:02d}", f"Insats {i}", "Kommunstyrelsen", AREAS[i % 3], 15_000_000 // lines)
            for i in range(lines)
        ),
    )


def _stored_bytes_after_adds(adds: int) -> int:
    s = scenario_undo.Scenario.start(_malmo_like())
    s.max_undo = 10_000  # no undo cap here: the size per step is what is measured
    for n in range(adds):
        s.apply(f"Lade till Ny {n}", sc.add_line, f"Ny {n}", None, "Boende", 1_000)
    return len(s.history_json().encode())


def test_the_stored_history_grows_linearly_with_the_edits_not_with_lines_times_edits():
    # Whole copies (before issue 21) grow as the sum of the states' sizes: 100 → 180 adds on 19 lines
    # stored 2,8 times as much (1,4 MB → 3,9 MB). Steps grow with the number of edits: 1,8 times, ~21 bytes each.
    small, large = _stored_bytes_after_adds(100), _stored_bytes_after_adds(180)
    assert large / small < 2.0, (small, large)
    assert large < 180 * 60, large


def test_a_thousand_adds_then_a_save_stay_small_and_the_201st_line_is_refused_in_swedish():
    s = scenario_undo.Scenario.start(_malmo_like())
    refusals = []
    for n in range(1000):
        try:
            s.apply(f"Lade till Ny {n}", sc.add_line, f"Ny {n}", None, "Boende", 1_000)
        except sc.EditError as error:
            refusals.append(str(error).replace(NBSP, " "))
    assert len(s.current.lines) == sc.MAX_LINES == 200
    assert len(refusals) == 1000 - (200 - 19) and set(refusals) == {LINE_CAP_MESSAGE}
    assert len(s.history) == scenario_undo.MAX_UNDO == 100 and s.dropped == 81
    stored = s.history_json()
    assert len(stored.encode()) < 10_000  # 100 steps of one line id each (was 100 MB for 1 000 adds)
    history, dropped = scenario_undo.Scenario.history_from_json(stored, s.current)
    assert (history, dropped) == (s.history, 81)
    # a refused add changes nothing
    before = s.current
    with contextlib.suppress(sc.EditError):
        s.apply("Lade till en till", sc.add_line, "En till", None, None, 5)
    assert s.current is before and len(s.history) == 100


def test_undo_keeps_the_newest_hundred_steps_exactly_and_counts_the_dropped_ones():
    s = scenario_undo.Scenario.start(_malmo_like())
    states = [s.current]
    for n in range(150):
        s.apply(f"Satte a-00 till {n}", sc.set_amount, "a-00", n * 1000)
        states.append(s.current)
    assert len(s.history) == 100 and s.dropped == 50
    assert s.history == states[50:150]
    for expected in reversed(states[50:150]):
        assert s.undo() and s.current == expected
    assert not s.undo() and s.current == states[50]
    s.reset()  # the baseline is always reachable
    assert s.is_baseline
    assert (
        "Återställ går alltid tillbaka till utgångsläget" in scenario_undo.UNDO_FULL
        and "100" in scenario_undo.UNDO_FULL
    )


def test_reopening_reads_back_the_newest_steps_only_whatever_is_stored():
    s = scenario_undo.Scenario.start(_malmo_like())
    s.max_undo = 1000
    for n in range(300):
        s.apply("Satte a-01", sc.set_amount, "a-01", n)
    stored = s.history_json()
    history, dropped = scenario_undo.Scenario.history_from_json(stored, s.current)
    assert history == s.history[-100:] and dropped == 200
    everything, none = scenario_undo.Scenario.history_from_json(stored, s.current, limit=None)
    assert everything == s.history and none == 0


# ------------------------------------------------------------------ the codec, for any sequence of edits

amounts = st.one_of(st.none(), st.integers(0, 5_000_000))
rows = st.lists(st.tuples(st.sampled_from(AREAS), amounts, st.booleans()), min_size=1, max_size=8)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("amount"), st.integers(0, 10), st.integers(0, 9_000_000)),
        st.tuples(st.just("lock"), st.integers(0, 10), st.booleans()),
        st.tuples(st.just("add"), st.text("abcå ", min_size=1, max_size=6), st.integers(0, 100_000)),
        st.tuples(st.just("frame"), st.integers(0, 20_000_000), st.none()),
        st.tuples(st.just("move"), st.sampled_from(AREAS), st.sampled_from(AREAS)),
        st.tuples(st.just("reset"), st.none(), st.none()),
        st.tuples(st.just("undo"), st.none(), st.none()),
    ),
    max_size=25,
)


def _run(state: sc.State, plan, max_undo: int) -> scenario_undo.Scenario:
    s = scenario_undo.Scenario.start(state)
    s.max_undo = max_undo
    for kind, a, b in plan:
        ids = [x.line_id for x in s.current.lines]
        try:
            if kind == "amount":
                s.apply("", sc.set_amount, ids[a % len(ids)], b)
            elif kind == "lock":
                s.apply("", sc.set_locked, ids[a % len(ids)], b)
            elif kind == "add":
                s.apply("", sc.add_line, a, None, AREAS[0], b)
            elif kind == "frame":
                s.apply("", sc.set_frame, a)
            elif kind == "move":
                s.apply("", sc.move, sc.AREA, a, 1000, target=b)
            elif kind == "reset":
                s.reset()
            else:
                s.undo()
        except sc.EditError:
            pass
    return s


@settings(max_examples=150, deadline=None)
@given(rows, edits, st.sampled_from([3, 100]))
def test_the_stored_history_reads_back_exactly_after_any_edits(lines, plan, max_undo):
    state = sc.State(
        10_000_000,
        tuple(
            sc.Line(f"l{i}", f"Rad {i}", None, area, amount, locked)
            for i, (area, amount, locked) in enumerate(lines)
        ),
    )
    s = _run(state, plan, max_undo)
    history, dropped = scenario_undo.Scenario.history_from_json(s.history_json(), s.current, limit=None)
    assert history == s.history and dropped == s.dropped
    # and undo after reopening walks back through the same states
    again = scenario_undo.Scenario(s.baseline, s.current, (), history, dropped=dropped)
    while s.undo():
        assert again.undo() and again.current == s.current
    assert not again.undo()
