"""Issue 21, item 6: values the import took although the person never saw them. The corpus files a01–a06
(tests/app/test_import.py) show each case through the CLI and the page; these pin the rules underneath."""

from __future__ import annotations

import pytest

from insatskollen.core.errors import DataError
from insatskollen.ingest import reader, reading, xlsx_styles
from tests.import_corpus.make_corpus import HEAD, ROWS, csv_text


@pytest.mark.parametrize(
    ("code", "value", "hidden"),
    [
        (";;;", 99_000_000, True),
        (";;;", -5, True),
        (";;;", 0, True),
        (";;;", "Kulturnämnden", True),
        ("0;-0;;@", 0, True),  # zero hidden, the rest shown
        ("0;-0;;@", 7, False),
        ("0;-0;;@", "text", False),
        ("[Red];0", 5, True),  # a colour alone shows nothing
        ("[Red]0;;", -5, True),
        ('"a;b";0', 5, False),  # a quoted semicolon does not start a section
        ("# ##0", 5, False),
        ("0;-0", 0, False),  # two sections: zero uses the first
        ('"";"";""', 99_000_000, True),  # sections of empty literals
        ('" "', 99_000_000, True),  # only a literal space
        ('0;-0;" "', 0, True),
        ("[White]0", 99_000_000, True),  # white text
        ("[Color2]#,##0", 99_000_000, True),  # Color2 is white in the default palette
        ("[Color3]#,##0", 99_000_000, False),
        ('[=99000000]"";0', 99_000_000, True),  # a condition picks the empty section
        ('[=99000000]"";0', 5, False),
        ('[>100]0;""', 5, True),
        ('# ##0 "kr"', 5, False),
        ("0,,", 99_000_000, False),  # scaled, but shown
    ],
)
def test_a_number_format_hides_a_value_when_the_section_that_applies_is_empty(code, value, hidden):
    assert xlsx_styles.format_hides(code, value) is hidden


def _styled(code: str = "", font: str = "", fill: str = "", row: str = '<row r="2">') -> list[str]:
    """The findings for a sheet whose F2 holds 99 000 000 in a style with this format code, font colour and
    fill."""
    from tests.import_corpus.make_corpus import SHEET_NS, XLSX_HEAD, XLSX_ROWS, sheet_xml

    rows = [XLSX_HEAD, ["Malmö", 2025, "KS anslag till förfogande", "Fritidsbanken", "Boende", 99_000_000]]
    sheet = (
        sheet_xml([*rows, XLSX_ROWS[1]])
        .replace('<c r="F2"><v>99000000</v></c>', '<c r="F2" s="1"><v>99000000</v></c>')
        .replace('<row r="2">', row)
    )
    quoted = code.replace('"', "&quot;")
    styles = (
        f'<styleSheet {SHEET_NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="{quoted}"/></numFmts>'
        f"<fonts><font/><font>{font}</font></fonts><fills><fill/><fill/><fill>{fill}</fill></fills>"
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" fontId="1" fillId="2"/></cellXfs></styleSheet>'
    )
    data = _xlsx(sheet, SHEET_NS, styles)
    return reader.read_rows("dold.xlsx", data, 10_000_000).findings


HIDDEN = "Rad 2, kolumn F (Belopp (kr)): värdet 99 000 000 syns inte i Excel"


@pytest.mark.parametrize(
    ("font", "fill", "hidden"),
    [
        ('<color rgb="FFFFFFFF"/>', "", True),
        ('<color theme="0"/>', "", True),  # Background 1: white in the default theme
        ('<color indexed="9"/>', "", True),
        ('<color theme="0" tint="-0.5"/>', "", False),  # darkened: grey, shown
        ('<color theme="1"/>', "", False),
        (
            '<color rgb="FFFFFFFF"/>',
            '<patternFill patternType="solid"><fgColor rgb="FF1F4E78"/></patternFill>',
            False,
        ),
        (
            '<color rgb="FFFFFFFF"/>',
            '<patternFill patternType="solid"><fgColor rgb="FFFFFFFF"/></patternFill>',
            True,
        ),
    ],
)
def test_white_text_on_no_fill_or_a_white_fill_is_named_and_white_on_a_dark_fill_is_not(font, fill, hidden):
    findings = _styled(font=font, fill=fill)
    expected = [
        f"{HIDDEN} (cellen har vit text på vit bakgrund) men importeras; kontrollera att det ska med."
    ]
    assert findings == (expected if hidden else [])


