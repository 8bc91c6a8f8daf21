"""The what-if engine, without Streamlit: edits, locks, rules at their bounds, undo."""

from __future__ import annotations

import re
from datetime import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_evaluation
from insatskollen.core.fmt import NBSP
from insatskollen.core.scenario import AREA, COMMITTEE, EditError, Line, Rule, State
from insatskollen.core.scenario_undo import Scenario

AREAS = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]


def base() -> State:
    return State(
        15_000_000,
        (
            Line("a", "Hållbara Rosengård", "Miljönämnden", "Boende", 700_000),
            Line("b", "Förstudie LFM", "Stadsbyggnadsnämnden", "Boende", 400_000),
            Line("c", "Hemmasittare", "Grundskolenämnden", "Utbildning", 1_500_000),
            Line("d", "SYV", "Grundskolenämnden", "Utbildning", 500_000),
            Line("e", "Okänt förslag", None, "Utbildning", None),
        ),
    )


def test_set_amount_and_fund_an_unfunded_proposal():
    state = sc.set_amount(base(), "e", 250_000)
    assert state.line("e").amount == 250_000
    assert base().line("e").amount is None  # states are immutable


@pytest.mark.parametrize("bad", [-1, 10**12, 1.5, "100", True])
def test_bad_amounts_are_refused_in_swedish(bad):
    with pytest.raises(EditError, match="Beloppet"):
        sc.set_amount(base(), "a", bad)


def test_locked_line_refuses_a_direct_edit():
    state = sc.set_locked(base(), "a", True)
    with pytest.raises(EditError, match="är låst"):
        sc.set_amount(state, "a", 1)


def test_move_between_areas_is_proportional_and_conserves_the_total():
    exact = sc.move(base(), AREA, "Utbildning", 1_000_000, target="Boende", round_to=1)
    assert exact.line("c").amount == 750_000 and exact.line("d").amount == 250_000
    assert exact.line("a").amount == 700_000 + 636_364 and exact.line("b").amount == 400_000 + 363_636
    state = sc.move(base(), AREA, "Utbildning", 1_000_000, target="Boende")  # whole thousands
    assert state.line("a").amount == 700_000 + 636_000 and state.line("b").amount == 400_000 + 364_000
    assert state.allocated == exact.allocated == base().allocated


def test_move_onto_a_chosen_line():
    state = sc.move(base(), COMMITTEE, "Grundskolenämnden", 200_000, target_line="a")
    assert state.line("a").amount == 900_000
    assert state.line("c").amount + state.line("d").amount == 1_800_000


def test_move_more_than_available_is_refused():
    with pytest.raises(EditError) as info:
        sc.move(base(), AREA, "Boende", 2_000_000, target="Utbildning")
    assert str(info.value) == (
        f"Det går bara att flytta 1{NBSP}100{NBSP}000{NBSP}kr från området Boende (olåsta rader med belopp), "
        f"inte 2{NBSP}000{NBSP}000{NBSP}kr."
    )


def test_add_measure_and_change_frame():
    state = sc.add_line(base(), "Nattfotboll", "Fritidsnämnden", "Brottslighet", 300_000)
    assert state.lines[-1].added and state.lines[-1].amount == 300_000
    with pytest.raises(EditError, match="finns redan"):
        sc.add_line(state, "nattfotboll", None, None, 1)
    with pytest.raises(EditError, match="namn"):
        sc.add_line(state, "   ", None, None, 1)
    assert sc.set_frame(state, 20_000_000).frame_amount == 20_000_000


def test_remaining_and_over_allocation_messages():
    known = sc.set_amount(base(), "e", 0)  # every line has an amount
    evaluation = scenario_evaluation.evaluate(known)
    # what is left is the one rule's figure (key_figures.Balance), not one the engine computes itself
    assert evaluation.balance.unallocated_sek == evaluation.balance.left_sek == 15_000_000 - 3_100_000
    # the headline rule's words (insatskollen.core.key_figures.Balance), as on Översikt and in `check`
    assert evaluation.remaining_message == (
        f"11{NBSP}900{NBSP}000{NBSP}kr av ramen på 15{NBSP}000{NBSP}000{NBSP}kr är ofördelat."
    )
    over = scenario_evaluation.evaluate(sc.set_frame(known, 3_000_000))
    assert over.over_allocated and over.remaining_message == (
        f"Överfördelat med 100{NBSP}000{NBSP}kr (raderna summerar till 3{NBSP}100{NBSP}000{NBSP}kr, "
        f"ramen är 3{NBSP}000{NBSP}000{NBSP}kr)."
    )
    assert (
        scenario_evaluation.evaluate(sc.set_frame(known, 3_100_000)).remaining_message
        == "Hela ramen är fördelad."
    )


