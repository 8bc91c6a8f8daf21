"""Journey: an official downloads every export of data with hostile names, in real Chromium, and opens each
file. No cell anywhere is a formula that came from data (CSV, the table .xlsx, the deck's .xlsx, the PowerPoint
and the workbooks embedded in its charts, the Word file), the names read as they were written (a formula start
marked with an apostrophe), a character XML cannot hold is gone, and amounts stay numbers.

The data: an imported CSV whose nämnd and insats names the importer lets through (+46 …, -Fritidsnämnden, “- Kulturnämnden”, a
Markdown image: a formula start that is no formula; {=1+1} and +SUM(1) it refuses since the attack review), and a saved scenario, as an older database may hold it, whose lines carry the names the
importer refuses today (=HYPERLINK(…), @A1, a tab, U+FFFF)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_undo
from insatskollen.ingest import committer, previewer
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.browser.test_journey_presenter import open_panel
from tests.conftest import published_var

pytestmark = pytest.mark.browser
JOURNEY = "exporter"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "{=")
IMPORTED = """Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status
Malmö;2025;KS anslag till förfogande;1 000 000;+46 Trygghetsnämnden;Insats B;Boende;200 000;beslutad
Malmö;2025;KS anslag till förfogande;;-Fritidsnämnden;Insats C;Arbetsmarknad;150 000;beslutad
Malmö;2025;KS anslag till förfogande;;- Kulturnämnden;Insats D;Brottslighet;50 000;beslutad
Malmö;2025;KS anslag till förfogande;;![x](http://127.0.0.1:9/p.png);-Läxhjälp;Demokrati och civilsamhälle;250 000;beslutad
"""
# name in the data -> as every export must write it
IMPORTED_NAMES = {
    "+46 Trygghetsnämnden": "'+46 Trygghetsnämnden",
    "-Fritidsnämnden": "'-Fritidsnämnden",
    "- Kulturnämnden": "'- Kulturnämnden",
    "![x](http://127.0.0.1:9/p.png)": "![x](http://127.0.0.1:9/p.png)",
}
SCENARIO_NAMES = {
    '=HYPERLINK("http://x","klick")': '\'=HYPERLINK("http://x","klick")',
    "@A1": "'@A1",
    "\tx": "'\tx",
    "Titel\uffff": "Titel",
}
SCENARIO = "Plan +1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    path = tmp_path_factory.mktemp("exports") / "hostile.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "fientliga-namn.csv", IMPORTED.encode("utf-8")), author="Test")
    scenario = scenario_undo.Scenario.start(*store.baseline(db, "mal-ks", 2022))
    for i, name in enumerate(SCENARIO_NAMES):
        scenario.apply("Ny", sc.add_line, f"Insats {i}", name, "Utbildning", 100_000 * (i + 1))
    scenario_id = store.save_new(db, scenario, name=SCENARIO, author="Anna", frame_id="mal-ks", year=2022)
    db.close()
    base, process = kit.start_server(path)
    yield base, scenario_id
    kit.stop_server(process)


def _download(page, label: str, tmp_path: Path) -> Path:
    target = kit.download(page, page.get_by_role("button", name=label, exact=True).first, tmp_path)
    assert target.stat().st_size > 0
    return target


# ------------------------------------------------------------------ what is in a file


def _formula_cells(book, where: str) -> list:
    return [
        (where, sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _xlsx_texts(book) -> set[str]:
    return {c.value for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)}


def scan(path: Path) -> tuple[list, set[str]]:
    """(formula cells or fields, every text) of one export, whatever its format."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        texts = {field for row in rows for field in row}
        return [t for t in texts if t.lstrip(" ").startswith(FORMULA_START)], texts
    if path.suffix == ".xlsx":
        book = load_workbook(io.BytesIO(data))
        return _formula_cells(book, path.name), _xlsx_texts(book) | set(book.sheetnames)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
        # fields in Word/PowerPoint text (HYPERLINK and friends live in fldSimple / instrText)
        found = [path.name + ": field"] if ("instrText" in xml or "fldSimple" in xml) else []
        texts: set[str] = set()
        for name in archive.namelist():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                book = load_workbook(io.BytesIO(archive.read(name)))
                found += _formula_cells(book, name)
                texts |= _xlsx_texts(book)
    if path.suffix == ".pptx":
        for slide in Presentation(io.BytesIO(data)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts |= {p.text for p in shape.text_frame.paragraphs}
                if shape.has_table:
                    texts |= {c.text for row in shape.table.rows for c in row.cells}
                if shape.has_chart:
                    texts |= set(shape.chart.plots[0].categories)
    else:
        document = Document(io.BytesIO(data))
        texts |= {p.text for p in document.paragraphs}
        texts |= {c.text for t in document.tables for row in t.rows for c in row.cells}
    return found, texts


def _assert_clean(path: Path, expected: dict[str, str]) -> set[str]:
    formulas, texts = scan(path)
    assert formulas == [], f"{path.name}: formula cells from data: {formulas}"
    for raw, shown in expected.items():
        assert any(shown in t for t in texts), f"{path.name}: {shown!r} not found"
        if shown != raw and raw.strip() != shown.lstrip("'").strip():
            assert not any(raw in t for t in texts), f"{path.name}: {raw!r} written unneutralised"
    assert not any(ch in t for t in texts for ch in ("\uffff", "\ufffe", "\x00")), path.name
    return texts


# ------------------------------------------------------------------ the journey


def test_every_export_of_hostile_names_is_plain_text(server, chromium, tmp_path):
    base, scenario_id = server
    # One page in the module's shared context (it accepts downloads); each step opened by its link.
    # 1. Nämnder for the imported year: the chart's table and its CSV and Excel downloads.
    page = kit.open_page(chromium, f"{base}/namnder?kommun=Malmö&ar=2025")
    kit.assert_no_error(page)
    page.get_by_text("Visa som tabell och ladda ner").first.click()
    kit.wait_idle(page)
    kit.shot(page, JOURNEY, "1-namnder-tabell")
    csv_file = _download(page, "Ladda ner CSV", tmp_path)
    rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nämnd"
    by_name = {r[0]: r for r in rows[1:]}
    assert (
        "200000" in by_name["'+46 Trygghetsnämnden"] and "150000" in by_name["'-Fritidsnämnden"]
    )  # whole kronor, no ",0"
    _assert_clean(csv_file, IMPORTED_NAMES)
    xlsx_file = _download(page, "Ladda ner Excel", tmp_path)
    _assert_clean(xlsx_file, IMPORTED_NAMES)
    sheet = load_workbook(xlsx_file).worksheets[0]
    amounts = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    cell = next(c for c in amounts["'-Fritidsnämnden"][1:] if c.value == 150_000)
    assert cell.data_type == "n"  # amounts stay numbers

    # 2. The saved scenario's deck on Presentation: PowerPoint, Word, Excel, then the PDF.
    kit.load(page, f"{base}/presentation?scenario={scenario_id}")  # a new session: the scenario from the link
    page.wait_for_selector("h1.ik-title", timeout=60_000)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    assert f"Scenario: {SCENARIO}" in kit.main_text(page)
    kit.shot(page, JOURNEY, "2-presentation")
    open_panel(page)  # the exports live in "Underlag och export"
    pptx = kit.make_and_download(page, "PowerPoint", tmp_path)
    texts = _assert_clean(pptx, SCENARIO_NAMES)
    assert any(t.endswith(f"Scenario: {SCENARIO}") for t in texts)
    word = _assert_clean(kit.make_and_download(page, "Word", tmp_path), SCENARIO_NAMES)
    assert f"Scenario: {SCENARIO}" in word
    deck_xlsx = kit.make_and_download(page, "Excel", tmp_path)
    deck_texts = _assert_clean(deck_xlsx, SCENARIO_NAMES)
    assert SCENARIO in deck_texts
    book = load_workbook(deck_xlsx)
    lines = next(ws for ws in book.worksheets if ws.title == "Scenariorader")
    amounts = [r[4].value for r in lines.iter_rows(min_row=2)]
    assert {100_000, 200_000, 300_000, 400_000} <= set(amounts)

    kit.click(page, "Skapa PDF")
    page.get_by_role("button", name="Ladda ner PDF", exact=True).wait_for(timeout=120_000)
    kit.assert_no_error(page)
    kit.shot(page, JOURNEY, "3-pdf-klar")
    pdf = _download(page, "Ladda ner PDF", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.close()
