"""Readings are labelled where the number is shown (issue 22, item 4).

How much of each headline figure rests on our reading of a document ("varav 32,7 mnkr enligt tolkning"),
worked out by hand from the documents and data/README.md ("Tolkning"):

- Ram: Södertälje 2019–2020 (2 × 10 839 000; the tjänsteskrivelse says the amounts for 2019–2020 are "inte
  beslutat") + Linköping 2018–2020 (3 × 13 808 000; the draft says "per år i tre år", not which years)
  = 21 678 000 + 41 424 000 = 63 102 000 of 108 641 000.
- Fördelat: Södertälje's preliminary budget read per year, 3 × 10 900 000 = 32 700 000 of 66 300 000.
- Överfördelat: Södertälje's over-allocation 3 × 61 000 = 183 000 rests on that reading (ofördelat and
  överfördelat are separate boxes, never netted).
- Ram med okänd fördelning: Linköping 41 424 000, all of it on the reading of its years.
Malmö's figures are the documents' own: no "Tolkning".
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.core import headline
from insatskollen.core.filters import Filters
from insatskollen.core.fmt import NBSP
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_layout, deck_pptx, deck_xlsx
from insatskollen.store.db import Database
from tests.conftest import ROOT

TODAY = date(2026, 12, 6)

# municipalities -> (ram, fördelat, ram med okänd fördelning) varav enligt tolkning, and the box texts
CASES = {
    "alla": (
        (),
        (63_102_000, 32_700_000, 41_424_000),
        {
            "Ramar att fördela": "varav 63,1 mnkr enligt tolkning",
            "Fördelat": "varav 32,7 mnkr enligt tolkning",
            "Överfördelat": "varav 0,18 mnkr enligt tolkning (Södertälje 2018–2020)",
            "Ram med okänd fördelning": "varav 41,42 mnkr enligt tolkning",
        },
        "Tolkning: varav 63,1 mnkr av ramen och 32,7 mnkr av det fördelade enligt tolkning "
        "(Linköping 2018–2020, Södertälje 2018–2020).",
    ),
    "Södertälje": (
        ("Södertälje",),
        (21_678_000, 32_700_000, 0),
        {
            "Ramar att fördela": "varav 21,68 mnkr enligt tolkning",
            "Fördelat": "varav 32,7 mnkr enligt tolkning",
            "Överfördelat": "varav 0,18 mnkr enligt tolkning (Södertälje 2018–2020)",
        },
        "Tolkning: varav 21,68 mnkr av ramen och 32,7 mnkr av det fördelade enligt tolkning "
        "(Södertälje 2018–2020).",
    ),
    "Linköping": (
        ("Linköping",),
        (41_424_000, None, 41_424_000),
        {
            "Ramar att fördela": "varav 41,42 mnkr enligt tolkning",
            "Ram med okänd fördelning": "varav 41,42 mnkr enligt tolkning",
        },
        "Tolkning: varav 41,42 mnkr av ramen enligt tolkning (Linköping 2018–2020).",
    ),
    "Malmö": (("Malmö",), (0, 0, 0), {}, ""),
}


# Södertälje's four funded measures (3 × 10 900 000): sod-01 Boende 3 × 3 700 000, sod-02–04 Utbildning
# 3 × (2 900 000 + 2 800 000 + 1 500 000); the document names no area for them (data/measures.csv)
AREA_READING = (
    "Tolkning: varav 32,7 mnkr har fått sitt område enligt tolkning (Boende 11,1 mnkr, Utbildning 21,6 mnkr)."
)


def sp(text: str) -> str:
    """Text as read: no-break spaces (between number and unit) as spaces."""
    return text.replace(NBSP, " ")


def seen(markdown: str) -> str:
    """Markdown as a reader sees it: escapes and character references undone."""
    return sp(html.unescape(markdown).replace("\\", ""))


@pytest.fixture(scope="module")
def bundled_db():
    database = Database.open(":memory:")
    database.build(ROOT / "data")
    yield database
    database.close()


# ---------------------------------------------------------------- the data says what the documents say


def _rows(name: str) -> dict[str, dict[str, str]]:
    with open(ROOT / "data" / name, encoding="utf-8", newline="") as f:
        return {next(iter(r.values())): r for r in csv.DictReader(f)}


def test_sodertaljes_2019_2020_frame_is_our_reading_and_2018_the_documents(bundled_db):
    rows = bundled_db.con.execute(
        "select year, basis, basis_note from model.frame_year where frame_id = 'sod-tvv' order by year"
    ).fetchall()
    assert [(y, b) for y, b, _ in rows] == [(2018, "dokument"), (2019, "tolkning"), (2020, "tolkning")]
    assert "inte är beslutat om hur mycket medel kommunerna kan ansöka om för år 2019-2020" in rows[1][2]


def test_sod_01s_district_is_not_a_guess():
    measure = _rows("measures.csv")["sod-01"]
    assert measure["districts"] == ""  # "Det finns budget för att öppna en ny familjecentral i ett område."
    assert (
        "i ett område" in measure["interpretation"] and "Stadsdelen anges inte" in measure["interpretation"]
    )


def test_linkopings_lines_placed_in_2018_and_sodertaljes_combined_heading_are_readings():
    lines = [r for k, r in _rows("allocations.csv").items() if k.startswith("a-lkp-")]
    assert len(lines) == 13 and {r["basis"] for r in lines} == {"tolkning"}
    assert all("till viss mån 2019" in r["basis_note"] for r in lines)
    measures = _rows("measures.csv")
    for i in range(1, 6):
        assert measures[f"sod-p0{i}"]["area_basis"] == "tolkning"
        assert "Utbildning/demokrati" in measures[f"sod-p0{i}"]["interpretation"]


# ---------------------------------------------------------------- the headline module


@pytest.mark.parametrize("case", list(CASES))
def test_headline_says_how_much_rests_on_a_reading(case, bundled_db):
    municipalities, (frame, allocated, unknown), boxes, sentence = CASES[case]
    head = headline.headline(bundled_db, Filters(municipalities=municipalities))
    assert head.frame_reading_sek == frame
    if allocated is not None:
        assert head.allocated_reading_sek == allocated
    assert head.unknown_allocation_reading_sek == unknown
    keys = {"Ramar att fördela": "ram", "Fördelat": "fördelat", "Ofördelat": "ofördelat"}
    keys["Överfördelat"] = "överfördelat"
    keys["Ram med okänd fördelning"] = "okänd"
    for label, figure in keys.items():
        assert sp(head.reading_part(figure)) == boxes.get(label, ""), label
    assert sp(head.reading_text()) == sentence


def test_a_year_filter_keeps_only_that_years_readings(bundled_db):
    head = headline.headline(bundled_db, Filters(municipalities=["Södertälje"], years=[2018]))
    assert (head.frame_reading_sek, head.allocated_reading_sek) == (0, 10_900_000)  # 2018 is the document's
    head = headline.headline(bundled_db, Filters(municipalities=["Södertälje"], years=[2019]))
    assert (head.frame_reading_sek, head.allocated_reading_sek) == (10_839_000, 10_900_000)


# ---------------------------------------------------------------- Översikt


@pytest.mark.parametrize("case", ["alla", "Södertälje", "Linköping", "Malmö"])
def test_overview_boxes_say_varav_enligt_tolkning(case, fresh_streamlit):
    from streamlit.testing.v1 import AppTest

    municipalities, _, boxes, sentence = CASES[case]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if municipalities:
        at.query_params["kommun"] = "|".join(municipalities)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    labelled = [c for c in captions if c.startswith(":orange-badge[Tolkning]")]
    area = [c for c in labelled if "har fått sitt område" in seen(c)]
    readings = [c for c in labelled if c not in area]
    assert len(readings) == len(boxes), captions
    # under the area chart: Södertälje's measures got their area by our reading (Boende, Utbildning)
    assert [seen(c) for c in area] == (
        [f"{AREA_READING.replace('Tolkning: ', ':orange-badge[Tolkning] ')}"]
        if case in ("alla", "Södertälje")
        else []
    )
    for text in boxes.values():
        assert any(text in seen(c) for c in readings), (text, readings)
    expanders = [e for e in at.expander if e.label.startswith("Tolkning: vad siffrorna vilar på")]
    if not boxes:
        assert not expanders
        return
    # the panel is filled when opened (a lazy expander): open it, as the reader does
    at.session_state["overview_readings_panel"] = True
    at.run()
    [panel] = [e for e in at.expander if e.label.startswith("Tolkning: vad siffrorna vilar på")]
    assert panel.label == expanders[0].label
    shown = " ".join(seen(m.value) for m in panel.markdown)
    assert sentence in shown
    if case in ("alla", "Södertälje"):
        assert "Ram · Södertälje 2019–2020 · Statsbidrag Tillväxtverket · 10 839 000 kr per år" in shown
        assert "”inte är beslutat om hur mycket medel kommunerna kan ansöka om för år 2019-2020”" in shown
    if case in ("alla", "Linköping"):
        assert "Ram · Linköping 2018–2020" in shown and "per år i tre år" in shown


# ---------------------------------------------------------------- the slides and the exports


@pytest.mark.parametrize("case", list(CASES))
def test_first_slide_and_exports_say_how_much_is_a_reading(case, bundled_db):
    municipalities, (frame, allocated, unknown), _, sentence = CASES[case]
    deck = deck_module.from_filters(bundled_db, Filters(municipalities=municipalities), TODAY)
    first = deck.slides[0]
    if sentence:  # on the slide without the frame-years (its panel lists them)
        assert sp(first.message).endswith(sentence.rsplit(" (", 1)[0] + ".")
    else:
        assert "Tolkning" not in first.message
    # the presentation draws deck_layout.pages(deck): the slide on screen carries the same sentence
    assert deck_layout.pages(deck)[0].slide.message == first.message
    # PowerPoint: the first content slide
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    texts = [s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame]
    assert (
        any(sentence.rsplit(" (", 1)[0] + "." in sp(t) for t in texts)
        if sentence
        else not any("Tolkning" in t for t in texts)
    )
    # Excel: the Nyckeltal sheet has a "Varav enligt tolkning (kr)" column; a "Tolkningar" sheet lists them
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))
    rows = list(book["Nyckeltal"].iter_rows(values_only=True))
    assert rows[0] == ("Nyckeltal", "Belopp (kr)", "Förklaring", "Gräns", "Varav enligt tolkning (kr)")
    varav = {r[0]: r[4] for r in rows[1:]}
    assert varav["Ram"] == frame
    assert varav["Fördelat"] == allocated
    assert varav["Ram med okänd fördelning"] == unknown
    if sentence:
        sheet = list(book["Tolkningar"].iter_rows(values_only=True))
        assert sheet[0] == ("Vad", "Kommun", "År", "Gäller", "Belopp per år (kr)", "Tolkning")
        for row in sheet[1:]:
            assert row[5] and row[0] in ("Ram", "Fördelningsrad", "Fördelningsrader")
    else:
        assert "Tolkningar" not in book.sheetnames
    # Word: a "Tolkning" section with the sentence and each reading's note
    paragraphs = [p.text for p in Document(io.BytesIO(deck_docx.to_docx(deck))).paragraphs]
    if sentence:
        at = paragraphs.index("Tolkning")
        assert sp(paragraphs[at + 1]) == sentence
    else:
        assert "Tolkning" not in paragraphs


def test_excel_lists_sodertaljes_readings_with_their_amounts(bundled_db):
    deck = deck_module.from_filters(bundled_db, Filters(municipalities=["Södertälje"]), TODAY)
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))
    rows = list(book["Tolkningar"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows] == [
        ("Ram", "2019–2020", 10_839_000),
        ("Fördelningsrader", "2018–2020", 10_900_000),
    ]
    assert "inte är beslutat" in rows[0][5] and "per år 2018–2020" in rows[1][5]


@pytest.mark.parametrize("case", ["Södertälje", "Malmö"])
def test_area_slide_says_which_areas_are_our_reading(case, bundled_db):
    deck = deck_module.from_filters(bundled_db, Filters(municipalities=[case]), TODAY)
    [areas] = [s for s in deck.slides if s.key == "omraden"]
    if case == "Södertälje":
        assert sp(areas.message).endswith(AREA_READING)
        prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
        texts = [sh.text_frame.text for slide in prs.slides for sh in slide.shapes if sh.has_text_frame]
        assert any(AREA_READING in sp(t) for t in texts)
    else:
        assert "Tolkning" not in areas.message
