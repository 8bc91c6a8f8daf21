"""Exports of the board-meeting deck, opened with their own libraries: slides and titles, the decision
table's rows and total, draft marks, sources; the PDF via pdftoppm/pdftotext; formula injection."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_layout, deck_pdf, deck_pptx, deck_xlsx, table_files
from insatskollen.export import scenario_deck as scenario_module
from insatskollen.store import scenario_store as store
from tests.store.test_documents import MALMO_KS_BY_DECISION_LINE

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def malmo(db):
    return deck_module.from_filters(
        db, Filters(municipalities=("Malmö",), funding_sources=("KS anslag till förfogande",)), TODAY
    )


@pytest.fixture(scope="module")
def scenario_deck(db):
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Flytta", sc.move, sc.AREA, "Boende", 1_000_000, target="Utbildning")
    scenario.apply("Ny", sc.add_line, '=HYPERLINK("http://x")', "Kulturnämnden", "Utbildning", 100_000)
    scenario.apply("Ny", sc.add_line, "-1+1", "Kulturnämnden", "Utbildning", 0)
    source = ("Förstudie om segregation i Malmö (Malmö, dnr STK-2018-1233, 2022-08-12)",)
    return scenario_module.from_scenario(
        db,
        "Mer till Utbildning",
        "Malmö 2022 · KS anslag till förfogande",
        "Malmö",
        2022,
        scenario,
        source,
        TODAY,
    )


def _pptx(deck) -> Presentation:
    return Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_deck_slides_for_malmo(malmo):
    assert [s.key for s in malmo.slides] == [
        "ram",
        "omraden",
        "namnder",
        "beslut-Malmö-2022-KS anslag till förfogande",
        "iakttagelser",
    ]
    assert not malmo.draft
    assert any("STK-2018-1233" in s for s in malmo.sources)


def test_pptx_slides_titles_native_charts_and_footer(malmo):
    prs = _pptx(malmo)
    titles = [_texts(s)[0] for s in prs.slides]
    assert titles[0] == "Medel mot segregation – Malmö 2022"  # a title slide first
    # the findings table does not fit one slide and continues on the next (issue 22)
    # with every inconsistency of the documents (issue 22, item 6), KS's 12 take three slides (the +400 kr
    # rounding Bilaga 1 announces is a notice, not on the slide; item 5)
    assert titles[1:] == [s.title for s in malmo.slides] + ["Att känna till inför beslutet (forts.)"] * 2
    area_chart = next(sh.chart for sh in prs.slides[2].shapes if sh.has_chart)
    assert list(area_chart.plots[0].categories) == [
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
    ]
    assert list(area_chart.series[0].values) == [2_080_000, 6_620_000, 1_800_000, 2_330_000, 2_170_000]
    for slide in prs.slides:
        assert any("Källor:" in t and "STK-2018-1233" in t and "2026-11-23" in t for t in _texts(slide))
        assert not any(t == "UTKAST" for t in _texts(slide))


def test_pptx_decision_table_rows_and_total(malmo):
    prs = _pptx(malmo)
    table = next(sh.table for sh in prs.slides[4].shapes if sh.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Nämnd", "Belopp (kr)"]
    body = {name: int(amount.replace("\u00a0", "").removesuffix("kr")) for name, amount in rows[1:]}
    totals = {k: body.pop(k) for k in ("Totalbelopp", "Att disponera")}
    assert body == MALMO_KS_BY_DECISION_LINE
    assert totals == {"Totalbelopp": 15_000_000, "Att disponera": 15_000_000}


def test_scenario_deck_is_marked_draft_everywhere(scenario_deck):
    assert scenario_deck.draft and scenario_deck.scenario_name == "Mer till Utbildning"
    prs = _pptx(scenario_deck)
    for slide in prs.slides:
        texts = _texts(slide)
        assert "UTKAST" in texts
        assert any("Scenario: Mer till Utbildning" in t for t in texts)
    keys = [s.key for s in scenario_deck.slides]
    assert "scenario" in keys
    decision = next(s for s in scenario_deck.slides if s.key == "beslut").table
    assert decision["Belopp (kr)"].iloc[-2] == 15_100_000  # the added measure is in the total
    assert decision["Belopp (kr)"].iloc[-1] == 15_000_000


def test_docx_decision_table_text_sources_and_draft(malmo, scenario_deck):
    doc = Document(io.BytesIO(deck_docx.to_docx(malmo)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "sammanlagt 15\u00a0000\u00a0000\u00a0kr fördelat på 12 rader i beslutstabellen, av "
        "15\u00a0000\u00a0000\u00a0kr att disponera." in text
    )
    assert "dnr STK-2018-1233" in text and "Datum: 2026-11-23" in text
    [table] = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[-2][0] == "Totalbelopp" and rows[-2][1] == "15\u00a0000\u00a0000\u00a0kr"
    assert len(rows) == 1 + 12 + 2
    draft = Document(io.BytesIO(deck_docx.to_docx(scenario_deck)))
    draft_text = "\n".join(p.text for p in draft.paragraphs)
    assert "UTKAST – scenariot ”Mer till Utbildning”" in draft_text
    assert (  # the headline rule's words (insatskollen.core.key_figures.Balance)
        "Överfördelat med 100\u00a0000\u00a0kr (raderna summerar till 15\u00a0100\u00a0000\u00a0kr, "
        "ramen är 15\u00a0000\u00a0000\u00a0kr)." in draft_text
    )


def test_xlsx_one_sheet_per_view_with_numbers(malmo, scenario_deck):
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(malmo)))
    assert book.sheetnames[0] == "Om underlaget"
    assert "Fördelningsrader" in book.sheetnames
    decision = book[next(n for n in book.sheetnames if n.startswith("Beslut "))]
    values = {r[0].value: r[1] for r in decision.iter_rows(min_row=2)}
    assert values["Totalbelopp"].value == 15_000_000 and values["Totalbelopp"].data_type == "n"
    assert values["Totalbelopp"].number_format == table_files.SEK_FORMAT
    draft = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(scenario_deck)))
    about = {r[0].value: r[1].value for r in draft["Om underlaget"].iter_rows(min_row=2)}
    assert about["Status"] == "Utkast" and about["Scenario"] == "Mer till Utbildning"


def test_formula_injection_is_inert_in_csv_and_excel(scenario_deck):
    rows = scenario_deck.extra_sheets["Scenariorader"]
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(scenario_deck)))
    sheet = book["Scenariorader"]
    cells = {c.value: c for c in sheet["A"][1:]}
    assert '\'=HYPERLINK("http://x")' in cells and "'-1+1" in cells
    assert all(c.data_type == "s" for c in cells.values())
    amounts = [r[4].value for r in sheet.iter_rows(min_row=2)]
    assert 100_000 in amounts  # amounts stay numbers
    csv = table_files.to_csv(rows).decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in csv and "\n'-1+1;" in csv.replace("\r\n", "\n")


def _need_chromium():
    if deck_pdf.chromium_path() is None or shutil.which("pdftoppm") is None:
        if os.environ.get("INSATSKOLLEN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium eller pdftoppm saknas")
        pytest.skip("Chromium or poppler-utils not installed")


def test_pdf_pages_render_and_carry_titles_and_draft_mark(scenario_deck, tmp_path):
    _need_chromium()
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(deck_pdf.to_pdf(scenario_deck))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(deck_layout.pages(scenario_deck)) + 1
    assert all(p.stat().st_size > 2_000 for p in pages)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    for slide in scenario_deck.slides:
        assert slide.title in text
    assert text.count("UTKAST") == len(pages)
    assert "STK-2018-1233" in text


def test_png_of_a_chart(malmo):
    _need_chromium()
    png = deck_pdf.chart_png(malmo.slides[1].chart.figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_chromium_pdf_says_so_and_the_rest_works(malmo, monkeypatch):
    monkeypatch.setenv(deck_pdf.CHROMIUM_ENV, "/nonexistent/chromium")
    assert not deck_pdf.static_export_available()
    with pytest.raises(table_files.StaticExportUnavailable, match="kräver webbläsaren Chromium"):
        deck_pdf.to_pdf(malmo)
    assert deck_pptx.to_pptx(malmo)[:2] == b"PK" and deck_docx.to_docx(malmo)[:2] == b"PK"


def test_decision_slide_counts_committees_not_table_rows(malmo):
    """Malmö's decision table names Grundskolenämnden twice (once for the common school administration):
    11 nämnder, as Nämnder shows, and the table's 12 rows said as such."""
    ks = next(s for s in malmo.slides if s.key.startswith("beslut") and "KS anslag" in s.key)
    assert "till 11 nämnder (12 rader i beslutstabellen) ur KS anslag till förfogande" in ks.message


