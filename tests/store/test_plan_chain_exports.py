"""The plan chain in the files a meeting gets (issue 26): a slide in the deck (PowerPoint) and a section in
the yearly report (Word and Excel), read back as a person reads them. Södertälje's bundled chain: its
delmål 1 and 2, the four funded measures with their money per year 2018–2020 summed, and its one flag."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from docx import Document
from pptx import Presentation

from insatskollen.core import yearly_report
from insatskollen.core.filters import Filters
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_pptx, follow_up_report

NBSP = "\u00a0"
TODAY = date(2026, 12, 6)
SUMMARY = "1 brist i kedjan: 1 × pengar utan indikator."
ROWS = [
    [
        "Boende",
        "Delmål 1: minskad boendesegregation, bra bostäder för alla och stärkt samhällsservice",
        "Familjecentral",
        f"11{NBSP}100{NBSP}000{NBSP}kr (tolkning)",
        "ingen",
    ],
    [
        "Utbildning",
        "Delmål 2: skolsegregationen och sambandet mellan elevernas socioekonomiska bakgrund och kunskapsresultat "
        "ska minska",
        "Strateg för prao och praktikplatser för grundskolan; Öka andelen F-3 lärare i förskoleklass; Öka andelen "
        "förskollärare på förskolor i mer segregerade områden",
        # (1,5 + 2,8 + 2,9 mkr) × 3 years: the preliminary budget read per year, our reading (allocations.csv)
        f"21{NBSP}600{NBSP}000{NBSP}kr (tolkning)",
        "ingen",
    ],
]


def test_the_deck_has_the_chain_slide_before_the_decisions(db):
    deck = deck_module.from_filters(db, Filters(municipalities=("Södertälje",)), TODAY)
    keys = [s.key for s in deck.slides]
    assert keys[:4] == ["ram", "omraden", "namnder", "plan-Södertälje"]
    slide = deck.slides[3]
    assert slide.title == "Från lägesbild till resultat – Södertälje"
    assert slide.message.startswith(SUMMARY + " Kedjan ställer problem, mål, insatser")
    assert slide.table.values.tolist() == ROWS
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    texts = [[shape.text_frame.text for shape in s.shapes if shape.has_text_frame] for s in prs.slides]
    [found] = [t for t in texts if t and t[0] == "Från lägesbild till resultat – Södertälje"]
    assert any(SUMMARY in t for t in found)
    cells = [
        cell.text
        for s in prs.slides
        for shape in s.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert f"21{NBSP}600{NBSP}000{NBSP}kr (tolkning)" in cells and "Familjecentral" in cells


def test_a_deck_without_a_plan_has_no_chain_slide(db):
    deck = deck_module.from_filters(db, Filters(municipalities=("Malmö",), years=(2022,)), TODAY)
    assert not [s for s in deck.slides if s.key.startswith("plan-")]


def test_the_yearly_report_has_the_chain_section_in_word_and_excel(db):
    rows = db.query("follow_up_frame_year", frame_id="sod-tvv", year=2018)
    report = yearly_report.build(
        rows,
        db.query("indicators", municipality="Södertälje"),
        db.query("documents"),
        created=TODAY,
        plan=db.query("plan_chains", municipalities=["Södertälje"]),
    )
    word = Document(io.BytesIO(follow_up_report.to_docx(report, report.draft)))
    paragraphs = [p.text for p in word.paragraphs]
    at = paragraphs.index("Från lägesbild till resultat")
    assert paragraphs[at + 1].startswith(SUMMARY + " Kedjan ställer problem")
    [table] = [t for t in word.tables if t.rows[0].cells[1].text == "Mål"]
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == ROWS
    sheet = openpyxl.load_workbook(io.BytesIO(follow_up_report.to_xlsx(report, report.draft)))[
        "Från lägesbild till resultat"
    ]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Område", "Mål", "Insatser", "Beviljat", "Indikator"]
    assert values[1:] == ROWS


def test_the_decks_word_has_the_chain_as_a_table_so_a_goal_with_commas_stays_one_cell(db):
    """The Word file wrote each row as one line of comma-joined cells, and Södertälje's goals hold commas: a
    reader could not tell goal from measure. Now a table with the slide's columns and rows."""
    from insatskollen.export import deck_docx

    deck = deck_module.from_filters(db, Filters(municipalities=("Södertälje",)), TODAY)
    word = Document(io.BytesIO(deck_docx.to_docx(deck)))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in word.tables]
    [chain] = [t for t in tables if t[0] == ["Område", "Mål", "Insatser", "Beviljat", "Indikator"]]
    assert chain[1:] == ROWS
