"""Every internal inconsistency of the five source documents (issue 22, item 6).

A fresh line-by-line read found 24: 5 about amounts that `check` computes from the rows (stated totals,
frame balance, requested against allocated; Samverkan Rosengård's +400 kr is the rounding Bilaga 1
announces, a notice) and 19 in the wording, recorded with both quotes in
data/text_inconsistencies.csv. `check` reports each by id with both quotes, Datakvalitet shows them, and a
deck's last slides list only those of the deck's municipality, years and frames (README, Datakvalitet).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from insatskollen.core import consistency
from insatskollen.core.filters import Filters
from insatskollen.core.findings import DEVIATION
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_layout
from tests.conftest import ROOT, SEEDS

DATA = ROOT / "data"

# id -> (municipality, years) of every textual inconsistency; the README lists the same ones with quotes
TEXTUAL = {
    "sod-ar-2019-2020": ("Södertälje", (2019, 2020)),
    "sod-forskolelarare": ("Södertälje", (2018, 2019, 2020)),
    "sod-tillvaxtverket-delmos": ("Södertälje", (2019, 2020)),
    "sod-malomraden": ("Södertälje", (2018, 2019, 2020)),
    "mot-fem-omraden": ("Motala", (2018,)),
    "mot-dua": ("Motala", (2018,)),
    "lkp-fem-omraden-sex-rader": ("Linköping", (2018, 2019, 2020)),
    "lkp-etablering-procentenheter": ("Linköping", (2018, 2019, 2020)),
    "mal-tekniska-namnden": ("Malmö", (2022,)),
    "mal-lfm-lmf": ("Malmö", (2022,)),
    "mal-hemmasittare-franvaro": ("Malmö", (2022,)),
    "mal-samverkan-rosengard-2023": ("Malmö", (2022,)),
    "mal-avrundning-undantag": ("Malmö", (2022,)),
    "mal-hallbara-rosengard-finansiering": ("Malmö", (2022,)),
    "mal-sociala-strategin-namn": ("Malmö", (2022,)),
    "mal-cirkus-forstudie-pilot": ("Malmö", (2022,)),
    "mal-gyvux-namnd": ("Malmö", (2022,)),
    "mal-bilaga2-titel": ("Malmö", (2022,)),
    "mal-arendets-titel": ("Malmö", (2022,)),
}
# the examples issue 22 names, as (id, a phrase of one quote, a phrase of the other)
ISSUE_EXAMPLES = [
    ("mal-hemmasittare-franvaro", "elever med oproblematiskt frånvaro", "elever med problematisk frånvaro"),
    ("sod-forskolelarare", "Öka andelen förskolelärare", "Öka andelen förskollärare"),
    ("mal-gyvux-namnd", "Gymnasie- och vuxenutbildningen /", "Gymnasie- och vuxenutbildningsnämnden"),
    ("mal-bilaga2-titel", "Fördelning Socialstyrelsens medel", "Fördelning Social medel"),
    ("mal-samverkan-rosengard-2023", "sommaren 2022 och 2023", "tilldelas medel under 2022"),
]
TODAY = date(2026, 12, 6)


def _rows() -> list[dict]:
    with open(DATA / "text_inconsistencies.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_data_records_every_textual_inconsistency_found():
    assert {r["inconsistency_id"] for r in _rows()} == set(TEXTUAL)


def test_check_reports_every_inconsistency_by_id_quoting_both_places(db):
    result = consistency.run(db)
    by_id = {f.finding_id: f for f in result.findings if f.finding_id}
    assert set(by_id) == set(TEXTUAL)
    for row in _rows():
        finding = by_id[row["inconsistency_id"]]
        assert (finding.municipality, finding.years) == TEXTUAL[row["inconsistency_id"]]
        assert finding.severity == DEVIATION
        assert f"Under ”{row['section_a']}” står ”{row['quote_a']}”" in finding.message
        assert f"under ”{row['section_b']}” står ”{row['quote_b']}”" in finding.message
        assert f"{row['document_a']}, ”{row['section_a']}”" in finding.sources
        assert f"{row['document_b']}, ”{row['section_b']}”" in finding.sources
    for key, a, b in ISSUE_EXAMPLES:
        assert a in by_id[key].message and b in by_id[key].message, key
    # the measure a textual finding concerns is a row the page links to
    assert by_id["mal-hemmasittare-franvaro"].row_ids == ("mal-08",)
    # 19 in the wording and 5 about amounts: Södertälje's overrun, Malmö's 19 700 000 against 18 600 000
    # (stated total and frame), the strategy's cost items, and one proposal above the amount requested (the
    # other, +400 kr, is the rounding Bilaga 1 announces: a notice)
    assert result.deviations == 24


def test_check_cli_prints_every_id_and_both_quotes(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "insatskollen", "--var", str(tmp_path / "c.duckdb"), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    for row in _rows():
        assert f"  Id: {row['inconsistency_id']}\n" in out.stdout + "\n"
        assert f"står ”{row['quote_a']}”" in out.stdout and f"står ”{row['quote_b']}”" in out.stdout


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["inconsistency_id"])
def test_each_quote_is_verbatim_in_its_document_under_its_heading(row):
    for side in ("a", "b"):
        text = (SEEDS / row[f"document_{side}"]).read_text(encoding="utf-8")
        quote, section = row[f"quote_{side}"], row[f"section_{side}"]
        assert quote in text, (side, quote)
        assert section in text and text.index(section) < text.index(quote), (side, section)
    assert row["quote_a"] != row["quote_b"]


def _findings_pages(deck) -> list[deck_layout.Page]:
    return [p for p in deck_layout.pages(deck) if p.slide.key == "iakttagelser"]


def test_malmo_2022_deck_ends_with_only_malmos_findings_continued(db):
    findings = consistency.run(db)
    deck = deck_module.from_filters(db, Filters(municipalities=("Malmö",), years=(2022,)), TODAY, findings)
    pages = _findings_pages(deck)
    assert [p.title for p in pages] == ["Att känna till inför beslutet"] + [
        "Att känna till inför beslutet (forts.)"
    ] * (len(pages) - 1)
    everything = deck_layout.pages(deck)
    assert len(pages) >= 2 and [p.title for p in everything[-len(pages) :]] == [p.title for p in pages]
    shown = pd.concat([p.table.table for p in pages], ignore_index=True)
    assert set(shown["Gäller"]) == {"Malmö 2022", "Malmö"}  # a measure's cost total has no year
    malmo = [f for f in findings.findings if f.severity == DEVIATION and f.municipality == "Malmö"]
    assert len(shown) == len(malmo) == 15  # 11 textual, 4 about amounts (the +400 kr rounding is a notice)
    for key, (municipality, _years) in TEXTUAL.items():
        subject = next(f.subject for f in findings.findings if f.finding_id == key)
        assert any(d.startswith(f"{subject}: ") for d in shown["Beskrivning"]) == (municipality == "Malmö"), (
            key
        )
    assert shown["Beskrivning"].str.contains("oproblematiskt frånvaro").any()


def test_a_deck_of_one_frame_leaves_out_the_other_frames_findings(db):
    ks = deck_module.from_filters(
        db, Filters(municipalities=("Malmö",), funding_sources=("KS anslag till förfogande",)), TODAY
    )
    text = " ".join(" ".join(p.table.table["Beskrivning"]) for p in _findings_pages(ks))
    assert "Fördelning Social medel" not in text  # Bilaga 2 is the Socialstyrelsen frame's
    assert "Totalbelopp 19 700 000" not in text.replace("\u00a0", " ")
    assert (
        "oproblematiskt frånvaro" in text and "rekommendationer om fortsatt arbete" in text
    )  # KS / whole case


def test_the_measure_page_warns_of_its_inconsistency_quoting_both_tables():
    from tests.app_kit import open_app

    at = open_app("pages/insatser.py")
    at.query_params["insats"] = "mal-08"
    at.run()
    [warning] = [w.value for w in at.warning if "Dokumentets text är motsägelsefull" in w.value]
    assert "”utöka vårt arbete kring elever med oproblematiskt frånvaro”" in warning
    assert "”utöka vårt arbete kring elever med problematisk frånvaro”" in warning