def test_xlsx_names_the_source_documents_by_title_and_sheets_by_whole_words(db, scenario_deck):
    """Källdokument said '002_6537151171d9247a.txt' (the stored file's name); it gives the document's title.
    Sheet names were cut at 31 characters mid-word ('Fördelning per prioriterat områ', 'Förslag till beslut -
    Statsbi 2'); they are shortened by meaning and stay unique."""
    deck = deck_module.from_filters(db, Filters(municipalities=("Södertälje",)), TODAY)
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))
    assert book.sheetnames == [
        "Om underlaget",
        "Nyckeltal",
        "Ram Södertälje 2018-2020",
        "Per område",
        "Per nämnd",
        "Från lägesbild till resultat",  # the plan chain (issue 26)
        "Beslut Tillväxtverket · 2018",
        "Beslut Tillväxtverket · 2019",
        "Beslut Tillväxtverket · 2020",
        "Förslag utan finansiering (13)",
        "Att känna till",
        "Fördelningsrader",
        "Ram för ram",
        "Tolkningar",
    ]
    lines = book["Fördelningsrader"]
    header = [c.value for c in lines[1]]
    documents = {r[header.index("Källdokument")].value for r in lines.iter_rows(min_row=2)}
    assert documents == {
        "Ansökan om statsbidrag till kommuners arbete för att minska segregationen, med bilaga 1: promemoria "
        "Satsning mot segregation"
    }
    malmo = load_workbook(
        io.BytesIO(deck_xlsx.to_xlsx(deck_module.from_filters(db, Filters(municipalities=("Malmö",)), TODAY)))
    )
    assert (
        "Beslut KS anslag · 2022" in malmo.sheetnames and "Beslut Socialstyrelsen · 2022" in malmo.sheetnames
    )
    scenario = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(scenario_deck)))
    assert "Beslut Malmö 2022 · KS anslag" in scenario.sheetnames
    assert "Scenario mot utgångsläget" in scenario.sheetnames
    rows = scenario["Scenariorader"]
    header = [c.value for c in rows[1]]
    titles = {r[header.index("Källdokument")].value for r in rows.iter_rows(min_row=2)} - {None}
    assert titles == {"Bilaga 1 ärende 2018-1233 Fördelning kommunstyrelsens medel – utökad redovisning"}
    for name in malmo.sheetnames + book.sheetnames + scenario.sheetnames:
        assert len(name) <= 31 and not name.endswith((" -", "–"))


