"""Exports never execute or break on data: every cell and text an export writes is neutralised (no formula
from data, in CSV, .xlsx, the workbook embedded in each PowerPoint chart, DOCX and PPTX text), characters
XML cannot hold are stripped, and amounts stay numbers. Exact output, opened with the files' own libraries."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pandas as pd
import pytest
from docx import Document
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pptx import Presentation

from insatskollen.core import scenario as sc
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_pdf, deck_pptx, deck_xlsx, scenario_deck, table_files
from insatskollen.store import scenario_store as store

TODAY = date(2026, 11, 24)
# hostile value -> what a person must read in every export (a leading apostrophe marks neutralised text)
HOSTILE = {
    '=HYPERLINK("http://x","klick")': '\'=HYPERLINK("http://x","klick")',
    "{=1+1}": "'{=1+1}",
    "+SUM(1)": "'+SUM(1)",
    "-1+1": "'-1+1",
    "@A1": "'@A1",
    "\tx": "'\tx",
    "  =2+2": "'  =2+2",
    "Titel\uffff": "Titel",
    "Nämnd\x00\x07\x0b\x0c\x1f\ufffe": "Nämnd",
    "![x](http://127.0.0.1:9/p.png)": "![x](http://127.0.0.1:9/p.png)",
}
AREAS = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]


def _line_from_old_data(state, label, committee, area, amount):
    """A line as it may sit in data saved before input refused such characters (add_line refuses them now)."""
    line = sc.Line(f"gammal-{len(state.lines)}", label, committee, area, amount, added=True)
    return sc.State(state.frame_amount, (*state.lines, line))


@pytest.fixture(scope="module")
def hostile_deck(db):
    """A Malmö 2022 scenario whose new lines carry hostile nämnd and measure names, with a hostile title."""
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    for i, name in enumerate(HOSTILE):
        amount = 10_000 * (i + 1)
        scenario.apply("Ny", _line_from_old_data, f"{name} insats", name, AREAS[i % 5], amount)
    return scenario_deck.from_scenario(
        db,
        "=Scenario\uffff",
        "Malmö 2022 · KS anslag till förfogande",
        "Malmö",
        2022,
        scenario,
        ("Källa",),
        TODAY,
    )


def test_neutralise_text_and_keeps_numbers():
    for value, expected in HOSTILE.items():
        assert table_files.neutralise(value) == expected
    assert table_files.neutralise(1_000_000) == 1_000_000
    assert table_files.neutralise("Utbildningsnämnden") == "Utbildningsnämnden"
    assert table_files.neutralise("Kr\x01ona") == "Krona"
    assert table_files.neutralise("=Ens\ud800am") == "'=Ensam"  # a lone surrogate (never valid in a file)


def _all_cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_no_formula(book, where: str) -> None:
    formulas = [(c.parent.title, c.coordinate, c.value) for c in _all_cells(book) if c.data_type == "f"]
    assert formulas == [], f"formula cells in {where}: {formulas}"


def test_csv_and_table_xlsx_write_hostile_text_as_text():
    table = pd.DataFrame({"Nämnd": list(HOSTILE), "Belopp (kr)": range(1, len(HOSTILE) + 1)})
    csv = table_files.to_csv(table).decode("utf-8-sig")
    assert "\ufffe" not in csv and "\x00" not in csv and "\uffff" not in csv
    assert "'{=1+1};2\r\n" in csv and "'\tx;6\r\n" in csv and "Titel;8\r\n" in csv
    book = load_workbook(io.BytesIO(table_files.to_xlsx({"=Blad[1]:*?/\\": table, "=Blad[1]": table})))
    _assert_no_formula(book, "table xlsx")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet["A"][1:]] == list(HOSTILE.values())
    assert [c.value for c in sheet["B"][1:]] == list(range(1, len(HOSTILE) + 1))
    assert all(c.data_type == "n" for c in sheet["B"][1:])
    names = book.sheetnames
    assert len(set(names)) == 2 and all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\") and not any(n[0] in "=+-@'" for n in names)


def test_sheet_names_are_unique_short_and_plain():
    long = "Förslag till beslut per nämnd för Malmö 2022"
    book = load_workbook(
        io.BytesIO(table_files.to_xlsx({long: pd.DataFrame({"a": [1]}), long + " 2": pd.DataFrame()}))
    )
    assert len(set(book.sheetnames)) == 2 and all(len(n) <= 31 for n in book.sheetnames)


def test_deck_xlsx_has_no_formula_and_exact_text(hostile_deck):
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(hostile_deck)))
    _assert_no_formula(book, "deck xlsx")
    about = {r[0].value: r[1].value for r in book["Om underlaget"].iter_rows(min_row=2)}
    assert about["Scenario"] == "'=Scenario"
    texts = {c.value for c in _all_cells(book) if isinstance(c.value, str)}
    for expected in HOSTILE.values():
        assert expected in texts
    for bad in ("\uffff", "\ufffe", "\x00"):
        assert not any(bad in t for t in texts)


def _embedded_books(pptx_bytes: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(pptx_bytes)) as archive:
        names = [n for n in archive.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        return [load_workbook(io.BytesIO(archive.read(n))) for n in names]


def test_pptx_chart_workbooks_and_text_never_hold_a_formula(hostile_deck):
    data = deck_pptx.to_pptx(hostile_deck)
    books = _embedded_books(data)
    assert books, "the deck has native charts with embedded workbooks"
    categories = set()
    for book in books:
        _assert_no_formula(book, "embedded chart workbook")
        categories |= {c.value for c in book.worksheets[0]["A"][1:]}
    for expected in HOSTILE.values():
        assert expected in categories
    deck = Presentation(io.BytesIO(data))
    chart_categories = set()
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                chart_categories |= set(shape.chart.plots[0].categories)
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    for expected in HOSTILE.values():
        assert expected in chart_categories
    assert any(t.endswith("Scenario: =Scenario") for t in texts)  # inside a sentence, XML-clean
    assert not any(ch in t for t in texts for ch in ("\uffff", "\ufffe", "\x00"))


def test_docx_text_is_neutralised_and_clean(hostile_deck):
    document = Document(io.BytesIO(deck_docx.to_docx(hostile_deck)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Scenario: =Scenario" in paragraphs
    assert paragraphs[1] == "UTKAST – scenariot ”=Scenario” är inte beslutat underlag."
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for expected in HOSTILE.values():  # every name as a person must read it: a formula start marked
        assert any(expected in t for t in paragraphs + cells), expected
    assert not any(ch in t for t in paragraphs + cells for ch in ("\uffff", "\ufffe", "\x00"))


def test_a_title_with_uffff_from_an_old_database_never_breaks_an_export():
    slide = deck_module.Slide(
        key="namnder",
        title="Per nämnd\uffff",
        message="=1+1\x00",
        categories=("Titel\uffff", "=A1"),
        series=(("Belopp\ufffe (kr)", (1.0, 2.0)),),
        table=pd.DataFrame({"Nämnd": ["Titel\uffff", "@x"], "Belopp (kr)": [1, 2]}),
    )
    deck = deck_module.Deck(
        title="Ny insats\x07\uffff", scope="+urval", slides=(slide,), sources=("-källa",), created=TODAY
    )
    pptx = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    assert pptx.slides[0].shapes[0].text_frame.text == "Ny insats"
    assert pptx.slides[0].shapes[1].text_frame.text == "'+urval"
    texts = [shape.text_frame.text for shape in pptx.slides[1].shapes if shape.has_text_frame]
    assert texts[:2] == ["Per nämnd", "'=1+1"]
    docx = Document(io.BytesIO(deck_docx.to_docx(deck)))
    assert docx.paragraphs[0].text == "Ny insats"
    book = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))
    _assert_no_formula(book, "deck xlsx")
    assert book["Per nämnd"]["A2"].value == "Titel" and book["Per nämnd"]["B2"].value == 1


def test_page_and_pdf_tables_show_names_as_written():
    """No spreadsheet reads the slide's HTML (the page and the PDF): names are escaped, not apostrophed."""
    table = pd.DataFrame({"Nämnd": ["+SUM(1)", "<b>x</b>", "Titel\uffff"], "Belopp (kr)": [1, 2, None]})
    html = deck_pdf.table_html(table)
    assert '<td class="">+SUM(1)</td>' in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert '<td class="">Titel</td>' in html and "belopp saknas" in html


