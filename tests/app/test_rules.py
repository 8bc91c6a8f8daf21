"""The one rule evaluator (insatskollen.core.rules): exact at and around every bound, and the check
(Datakvalitet) and the what-if engine (Scenarier) judging the same numbers the same way."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from insatskollen.core import consistency, money_findings, rules, scenario_evaluation
from insatskollen.core import scenario as sc

FRAME = 10_000_000


def test_percent_reads_the_data_exactly():
    assert rules.percent(55) == 55
    assert rules.percent(12.5) == Fraction(25, 2)
    assert rules.percent(0.1) == Fraction(1, 10)
    assert rules.percent("12,5") == Fraction(25, 2)
    assert rules.percent(None) is None
    assert rules.percent(float("nan")) is None


@pytest.mark.parametrize(
    ("allocated", "status"),
    [
        (5_500_000, rules.OK),  # exactly at the maximum: 5 500 000 of 10 000 000 is 55 %
        (5_500_001, rules.OVER),  # 1 kr above
        (5_499_999, rules.OK),
        (500_000, rules.OK),  # exactly at the minimum, 5 %
        (499_999, rules.UNDER),  # 1 kr below
        (500_001, rules.OK),
        (0, rules.UNDER),
    ],
)
def test_interval_at_and_around_each_bound(allocated, status):
    result = rules.interval(allocated, FRAME, 5, 55)
    assert result.status == status
    assert result.share == Fraction(allocated * 100, FRAME)
    assert (result.lowest, result.highest) == (500_000, 5_500_000)
    assert result.excess == (1 if allocated == 5_500_001 else 0)
    assert result.missing == (1 if allocated == 499_999 else 500_000 if allocated == 0 else 0)


def test_interval_bounds_on_a_frame_that_does_not_divide_evenly():
    # Linköping's frame 13 808 000 kr, Samordning / Lärande 2–5 %: 276 160 kr to 690 400 kr
    assert rules.interval(276_160, 13_808_000, 2, 5).status == rules.OK
    assert rules.interval(276_159, 13_808_000, 2, 5).status == rules.UNDER
    assert rules.interval(690_400, 13_808_000, 2, 5).status == rules.OK
    assert rules.interval(690_401, 13_808_000, 2, 5).status == rules.OVER
    # 12,5 % of 10 000 001 kr is 1 250 000,125 kr: 1 250 000 kr is below, 1 250 001 kr is within
    assert rules.interval(1_250_000, 10_000_001, 12.5, None).status == rules.UNDER
    assert rules.interval(1_250_001, 10_000_001, 12.5, None).status == rules.OK


def test_interval_is_unknown_without_amounts():
    assert rules.interval(None, FRAME, 5, 55).status == rules.UNKNOWN
    assert rules.interval(100, None, 5, 55).status == rules.UNKNOWN
    assert rules.interval(100, 0, 5, 55).status == rules.UNKNOWN


def test_co_financing_exactly_at_ten_percent():
    grant = 10_839_000  # Södertälje's grant per year
    assert rules.required_co_financing(grant, 10) == 1_083_900
    assert rules.co_financing(grant, 1_083_900, 10) == rules.OK
    assert rules.co_financing(grant, 1_083_899, 10) == rules.UNDER
    assert rules.co_financing(grant, 1_083_901, 10) == rules.OK
    assert rules.co_financing(grant, None, 10) == rules.UNKNOWN
    assert rules.required_co_financing(1_000_001, 10) == 100_001  # "at least": rounded up


def _check_row(allocated: int, low, high) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "rule_id": "r",
                "frame_id": "f",
                "municipality": "Linköping",
                "year": 2018,
                "funding_source": "Statsbidrag Tillväxtverket",
                "frame_sek": FRAME,
                "rule_kind": "finansieringsintervall",
                "budget_line": "Skola / Fritid Barn & unga",
                "priority_area": "Utbildning",
                "min_pct": float(low),
                "max_pct": float(high),
                "source_document": "003_fa17520eb1ef4394.txt",
                "source_section": "Ekonomi",
                "allocated_sek": allocated,
                "lines": 1,
                "lines_without_amount": 0,
            }
        ]
    )


def _engine_status(allocated: int, low, high) -> str:
    rule = sc.Rule(
        "finansieringsintervall",
        "Skola / Fritid Barn & unga",
        "Utbildning",
        rules.percent(float(low)),
        rules.percent(float(high)),
    )
    state = sc.State(FRAME, (sc.Line("l1", "Skola", priority_area="Utbildning", amount=allocated),))
    return scenario_evaluation.evaluate(state, (rule,)).rules[0].status


@pytest.mark.parametrize(
    "allocated", [5_500_000, 5_500_001, 5_499_999, 500_000, 499_999, 2_000_000, 5_600_000, 0]
)
def test_check_and_scenario_engine_agree_at_every_bound(allocated):
    """Datakvalitet used to judge `share * 100 > high` in floats: 0.55 * 100 = 55.00000000000001 > 55."""
    findings = money_findings.rule_findings(_check_row(allocated, 5, 55))
    broken_in_check = any(f.category == "Finansieringsintervall bryts" for f in findings)
    status = _engine_status(allocated, 5, 55)
    assert broken_in_check == (status in (rules.UNDER, rules.OVER))
    assert status == rules.interval(allocated, FRAME, 5, 55).status


def test_exactly_at_the_maximum_is_not_a_finding():
    assert money_findings.rule_findings(_check_row(5_500_000, 5, 55)) == []


def test_a_share_is_never_rounded_onto_a_bound_it_has_crossed():
    assert rules.share_text(rules.interval(6_904_000, 13_808_000, 20, 50)) == "50\u00a0%"
    assert rules.share_text(rules.interval(6_904_001, 13_808_000, 20, 50)) == "strax över 50\u00a0%"
    assert rules.share_text(rules.interval(2_761_599, 13_808_000, 20, 50)) == "strax under 20\u00a0%"
    assert rules.share_text(rules.interval(None, 13_808_000, 20, 50)) == "–"


def _linkoping_with_amount(data_copy, amount: int):
    """data/ with one Linköping 2018 line (Arbetsmarknad, interval 20–50 % of 13 808 000 kr) given an amount."""
    path = data_copy / "allocations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("a-lkp-10,"):
            cells = line.split(",")
            cells[6] = str(amount)
            lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data_copy


@pytest.mark.parametrize(("amount", "broken"), [(6_904_000, False), (6_904_001, True)])
def test_kommuner_and_datakvalitet_judge_linkoping_alike(
    amount, broken, data_copy, fresh_streamlit, monkeypatch
):

    from tests.app_kit import open_app

    monkeypatch.setenv("INSATSKOLLEN_DATA", str(_linkoping_with_amount(data_copy, amount)))
    at = open_app("pages/kommuner.py", {"kommun": "Linköping"})
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning if "Etablering" in w.value]
    from insatskollen.store.db import Database

    database = Database.open(fresh_streamlit)
    try:
        # what Datakvalitet lists
        findings = [
            f for f in consistency.run(database).findings if f.category == "Finansieringsintervall bryts"
        ]
    finally:
        database.close()
    if broken:
        assert warnings == [
            "2018 · Etablering / Arbetsmarknad: strax över 50\u00a0% av ramen, tillåtet 20\u00a0%–50\u00a0% "
            "(över med 1\u00a0kr)."
        ]
        assert [f.message for f in findings] == [
            "Etablering / Arbetsmarknad: strax över 50\u00a0% av ramen (6\u00a0904\u00a0001\u00a0kr), tillåtet "
            "20\u00a0%–50\u00a0%: 1\u00a0kr över intervallet."
        ]
    else:
        assert warnings == [] and findings == []