INTERVAL = Rule("finansieringsintervall", "Bostad / Samhällsservice", "Boende", Fraction(10), Fraction(30))


@pytest.mark.parametrize(
    ("boende", "status"),
    [(999_999, "under"), (1_000_000, "ok"), (3_000_000, "ok"), (3_000_001, "över")],
)
def test_interval_fires_exactly_at_its_bounds(boende, status):
    state = State(
        10_000_000,
        (
            Line(
                "x",
                "Bostad / Samhällsservice",
                None,
                "Boende",
                boende,
                budget_line="Bostad / Samhällsservice",
            ),
        ),
    )
    [result] = scenario_evaluation.evaluate(state, (INTERVAL,)).rules
    assert result.status == status


def test_interval_messages_name_what_is_missing():
    state = State(
        10_000_000, (Line("x", "Bostad", None, "Boende", 500_000, budget_line="Bostad / Samhällsservice"),)
    )
    [result] = scenario_evaluation.evaluate(state, (INTERVAL,)).rules
    assert result.message.endswith(f"Under intervallet: 500{NBSP}000{NBSP}kr till behövs.")
    unknown = scenario_evaluation.evaluate(
        State(
            10_000_000, (Line("x", "Bostad", None, "Boende", None, budget_line="Bostad / Samhällsservice"),)
        ),
        (INTERVAL,),
    )
    assert unknown.rules[0].status == "okänd"


def test_cofinancing_is_the_own_contribution():
    rule = Rule("medfinansiering", min_pct=Fraction(10))
    [result] = scenario_evaluation.evaluate(State(10_839_000, ()), (rule,)).rules
    assert result.allocated == 1_083_900
    assert f"1{NBSP}083{NBSP}900{NBSP}kr i egna medel" in result.message


def test_undo_and_reset():
    s = Scenario.start(base())
    s.apply("Sätt SYV", sc.set_amount, "d", 0)
    s.apply("Flytta", sc.move, AREA, "Utbildning", 500_000, target="Boende")
    s.undo()
    assert s.current.line("d").amount == 0 and s.current.line("c").amount == 1_500_000
    s.reset()
    assert s.is_baseline
    with pytest.raises(EditError):
        s.apply("fel", sc.set_amount, "d", -5)
    assert s.is_baseline  # a refused edit changes nothing


def test_state_json_round_trip():
    state = sc.set_locked(sc.add_line(base(), "Ny <b>insats</b>", None, None, 5), "a", True)
    assert State.from_json(state.to_json()) == state


def test_comparison_per_area_and_changed_lines():
    after = sc.move(base(), AREA, "Utbildning", 1_000_000, target="Boende")
    diffs = {d.name: d.change for d in scenario_evaluation.compare_groups(base(), after, AREA)}
    assert diffs == {"Boende": 1_000_000, "Utbildning": -1_000_000}
    assert {c.line_id for c in scenario_evaluation.changed_lines(base(), after)} == {"a", "b", "c", "d"}


# ------------------------------------------------------------------ properties

amounts = st.one_of(st.none(), st.integers(0, 50_000_000))
lines = st.lists(
    st.tuples(st.sampled_from(AREAS), st.sampled_from(["N1", "N2", "N3"]), amounts, st.booleans()),
    min_size=2,
    max_size=25,
)


def _state(rows) -> State:
    return State(
        100_000_000,
        tuple(
            Line(f"l{i}", f"Rad {i}", n, a, amount, locked) for i, (a, n, amount, locked) in enumerate(rows)
        ),
    )


@settings(max_examples=200, deadline=None)
@given(
    lines,
    st.sampled_from(AREAS),
    st.sampled_from(AREAS),
    st.integers(1, 100_000_000),
    st.sampled_from([AREA, COMMITTEE]),
)
def test_move_conserves_the_total_and_respects_locks(rows, source, target, amount, by):
    state = _state(rows)
    if by == COMMITTEE:
        source, target = "N1", "N2"
    try:
        after = sc.move(state, by, source, amount, target=target)
    except EditError:
        return
    assert after.allocated == state.allocated
    for old, new in zip(state.lines, after.lines, strict=True):
        if old.locked:
            assert new == old
        assert new.amount is None or new.amount >= 0
    moved_out = sum(
        (o.amount or 0) - (n.amount or 0)
        for o, n in zip(state.lines, after.lines, strict=True)
        if sc.group_of(o, by) == source
    )
    assert moved_out == amount


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_distribute_adds_up_exactly(total, weights):
    parts = sc.distribute(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)


