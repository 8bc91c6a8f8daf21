"""The yearly report (återrapportering, issue 15 item 5): built from follow-up files imported through the
import path, opened as Word and Excel, and read the way the official and the grantor read them. Expected
amounts are worked out by hand from data/allocations.csv (Malmö: Bilaga 1 to STK-2018-1233)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from insatskollen.core import roles, yearly_report
from insatskollen.core.roles import Actor
from insatskollen.export import follow_up_report, table_files
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from insatskollen.ui import auth
from insatskollen.ui.follow_up_report_view import EDITED_LABEL, TEXT_LABEL
from tests.app_kit import open_app
from tests.conftest import ROOT, published_var

HEADER = "Kommun;Insats-id;Insats;År;Utfall (kr);Genomförande;Datum;Resultat\n"
# Malmö KS 2022 (19 measures, 15 000 000 kr granted, every amount known):
# mal-05 Förskolenämnden/Utbildning 320 000; mal-08 Hemmasittare and mal-06 Trygga barnet
# Grundskolenämnden/Utbildning 1 500 000 and 500 000; mal-01 Thaiwise Arbetsmarknads- och
# socialnämnden/Arbetsmarknad 1 000 000. Hemmasittare's result looks like a formula on purpose (the import
# lets "+…" through; it refuses "=…" and "@…", which `_report(..., formulas=True)` puts into the rows).
MALMO = (
    HEADER
    + "Malmö;mal-05;;2022;350 000;genomförd;2022-12-31;Musik i 12 förskolor\n"
    + "Malmö;mal-08;;2022;300 000;pågår;2022-06-30;-Frånvaron minskade\n"
    + "Malmö;mal-06;;2022;;ej påbörjad;;\n"
    + "Malmö;mal-01;;2022;400 000;avbruten;2022-09-30;Avbröts när samarbetet upphörde\n"
)
# Linköping 2018: no measure has a granted amount (Tabell 1 gives none); lkp-01 Boende, lkp-10 Arbetsmarknad
LINKOPING = (
    HEADER
    + "Linköping;lkp-01;;2018;90 000;pågår;;Två samråd\n"
    + "Linköping;lkp-10;;2018;200 000;genomförd;2018-12-31;\n"
)
ANNA = Actor("Anna Andersson", subject="sub-anna", email="anna@malmo.se")
TODAY = dt.date(2026, 11, 24)


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = Database.open(published_var(tmp_path_factory.mktemp("report") / "var"))
    db.ensure_built()
    for name, text in (("uppfoljning-malmo-2022.csv", MALMO), ("uppfoljning-lkp-2018.csv", LINKOPING)):
        committer.commit(db, previewer.preview(db, name, text.encode()), author=ANNA)
    yield db
    db.close()


FORMULAS = {"mal-05": '=HYPERLINK("http://example.com","klick")', "mal-06": "@A1"}


def _report(
    db, frame_id: str, year: int, municipality: str, formulas: bool = False
) -> yearly_report.YearlyReport:
    rows = db.query("follow_up_frame_year", frame_id=frame_id, year=year)
    if formulas:  # results stored some other way (an older import, the database edited): still text
        for measure_id, result in FORMULAS.items():
            rows.loc[rows.measure_id == measure_id, "result"] = result
    return yearly_report.build(
        rows,
        db.query("indicators", municipality=municipality),
        db.query("documents"),
        created=TODAY,
    )


def _sheet(workbook, name: str) -> dict[str, list]:
    """A sheet as {first cell: row}, header row under 'header'."""
    rows = list(workbook[name].iter_rows(values_only=True))
    return {"header": list(rows[0]), **{str(r[0]): list(r) for r in rows[1:]}}


def _cells(workbook, name: str, key: str, *columns: str) -> list:
    sheet = _sheet(workbook, name)
    return [sheet[key][sheet["header"].index(c)] for c in columns]


def _word_tables(document) -> list[list[list[str]]]:
    return [[[_plain(c.text) for c in row.cells] for row in t.rows] for t in document.tables]


def test_the_excel_report_has_every_measure_the_totals_per_area_and_namnd_and_the_sources(db):
    report = _report(db, "mal-ks", 2022, "Malmö", formulas=True)
    paragraph = "Stadskontoret redovisar 2022 års insatser.\n\n=Andra stycket"
    book = load_workbook(io.BytesIO(follow_up_report.to_xlsx(report, paragraph)))
    assert book.sheetnames == [
        "Återrapportering",
        "Insatser",
        "Per område",
        "Per nämnd",
        "Indikatorer",
        "Nyckeltal (Kolada)",
        "Källor",
    ]
    lead = _sheet(book, "Återrapportering")
    assert lead["Rapport"][1] == "Återrapportering Malmö 2022"
    assert lead["Sammanfattning"][1] == "Stadskontoret redovisar 2022 års insatser.\n\n=Andra stycket"
    assert "Status" not in lead  # edited: no draft mark

    measures = _sheet(book, "Insatser")
    assert len(measures) - 1 == 19  # every measure of the frame-year, reported or not
    columns = ("Nämnd", "Område", "Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)", "Genomförande", "Datum")
    assert _cells(book, "Insatser", "Utvecklingsprojekt i musik i förskolan", *columns) == [
        "Förskolenämnden",
        "Utbildning",
        320_000,
        350_000,
        30_000,
        "genomförd",
        dt.datetime(2022, 12, 31),
    ]
    assert _cells(book, "Insatser", "Trygga barnet", "Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)") == [
        500_000,
        None,  # unknown stays empty, never 0
        None,
    ]
    assert _cells(book, "Insatser", "Mammakraft", "Genomförande", "Utfall (kr)") == ["ingen rapport", None]
    # formula-looking results stay text: a leading apostrophe, stored as a string, never as a formula
    for measure, result in (
        ("Utvecklingsprojekt i musik i förskolan", '\'=HYPERLINK("http://example.com","klick")'),
        ("Hemmasittare", "'-Frånvaron minskade"),
        ("Trygga barnet", "'@A1"),
    ):
        assert _cells(book, "Insatser", measure, "Resultat") == [result]
    sheet = book["Insatser"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet.cell(2, measures["header"].index("Beviljat (kr)") + 1).number_format == '#,##0 "kr"'

    # by hand: Utbildning 6 620 000 granted (8 measures); spent 350 000 + 300 000, six unknown;
    # deviation over the two known: +30 000 − 1 200 000
    area = (
        "Insatser",
        "Beviljat (kr)",
        "Beviljat",
        "Utfall (kr)",
        "Utfall",
        "Avvikelse där båda är kända (kr)",
    )
    assert _cells(book, "Per område", "Utbildning", *area) == [
        8,
        6_620_000,
        "6 620 000 kr".replace(" ", "\xa0"),
        650_000,
        "minst 650\xa0000\xa0kr (6 insatser med okänt belopp)",
        -1_170_000,
    ]
    assert _cells(book, "Per område", "Boende", "Beviljat (kr)", "Utfall (kr)", "Utfall") == [
        2_080_000,
        None,
        "okänt",
    ]
    assert _cells(book, "Per område", "Totalt", *area) == [
        19,
        15_000_000,
        "15\xa0000\xa0000\xa0kr",
        1_050_000,
        "minst 1\xa0050\xa0000\xa0kr (16 insatser med okänt belopp)",
        -1_770_000,
    ]
    assert _cells(book, "Per nämnd", "Grundskolenämnden", *area) == [
        6,
        5_050_000,
        "5\xa0050\xa0000\xa0kr",
        300_000,
        "minst 300\xa0000\xa0kr (5 insatser med okänt belopp)",
        -1_200_000,
    ]
    assert _cells(book, "Per nämnd", "Arbetsmarknads- och socialnämnden", "Beviljat (kr)", "Utfall (kr)") == [
        1_300_000,
        400_000,
    ]
    assert list(_sheet(book, "Per nämnd"))[-1] == "Totalt"

    sources = [r for r in book["Källor"].iter_rows(values_only=True)][1:]
    assert next(r[:8] for r in sources if r[0] == "Beviljat") == (
        "Beviljat",
        "Bilaga 1 ärende 2018-1233 Fördelning kommunstyrelsens medel – utökad redovisning",
        "002_6537151171d9247a.txt",
        "Slutligt förslag på fördelning av kommunstyrelsens medel",
        "STK-2018-1233",
        None,
        None,
        19,
    )
    reported = [r for r in sources if r[0] != "Beviljat"]
    # each source names its measures (issue 23, item 5), a file's with their rows
    assert [(r[2], r[3], r[5], r[7], r[8]) for r in reported] == [
        (
            "uppfoljning-malmo-2022.csv",
            "rad 2, 3, 4, 5",
            "Anna Andersson",
            4,
            "Utvecklingsprojekt i musik i förskolan (rad 2); Hemmasittare (rad 3); Trygga barnet (rad 4); "
            "Thaiwise (rad 5)",
        )
    ]
    assert reported[0][6].startswith("20")  # when, Swedish local time


def test_a_paragraph_longer_than_an_excel_cell_goes_on_consecutive_rows_with_nothing_lost(db):
    """Issue 21: Excel holds 32 767 characters in a cell and the paragraph was cut there without a word.
    Now it is split after a line break or a space, on rows that say which part they are."""
    report = _report(db, "mal-ks", 2022, "Malmö")
    stycke = "Förskolenämnden har genomfört insatsen enligt plan och rapporterat utfallet. " * 60 + "\n"
    paragraph = stycke * 16  # 72 976 characters
    book = load_workbook(io.BytesIO(follow_up_report.to_xlsx(report, paragraph)))
    rows = [r for r in book["Återrapportering"].iter_rows(values_only=True) if str(r[0]).startswith("Samman")]
    assert [r[0] for r in rows] == [
        "Sammanfattning (del 1 av 3)",
        "Sammanfattning (del 2 av 3)",
        "Sammanfattning (del 3 av 3)",
    ]
    assert "".join(r[1] for r in rows) == paragraph
    assert all(r[1].endswith("\n") for r in rows)  # cut where a line ends
    assert max(len(r[1]) for r in rows) <= 32_767
    # each part's row is as tall as Excel allows (409 points), not the ~8 000 its lines would take
    sheet = book["Återrapportering"]
    tall = [sheet.row_dimensions[c.row].height for c in sheet["A"] if str(c.value).startswith("Samman")]
    assert len(tall) == 3 and all(400 < h <= table_files.MAX_ROW_POINTS for h in tall), tall


def test_excel_parts_count_characters_outside_the_bmp_twice_and_cut_a_text_without_spaces():
    assert follow_up_report.excel_parts("kort text") == ["kort text"]
    emoji = "😀" * 20_000  # 40 000 UTF-16 units
    parts = follow_up_report.excel_parts(emoji)
    assert "".join(parts) == emoji and len(parts) == 2
    assert all(len(p.encode("utf-16-le")) // 2 <= 32_767 for p in parts)
    solid = "x" * 70_000
    assert [len(p) for p in follow_up_report.excel_parts(solid)] == [32_000, 32_000, 6_000]


def test_the_word_report_has_the_paragraph_totals_measures_indicators_and_sources(db):
    report = _report(db, "mal-ks", 2022, "Malmö", formulas=True)
    word = Document(io.BytesIO(follow_up_report.to_docx(report, "Vårt eget stycke om 2022.")))
    text = _plain("\n".join(p.text for p in word.paragraphs))
    assert "Återrapportering Malmö 2022" in text
    assert "Vårt eget stycke om 2022." in text
    assert yearly_report.DRAFT_MARK not in text  # edited by the official
    area, committee, measures = _word_tables(word)
    assert area[0] == ["Område", "Insatser", "Beviljat", "Utfall", "Avvikelse där båda är kända (kr)"]
    rows = {r[0]: r for r in area}
    assert rows["Utbildning"][1:] == [
        "8",
        "6 620 000 kr",
        "minst 650 000 kr (6 insatser med okänt belopp)",
        "−1 170 000 kr",
    ]
    assert rows["Totalt"][1:] == [
        "19",
        "15 000 000 kr",
        "minst 1 050 000 kr (16 insatser med okänt belopp)",
        "−1 770 000 kr",
    ]
    assert {r[0]: r for r in committee}["Grundskolenämnden"][2:4] == [
        "5 050 000 kr",
        "minst 300 000 kr (5 insatser med okänt belopp)",
    ]
    assert len(measures) == 1 + 19
    by_title = {r[0]: r for r in measures}
    # the date in a column of its own: "genomförd (2022-" / "12-31)" broke it at a hyphen
    assert by_title["Utvecklingsprojekt i musik i förskolan"][4:10] == [
        "320 000 kr",
        "350 000 kr",
        "+30 000 kr",
        "genomförd",
        "2022-12-31",
        '\'=HYPERLINK("http://example.com","klick")',
    ]
    assert by_title["Trygga barnet"][4:10] == ["500 000 kr", "okänt", "okänt", "ej påbörjad", "", "'@A1"]
    assert by_title["Utvecklingsprojekt i musik i förskolan"][1] == "Överskriden"  # Flaggor, as on the page
    assert by_title["Thaiwise"][7:9] == ["avbruten", "2022-09-30"]
    assert "Beviljat: Bilaga 1 ärende 2018-1233" in text and "STK-2018-1233 (19 insatser: " in text
    reported = next(line for line in text.splitlines() if "uppfoljning-malmo-2022.csv" in line)
    assert reported.startswith(
        "Utfall, genomförande och resultat: uppfoljning-malmo-2022.csv rad 2, 3, 4, 5, Anna Andersson "
    )
    assert reported.endswith(
        "(4 insatser: Utvecklingsprojekt i musik i förskolan (rad 2); Hemmasittare (rad 3); "
        "Trygga barnet (rad 4); Thaiwise (rad 5))"
    )
    assert "Malmö: Kommunens dokument anger inga indikatorer." not in text
    assert "Kommunens dokument anger inga indikatorer." in text  # Malmö's documents name none


def test_unknown_granted_is_okant_never_zero_and_the_document_indicators_follow_the_area(db):
    report = _report(db, "lkp-tvv", 2018, "Linköping")
    book = load_workbook(io.BytesIO(follow_up_report.to_xlsx(report, report.draft)))
    # Linköping 2018: 13 measures, no granted amount; spent 90 000 (Boende) + 200 000 (Arbetsmarknad)
    assert _cells(book, "Per område", "Totalt", "Beviljat (kr)", "Beviljat", "Utfall (kr)", "Utfall") == [
        None,
        "okänt",
        290_000,
        "minst 290\xa0000\xa0kr (11 insatser med okänt belopp)",
    ]
    assert _cells(book, "Per område", "Arbetsmarknad", "Utfall", "Avvikelse där båda är kända (kr)") == [
        "200\xa0000\xa0kr",  # its only measure is reported: exact
        None,
    ]
    assert _cells(book, "Per nämnd", "Ingen nämnd angiven", "Insatser") == [13]
    lead = _sheet(book, "Återrapportering")
    assert lead["Status"][1].startswith("Utkast – redigera")  # the unedited draft is marked
    indicators = _cells(
        book, "Insatser", "Högre sysselsättning och minskat bidragsberoende", "Indikatorer (styrdokument)"
    )
    assert indicators == [
        "Antal hushåll i Linköping som uppbär försörjningsstöd; "
        "Andel studerande med godkända studieresultat inom SFI"
    ]
    listed = [r for r in book["Indikatorer"].iter_rows(values_only=True)][1:]
    assert len(listed) == 9 and all(r[4] == "003_fa17520eb1ef4394.txt" for r in listed)
    word = Document(io.BytesIO(follow_up_report.to_docx(report, report.draft)))
    text = _plain("\n".join(p.text for p in word.paragraphs))
    assert "Utkast – redigera" in text
    assert "Meritvärde i åk 9, kommunala skolor (Källa: 003_fa17520eb1ef4394.txt" in text


def test_the_draft_paragraph_states_only_counts_and_sums_from_the_rows(db):
    report = _report(db, "mal-ks", 2022, "Malmö")
    assert _plain(report.draft) == (
        "Återrapporteringen för Malmö 2022 (KS anslag till förfogande) omfattar 19 insatser. Beviljat belopp "
        "är sammanlagt 15 000 000 kr. Utfallet enligt de inlästa uppföljningsrapporterna är minst 1 050 000 kr "
        "(16 insatser med okänt belopp). 1 insats är genomförd, 1 pågår, 1 har inte påbörjats och 1 har "
        "avbrutits; 15 insatser saknar rapport. För de 3 insatser där både beviljat och utfall är kända är "
        "utfallet 1 770 000 kr mindre än beviljat."
    )
    assert yearly_report.is_draft(report, report.draft + "  ")
    assert not yearly_report.is_draft(report, "Eget.")


def test_the_total_rule_in_words():
    assert _plain(yearly_report.total_text(1_500_000, 0)) == "1 500 000 kr"
    assert _plain(yearly_report.total_text(1_500_000, 1)) == "minst 1 500 000 kr (1 insats med okänt belopp)"
    assert yearly_report.total_text(None, 3) == "okänt"


@pytest.mark.parametrize(
    ("role", "editable"), [(roles.READER, False), (roles.OFFICIAL, True), (roles.ADMIN, True)]
)
def test_only_a_handlaggare_edits_the_paragraph_and_a_lasares_edit_never_reaches_the_files(
    tmp_path, monkeypatch, role, editable
):
    """A läsare reads the paragraph as text (no widget a forged message could set) and the files get the
    draft, the Word file marked "Utkast – redigera"; a handläggare's edit goes into both files."""
    import streamlit as st

    db = Database.open(published_var(tmp_path / "var"))
    db.ensure_built()
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(tmp_path / "var"))
    person = roles.Identity("sub-x", "Lena", "lena@kommun.se", role, signed_in=True)
    monkeypatch.setattr(auth, "current", lambda: person)
    written: list[str] = []
    made: dict[str, bytes] = {}  # the last file of each kind

    def spy(real, name):
        def make(report, paragraph):
            written.append(paragraph)
            made[name] = real(report, paragraph)
            return made[name]

        return make

    for name in ("to_docx", "to_xlsx"):
        monkeypatch.setattr(follow_up_report, name, spy(getattr(follow_up_report, name), name))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/uppfoljning.py", {"kommun": "Malmö", "ram": "mal-ks|2022"})
        boxes = [t for t in at.text_area if t.label == TEXT_LABEL]
        assert len(boxes) == (1 if editable else 0)
        assert written == []  # the files are made on a click
        at = _make_both(at)
        draft = written[0]
        assert draft.startswith("Återrapporteringen för Malmö 2022") and written == [draft, draft]
        assert draft.endswith(
            "Ingen uppföljningsrapport är inläst: utfall och genomförande är okända för alla insatser."
        )
        word = _plain("\n".join(p.text for p in Document(io.BytesIO(made["to_docx"])).paragraphs))
        assert "Utkast – redigera: texten är skapad ur raderna nedan" in word and _plain(draft) in word
        if not editable:  # shown as text, read-only
            assert any("Återrapporteringen för Malmö 2022" in m.value for m in at.markdown)
            return
        assert boxes[0].value == draft
        written.clear()
        boxes[0].set_value("Ändrad text.").run()
        assert not at.exception, [e.value for e in at.exception]
        # edited: the box no longer calls it "Utkast – redigera" (issue 23, item 5)
        assert [t.label for t in at.text_area if t.label.startswith("Sammanfattande")] == [EDITED_LABEL]
        assert [t.value for t in at.text_area if t.label == EDITED_LABEL] == ["Ändrad text."]
        at = _make_both(at)
        assert written and set(written) == {"Ändrad text."}  # both files carry the edited text
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def _make_both(at):
    for kind in ("docx", "xlsx"):
        at = at.button(key=f"exp_make_uppf_report_{kind}").click().run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_file_that_cannot_be_made_is_said_in_swedish_and_the_other_stays(tmp_path, monkeypatch):
    import streamlit as st

    db = Database.open(published_var(tmp_path / "var"))
    db.ensure_built()
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(tmp_path / "var"))

    def broken(report, paragraph):
        raise ValueError("python-docx broke")

    monkeypatch.setattr(follow_up_report, "to_docx", broken)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/uppfoljning.py", {"kommun": "Malmö", "ram": "mal-ks|2022"})
        assert [e.value for e in at.error] == []  # the files are made on a click
        at = at.button(key="exp_make_uppf_report_docx").click().run()
        errors = [e.value for e in at.error]
        assert errors == [
            "Word-filen kunde inte skapas: ett oväntat fel uppstod när filen skrevs. Felet är loggat på servern; "
            "de andra formaten går att ladda ner."
        ]
        assert not any("python-docx broke" in m.value for m in at.markdown)
        assert "Ladda ner Word" not in [b.proto.label for b in at.get("download_button")]
        at = at.button(key="exp_make_uppf_report_xlsx").click().run()
        assert "Ladda ner Excel" in [b.proto.label for b in at.get("download_button")]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_imported_kolada_values_are_in_both_files_with_their_source_and_unknown_stays_empty(tmp_path):
    """Malmö's Kolada export (tests/fixtures/kolada: made-up values) imported beside a follow-up: the report
    lists Malmö's and Riket's values up to 2022, 2021 unknown, 'Källa: Kolada', no Stockholm."""
    from insatskollen.ingest import kolada_file

    local = Database.open(published_var(tmp_path / "var"))
    local.ensure_built()
    committer.commit(
        local, previewer.preview(local, "uppfoljning-malmo-2022.csv", MALMO.encode()), author=ANNA
    )
    export = ROOT / "tests" / "fixtures" / "kolada" / "export_malmo.csv"
    kolada_file.commit(local.work, kolada_file.read_file(export), ANNA)
    local.after_write()
    rows = local.query("follow_up_frame_year", frame_id="mal-ks", year=2022)
    report = yearly_report.build(
        rows,
        local.query("indicators", municipality="Malmö"),
        local.query("documents"),
        created=TODAY,
        series=local.query("indicator_series", municipality="Malmö"),
    )
    local.close()
    book = load_workbook(io.BytesIO(follow_up_report.to_xlsx(report, report.draft)))
    values = [
        (r[3], r[4], r[5])
        for r in book["Nyckeltal (Kolada)"].iter_rows(min_row=2, values_only=True)
        if r[0] == "N07403"
    ]
    assert ("Malmö", 2022, 1431.9) in values and ("Riket", 2019, 1044.4) in values
    assert ("Malmö", 2021, None) in values  # unknown, never 0
    assert all(year <= 2022 for _, year, _ in values) and not [v for v in values if v[0] == "Stockholm"]
    document = Document(io.BytesIO(follow_up_report.to_docx(report, report.draft)))
    text = "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")
    assert "Källa: Kolada" in text and "inget orsakssamband" in text
    assert "Malmö 2021: okänt" in text and "Malmö 2022: 1 431,9" in text
