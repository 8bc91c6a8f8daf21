"""The PowerPoint says what the slide says (issue 22): every value axis starts at 0, as on screen and in the PDF,
and no table runs under the sources footer or off the slide; a long table continues on the next slide
"(forts.)" with its header row repeated and no row lost. Checked in the file's geometry for every bundled
municipality's deck and a scenario deck, and once in the slides as LibreOffice lays them out (the words'
boxes in the rendered PDF)."""

from __future__ import annotations

import html
import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu

from insatskollen.core import fmt
from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_layout, deck_pdf, deck_pptx, deck_xlsx, scenario_deck
from insatskollen.store import scenario_store as store
from tests import office_kit

TODAY = date(2026, 12, 6)
MUNICIPALITIES = ("Malmö", "Södertälje", "Linköping", "Motala")
FOOTER_TOP = 6.75  # inches


@pytest.fixture(scope="module")
def decks(db):
    decks = {k: deck_module.from_filters(db, Filters(municipalities=(k,)), TODAY) for k in MUNICIPALITIES}
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Flytta", sc.move, sc.AREA, "Boende", 1_000_000, target="Utbildning")
    decks["scenario"] = scenario_deck.from_scenario(
        db, "Plan B", "Malmö 2022 · KS anslag till förfogande", "Malmö", 2022, scenario, today=TODAY
    )
    return decks


@pytest.fixture(scope="module")
def pdf_of(decks):
    """A deck's PDF, printed once per module: three tests read Malmö's (each print starts Chromium twice,
    ~2 s of CPU and more of waiting on a loaded machine)."""
    printed: dict[str, bytes] = {}

    def pdf(which: str) -> bytes:
        if which not in printed:
            printed[which] = deck_pdf.to_pdf(decks[which])
        return printed[which]

    return pdf


def _inches(value) -> float:
    return Emu(value).inches


@pytest.mark.parametrize("which", [*MUNICIPALITIES, "scenario"])
def test_every_value_axis_starts_at_zero(decks, which):
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(decks[which])))
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert charts, which
    for chart in charts:
        assert chart.value_axis.minimum_scale == 0


def test_malmos_frame_chart_starts_at_zero_not_at_33_mnkr(decks):
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(decks["Malmö"])))
    frame = next(shape.chart for shape in prs.slides[1].shapes if shape.has_chart)
    assert {s.name: list(s.values) for s in frame.series} == {"Ram": [34_700_000], "Fördelat": [33_600_000]}
    assert frame.value_axis.minimum_scale == 0


@pytest.mark.parametrize("which", [*MUNICIPALITIES, "scenario"])
def test_every_table_ends_above_the_footer_and_keeps_every_row(decks, which):
    deck = decks[which]
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    shown: dict[str, list[list[str]]] = {}
    for slide in list(prs.slides)[1:]:
        title = next(s for s in slide.shapes if s.has_text_frame).text_frame.text
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            rows = shape.table.rows
            bottom = _inches(shape.top) + sum(_inches(r.height) for r in rows)
            assert bottom <= FOOTER_TOP - 0.1, (title, bottom)
            assert _inches(shape.left + shape.width) <= 13.333
            cells = [[c.text for c in r.cells] for r in rows]
            shown.setdefault(title.removesuffix(" (forts.)"), []).extend(cells[1:])
            assert cells[0] == [str(c) for c in deck_table(deck, title).columns]
    for slide in deck.slides:
        # a chart slide's table is its Excel sheet (the scenario's Anmärkning); PowerPoint draws the chart
        charted = bool(slide.categories and slide.series)
        if slide.table is not None and len(slide.table) and not charted:
            assert len(shown[slide.title]) == len(slide.table), slide.title
            assert [r[0] for r in shown[slide.title]] == [str(v) for v in slide.table.iloc[:, 0]]


def deck_table(deck, title: str):
    return next(s.table for s in deck.slides if s.title == title.removesuffix(" (forts.)"))