def test_a_long_sheet_name_is_cut_between_words():
    assert (
        table_files.sheet_name("Fördelning per prioriterat område i kommunen") == "Fördelning per prioriterat"
    )
    assert table_files.sheet_name(
        "Fördelning per prioriterat område i kommunen", ["Fördelning per prioriterat"]
    ) == ("Fördelning per prioriterat 2")


def test_xlsx_prints_on_a4_landscape_one_page_wide_with_its_header_on_every_page(malmo):
    """Printed (or laid out by LibreOffice), a sheet ran over several US Letter pages in width, its columns cut
    apart; now every sheet is A4 landscape, one page wide, the header row repeated on every page."""
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(malmo)))
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (
            None,
            1,
        )  # 1: the default
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1", sheet.title
    # an amount is shown whole, not as "###": each kronor column is as wide as its widest amount with its spaces
    for sheet in book.worksheets:
        for column in sheet.iter_cols(min_row=1):
            if "(kr)" not in str(column[0].value):
                continue
            amounts = [c.value for c in column[1:] if isinstance(c.value, int | float)]
            widest = max((len(f"{v:,.0f} kr") for v in amounts), default=0)
            letter = column[0].column_letter
            assert sheet.column_dimensions[letter].width >= widest, (sheet.title, column[0].value, widest)
    # a long source name wraps in its column instead of running on to the right, where printing shrank the
    # whole page to fit it
    about = book["Om underlaget"]
    sources = [row for row in about.iter_rows(min_row=2) if row[0].value == "Källa"]
    assert sources and max(len(row[1].value) for row in sources) > table_files.MAX_COLUMN_WIDTH
    assert about.column_dimensions["B"].width <= table_files.MAX_COLUMN_WIDTH + 1
    assert all(row[1].alignment.wrap_text for row in sources)
    # and its row is as tall as its lines, or the second line is drawn over the next row
    for row in sources:
        assert about.row_dimensions[row[1].row].height >= 15 * 2, row[1].value