def test_each_hiding_format_is_named_with_its_code_and_how_it_hides():
    assert _styled('"";"";""') == [
        f'{HIDDEN} (cellens talformat ”"";"";""” visar ingenting) men importeras; kontrollera att det ska med.'
    ]
    assert _styled("[Color2]#,##0") == [
        f"{HIDDEN} (cellens talformat ”[Color2]#,##0” visar det med vit text) men importeras; kontrollera att "
        "det ska med."
    ]


def test_a_scaled_format_on_an_amount_is_named_with_what_excel_shows():
    assert _styled("0,,") == [
        "Rad 2, kolumn F (Belopp (kr)): värdet 99 000 000 visas i Excel som 99 (talformatet ”0,,” delar med "
        "1 000 000) men importeras som 99 000 000; kontrollera beloppet."
    ]
    assert _styled('#,##0,"k"') == [
        'Rad 2, kolumn F (Belopp (kr)): värdet 99 000 000 visas i Excel som 99 000 (talformatet ”#,##0,"k"” '
        "delar med 1 000) men importeras som 99 000 000; kontrollera beloppet."
    ]
    assert _styled("#,##0") == []  # a thousands separator is not a scale


def test_a_zero_height_row_is_named_like_a_hidden_row():
    assert _styled(row='<row r="2" ht="0" customHeight="1">') == [
        "Rad 2 är dold i Excel men importeras; kontrollera att den ska med."
    ]
    assert _styled(row='<row r="2" ht="15" customHeight="1">') == []