def test_a_long_table_continues_on_the_next_slide_with_its_header(decks):
    titles = [
        next(s for s in slide.shapes if s.has_text_frame).text_frame.text
        for slide in Presentation(io.BytesIO(deck_pptx.to_pptx(decks["Malmö"]))).slides
    ]
    # Malmö's 16 findings (every inconsistency of its documents, issue 22 item 6) take four slides
    assert titles[-4:] == ["Att känna till inför beslutet"] + ["Att känna till inför beslutet (forts.)"] * 3


@pytest.mark.skipif(not office_kit.available("pdftotext"), reason="LibreOffice/poppler")
def test_rendered_slides_keep_the_table_above_the_footer(decks, tmp_path):
    """LibreOffice lays the slides out: on each table slide every word of the table sits above the first
    line of the sources footer (the 'Källor:' line)."""
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck_pptx.to_pptx(decks["Malmö"]))
    pages = office_kit.words(office_kit.to_pdf(path))
    assert len(pages) == 10  # the title, 5 slides, the findings on 4
    for number, words in enumerate(pages, start=1):
        footer = min(y0 for y0, _y1, word in words if word == "Källor:")
        above = [w for w in words if w[0] < footer]
        below = [w for w in words if w[0] >= footer]
        assert above and below
        # nothing of the slide body reaches the footer's first line
        assert max(y1 for y0, y1, _w in above) <= footer + 0.5, number


def _words(pdf: bytes, tmp_path) -> list[list[tuple[float, float, str]]]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return office_kit.words(path)


@pytest.mark.skipif(not deck_pdf.static_export_available(), reason="no Chromium for the PDF")
def test_pdf_prints_no_row_over_the_footer_and_keeps_amounts_whole(pdf_of, tmp_path):
    """Malmö's findings ran under the sources footer on the PDF's last page; now they continue on the next
    page, and "19 700 000" in a finding's text is never broken between its digit groups."""
    pages = _words(pdf_of("Malmö"), tmp_path)
    assert len(pages) == 10  # the title, 5 slides, the findings on 4
    for number, words in enumerate(pages, start=1):
        footer = min(y0 for y0, _y1, word in words if word == "Källor:")
        assert max(y1 for y0, y1, _w in words if y0 < footer) <= footer + 0.5, number
    text = " ".join(word for page in pages for _y0, _y1, word in page)
    assert "Att känna till inför beslutet (forts.)" in text
    # every "19 700 000" on every page has its three groups on one line (pdftotext gives them as three words)
    seen = 0
    for words in pages:
        for i in range(len(words) - 2):
            if words[i][2] == "19" and words[i + 1][2] == "700" and words[i + 2][2].startswith("000"):
                assert words[i][0] == words[i + 1][0] == words[i + 2][0], words[i : i + 3]
                seen += 1
    assert seen >= 3


def test_a_name_with_line_breaks_keeps_the_table_size_and_its_slide(db):
    """An attack after issue 21: a nämnd of 75 lines ("N0\\nN1…") ran the PowerPoint table off its slide, its
    lines after the first in 18 pt. The name is one text in its cell (as on screen), every cell has the table's
    size, and the table ends above the footer."""
    import pandas as pd

    from insatskollen.export.deck import Deck, Slide

    names = ["\n".join(f"N{i}" for i in range(75)), "Kulturnämnden", "Fritidsnämnden"]
    table = pd.DataFrame({"Nämnd": names, "Belopp (kr)": [100_000, 200_000, 300_000]})
    deck = Deck(
        "Test", "Test", (Slide("beslut", "Förslag till beslut", "Tre rader.", table=table),), (), TODAY
    )
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    for slide in list(prs.slides)[1:]:
        for shape in slide.shapes:
            if shape.has_table:
                sizes = {
                    run.font.size.pt
                    for row in shape.table.rows
                    for cell in row.cells
                    for paragraph in cell.text_frame.paragraphs
                    for run in paragraph.runs
                }
                assert len(sizes) == 1 and sizes <= {12.0, 14.0}
                assert _inches(shape.top) + sum(_inches(r.height) for r in shape.table.rows) <= FOOTER_TOP
                assert shape.table.cell(1, 0).text.startswith("N0 N1 N2")  # the lines, as one text


