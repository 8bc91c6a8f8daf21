"""Journey: an official downloads the exports of data with hostile names, in real Chromium, and opens each
file: Nämnder's table as CSV and Excel. No cell is a formula that came from data, the names read as they were
written (a formula start marked with an apostrophe), a character XML cannot hold is gone, and amounts stay numbers.

The data: an imported CSV whose nämnd and insats names the importer lets through (+46 …, -Fritidsnämnden, “-
Kulturnämnden”, a Markdown image: a formula start that is no formula; {=1+1} and +SUM(1) it refuses since the
attack review). The deck's files (PowerPoint and the workbooks embedded in its charts, Word, the deck's Excel, the
PDF) of a scenario whose lines carry the names the importer refuses today (=HYPERLINK(…), @A1, a tab, U+FFFF) are
made and read without a browser in tests/store/test_export_safety.py, with this module's `scan`; each deck file
downloaded through the browser: test_journey_presenter.py."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from tests import browser_kit as kit
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    path = tmp_path_factory.mktemp("exports") / "hostile.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "fientliga-namn.csv", IMPORTED.encode("utf-8")), author="Test")
    db.close()
    base, process = kit.start_server(path)
    yield base
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
    base = server
    # One page in the module's shared context (it accepts downloads), opened by its link: Nämnder for the
    # imported year, the chart's table and its CSV and Excel downloads.
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
    page.close()
