"""What a hostile import (Norrköping 0581, 2023; tests/fixtures/hostile_norrkoping.csv) makes of the outputs.

KS anslag till förfogande: a frame of 5 000 000 kr, lines 1 234 567 + 1 000 000 + 750 000 + 500 000 kr known
(3 484 567 kr) and one of Socialnämnden's (area Brottslighet) without amount. Statsbidrag Socialstyrelsen: a
frame of 1 000 000 kr, one line of 1 300 000 kr (also Socialnämnden, Brottslighet). Names carry HTML, a formula
and a 120-character nämnd."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen import cli
from insatskollen.core import yearly_report
from insatskollen.core.filters import Filters
from insatskollen.export import deck, deck_docx, deck_layout, deck_pdf, deck_pptx, deck_xlsx, follow_up_report
from insatskollen.store.db import Database
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile_norrkoping.csv"
KS = "beslut-Norrköping-2023-KS anslag till förfogande"


def plain(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    assert cli.main(["--var", str(path), "build"]) == 0
    assert cli.main(["--var", str(path), "import", str(HOSTILE)]) == 0
    database = Database.open(path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def the_deck(hostile):
    return deck.from_filters(hostile, Filters(municipalities=("Norrköping",), years=(2023,)))


def _slide(the_deck, key):
    return next(s for s in the_deck.slides if s.key == key)


def test_the_decision_table_says_minst_where_a_line_has_no_amount(the_deck):
    slide = _slide(the_deck, KS)
    assert plain(slide.message).startswith(
        "Norrköping: minst 3 484 567 kr (1 insats med okänt belopp) till 4 "
    )
    rows = {
        r[0]: [plain(deck_layout.cell_text(str(c), v)) for c, v in zip(slide.table.columns, r, strict=True)]
        for r in slide.table.itertuples(index=False)
    }
    assert rows["Socialnämnden"][1:] == ["750 000 kr", "minst (1 insats med okänt belopp)"]
    assert rows["Totalbelopp"][1:] == ["3 484 567 kr", "minst (1 insats med okänt belopp)"]
    assert rows["Kultur- och fritidsnämnden"][1:] == ["500 000 kr", ""]
    # the other frame has every amount: no column for what is not there
    assert list(_slide(the_deck, "beslut-Norrköping-2023-Statsbidrag Socialstyrelsen").table.columns) == [
        "Nämnd",
        "Belopp (kr)",
    ]


def test_the_files_say_minst_and_the_notes_the_screen_shows(the_deck):
    word = plain("\n".join(p.text for p in Document(io.BytesIO(deck_docx.to_docx(the_deck))).paragraphs))
    assert "sammanlagt minst 3 484 567 kr (1 insats med okänt belopp) fördelat på 4 rader" in word
    pptx = Presentation(io.BytesIO(deck_pptx.to_pptx(the_deck)))
    texts = plain(
        " ".join(
            shape.text_frame.text
            if shape.has_text_frame
            else " ".join(c.text for r in shape.table.rows for c in r.cells)
            if shape.has_table
            else ""
            for s in pptx.slides
            for shape in s.shapes
        )
    )
    assert "1 insats utan belopp visas inte i diagrammet." in texts
    assert "1 rad utan belopp visas inte i diagrammet." in texts
    assert "minst (1 insats med okänt belopp)" in texts
    html = plain(deck_pdf._deck_html(the_deck, {id(s): "" for s in the_deck.slides if s.chart}))
    assert "1 rad utan belopp visas inte i diagrammet." in html
    workbook = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(the_deck)))
    cells = [
        plain(c)
        for ws in workbook.worksheets
        if ws.title.startswith("Beslut")
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c
    ]
    assert "minst (1 insats med okänt belopp)" in cells


def test_an_area_with_an_unknown_line_gets_minst(the_deck):
    assert plain(_slide(the_deck, "omraden").message).startswith(
        "Brottslighet får mest: minst 1,3 mnkr av minst 4,78 mnkr"
    )


def test_chart_labels_show_html_as_typed_and_long_names_wrap(the_deck):
    figure = _slide(the_deck, "namnder").chart.figure
    labels = list(figure.data[0].y)
    assert "&lt;b&gt;Utbildningsnämnden&lt;/b&gt;" in labels
    long = next(x for x in labels if x.startswith("Nämnden för"))
    assert all(len(part) <= 32 for part in long.split("<br>")), long
    assert long.replace("<br>", " ").startswith("Nämnden för arbetsmarknad, vuxenutbildning")


def test_the_frames_chart_marks_allocated_as_minst(the_deck):
    figure = _slide(the_deck, "ram").chart.figure
    allocated = next(t for t in figure.data if t.name == "Fördelat")
    assert [plain(t) for t in allocated.text] == ["minst 4,78 mnkr"]


def test_the_yearly_report_word_gives_columns_widths_by_content(hostile):
    frames = hostile.query("scenario_frames")
    frame_id = frames[
        (frames.municipality == "Norrköping") & (frames.funding_source == "KS anslag till förfogande")
    ].frame_id.iloc[0]
    rows = hostile.query("follow_up_frame_year", frame_id=frame_id, year=2023)
    yearly = yearly_report.build(
        rows,
        hostile.query("indicators", municipality="Norrköping"),
        hostile.query("documents"),
        created=date(2026, 12, 6),
    )
    word = Document(io.BytesIO(follow_up_report.to_docx(yearly, yearly.draft)))
    for table in word.tables:
        widths = [c.width for c in table.columns]
        assert None not in widths and len(set(widths)) > 1, widths
