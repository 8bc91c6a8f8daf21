"""Issue 23, item 3, in real Chromium: the Gävle official downloads the Excel template on Importera, fills in
eight measures (Källa "dnr KS 2025/0123") as Excel would save them, uploads the file without a word about
other sheets, imports it, and finds the file named by its name, dnr and date on Källor and Kommuner, with
its eight measures counted as eight. One page from start to end, moving by the sidebar as the official does.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests import browser_kit as kit
from tests.app.test_import_template import gavle_filled

pytestmark = pytest.mark.browser

JOURNEY = "template-dnr"
DNR = "KS 2025/0123"


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def test_the_template_downloaded_filled_and_imported_shows_its_dnr(live_server, chromium, tmp_path):
    page = kit.open_page(chromium, f"{live_server}/importera", width=1366, height=768)
    template = kit.download(
        page, page.get_by_role("button", name="Mall (Excel, med tillåtna värden)"), target_dir=tmp_path
    )
    assert template.name == "insatskollen-mall.xlsx"
    book = openpyxl.load_workbook(template)
    assert book["Insatser"].data_validations.dataValidation  # the lists came with the download
    gavle_filled(book, source=f"Kommunstyrelsen 2025-03-12, dnr {DNR}")
    filled = tmp_path / "gavle-2025.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    filled.write_bytes(buffer.getvalue())

    kit.upload(page, filled, then=kit.preview_heading(page))
    shown = text(page)
    assert "Bara bladet" not in shown and "dolda blad" not in shown  # the template's own lists are no news
    assert "Rader\n\n8" in shown or "Rader\n8" in shown
    # the grid draws only the columns in view (Dnr is the last, to the right): its first columns' rows
    preview = kit.grid_rows(page, "Insats")
    assert [row[1] for row in preview] == ["Gävle"] * 8
    kit.shot(page, JOURNEY, "01-forhandsgranskning")
    page.get_by_label("Ditt namn (loggas)").fill("Göran Gävle")
    page.get_by_label("Ditt namn (loggas)").press("Enter")
    kit.wait_idle(page)
    kit.click(page, "Importera")
    page.get_by_text("8 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)

    # The sidebar was drawn before the import (Gävle is offered from the next run on), and a table drawn for
    # every kommun keeps its column widths when narrowed to one (the columns read here would be out of
    # view): to Källor, Gävle chosen there, then Kommuner and Källor are each drawn for Gävle alone.
    kit.go_to(page, "Källor")
    kit.only_kommun(page, "Gävle")
    kit.go_to(page, "Kommuner")
    [frame] = kit.grid_rows(page, "Finansieringskälla")
    assert "import-" not in text(page)
    kit.shot(page, JOURNEY, "03-kommuner")
    kit.assert_no_error(page)

    kit.go_to(page, "Källor")  # Gävle still chosen
    [row] = kit.grid_rows(page, "Fördelningsrader")
    date = row[1]
    assert row == ["Gävle", date, DNR, "Importerad fil", "Importerad fil gavle-2025.xlsx", "1", "8", "8"]
    assert frame[-2:] == [DNR, f"Importerad fil gavle-2025.xlsx, {date}"]  # Kommuner's, with Källor's date
    assert "import-" not in text(page)
    kit.shot(page, JOURNEY, "02-kallor")
    kit.assert_no_error(page)