def test_pdf_draws_the_chart_of_hostile_names(hostile_deck, tmp_path):
    """A name with U+FFFF in a chart must not break the chart's SVG in the PDF (the alt text would show)."""
    if not deck_pdf.static_export_available() or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and poppler-utils")
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(deck_pdf.to_pdf(hostile_deck))
    page = (
        next(i for i, s in enumerate(hostile_deck.slides) if s.key == "namnder") + 2
    )  # after the title page
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Fördelning per nämnd" in text
    assert "Stapeldiagram" not in text  # the alt text shows only when the image is broken
    assert "Titel" in text and "HYPERLINK" in text  # the names, drawn in the chart


def test_no_export_format_holds_a_formula_from_data(hostile_deck, tmp_path):
    """The issue's Done-when line, without a browser: every format scanned by the journey's own scanner."""
    from tests.browser.test_journey_exports import scan

    table = hostile_deck.extra_sheets["Scenariorader"]
    files = {
        "rader.csv": table_files.to_csv(table),
        "rader.xlsx": table_files.to_xlsx({"Scenariorader": table}),
        "deck.xlsx": deck_xlsx.to_xlsx(hostile_deck),
        "deck.pptx": deck_pptx.to_pptx(hostile_deck),
        "deck.docx": deck_docx.to_docx(hostile_deck),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        formulas, texts = scan(path)
        assert formulas == [], (name, formulas)
        assert any("'+SUM(1)" in t for t in texts), name


# Found by this test (2026-12-06): a formula behind a no-break space, an invisible character or in fullwidth
# was neutralised cell by cell but not by the vectorised path; kept as fixed examples.
@example(st_text=["\xa0=1", "\u200b=1+1", "＝HYPERLINK(1)", "\u3000+1", "(=1)", "Å=1"])
@settings(max_examples=300, deadline=None)
@given(
    st_text=st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
            st.sampled_from(["=1", " +x", "{=A1}", "{a", "\tx", "a\x01", "x\ufffe", " - 3", "@", "ok"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_text_column_is_neutralised_exactly_as_cell_by_cell(st_text):
    """The vectorised path for pandas' Arrow-backed text columns (issue 16: 45 ms -> 5 ms on a national
    table) changes exactly the values `neutralise` changes, and nothing else."""
    column = pd.Series(st_text, dtype="str")
    fast = table_files._neutralise_text(column)
    slow = column.map(table_files.neutralise)
    assert [None if pd.isna(v) else v for v in fast] == [None if pd.isna(v) else v for v in slow]


def test_unusual_columns_are_exported_instead_of_failing():
    """Found by the export attack (issue 16): an Arrow integer column went down the text shortcut, an infinite
    amount in a '(kr)' column and a list from DuckDB (a numpy array) stopped both files."""
    import numpy as np
    import pyarrow as pa

    table = pd.DataFrame(
        {
            "Belopp (kr)": [1.0, float("inf"), None],
            "Antal": pd.Series([1, 2, 3], dtype=pd.ArrowDtype(pa.int64())),
            "Rader": [np.array(["a1", "=a2"]), np.array(["x"]), None],
        }
    )
    assert table_files.to_csv(table).decode("utf-8-sig").splitlines()[1:3] == [
        "1,0;1;['a1' '=a2']",
        "inf;2;['x']",
    ]
    sheet = load_workbook(io.BytesIO(table_files.to_xlsx({"t": table}))).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert rows == [[1, 1, "a1, =a2"], ["inf", 2, "x"], [None, 3, None]]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_a_tables_files_are_cached_by_a_fingerprint_of_every_value_name_and_type():
    """The download cache's key (insatskollen.ui.downloads._table_file): a changed amount, an unknown instead of
    0, a renamed column or another type is another file; the same table is the same file."""
    base = pd.DataFrame({"Område": ["Boende", "Utbildning"], "Belopp (kr)": [100.0, 200.0]})
    same = pd.DataFrame({"Område": ["Boende", "Utbildning"], "Belopp (kr)": [100.0, 200.0]})
    variants = [
        base.assign(**{"Belopp (kr)": [100.0, 201.0]}),
        base.assign(**{"Belopp (kr)": [100.0, None]}),
        base.assign(**{"Belopp (kr)": [100.0, 0.0]}),
        base.rename(columns={"Belopp (kr)": "Belopp"}),
        base.astype({"Belopp (kr)": "Int64"}),
        base.iloc[::-1],
    ]
    prints = [table_files.fingerprint(t) for t in [base, *variants]]
    assert table_files.fingerprint(same) == prints[0]
    assert len(set(prints)) == len(prints)
    # a column Arrow cannot hold (mixed Python objects) still has a fingerprint, and a changed value changes it
    mixed = pd.DataFrame({"x": [1, "två", None]}, dtype=object)
    assert table_files.fingerprint(mixed) != table_files.fingerprint(mixed.replace({"två": "tre"}))


def test_chart_images_asked_for_by_two_sessions_at_once_are_each_their_own():
    """Kaleido's browser is kept running per process (deck_pdf._kaleido_server) and answers on one shared queue:
    images made at the same time from four threads (four sessions exporting) are each the one asked for."""
    from concurrent.futures import ThreadPoolExecutor

    import plotly.graph_objects as go

    if not deck_pdf.static_export_available():
        pytest.skip("Chromium is not installed")
    figures = [
        go.Figure(go.Bar(x=[n * 1000], y=[name], orientation="h"))
        for n, name in enumerate(["Boende", "Utbildning", "Arbetsmarknad", "Brottslighet"], start=1)
    ]
    alone = [deck_pdf.chart_png(f, width=500, height=300) for f in figures]
    assert len(set(alone)) == len(alone)  # four different images
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda f: deck_pdf.chart_png(f, width=500, height=300), figures * 2))
    assert together == alone * 2
