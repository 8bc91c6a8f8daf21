"""The deck of a municipality in its own words, in every file (issue 23, a new user's Gävle journey): Word has
a section for every slide the screen shows; each slide's "Källor:" names the rows of that slide, compactly
("gavle_insatser_2025.xlsx rad 6–9"), and fits its box in the PowerPoint; the PDF's title is the deck's; a
funding source whose name ends in a year is kept apart from the frame's year in every title."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu

from insatskollen.core.filters import Filters
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_layout, deck_pdf, deck_pptx, deck_texts
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from tests import office_kit
from tests.conftest import published_var

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 12, 6)
EGNA = "Egna medel, KF budget 2025"
STATS = "Statsbidrag mot segregation"
FILE = "gavle_insatser_2025.xlsx"


@pytest.fixture(scope="module")
def gavle(tmp_path_factory):
    """A read store with the new user's Gävle file (8 measures, two own funding sources) imported, and its deck."""
    db = Database.open(published_var(tmp_path_factory.mktemp("gavle-deck") / "g.duckdb"))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, FILE, (FIXTURES / FILE).read_bytes()), author="Per")
    yield db, deck_module.from_filters(db, Filters(municipalities=("Gävle",)), TODAY)
    db.close()


@pytest.fixture(scope="module")
def malmo(db):
    return deck_module.from_filters(db, Filters(municipalities=("Malmö",), years=(2022,)), TODAY)


def _doc_line(db) -> str:
    imported = db.query("documents")
    day = imported.loc[imported.title == f"Importerad fil {FILE}", "date"].iloc[0]
    return f"Importerad fil {FILE} (Gävle, dnr KS 2025/0123, {day})"


def test_a_funding_source_ending_in_a_year_is_kept_apart_from_the_frames_year(gavle):
    _db, deck = gavle
    assert [s.title for s in deck.slides] == [
        "Ramen och vad som är fördelat – Gävle 2025",
        "Fördelning per prioriterat område",
        "Fördelning per nämnd",
        f"Förslag till beslut – {EGNA} · 2025",
        f"Förslag till beslut – {STATS} · 2025",
        "Att känna till inför beslutet",
    ]


def test_each_slide_cites_its_own_rows_compactly(gavle):
    db, deck = gavle
    footers = {s.key: deck.footer_for(s) for s in deck.slides}
    doc = _doc_line(db)
    assert footers[f"beslut-Gävle-2025-{EGNA}"] == f"Källor: {doc} – {FILE} rad 6–9 · Datum: 2026-12-06"
    assert footers[f"beslut-Gävle-2025-{STATS}"] == f"Källor: {doc} – {FILE} rad 2–5 · Datum: 2026-12-06"
    assert footers["ram"] == f"Källor: {doc} – {FILE} rad 2–9 · Datum: 2026-12-06"
    assert deck.sources == (f"{doc} – {FILE} rad 2–9",)


def test_compact_sections_keep_other_headings_and_other_cited_sources():
    assert deck_texts.compact_sections(
        [
            "f.csv rad 2, kolumn K (Belopp (kr)); källa: dnr KS 1",
            "f.csv rad 3, kolumn K (Belopp (kr)); källa: Protokoll 4 §",
            "f.csv rad 4",
            "f.csv rad 9, kolumn F (Ram (kr))",
            "Tabell 2 Fördelning",
        ],
        "KS 1",
    ) == ["f.csv rad 2–4, 9; källa: Protokoll 4 §", "Tabell 2 Fördelning"]


def _headings(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")]


def test_word_has_a_section_for_every_slide_in_the_decks_order(gavle, malmo):
    for deck in (gavle[1], malmo):
        headings = _headings(deck_docx.to_docx(deck))
        slides = [h for h in headings if h not in ("Nyckeltal", "Tolkning", "Underlag")]
        assert slides == [s.title for s in deck.slides]
    text = [p.text for p in Document(io.BytesIO(deck_docx.to_docx(gavle[1]))).paragraphs]
    areas = text.index("Fördelning per prioriterat område")
    # the slide's message, then each bar with the label the screen gives it
    assert text[areas + 1].startswith("Arbetsmarknad får mest: 1\u00a0mnkr")
    assert "Boende: 0,7\u00a0mnkr" in text
    committees = text.index("Fördelning per nämnd")
    assert (
        "Arbetsmarknadsnämnden: 1\u00a0000\u00a0000\u00a0kr" in text[committees:]
    )  # as the screen labels it
    assert "1 rad utan belopp visas inte i diagrammet." in text[committees:]


def _footer_boxes(data: bytes):
    """Per slide, the sources footer's text box (the one starting 'Källor:')."""
    for slide in Presentation(io.BytesIO(data)).slides:
        yield next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Källor:"))


@pytest.mark.parametrize("which", ["gavle", "every municipality"])
def test_powerpoint_footer_fits_its_box(gavle, db, which):
    deck = gavle[1] if which == "gavle" else deck_module.from_filters(db, Filters(), TODAY)
    boxes = list(_footer_boxes(deck_pptx.to_pptx(deck)))
    assert len(boxes) == 1 + len(deck_layout.pages(deck))
    for box in boxes:
        run = box.text_frame.paragraphs[0].runs[0]
        size = run.font.size.pt
        width, height = Emu(box.width).inches, Emu(box.height).inches
        assert Emu(box.top).inches + height <= 7.5
        per_line = int(width * 72 / (0.6 * size))
        assert deck_layout.wrapped_lines(box.text_frame.text, per_line) * size * 1.2 <= height * 72, (
            box.text_frame.text
        )
    if which == "gavle":
        egna = boxes[4].text_frame.text  # title, ram, områden, nämnder, then Egna medel's decision
        assert f"{FILE} rad 6–9 " in egna and "rad 2" not in egna


@pytest.mark.skipif(not office_kit.available("pdftotext"), reason="LibreOffice/poppler")
def test_rendered_powerpoint_footer_stays_on_the_slide(db, tmp_path):
    """LibreOffice lays the PowerPoint of every municipality out: every word of the sources footer is on the
    slide (pptx_s6-6.png: its fourth line ran off the bottom)."""
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck_pptx.to_pptx(deck_module.from_filters(db, Filters(), TODAY)))
    for page in office_kit.bbox_pages(office_kit.to_pdf(path)):
        bottom = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', page)[1])
        words = [(float(y1), w) for y1, w in re.findall(r'yMax="([\d.]+)">([^<]*)<', page)]
        assert "Källor:" in [w for _y, w in words]
        assert max(y for y, _w in words) <= bottom - 2


@pytest.mark.skipif(not deck_pdf.static_export_available(), reason="no Chromium for the PDF")
def test_pdf_title_is_the_decks(gavle, tmp_path):
    path = tmp_path / "deck.pdf"
    path.write_bytes(deck_pdf.to_pdf(gavle[1]))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+(.*)$", info, flags=re.M)[1] == "Medel mot segregation – Gävle 2025"
