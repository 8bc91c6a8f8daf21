"""`check`: the findings an official needs, in Swedish with Swedish number formats."""

from __future__ import annotations

import subprocess
import sys

from insatskollen.core import consistency
from insatskollen.core.findings import DEVIATION, NOTICE
from insatskollen.core.fmt import NBSP
from tests.conftest import ROOT


def _find(report, category, subject_start):
    return [f for f in report.findings if f.category == category and f.subject.startswith(subject_start)]


def test_malmo_socialstyrelsen_total_contradicts_its_rows(db):
    report = consistency.run(db)
    [finding] = _find(report, "Dokumentets summa stämmer inte med raderna", "Statsbidrag Socialstyrelsen")
    assert finding.severity == DEVIATION
    assert finding.message == (
        f"Dokumentet anger ”Totalbelopp 19 700 000”, men raderna summerar till 18{NBSP}600{NBSP}000{NBSP}kr "
        f"(\u22121{NBSP}100{NBSP}000{NBSP}kr mot dokumentets summa)."
    )
    assert finding.row_ids == ("mal-sos-totalbelopp",)


def test_social_strategy_cost_items_contradict_its_total(db):
    [finding] = _find(
        consistency.run(db), "Dokumentets summa stämmer inte med raderna", "Insats: Förstärkning"
    )
    assert (
        f"1{NBSP}800{NBSP}000{NBSP}kr" in finding.message and "Totalkostnad 1 370 000 kr" in finding.message
    )


def test_sodertalje_over_allocation_is_one_finding_for_three_years(db):
    [finding] = _find(consistency.run(db), "Fördelningen överskrider ramen", "Statsbidrag Tillväxtverket")
    assert finding.municipality == "Södertälje"
    assert finding.years == (2018, 2019, 2020) and finding.years_text == "2018–2020"
    assert f"Överfördelat med 61{NBSP}000{NBSP}kr" in finding.message


def test_cofinancing_is_stated_as_the_own_contribution(db):
    [finding] = _find(consistency.run(db), "Medfinansiering krävs", "Statsbidrag Tillväxtverket")
    assert f"1{NBSP}083{NBSP}900{NBSP}kr per år" in finding.message


def test_allocated_above_requested(db):
    findings = _find(consistency.run(db), "Föreslaget belopp är högre än det äskade", "Insats:")
    # mal-03 (+400 kr) is the rounding Bilaga 1 announces, a notice of its own (test below)
    assert {f.row_ids for f in findings} == {("mal-05",)}


def test_unknown_amounts_are_information_not_zero(db):
    report = consistency.run(db)
    unknown = [f for f in report.findings if f.category == "Rader utan belopp"]
    assert {(f.municipality, len(f.row_ids)) for f in unknown} == {
        ("Motala", 5),
        ("Linköping", 13),
    }
    assert all(f.severity == NOTICE for f in unknown)
    # Södertälje's 13 "övrigt förslag utan finansiering" are not lines of unknown amount (README, Nyckeltal)
    [unfunded] = [f for f in report.findings if f.category == "Förslag utan finansiering"]
    assert (unfunded.municipality, len(unfunded.row_ids), unfunded.severity) == (
        "Södertälje",
        13,
        NOTICE,
    )


def test_linkoping_intervals_cannot_be_tested_without_amounts(db):
    [finding] = _find(consistency.run(db), "Regler kan inte prövas", "Statsbidrag Tillväxtverket")
    assert finding.municipality == "Linköping" and "6 budgetrader" in finding.message


def test_all_other_stated_totals_match(db):
    report = consistency.run(db)
    assert (report.totals_checked, report.totals_matching) == (45, 43)
    assert report.deviations == 24  # 5 about amounts and rules, 19 textual (data/text_inconsistencies.csv)


