"""The yearly report for a municipality the documents never saw (issue 23, item 5): Gävle imports its 2025
frame of eight measures, the official reports three of them on the Uppföljning page, and the Word report
names each measure in its sources, fits A4 landscape and splits no word of its tables (rendered by
LibreOffice and read back with pdftotext)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pandas as pd
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

from insatskollen.core import yearly_report
from insatskollen.core.roles import Actor
from insatskollen.export import follow_up_report
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from insatskollen.ui import follow_up_entry
from tests import office_kit
from tests.conftest import published_var

ROW = "Gävle;2025;Statsbidrag Delmos;3 000 000;{};{};{};{};beslutad;dnr KS 2025/0123\n"
MEASURES = [
    ("Kommunstyrelsen", "Trygga mötesplatser i Sätra", "Brottslighet", "400 000"),
    ("Utbildningsnämnden", "Läxhjälp i Sätra", "Utbildning", ""),
    ("Arbetsmarknadsnämnden", "Jobbspår för unga vuxna", "Arbetsmarknad", "600 000"),
    ("Kommunstyrelsen", "Föreningsstöd i Andersberg", "Demokrati och civilsamhälle", "250 000"),
    ("Kultur- och fritidsnämnden", "Sommarlovsaktiviteter", "Demokrati och civilsamhälle", "300 000"),
    ("Samhällsbyggnadsnämnden", "Trygghetsvandringar och belysning", "Boende", "350 000"),
    ("Socialnämnden", "Familjecentral Nordost", "Utbildning", "450 000"),
    ("Kommunstyrelsen", "Språkcafé", "Arbetsmarknad", "150 000"),
]
GAVLE = "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status;Källa\n" + "".join(
    ROW.format(*m) for m in MEASURES
)
ERIK = Actor("Erik Berg", subject="sub-erik", email="erik@gavle.se")
REPORTED = {  # typed on the page, one report at a time
    "Trygga mötesplatser i Sätra": ("380 000", "genomförd", dt.date(2025, 12, 31), "Fyra mötesplatser"),
    "Läxhjälp i Sätra": ("120 000", "pågår", None, "Två kvällar i veckan"),
    "Föreningsstöd i Andersberg": ("260 000", "genomförd", dt.date(2025, 11, 30), "Elva föreningar"),
}


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> yearly_report.YearlyReport:
    db = Database.open(published_var(tmp_path_factory.mktemp("gavle") / "var"))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "gavle-2025.csv", GAVLE.encode()), author=ERIK)
    rows = db.query("follow_up", municipality_codes=["2180"], years=[2025])
    for title, (spent, status, when, result) in REPORTED.items():
        follow_up_entry.report(
            db,
            municipality="Gävle",
            item_id=rows.loc[rows.measure == title, "measure_id"].item(),
            year=2025,
            spent=spent,
            status=status,
            status_date=when,
            result=result,
            author=ERIK,
        )
    rows = db.query("follow_up_frame_year", frame_id=rows.frame_id.iloc[0], year=2025)
    built = yearly_report.build(
        rows,
        db.query("indicators", municipality="Gävle"),
        db.query("documents"),
        created=dt.date(2026, 1, 15),
    )
    db.close()
    return built


def _sources(word) -> list[str]:
    paragraphs = [_plain(p.text) for p in word.paragraphs]
    return paragraphs[paragraphs.index("Källor") + 1 :]


def test_each_source_names_its_measures_and_a_page_report_is_not_a_row_of_a_file(report):
    word = Document(io.BytesIO(follow_up_report.to_docx(report, "Vår text.")))
    sources = _sources(word)
    granted = [s for s in sources if s.startswith("Beviljat:")]
    assert len(granted) == 8
    # the dnr once: the file's Källa column already says it ("källa: dnr KS 2025/0123, KS 2025/0123")
    assert granted[1] == (
        "Beviljat: Importerad fil gavle-2025.csv, gavle-2025.csv rad 3, kolumn H (Belopp (kr)); "
        "källa: dnr KS 2025/0123 (1 insats: Läxhjälp i Sätra)"
    )
    reported = [s for s in sources if s.startswith("Utfall")]
    assert len(reported) == 3
    for line in reported:
        assert re.fullmatch(
            r"Utfall, genomförande och resultat: ifyllt på Uppföljningssidan av Erik Berg "
            r"\d{4}-\d\d-\d\d \d\d:\d\d \(1 insats: (.+)\)",
            line,
        ), line
    named = sorted(re.search(r"1 insats: (.+)\)$", s).group(1) for s in reported)
    assert named == sorted(REPORTED)
    assert not any("Uppföljningssidan rad" in s for s in sources)
    excel = report.sources[report.sources["Gäller"] != "Beviljat"]
    assert sorted(excel["Insatsernas namn"]) == sorted(REPORTED)
    assert set(excel["Avsnitt eller rader"]) == {"ifylld på sidan"}
    measures = report.measures.set_index("Insats")
    assert measures.loc["Läxhjälp i Sätra", "Källa rapport"].startswith("Uppföljningssidan, Erik Berg ")


def test_the_word_report_is_a4_landscape_with_columns_as_wide_as_their_longest_words(report):
    word = Document(io.BytesIO(follow_up_report.to_docx(report, "Vår text.")))
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    measures = word.tables[2]
    header = [c.text for c in measures.rows[0].cells]
    # no measure has document indicators: that column is left out; Datum and Resultat have values
    assert header == [
        "Insats",
        "Flaggor",
        "Nämnd",
        "Område",
        "Beviljat (kr)",
        "Utfall (kr)",
        "Avvikelse (kr)",
        "Genomförande",
        "Datum",
        "Resultat",
    ]
    width = sum(c.width for c in measures.rows[0].cells)
    assert width <= Cm(29.7 - 3.0) + Cm(0.01)  # the page less its margins (Word stores widths in twips)
    nämnd = measures.columns[2].cells[0].width
    size = measures.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
    # "Samhällsbyggnadsnämnden" (23 characters) fits its column at the table's font
    assert nämnd >= follow_up_report.WORD_CHAR * size / 9 * 23 + follow_up_report.WORD_CELL_MARGIN


@pytest.mark.skipif(not office_kit.available("pdftotext", "pdfinfo"), reason="LibreOffice/poppler")
def test_rendered_no_word_of_a_table_is_split_and_the_pages_are_a4_landscape(report, tmp_path):
    path = tmp_path / "aterrapportering-gavle-2025.docx"
    path.write_bytes(follow_up_report.to_docx(report, "Vår text."))
    pdf = office_kit.to_pdf(path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    tokens = set(_plain(text).split())
    word = Document(io.BytesIO(path.read_bytes()))
    words = {
        w
        for table in word.tables
        for row in table.rows
        for cell in row.cells
        for w in _plain(cell.text).split()
        if len(w) >= 5 and not w.endswith("-")
    }
    split = sorted(w for w in words if w not in tokens)
    assert split == []
    for name in (
        "Kommunstyrelsen",
        "Samhällsbyggnadsnämnden",
        "Arbetsmarknadsnämnden",
        "Sommarlovsaktiviteter",
    ):
        assert name in tokens
    assert "Kommunstyrels" not in tokens


def test_excel_sources_name_the_imported_file_its_dnr_and_date_never_its_internal_id(report):
    granted = report.sources[report.sources["Gäller"] == "Beviljat"]
    assert set(granted["Fil"]) == {"gavle-2025.csv"}  # it read "import-5c576651-2180"
    assert set(granted["Dnr"]) == {"KS 2025/0123"}
    assert set(granted["När"]) == {report.sources["När"].iloc[0]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", granted["När"].iloc[0])
    assert not any("import-" in str(v) for v in report.sources.to_numpy().ravel())
    measures = report.measures.set_index("Insats")
    # the dnr once here too: "…; källa: dnr KS 2025/0123 (KS 2025/0123)"
    assert measures.loc["Läxhjälp i Sätra", "Källa beviljat"] == (
        "gavle-2025.csv rad 3, kolumn H (Belopp (kr)); källa: dnr KS 2025/0123"
    )


def test_the_measures_carry_the_flags_of_the_page_in_word_and_excel(report):
    measures = report.measures.set_index("Insats")
    assert measures.loc["Föreningsstöd i Andersberg", "Flaggor"] == "Överskriden"  # 260 000 of 250 000
    assert measures.loc["Språkcafé", "Flaggor"] == "Ingen rapport"
    assert pd.isna(measures.loc["Trygga mötesplatser i Sätra", "Flaggor"])  # no flag
    word = Document(io.BytesIO(follow_up_report.to_docx(report, "Vår text.")))
    table = word.tables[2]
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert rows["Föreningsstöd i Andersberg"] == "Överskriden"
    assert rows["Språkcafé"] == "Ingen rapport"
    # the header row is kept with the first row and repeats on a new page
    header = table.rows[0]
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in header.cells)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    # and no row is split over two pages (the first row was: "Feriejobb" on page 1, "Andersberg" on page 2)
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
