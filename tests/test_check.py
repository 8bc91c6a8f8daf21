"""`check`: the findings an official needs, in Swedish with Swedish number formats."""

from __future__ import annotations

import subprocess
import sys

from insatskollen import check
from insatskollen.fmt import NBSP
from tests.conftest import ROOT


def _find(report, category, subject_start):
    return [f for f in report.findings if f.category == category and f.subject.startswith(subject_start)]


def test_malmo_socialstyrelsen_total_contradicts_its_rows(db):
    report = check.run(db)
    [finding] = _find(report, "Dokumentets summa stämmer inte med raderna", "Statsbidrag Socialstyrelsen")
    assert finding.severity == check.DEVIATION
    assert finding.message == (
        f"Dokumentet anger ”Totalbelopp 19 700 000”, men raderna summerar till 18{NBSP}600{NBSP}000{NBSP}kr "
        f"(\u22121{NBSP}100{NBSP}000{NBSP}kr mot dokumentets summa)."
    )
    assert finding.row_ids == ("mal-sos-totalbelopp",)


def test_social_strategy_cost_items_contradict_its_total(db):
    [finding] = _find(check.run(db), "Dokumentets summa stämmer inte med raderna", "Insats: Förstärkning")
    assert (
        f"1{NBSP}800{NBSP}000{NBSP}kr" in finding.message and "Totalkostnad 1 370 000 kr" in finding.message
    )


def test_sodertalje_over_allocation_is_one_finding_for_three_years(db):
    [finding] = _find(check.run(db), "Fördelningen överskrider ramen", "Statsbidrag Tillväxtverket")
    assert finding.municipality == "Södertälje"
    assert finding.years == (2018, 2019, 2020) and finding.years_text == "2018–2020"
    assert f"Överfördelat med 61{NBSP}000{NBSP}kr" in finding.message


def test_cofinancing_is_stated_as_the_own_contribution(db):
    [finding] = _find(check.run(db), "Medfinansiering krävs", "Statsbidrag Tillväxtverket")
    assert f"1{NBSP}083{NBSP}900{NBSP}kr per år" in finding.message


def test_allocated_above_requested(db):
    findings = _find(check.run(db), "Föreslaget belopp är högre än det äskade", "Insats:")
    assert {f.row_ids for f in findings} == {("mal-03",), ("mal-05",)}


def test_unknown_amounts_are_information_not_zero(db):
    report = check.run(db)
    unknown = [f for f in report.findings if f.category == "Rader utan belopp"]
    assert {(f.municipality, len(f.row_ids)) for f in unknown} == {
        ("Motala", 5),
        ("Linköping", 13),
    }
    assert all(f.severity == check.NOTICE for f in unknown)
    # Södertälje's 13 "övrigt förslag utan finansiering" are not lines of unknown amount (README, Nyckeltal)
    [unfunded] = [f for f in report.findings if f.category == "Förslag utan finansiering"]
    assert (unfunded.municipality, len(unfunded.row_ids), unfunded.severity) == (
        "Södertälje",
        13,
        check.NOTICE,
    )


def test_linkoping_intervals_cannot_be_tested_without_amounts(db):
    [finding] = _find(check.run(db), "Regler kan inte prövas", "Statsbidrag Tillväxtverket")
    assert finding.municipality == "Linköping" and "6 budgetrader" in finding.message


def test_all_other_stated_totals_match(db):
    report = check.run(db)
    assert (report.totals_checked, report.totals_matching) == (45, 43)
    assert report.deviations == 25  # 6 about amounts and rules, 19 textual (data/text_inconsistencies.csv)


def test_cli_check_prints_swedish_and_exits_0(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "insatskollen", "--var", str(tmp_path / "c.duckdb"), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "34 iakttagelser: 25 avvikelser, 9 upplysningar." in result.stdout
    # the headline rule: Socialstyrelsen's 1,1 mnkr is the document contradicting itself, not free money
    assert "AVVIKELSE · Malmö 2022 · Motsägelse i dokumentet" in result.stdout
    assert (
        f"Dokumentet anger 19{NBSP}700{NBSP}000{NBSP}kr; raderna summerar till 18{NBSP}600{NBSP}000{NBSP}kr."
        in result.stdout
    )
    assert "inte fördelat" not in result.stdout and "återstår" not in result.stdout


def test_every_finding_names_real_rows(db):
    for finding in check.run(db).findings:
        assert all(isinstance(i, str) and i for i in finding.row_ids), finding