@settings(max_examples=100, deadline=None)
@given(lines, st.lists(st.tuples(st.integers(0, 24), st.integers(0, 10_000_000)), min_size=1, max_size=8))
def test_undo_restores_every_previous_state(rows, edits):
    s = Scenario.start(_state(rows))
    seen = [s.current]
    for index, amount in edits:
        line_id = f"l{index % len(rows)}"
        try:
            s.apply("sätt", sc.set_amount, line_id, amount)
            seen.append(s.current)
        except EditError:
            pass
    while s.undo():
        seen.pop()
        assert s.current == seen[-1]
    assert s.is_baseline


# ------------------------------------------------------------------ issue 11: rounding, frame changes, edit times


def test_proportional_move_in_whole_thousands_conserves_the_total():
    state = State(
        10_000_000,
        (
            Line("a", "A", None, "Boende", 1_234_000),
            Line("b", "B", None, "Boende", 2_345_000),
            Line("c", "C", None, "Utbildning", 3_000_000),
            Line("d", "D", None, "Utbildning", 1_111_000),
        ),
    )
    exact = sc.move(state, AREA, "Boende", 777_500, target="Utbildning", round_to=1)
    assert any(x.amount % 1000 for x in exact.lines)  # kronor exact: amounts like 438 249 kr
    rounded = sc.move(state, AREA, "Boende", 777_500, target="Utbildning")  # default: whole thousands
    amounts = {x.line_id: x.amount for x in rounded.lines}
    assert amounts["a"] + amounts["b"] == 1_234_000 + 2_345_000 - 777_500
    assert amounts["c"] + amounts["d"] == 3_000_000 + 1_111_000 + 777_500
    # whole thousands everywhere except the 500 kr remainder, which lands on the largest line of each side
    assert [amounts[k] % 1000 for k in "abcd"] == [0, 500, 500, 0]


def test_changed_lines_include_a_change_of_the_frame():
    after = sc.set_frame(base(), 16_000_000)
    [change] = scenario_evaluation.changed_lines(base(), after)
    assert (change.label, change.before, change.after, change.what) == ("Ram", 15_000_000, 16_000_000, "ram")