# ------------------------------------------------------------------ the files say what the screen says (issue 22)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("which", ["Malmö", "Södertälje", "scenario"])
def test_word_is_a4_titled_in_swedish_with_its_header_row_on_every_page(decks, which):
    from docx import Document
    from docx.shared import Mm

    deck = decks[which]
    doc = Document(io.BytesIO(deck_docx.to_docx(deck)))
    for section in doc.sections:  # A4, not US Letter, with margins of 2–2,5 cm
        assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
        for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
            assert Mm(19) <= margin <= Mm(26)
    assert doc.core_properties.title == deck.title
    assert doc.core_properties.language == "sv-SE"
    assert doc.paragraphs[0].text == deck.title and doc.paragraphs[0].style.name == "Title"
    assert doc.tables
    text_width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    for table in doc.tables:
        head = table.rows[0]._tr
        assert head.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on each page
        for row in table.rows[1:]:
            assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None  # a row is never split over two pages
        widths = [cell.width for cell in table.rows[0].cells]
        assert sum(widths) <= text_width
        if "(kr)" in table.rows[0].cells[-1].text:  # a decision table: a nämnd's name has room for its words
            assert widths[0] >= Mm(100)
        for row in table.rows:
            amount = row.cells[-1].text
            if amount.endswith("kr"):
                assert " " not in amount  # digit groups and "kr" joined by no-break spaces
    # the generated sentence names no office (it said "Stadskontoret föreslår", Malmö's, in every kommun's Word);
    # a finding may still quote Malmö's own document saying so
    assert not any(p.text.startswith("Stadskontoret föreslår") for p in doc.paragraphs)
    assert any(p.text.startswith("Förslag till medelsfördelning: sammanlagt") for p in doc.paragraphs)


def test_word_for_sodertalje_names_no_other_kommuns_office(decks):
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(deck_docx.to_docx(decks["Södertälje"]))).paragraphs)
    assert "Stadskontoret" not in text
    assert "Förslag till medelsfördelning: sammanlagt 10\u00a0900\u00a0000\u00a0kr" in text


def _as_typed(label: str) -> str:
    """A Plotly category label as the reader sees it: our line breaks a space, escaped characters as typed."""
    return html.unescape(label.replace("<br>", " "))


def _screen_colors(trace, categories) -> list[str]:
    """The screen's colour of each bar, in the slide's category order (matched by the bar's label: the scenario
    chart sorts its areas otherwise than the slide's data, and Brottslighet was drawn in Boende's blue)."""
    color = trace.marker.color
    if not isinstance(color, (list, tuple)):
        return [color.upper().lstrip("#")]
    by_label = dict(zip(map(_as_typed, trace.y), color, strict=True))
    return [by_label[c].upper().lstrip("#") for c in categories]


@pytest.mark.parametrize("which", ["Malmö", "Södertälje", "scenario"])
def test_pptx_charts_have_the_screens_colours_legend_order_and_titles(decks, which):
    """Slide 1 drew the frame in PowerPoint's blue and orange, titled "Belopp"-like by its series; now every
    chart has the screen's colours (grey frame, blue allocated; the areas' own colours), its series in the
    screen's legend order, and the screen chart's title."""
    deck = decks[which]
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    charted = [s for s in deck.slides if s.categories and s.series]
    assert len(charts) == len(charted)
    for chart, slide in zip(charts, charted, strict=True):
        screen = slide.chart.figure
        assert chart.has_title
        assert chart.chart_title.text_frame.text == re.sub(r"</?b>", "", screen.layout.title.text)
        assert "Belopp" not in chart.chart_title.text_frame.text
        # the axis in mnkr as on screen, in Swedish form in any program ("0,5 mnkr", not "0.5 mnkr")
        axis = chart.value_axis.tick_labels.number_format
        assert (
            axis.startswith("[$-41D]")
            and "mnkr" in axis
            and not chart.value_axis.tick_labels.number_format_is_linked
        )
        assert [s.name for s in chart.series] == [t.name for t in screen.data] or len(screen.data) == 1
        # the bars in the screen's order
        assert list(chart.plots[0].categories) == [_as_typed(y) for y in screen.data[0].y]
        for series, trace in zip(chart.plots[0].series, screen.data, strict=True):
            want = _screen_colors(trace, list(chart.plots[0].categories))
            if len(want) == 1:
                assert str(series.format.fill.fore_color.rgb) == want[0], (slide.title, series.name)
            else:
                got = [str(p.format.fill.fore_color.rgb) for p in list(series.points)[: len(want)]]
                assert got == want, (slide.title, series.name)


