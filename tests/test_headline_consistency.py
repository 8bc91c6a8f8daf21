"""One definition per headline figure: Översikt (AppTest), the deck's first slide, the PowerPoint, Word
and Excel exports and `check` show the same ram, fördelat, ofördelat and okänd fördelning for the same
filters. The expected numbers are worked out by hand from the documents (README, "Nyckeltal")."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from insatskollen import check, report
from insatskollen import deck as deck_module
from insatskollen.db import Database
from insatskollen.filters import Filters
from insatskollen.fmt import NBSP
from tests.conftest import ROOT

TODAY = date(2026, 11, 23)


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


# filters -> (ram, fördelat, ofördelat, ram med okänd fördelning), whole kronor; None = unknown
CASES = {
    # Ofördelat only over frame-years where frame and every line amount are known: Malmö 2022
    # (34 700 000 − 33 600 000) and Södertälje 2018–2020 (3 × (10 839 000 − 10 900 000)) = 917 000.
    # Linköping 2018–2020 (3 × 13 808 000) has no known line amounts: its allocation is unknown.
    # Motala's two frames have no amount. Södertälje's 13 proposals without funding are not lines.
    "alla": ((), (108_641_000, 66_300_000, 917_000, 41_424_000)),
    "Malmö": (("Malmö",), (34_700_000, 33_600_000, 1_100_000, 0)),
    "Linköping": (("Linköping",), (41_424_000, None, None, 41_424_000)),
}


def mnkr(value: int | None) -> str:
    from insatskollen import fmt

    return "okänt" if value is None else fmt.mnkr(value)


@pytest.fixture(scope="module")
def bundled_db():
    database = Database.open(":memory:")
    database.build(ROOT / "data")
    yield database
    database.close()


@pytest.mark.parametrize("case", list(CASES))
def test_overview_shows_the_defined_figures(case, fresh_streamlit):
    municipalities, (frame, allocated, unallocated, unknown) = CASES[case]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if municipalities:
        at.query_params["kommun"] = "|".join(municipalities)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Ramar att fördela"] == mnkr(frame)
    assert shown["Fördelat"] == mnkr(allocated)
    assert shown["Ofördelat"] == mnkr(unallocated)
    assert shown["Ram med okänd fördelning"] == mnkr(unknown)


@pytest.mark.parametrize("case", list(CASES))
def test_first_slide_and_every_export_show_the_same_figures(case, bundled_db):
    municipalities, (frame, allocated, unallocated, unknown) = CASES[case]
    deck = deck_module.from_filters(bundled_db, Filters(municipalities=municipalities), TODAY)
    first = deck.slides[0]
    assert first.key == "ram"
    message = first.message
    assert f"Av {mnkr(frame)}" in message
    if allocated is not None:
        assert f"är {mnkr(allocated)} fördelat" in message
    else:
        assert "fördelat är okänt" in message
    if unallocated is not None:
        assert f"{mnkr(unallocated)} återstår att fördela" in message
    if unknown:
        assert f"Fördelningen av {mnkr(unknown)} är okänd" in message

    expected = {
        "Ram": frame,
        "Fördelat": allocated,
        "Ofördelat": unallocated,
        "Ram med okänd fördelning": unknown,
    }
    # PowerPoint: the first content slide carries the same message
    prs = Presentation(io.BytesIO(report.to_pptx(deck)))
    texts = [s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame]
    assert message in texts
    # Excel: a "Nyckeltal" sheet with numbers as numbers (empty where unknown)
    book = load_workbook(io.BytesIO(report.to_xlsx(deck)))
    sheet = book["Nyckeltal"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {k: rows[k] for k in expected} == expected
    # Word: the same figures in a "Nyckeltal" section
    doc = Document(io.BytesIO(report.to_docx(deck)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Nyckeltal" in paragraphs
    for label, value in expected.items():
        from insatskollen import fmt

        assert f"{label}: {'okänt' if value is None else fmt.sek(value)}" in paragraphs


@pytest.mark.parametrize("case", list(CASES))
def test_check_prints_the_same_figures(case, bundled_db):
    municipalities, (frame, allocated, unallocated, unknown) = CASES[case]
    from insatskollen import fmt

    text = check.render(check.run(bundled_db, Filters(municipalities=municipalities)))
    for label, value in (
        ("Ram", frame),
        ("Fördelat", allocated),
        ("Ofördelat", unallocated),
        ("Ram med okänd fördelning", unknown),
    ):
        assert f"  {label}: {'okänt' if value is None else fmt.sek(value)}" in text


def test_pdf_first_slide_shows_the_same_figures(bundled_db, tmp_path):
    import shutil
    import subprocess

    if not report.static_export_available() or shutil.which("pdftotext") is None:
        if os.environ.get("INSATSKOLLEN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium eller pdftotext saknas")
        pytest.skip("PDF needs Chromium and poppler-utils")
    deck = deck_module.from_filters(bundled_db, Filters(), TODAY)
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(report.to_pdf(deck))
    page2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(page2.split())
    for part in (
        "Av 108,64 mnkr är 66,3 mnkr fördelat.",
        "0,92 mnkr återstår att fördela",
        "41,42 mnkr är okänd",
    ):
        assert part in flat.replace(NBSP, " "), flat
