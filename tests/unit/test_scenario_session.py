"""What the Scenarier page shows of its state, without Streamlit: times, labels, tables."""

from __future__ import annotations

from datetime import datetime

from insatskollen.core import scenario as sc
from insatskollen.core.fmt import NBSP
from insatskollen.core.scenario_undo import Scenario
from insatskollen.ui.scenario_session import ActiveScenario, swedish_time, unique_labels


def test_change_log_times_are_swedish_time_summer_and_winter():
    assert swedish_time(datetime(2026, 11, 24, 8, 0)) == "2026-11-24 09:00"  # CET, UTC+1
    assert swedish_time(datetime(2026, 7, 1, 8, 0)) == "2026-07-01 10:00"  # CEST, UTC+2
    assert swedish_time(None) == "–"


def test_equal_titles_get_labels_that_tell_them_apart_and_never_carry_an_amount():
    labels = unique_labels(
        [("a", "Läxhjälp", "Grundskolenämnden"), ("b", "Läxhjälp", "Kulturnämnden"), ("c", "läxhjälp", None)]
    )
    assert labels == {"a": "Läxhjälp · Grundskolenämnden", "b": "Läxhjälp · Kulturnämnden", "c": "läxhjälp"}
    assert len({v.casefold() for v in labels.values()}) == 3


def _active() -> ActiveScenario:
    state = sc.State(
        1_000_000,
        (
            sc.Line("a", "Trygga barnet", "Grundskolenämnden", "Utbildning", 500_000),
            sc.Line("b", "Digidelcenter", None, "Utbildning", None),
        ),
    )
    return ActiveScenario(Scenario.start(state), "f", 2022)


def test_labels_stay_the_same_when_amounts_change():
    active = _active()
    before = active.line_labels()
    active.scenario.apply("x", sc.set_amount, "a", 700_000)
    assert active.line_labels() == before == {"a": "Trygga barnet", "b": "Digidelcenter"}
    assert active.line_note("a") == f"Nu: 700{NBSP}000{NBSP}kr · utgångsläge 500{NBSP}000{NBSP}kr"


def test_changes_list_the_frame_first_and_funding_an_unknown_line():
    active = _active()
    active.scenario.apply("ram", sc.set_frame, 1_200_000)
    active.scenario.apply("fin", sc.set_amount, "b", 200_000)
    changes = active.changes_table()
    assert changes.to_dict("records") == [
        {
            "Rad": "Ram",
            "Före": f"1{NBSP}000{NBSP}000{NBSP}kr",
            "Efter": f"1{NBSP}200{NBSP}000{NBSP}kr",
            "Ändring": f"+200{NBSP}000{NBSP}kr",
        },
        {
            "Rad": "Digidelcenter",
            "Före": "saknas",
            "Efter": f"200{NBSP}000{NBSP}kr",
            "Ändring": "finansieras nu",
        },
    ]
    log = active.unsaved_log()
    assert list(log.Detaljer) == ["ram", "fin"] and list(log.columns) == ["Tid", "Vem", "Vad", "Detaljer"]