def test_the_frame_chart_is_grey_and_blue_as_on_screen_with_the_screens_legend_and_labels(decks):
    """The screen says "Ram Fördelat" above the bars, grey and blue, each bar labelled "34,7 mnkr"; the
    PowerPoint's legend said "Fördelat Ram" (LibreOffice lists a bar chart's series last first) in PowerPoint's
    blue and orange, and its labels "34,700,000 kr" in a program set to English."""
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(decks["Malmö"])))
    slide = prs.slides[1]
    frame = next(shape.chart for shape in slide.shapes if shape.has_chart)
    assert not frame.has_legend  # drawn on the slide instead, in the screen's order
    legend = sorted(
        (shape.left, shape.text_frame.text)
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text in ("Ram", "Fördelat")
    )
    assert [name for _left, name in legend] == ["Ram", "Fördelat"]
    squares = sorted(
        (shape.left, str(shape.fill.fore_color.rgb))
        for shape in slide.shapes
        if shape.shape_type == 1  # an autoshape: the legend's squares
    )
    assert [color for _left, color in squares] == ["9CA3AF", "005A8C"]
    labels = [p.data_label.text_frame.text for series in frame.plots[0].series for p in series.points]
    assert labels == ["34,7\u00a0mnkr", "33,6\u00a0mnkr"]
    assert [(s.name, str(s.format.fill.fore_color.rgb)) for s in frame.plots[0].series] == [
        ("Ram", "9CA3AF"),
        ("Fördelat", "005A8C"),
    ]
    assert frame.chart_title.text_frame.text == "Ram och fördelat per kommun och år"


def test_file_names_name_the_deck_in_ascii(db, decks):
    assert deck_layout.file_name(decks["Malmö"], "pptx") == "insatskollen-malmo-2022.pptx"
    two = deck_module.from_filters(db, Filters(municipalities=("Malmö", "Södertälje")), TODAY)
    assert deck_layout.file_name(two, "pptx") == "insatskollen-malmo-sodertalje-2018-2022.pptx"
    assert deck_layout.file_name(decks["Södertälje"], "docx") == "insatskollen-sodertalje-2018-2020.docx"
    assert deck_layout.file_name(decks["Linköping"], "xlsx") == "insatskollen-linkoping-2018-2020.xlsx"
    assert (
        deck_layout.file_name(decks["scenario"], "pdf")
        == "insatskollen-malmo-2022-ks-anslag-till-forfogande-scenario-plan-b.pdf"
    )
    for deck in decks.values():  # stable: the same deck, the same name; only a-z, 0-9 and '-'
        name = deck_layout.file_name(deck, "pptx")
        assert name == deck_layout.file_name(deck, "pptx")
        assert re.fullmatch(r"insatskollen-[a-z0-9]+(-[a-z0-9]+)*\.pptx", name) and len(name) <= 100


ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "exports"


def _png(pdf: Path, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):  # a longer render before ("-1" beside "-01") would stay
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)