def test_each_edit_is_stamped_when_it_is_made():
    times = iter([datetime(2026, 11, 24, 8, 0), datetime(2026, 11, 24, 9, 30)])
    s = Scenario.start(base())
    s.clock = lambda: next(times)
    s.apply("Sätt SYV", sc.set_amount, "d", 0)
    s.undo()
    assert [(e.at, e.text) for e in s.edits] == [
        (datetime(2026, 11, 24, 8, 0), "Sätt SYV"),
        (datetime(2026, 11, 24, 9, 30), "Ångrade senaste ändringen"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    lines,
    st.sampled_from(AREAS),
    st.sampled_from(AREAS),
    st.integers(1, 100_000_000),
)
def test_rounded_move_conserves_the_total_and_respects_locks(rows, source, target, amount):
    state = _state(rows)
    try:
        after = sc.move(state, AREA, source, amount, target=target, round_to=1000)
    except EditError:
        return
    assert after.allocated == state.allocated
    for old, new in zip(state.lines, after.lines, strict=True):
        if old.locked:
            assert new == old
        assert new.amount is None or new.amount >= 0
    moved_out = sum(
        (o.amount or 0) - (n.amount or 0)
        for o, n in zip(state.lines, after.lines, strict=True)
        if sc.group_of(o, AREA) == source
    )
    assert moved_out == amount


@pytest.mark.parametrize("label", ["Ny\x07insats", "Titel\uffff", "a\u202eb"])
def test_a_new_measure_with_control_characters_is_refused(label):
    """Accepted before, then every Excel/PowerPoint/Word export of the scenario failed."""
    state = sc.State(1_000, (sc.Line("a", "A", amount=500),))
    with pytest.raises(sc.EditError, match="otillåtna tecken"):
        sc.add_line(state, label, None, "Boende", 100)


def test_unknown_amounts_make_what_is_left_a_bound_not_a_figure():
    """base() has one line without an amount: 3 100 000 kr are known of 15 000 000 kr."""
    evaluation = scenario_evaluation.evaluate(base())
    assert evaluation.allocated == 3_100_000 and evaluation.unknown_lines == 1
    assert evaluation.remaining_message == (
        f"Minst 3{NBSP}100{NBSP}000{NBSP}kr fördelat, högst 11{NBSP}900{NBSP}000{NBSP}kr kvar (1 rad saknar belopp)."
    )
    full = sc.set_amount(base(), "a", 12_600_000)  # the known amounts now fill the frame
    assert scenario_evaluation.evaluate(full).remaining_message == (
        f"Minst 15{NBSP}000{NBSP}000{NBSP}kr fördelat, högst 0{NBSP}kr kvar (1 rad saknar belopp)."
    )
    over = sc.set_amount(base(), "a", 13_600_000)
    assert scenario_evaluation.evaluate(over).remaining_message == (
        f"Minst 16{NBSP}000{NBSP}000{NBSP}kr fördelat: ramen på 15{NBSP}000{NBSP}000{NBSP}kr överskrids med minst "
        f"1{NBSP}000{NBSP}000{NBSP}kr (1 rad saknar belopp)."
    )
    assert (
        scenario_evaluation.evaluate(sc.set_amount(base(), "e", 0)).remaining_message
        == f"11{NBSP}900{NBSP}000{NBSP}kr av ramen på 15{NBSP}000{NBSP}000{NBSP}kr är ofördelat."
    )


def test_what_is_left_in_a_plan_is_the_one_rules_figure():
    """Scenarier's third box reads key_figures.Balance, never its own arithmetic: "högst" kvar with lines without
    amount; a plan none of whose lines has an amount has at most its whole frame left (the headline names such a
    frame "ram med okänd fördelning" and leaves it out of ofördelat); an unknown frame leaves it unknown."""
    left = scenario_evaluation.evaluate(base()).balance
    assert (left.left_sek, left.left_is_bound, left.free_sek) == (11_900_000, True, 11_900_000)
    none_known = scenario_evaluation.evaluate(sc.State(1_000, (sc.Line("a", "A"), sc.Line("b", "B")))).balance
    assert (none_known.left_sek, none_known.left_is_bound, none_known.free_sek) == (1_000, True, None)
    no_frame = scenario_evaluation.evaluate(sc.State(None, (sc.Line("a", "A", amount=5),))).balance
    assert (no_frame.left_sek, no_frame.left_is_bound) == (None, False)


def test_a_rule_with_unknown_lines_is_only_judged_when_the_known_amounts_already_break_it():
    """Unknown amounts are at least 0: known amounts under the interval may still reach it, known
    amounts over it stay over whatever the unknown ones are."""

    def state(known: int) -> State:
        return State(
            10_000_000,
            (
                Line("x", "Bostad", None, "Boende", known, budget_line="Bostad / Samhällsservice"),
                Line("y", "Okänd", None, "Boende", None, budget_line="Bostad / Samhällsservice"),
            ),
        )

    [under] = scenario_evaluation.evaluate(state(500_000), (INTERVAL,)).rules
    assert under.status == "okänd"
    assert "de kända beloppen ger 5" in under.message and "1 rad saknar belopp" in under.message
    [inside] = scenario_evaluation.evaluate(state(2_000_000), (INTERVAL,)).rules
    assert inside.status == "okänd"  # the unknown line may push it over 30 %
    [over] = scenario_evaluation.evaluate(state(3_500_000), (INTERVAL,)).rules
    assert over.status == "över" and "minst, eftersom 1 rad saknar belopp" in over.message


def test_a_move_never_turns_an_unknown_amount_into_a_number():
    """base(): Utbildning holds c 1 500 000, d 500 000 and e with no amount."""
    after = sc.move(base(), AREA, "Boende", 1_000_000, target="Utbildning")
    assert after.line("e").amount is None  # it took no share: unknown plus a share is still unknown
    assert after.line("c").amount + after.line("d").amount == 3_000_000
    with pytest.raises(EditError, match="”Okänt förslag” saknar belopp. Ange radens belopp först"):
        sc.move(base(), AREA, "Boende", 100_000, target_line="e")
    only_unknown = State(
        1_000_000, (Line("a", "A", None, "Boende", 500_000), Line("b", "B", None, "Brottslighet"))
    )
    with pytest.raises(EditError, match="Raderna i Brottslighet saknar belopp"):
        sc.move(only_unknown, AREA, "Boende", 100_000, target="Brottslighet")


def test_an_unfunded_proposal_is_no_unknown_amount_and_can_be_funded_by_a_move():
    state = State(
        1_000_000,
        (
            Line("a", "A", None, "Boende", 1_000_000),
            Line("p", "Förslag", None, "Utbildning", None, unfunded=True),
        ),
    )
    evaluation = scenario_evaluation.evaluate(state)
    assert evaluation.unknown_lines == 0 and evaluation.remaining_message == "Hela ramen är fördelad."
    after = sc.move(state, AREA, "Boende", 300_000, target="Utbildning")
    assert after.line("p").amount == 300_000 and after.line("a").amount == 700_000
    other = State(state.frame_amount, (*state.lines, Line("q", "Q", None, "Utbildning", 10_000)))
    assert (
        sc.move(other, AREA, "Boende", 100_000, target="Utbildning").line("p").amount is None
    )  # no share, still unfunded


# Malmö 2022 Statsbidrag Socialstyrelsen in small: decision point 3 grants (and states as allocated) 19 700 000,
# the table's rows sum to 18 600 000. In a scenario the document's statement keeps holding while the lines sum
# to at most it: the gap stays a contradiction; only money beyond the stated amount is ofördelat.
STATED = 19_700_000


def contradicting(frame: int = STATED) -> Scenario:
    return Scenario.start(
        State(
            frame,
            (
                Line("a", "Hemmasittare", "Grundskolenämnden", "Utbildning", 10_000_000),
                Line("b", "Trygghet", "Fritidsnämnden", "Brottslighet", 8_600_000),
            ),
        )
    )


def kr(text: str) -> str:
    """The engine's words with its non-breaking spaces inside amounts ('19 700 000 kr')."""
    return re.sub(r"(?<=\d) (?=\d|kr)", NBSP, text)


def test_unchanged_scenario_keeps_the_documents_contradiction():
    evaluation = contradicting().evaluate(STATED)
    assert evaluation.remaining_message == kr(
        "Dokumentet anger 19 700 000 kr; raderna summerar till 18 600 000 kr."
    )
    assert scenario_evaluation.balance(contradicting().current, STATED).unallocated_sek == 0


def test_a_move_that_keeps_the_total_keeps_the_contradiction_not_ofordelat():
    scenario = contradicting()
    scenario.apply("Flytta", sc.move, AREA, "Utbildning", 500_000, target="Brottslighet")
    assert not scenario.is_baseline and scenario.current.allocated == 18_600_000
    assert scenario.evaluate(STATED).remaining_message == kr(
        "Dokumentet anger 19 700 000 kr; scenariots rader summerar till 18 600 000 kr."
    )
    assert scenario.balance(STATED).unallocated_sek == 0


def test_a_move_that_lowers_the_total_widens_the_contradiction():
    scenario = contradicting()
    scenario.apply("Sänk", sc.set_amount, "a", 9_500_000)
    assert scenario.evaluate(STATED).remaining_message == kr(
        "Dokumentet anger 19 700 000 kr; scenariots rader summerar till 18 100 000 kr."
    )
    assert scenario.balance(STATED).unallocated_sek == 0


def test_only_money_beyond_the_stated_amount_is_ofordelat_or_overfordelat():
    scenario = contradicting(20_000_000)  # a frame above what the document states as allocated
    assert scenario.evaluate(STATED).remaining_message == kr(
        "Dokumentet anger 19 700 000 kr; raderna summerar till 18 600 000 kr. "
        "Dessutom är 300 000 kr av ramen ofördelat."
    )
    scenario.apply("Höj", sc.set_amount, "b", 9_900_000)  # rows 19 900 000: beyond the statement
    assert scenario.balance(STATED).unallocated_sek == 100_000
    assert scenario.evaluate(STATED).remaining_message == kr(
        "100 000 kr av ramen på 20 000 000 kr är ofördelat."
    )
    scenario.apply("Höj mer", sc.set_amount, "b", 10_300_000)  # rows 20 300 000: over the frame
    assert scenario.balance(STATED).over_allocated_sek == 300_000
    assert scenario.evaluate(STATED).remaining_message.startswith(kr("Överfördelat med 300 000 kr"))
