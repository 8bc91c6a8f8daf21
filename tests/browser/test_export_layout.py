"""Every chart slide has its chart in every format (PowerPoint, PDF, the page), and the UTKAST mark never
overlaps a slide title: measured in the PowerPoint's shape geometry and in the PDF's HTML laid out by
Chromium (the same HTML that is printed)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation

from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_layout, deck_pdf, deck_pptx
from insatskollen.export import scenario_deck as scenario_module
from insatskollen.store import scenario_store as store

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def scenario_deck(db):
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Flytta", sc.move, sc.AREA, "Boende", 1_000_000, target="Utbildning")
    return scenario_module.from_scenario(
        db,
        "Ett scenario med ett ganska långt namn för att pröva radbrytningen",
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


@pytest.mark.parametrize("which", ["scenario_deck", "filter_deck"])
def test_every_slide_with_chart_data_has_a_chart_for_every_format(which, request):
    deck = request.getfixturevalue(which)
    for slide in deck.slides:
        has_data = bool(slide.categories and slide.series)
        assert has_data == (slide.chart is not None), slide.key
    assert deck.slides[0].key == "ram" and deck.slides[0].chart is not None


def test_the_scenario_frame_slide_shows_the_frame_and_the_allocation(scenario_deck):
    frame = scenario_deck.slides[0]
    assert frame.categories == ("Malmö 2022",)
    assert dict(frame.series) == {"Ram (kr)": (15_000_000.0,), "Fördelat (kr)": (15_000_000.0,)}


def test_pdf_html_has_one_chart_image_per_chart_slide(scenario_deck):
    images = {id(s): "PHN2Zz48L3N2Zz4=" for s in scenario_deck.slides if s.chart is not None}
    page = deck_pdf._deck_html(scenario_deck, images)
    sections = re.findall(r"<section.*?</section>", page, flags=re.S)
    assert len(sections) == len(deck_layout.pages(scenario_deck)) + 1
    for page, section in zip(deck_layout.pages(scenario_deck), sections[1:], strict=True):
        assert section.count("<img") == (1 if page.slide.chart is not None else 0), page.slide.key


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_pptx_draft_mark_never_overlaps_the_title(scenario_deck):
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(scenario_deck)))
    for slide in list(prs.slides)[1:]:
        boxes = [s for s in slide.shapes if s.has_text_frame]
        title = boxes[0]
        draft = next(s for s in boxes if s.text_frame.text == "UTKAST")
        assert not _overlaps(
            (title.left, title.top, title.left + title.width, title.top + title.height),
            (draft.left, draft.top, draft.left + draft.width, draft.top + draft.height),
        ), title.text_frame.text


def test_pdf_draft_mark_never_overlaps_a_title_or_message(scenario_deck, chromium):
    images = {id(s): "PHN2Zz48L3N2Zz4=" for s in scenario_deck.slides if s.chart is not None}
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    page.set_content(deck_pdf._deck_html(scenario_deck, images))
    rects = page.evaluate(
        """() => [...document.querySelectorAll('section')].map(s => {
            const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            return {draft: r(s.querySelector('.draft')), title: r(s.querySelector('h1')),
                    msg: r(s.querySelector('.msg'))};
        })"""
    )
    assert len(rects) == len(deck_layout.pages(scenario_deck)) + 1
    for i, rect in enumerate(rects):
        assert not _overlaps(rect["draft"], rect["title"]), i
        assert not _overlaps(rect["draft"], rect["msg"]), i
    page.close()


@pytest.mark.parametrize("which", ["scenario_deck", "filter_deck"])
def test_pptx_titles_fit_above_the_message(which, request):
    """A long title ("Ramen och vad som är fördelat – Malmö 2022 · KS anslag till förfogande") gets a smaller
    size so that its lines (bold, about 0.55 em per character) end before the message box starts."""
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(request.getfixturevalue(which))))
    for slide in list(prs.slides)[1:]:
        title, message = [s for s in slide.shapes if s.has_text_frame][:2]
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        per_line = int(title.width / 12700 / (0.55 * size))  # EMU -> pt
        lines = -(-len(title.text_frame.text) // per_line)
        assert title.top / 12700 + 7 + lines * size * 1.2 <= message.top / 12700, title.text_frame.text
