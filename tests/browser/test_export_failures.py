"""An export that fails says so in Swedish on the page (which file, and what to do), is logged with its
details, and never shows a traceback or hands out an empty file; the other formats still work."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from insatskollen.export import deck_pdf, deck_pptx, table_files
from tests.app_kit import open_app


@pytest.fixture(autouse=True)
def fresh(fresh_streamlit):
    return fresh_streamlit


def _open(page: str, query: dict) -> AppTest:
    return open_app(page, query, timeout=90)


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _broken(*args, **kwargs):
    raise ValueError("All strings must be XML compatible")


def test_failure_text_names_the_file_and_the_cause():
    assert table_files.failure_text("PowerPoint", ValueError("x")) == (
        "PowerPoint-filen kunde inte skapas: ett oväntat fel uppstod när filen skrevs. "
        "Felet är loggat på servern; de andra formaten går att ladda ner."
    )
    timeout = subprocess.TimeoutExpired(["chromium"], 120)
    assert table_files.failure_text("PDF", timeout).startswith(
        "PDF-filen kunde inte skapas: Chromium blev inte klar"
    )
    missing = table_files.StaticExportUnavailable(deck_pdf.NO_CHROMIUM)
    assert table_files.failure_text("PDF", missing) == f"PDF-filen kunde inte skapas: {deck_pdf.NO_CHROMIUM}"


def test_a_failing_powerpoint_export_is_said_in_swedish_and_word_still_works(monkeypatch, caplog):
    monkeypatch.setattr(deck_pptx, "to_pptx", _broken)
    at = _open("pages/presentation.py", {"kommun": "Malmö", "kalla": "KS anslag till förfogande"})
    assert _errors(at) == []  # the files are made on a click
    at = at.button(key="exp_make_PowerPoint").click().run()
    assert not at.exception
    assert _errors(at) == [
        "PowerPoint-filen kunde inte skapas: ett oväntat fel uppstod när filen skrevs. "
        "Felet är loggat på servern; de andra formaten går att ladda ner."
    ]
    assert "All strings must be XML compatible" in caplog.text  # the details are in the log, not on the page
    assert "Ladda ner PowerPoint" not in [b.proto.label for b in at.get("download_button")]
    at = at.button(key="exp_make_Word").click().run()
    assert "Ladda ner Word" in [b.proto.label for b in at.get("download_button")]


def test_a_failing_pdf_is_said_after_the_click(monkeypatch):
    def no_print(deck, timeout=120):
        raise subprocess.CalledProcessError(1, ["chromium"])

    monkeypatch.setattr(deck_pdf, "static_export_available", lambda: True)
    monkeypatch.setattr(deck_pdf, "to_pdf", no_print)
    at = _open("pages/presentation.py", {"kommun": "Malmö", "kalla": "KS anslag till förfogande"})
    assert _errors(at) == []
    at = at.button(key="exp_make_PDF").click().run()
    assert not at.exception
    assert _errors(at) == [
        "PDF-filen kunde inte skapas: Chromium kunde inte skriva ut presentationen. "
        "Felet är loggat på servern; de andra formaten går att ladda ner."
    ]
    assert "Ladda ner PDF" not in [b.proto.label for b in at.get("download_button")]


def test_a_failing_table_download_is_said_where_the_button_was(monkeypatch):
    monkeypatch.setattr(table_files, "to_xlsx", _broken)
    at = _open("pages/oversikt.py", {"kommun": "Malmö"})
    errors = _errors(at)
    assert errors and set(errors) == {
        "Excel-filen kunde inte skapas: ett oväntat fel uppstod när filen skrevs. "
        "Felet är loggat på servern; de andra formaten går att ladda ner."
    }
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner CSV" in labels and "Ladda ner Excel" not in labels


def _large_table_page():
    import pandas as pd

    from insatskollen.ui import downloads

    rows = 1_500
    table = pd.DataFrame({"Kommun": [f"Kommun {i:04d}" for i in range(rows)], "Ram (kr)": range(rows)})
    downloads.download_buttons(table, "stor-tabell", key="big")


def test_a_large_tables_excel_is_made_on_a_click_and_holds_every_row(fresh_streamlit):
    """Above EAGER_EXCEL_ROWS the Excel file is not written on every rerun (it took longer than the rest of the
    national Översikt); the person clicks "Skapa Excel (1 500 rader)" and gets every row, amounts as numbers."""
    at = AppTest.from_function(_large_table_page, default_timeout=60).run()
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner CSV"]
    make = at.button(key="exp_make_big_xlsx")
    assert make.label == "Skapa Excel (1\u00a0500 rader)"  # a no-break space, as every Swedish number
    at = make.click().run()
    assert not at.exception and _errors(at) == []
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner CSV", "Ladda ner Excel"]
    made = at.session_state["_made_files"]["big_xlsx"][1]
    sheet = load_workbook(io.BytesIO(made)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Kommun", "Ram (kr)")
    assert len(rows) == 1 + 1_500 and rows[-1] == ("Kommun 1499", 1499)
