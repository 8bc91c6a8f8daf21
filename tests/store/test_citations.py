"""Citations: every deck and export names the documents AND the tables its amounts come from. Malmö's KS
measures come from Bilaga 1 ("Slutligt förslag …"), the decision table and the frame from the
tjänsteskrivelse; both carry dnr STK-2018-1233. Checked in the deck and in each exported file."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_pptx, deck_xlsx
from insatskollen.export import scenario_deck as scenario_module
from insatskollen.store import scenario_store as store

TODAY = date(2026, 11, 23)
BILAGA = "Bilaga 1 ärende 2018-1233 Fördelning kommunstyrelsens medel – utökad redovisning"
BILAGA_TABLE = "Slutligt förslag på fördelning av kommunstyrelsens medel"
TJANSTESKRIVELSE = "Förstudie om segregation i Malmö med rekommendationer om fortsatta insatser"
DECISION_TABLE = "Stadskontorets förslag"
FRAME = "Förslag till beslut, punkt 2"


@pytest.fixture(scope="module")
def scenario_deck(db):
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Flytta", sc.move, sc.AREA, "Boende", 1_000_000, target="Utbildning")
    return scenario_module.from_scenario(
        db,
        "Mer till Utbildning",
        "Malmö 2022 · KS anslag till förfogande",
        "Malmö",
        2022,
        scenario,
        today=TODAY,
        funding_source="KS anslag till förfogande",
    )


@pytest.fixture(scope="module")
def filter_deck(db):
    return deck_module.from_filters(
        db, Filters(municipalities=("Malmö",), funding_sources=("KS anslag till förfogande",)), TODAY
    )


def _assert_cites_both(sources):
    bilaga = [s for s in sources if s.startswith(BILAGA)]
    memo = [s for s in sources if s.startswith(TJANSTESKRIVELSE)]
    assert len(bilaga) == 1 and len(memo) == 1, sources
    assert "dnr STK-2018-1233" in bilaga[0] and BILAGA_TABLE in bilaga[0]
    assert "dnr STK-2018-1233" in memo[0] and DECISION_TABLE in memo[0] and FRAME in memo[0]


@pytest.mark.parametrize("which", ["scenario_deck", "filter_deck"])
def test_a_malmo_ks_deck_cites_bilaga_1_and_the_tjansteskrivelse_with_their_tables(which, request):
    _assert_cites_both(request.getfixturevalue(which).sources)


def test_the_socialstyrelsen_deck_cites_only_the_tjansteskrivelse(db):
    deck = deck_module.from_filters(
        db, Filters(municipalities=("Malmö",), funding_sources=("Statsbidrag Socialstyrelsen",)), TODAY
    )
    assert len(deck.sources) == 1 and deck.sources[0].startswith(TJANSTESKRIVELSE), deck.sources


def test_every_export_of_a_scenario_names_both_documents_and_tables(scenario_deck):
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(scenario_deck)))
    for slide in prs.slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert BILAGA in text and BILAGA_TABLE in text and TJANSTESKRIVELSE in text, text
    doc = Document(io.BytesIO(deck_docx.to_docx(scenario_deck)))
    _assert_cites_both([p.text for p in doc.paragraphs if p.style.name == "List Bullet"])
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(scenario_deck)))
    about = book["Om underlaget"]
    _assert_cites_both([r[1] for r in about.iter_rows(values_only=True) if r[0] == "Källa"])
    lines = book["Scenariorader"]
    header = [c.value for c in lines[1]]
    rows = [dict(zip(header, r, strict=True)) for r in lines.iter_rows(min_row=2, values_only=True)]
    thaiwise = next(r for r in rows if r["Rad"] == "Thaiwise")
    assert (
        thaiwise["Källdokument"]
        == ("Bilaga 1 ärende 2018-1233 Fördelning kommunstyrelsens medel – utökad redovisning")
        and thaiwise["Avsnitt"] == BILAGA_TABLE
    )
    assert thaiwise["Dnr"] == "STK-2018-1233"


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(statuses=("föreslagen",)), Filters(search="skola"), Filters(years=(2022,))],
    ids=["all", "status", "search", "year"],
)
def test_each_decision_slide_cites_what_its_frame_year_alone_would(db, filters):
    """A deck fetches every decision slide's sources in one query (deck_sources_by_frame); each frame-year's
    lines are those `citations` gives with the filters narrowed to that frame-year, the other filters kept."""
    from dataclasses import replace

    from insatskollen.export import deck_texts

    documents = db.query("documents")
    by_frame = deck_texts.citations_by_frame(db, filters, documents)
    decisions = db.query("decision_table", **filters.params())
    frames = sorted({(r.municipality, int(r.year), r.funding_source) for r in decisions.itertuples()})
    assert frames and set(frames) <= set(by_frame)
    for municipality, year, source in by_frame:
        narrowed = replace(filters, municipalities=(municipality,), years=(year,), funding_sources=(source,))
        assert by_frame[municipality, year, source] == deck_texts.citations(db, narrowed, documents)
    assert any(len(lines) > 1 for lines in by_frame.values())