def test_hidden_cells_are_named_up_to_a_cap():
    from tests.import_corpus.make_corpus import SHEET_NS, XLSX_HEAD, sheet_xml

    rows = [XLSX_HEAD] + [["Malmö", 2025, "KS", f"Insats {i}", "Boende", 1000 + i] for i in range(15)]
    sheet = sheet_xml(rows).replace('<c r="F', '<c s="1" r="F')
    styles = (
        f'<styleSheet {SHEET_NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="[White]0"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    )
    findings = reader.read_rows("dold.xlsx", _xlsx(sheet, SHEET_NS, styles), 10_000_000).findings
    assert len(findings) == reading.MAX_HIDDEN_CELLS + 1
    assert findings[-1] == (
        "Fler celler har talformat eller textfärg som döljer värdet eller visar det annorlunda (visas bara "
        f"för de första {reading.MAX_HIDDEN_CELLS})."
    )


def test_plain_ascii_lines_count_for_neither_encoding_and_a_whole_windows_1252_file_is_read():
    whole = csv_text(HEAD, ROWS).encode("cp1252")
    result = reader.read_rows("excel.csv", whole, 10_000_000)
    assert [cells[4] for _line, cells in result.body] == ["Kulturnämnden", "Miljönämnden", "Fritidsnämnden"]
    assert result.findings == ["Filen lästes som Windows-1252 (Excels CSV med semikolon)."]


def test_many_lines_in_the_other_encoding_are_named_up_to_a_cap():
    lines = [ROWS[0]] * 30
    data = csv_text(HEAD, lines).encode("utf-8") + (ROWS[1] + "\r\n").encode("cp1252")
    with pytest.raises(DataError) as error:
        reader.read_rows("blandad.csv", data, 10_000_000)
    shown = [str(p) for p in error.value.problems]
    assert shown == [
        "blandad.csv, rad 32: raden är sparad som Windows-1252 men rad 1 är UTF-8 (filen blandar "
        "teckenkodningar, så å, ä och ö skulle bli fel); spara hela filen i Excel som ”CSV UTF-8 "
        "(kommaavgränsad)”"
    ]
    data = csv_text(HEAD, lines).encode("cp1252") + (ROWS[1] + "\r\n").encode("utf-8") * 25
    with pytest.raises(DataError) as error:
        reader.read_rows("blandad.csv", data, 10_000_000)
    shown = [str(p) for p in error.value.problems]
    assert len(shown) == reading.MAX_MIXED_LINES + 1
    assert shown[0].startswith("blandad.csv, rad 32: raden är sparad som UTF-8 men rad 1 är Windows-1252")
    assert shown[-1] == "blandad.csv: ytterligare 5 rader är sparade som UTF-8"


def test_an_error_value_typed_or_pasted_as_text_in_excel_is_refused_like_an_error_cell():
    from tests.import_corpus.make_corpus import SHEET_NS, XLSX_HEAD, XLSX_ROWS, sheet_xml

    rows = [XLSX_HEAD, XLSX_ROWS[0], ["Malmö", 2025, "KS anslag till förfogande", "#VÄRDEFEL!", "Boende", 1]]
    data = _xlsx(sheet_xml(rows), SHEET_NS)
    with pytest.raises(DataError) as error:
        reader.read_rows("fel.xlsx", data, 10_000_000)
    assert [str(p) for p in error.value.problems] == [
        "fel.xlsx, rad 3, kolumn D: ett värde, inte Excels felvärde #VÄRDEFEL!; rätta cellen i Excel (eller töm den)"
    ]


def _xlsx(sheet: str, namespace: str, styles: str | None = None) -> bytes:
    import io
    import zipfile

    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {namespace} {rel}><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
    return buffer.getvalue()


def test_a_utf8_bom_over_windows_1252_lines_names_the_first_line_that_is_not_utf8():
    """Review finding: the message said "filen börjar som UTF-8-SIG …" with no row and a codec's name."""
    data = codecs_bom() + (csv_text(HEAD, ROWS[:1]).encode("utf-8")) + (ROWS[1] + "\r\n").encode("cp1252")
    with pytest.raises(DataError) as error:
        reader.read_rows("bom.csv", data, 10_000_000)
    assert [str(p) for p in error.value.problems] == [
        "bom.csv, rad 3: filen börjar med en UTF-8-markering (BOM) men raden är inte UTF-8 (troligen "
        "Windows-1252), så å, ä och ö skulle bli fel; spara hela filen i Excel som ”CSV UTF-8 (kommaavgränsad)”"
    ]


def codecs_bom() -> bytes:
    import codecs

    return codecs.BOM_UTF8


def test_text_saved_twice_in_the_wrong_encoding_is_refused_with_what_it_should_say(db):
    """Review finding: a file of valid UTF-8 whose values are mojibake ("MiljÃ¶nÃ¤mnden") was accepted and
    made a new nämnd of it; only the values tell, so the validator says which cell and what it would read."""
    from insatskollen.ingest import previewer

    def twice(text: str) -> str:
        return text.encode("utf-8").decode("cp1252")

    rows = [ROWS[0], ROWS[1].replace("Miljönämnden", twice("Miljönämnden"))]
    with pytest.raises(DataError) as error:
        previewer.preview(db, "dubbel.csv", csv_text(HEAD, rows).encode("utf-8"))
    assert [str(p) for p in error.value.problems] == [
        'dubbel.csv, rad 3, kolumn Nämnd: värdet "MiljÃ¶nÃ¤mnden" – förväntat text med å, ä och ö som de är '
        "(värdet ser ut som ”Miljönämnden” felkodat: filen har sparats om i fel teckenkodning); spara "
        "originalfilen i Excel som ”CSV UTF-8 (kommaavgränsad)”"
    ]
    # real Swedish text, and text with characters Windows-1252 lacks, are not taken for it
    from insatskollen.ingest.cells import double_encoded

    assert [double_encoded(v) for v in ("Miljönämnden", "Åtgärd – 2025", "Ünal Ç", "Σ", "ok")] == [None] * 5