def test_cli_check_prints_swedish_and_exits_0(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "insatskollen", "--var", str(tmp_path / "c.duckdb"), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "34 iakttagelser: 24 avvikelser, 10 upplysningar." in result.stdout
    # the headline rule: Socialstyrelsen's 1,1 mnkr is the document contradicting itself, not free money
    assert "AVVIKELSE · Malmö 2022 · Motsägelse i dokumentet" in result.stdout
    assert (
        f"Dokumentet anger 19{NBSP}700{NBSP}000{NBSP}kr; raderna summerar till 18{NBSP}600{NBSP}000{NBSP}kr."
        in result.stdout
    )
    assert "inte fördelat" not in result.stdout and "återstår" not in result.stdout


def test_every_finding_names_real_rows(db):
    for finding in consistency.run(db).findings:
        assert all(isinstance(i, str) and i for i in finding.row_ids), finding


def test_cli_check_for_one_municipality_and_year_lists_only_its_findings(tmp_path):
    """`check --kommun Malmö --ar 2022` reports Malmö's findings for 2022 and those of Malmö tied to no year
    (a measure's cost items); no other municipality's and no other year's (issue 22, item 5)."""
    result = subprocess.run(
        [sys.executable, "-m", "insatskollen", "--var", str(tmp_path / "c.duckdb"), "check"]
        + ["--kommun", "Malmö", "--ar", "2022"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "16 iakttagelser: 15 avvikelser, 1 upplysning."
    assert lines[2] == "40 av 42 summor som dokumenten anger stämmer med raderna."
    headings = [line for line in lines if line.startswith(("AVVIKELSE · ", "UPPLYSNING · "))]
    assert headings == [
        "AVVIKELSE · Malmö · Dokumentets summa stämmer inte med raderna",
        "AVVIKELSE · Malmö 2022 · Dokumentets summa stämmer inte med raderna",
        *["AVVIKELSE · Malmö 2022 · Dokumentets text är motsägelsefull"] * 11,
        "AVVIKELSE · Malmö 2022 · Föreslaget belopp är högre än det äskade",
        "AVVIKELSE · Malmö 2022 · Motsägelse i dokumentet",
        "UPPLYSNING · Malmö 2022 · Föreslaget belopp är avrundat enligt dokumentet",
    ]
    assert not any(name in result.stdout for name in ("Södertälje", "Linköping", "Motala"))


def test_findings_of_other_years_are_left_out_and_yearless_ones_of_the_municipality_kept(db):
    report = consistency.run(db).select(("Södertälje",), (2018,))
    subjects = {f.subject for f in report.findings}
    assert "Är 2019–2020 beslutat?" not in subjects  # the document's 2019–2020 question is not 2018's
    assert "Är 2019–2020 beslutat?" in {
        f.subject for f in consistency.run(db).select(("Södertälje",), (2019,)).findings
    }
    assert {f.municipality for f in report.findings} == {"Södertälje"}
    assert {f.category for f in report.findings} == {
        "Dokumentets text är motsägelsefull",  # förskolelärare/förskollärare, övriga förslag: 2018–2020
        "Fördelningen överskrider ramen",
        "Förslag utan finansiering",
        "Medfinansiering krävs",
    }
    motala = consistency.run(db).select(("Motala",), (2030,))
    assert [f.category for f in motala.findings] == ["Modellen är ofullständigt återgiven"]  # no year: kept


def test_an_announced_rounding_is_said_as_such_not_as_a_deviation(db):
    """Bilaga 1 says its amounts are the förvaltningarnas "med undantag för någon avrundning": Samverkan
    Rosengård's 2 029 600 kr proposed as 2 030 000 kr is that rounding, quoted, not a deviation."""
    [finding] = [
        f for f in consistency.run(db).findings if f.row_ids == ("mal-03",) and "avrundat" in f.category
    ]
    assert (finding.severity, finding.category) == (
        NOTICE,
        "Föreslaget belopp är avrundat enligt dokumentet",
    )
    assert finding.message == (
        f"Äskat 2{NBSP}029{NBSP}600{NBSP}kr (”2 029 600 kr”), föreslaget 2{NBSP}030{NBSP}000{NBSP}kr "
        f"(+400{NBSP}kr): avrundat till närmaste tusental kronor, som dokumentet självt anger under "
        "”Medelstildelning kommunstyrelsens särskilda medel för insatser i utsatta områden”: ”de här redovisade "
        "kostnaderna som förvaltningarna uppgett, med undantag för någon avrundning, de som också stadskontoret "
        "föreslår kommunstyrelsen besluta om”. Ingen avvikelse."
    )
    assert finding.sources[1] == (
        "002_6537151171d9247a.txt, ”Medelstildelning kommunstyrelsens särskilda medel för insatser i utsatta områden”"
    )


def test_rounding_is_to_the_nearest_unit_only():
    from insatskollen.core import rules

    assert rules.rounding_unit(2_029_600, 2_030_000) == 1_000
    assert rules.rounding_unit(313_000, 320_000) is None  # +7 000 kr is no rounding: still a deviation
    assert rules.rounding_unit(1_449_950, 1_450_000) == 100
    assert rules.rounding_unit(300_000, 300_000) is None