@pytest.mark.skipif(not office_kit.available("pdftoppm", "pdftotext"), reason="LibreOffice/poppler")
@pytest.mark.parametrize("which", ["Malmö", "Södertälje", "scenario"])
def test_every_export_rendered_to_png_and_the_word_keeps_names_and_amounts_whole(
    decks, pdf_of, which, tmp_path
):
    """Every exported file as LibreOffice (or Chromium, the PDF) lays it out, into artifacts/exports/ to look
    at. In the Word's rendered pages every nämnd's name keeps its words whole ("Kommunstyrels|en" broke in a
    cell too narrow) and every amount is on one line."""
    deck = decks[which]
    made = {}
    for kind, make in (
        ("pptx", deck_pptx.to_pptx),
        ("docx", deck_docx.to_docx),
        ("xlsx", deck_xlsx.to_xlsx),
    ):
        path = tmp_path / kind / deck_layout.file_name(deck, kind)  # the name a user downloads
        path.parent.mkdir()
        path.write_bytes(make(deck))
        made[kind] = path.rename(tmp_path / f"{path.stem}-{kind}{path.suffix}")  # one stem per PDF
    files = dict(zip(made, office_kit.to_pdfs(list(made.values()), tmp_path), strict=True))
    for kind, pdf in files.items():
        if kind == "xlsx" and not pdf.exists():  # LibreOffice without Calc (libreoffice-calc)
            continue
        _png(pdf, pdf.stem)
    if deck_pdf.static_export_available():
        pdf = tmp_path / deck_layout.file_name(deck, "pdf")
        pdf.write_bytes(pdf_of(which))
        _png(pdf, f"{pdf.stem}-pdf")
    pages = _words(files["docx"].read_bytes(), tmp_path)
    words = [w for page in pages for _y0, _y1, w in page]
    lines: dict[tuple[int, float], list[str]] = {}
    for number, page in enumerate(pages):
        for y0, _y1, word in page:
            lines.setdefault((number, y0), []).append(word)
    text_lines = [" ".join(ws) for ws in lines.values()]
    for slide in deck.slides:
        if not slide.key.startswith("beslut"):
            continue
        for name, amount in zip(slide.table.iloc[:, 0], slide.table["Belopp (kr)"], strict=True):
            for word in str(name).split():
                assert word in words, (which, name, word)  # never cut inside the word
            if pd.notna(amount):
                groups = fmt.sek(amount).replace("\u00a0", " ")
                assert any(groups in line for line in text_lines), (which, groups)  # one line


def test_word_keeps_a_quoted_amount_whole(decks):
    """The findings quote the documents ("Totalbelopp 19 700 000"): in the Word their digit groups are joined by
    no-break spaces, as in the PDF, so no line ends inside "19 700 000"."""
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(deck_docx.to_docx(decks["Malmö"]))).paragraphs)
    assert "19\u00a0700\u00a0000" in text
    assert not re.search(r"\d \d{3}(?!\d)", text), re.search(r".{30}\d \d{3}(?!\d).{10}", text)


@pytest.mark.parametrize("which", ["Malmö", "scenario"])
def test_the_files_number_their_slides_as_the_presentation_does(decks, pdf_of, which, tmp_path):
    """A new user: the screen had 9 slides and the files 10 (their title page), so "bild 5" on the projector was
    page 6 of the meeting papers. Each content slide of the PowerPoint and the PDF says "Bild n av N", N being
    the presentation's own count (deck_layout.pages, which the screen draws); the title page is not counted."""
    deck = decks[which]
    count = len(deck_layout.pages(deck))
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    numbers = [
        [
            s.text_frame.text
            for s in slide.shapes
            if s.has_text_frame and s.text_frame.text.startswith("Bild ")
        ]
        for slide in prs.slides
    ]
    assert numbers == [[]] + [[f"Bild {n} av {count}"] for n in range(1, count + 1)]
    for slide in list(prs.slides)[1:]:
        box = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Bild "))
        assert _inches(box.left + box.width) <= 13.333 and _inches(box.top) >= 0
    pages = _words(pdf_of(which), tmp_path)
    assert len(pages) == count + 1
    for number, words in enumerate(pages[1:], start=1):
        text = " ".join(word for _y0, _y1, word in words)
        assert f"Bild {number} av {count}" in text, number
    assert "Bild" not in " ".join(word for _y0, _y1, word in pages[0])
