"""Issue 21, item 6: values the import took although the person never saw them. The corpus files a01–a06
(tests/test_import.py) show each case through the CLI and the page; these pin the rules underneath."""

from __future__ import annotations

import pytest

from insatskollen import import_read
from insatskollen.errors import DataError
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
    ],
)
def test_a_number_format_hides_a_value_when_the_section_that_applies_is_empty(code, value, hidden):
    assert import_read._format_hides(code, value) is hidden


def test_plain_ascii_lines_count_for_neither_encoding_and_a_whole_windows_1252_file_is_read():
    whole = csv_text(HEAD, ROWS).encode("cp1252")
    result = import_read.read_rows("excel.csv", whole, 10_000_000)
    assert [cells[4] for _line, cells in result.body] == ["Kulturnämnden", "Miljönämnden", "Fritidsnämnden"]
    assert result.findings == ["Filen lästes som Windows-1252 (Excels CSV med semikolon)."]


def test_many_lines_in_the_other_encoding_are_named_up_to_a_cap():
    lines = [ROWS[0]] * 30
    data = csv_text(HEAD, lines).encode("utf-8") + (ROWS[1] + "\r\n").encode("cp1252")
    with pytest.raises(DataError) as error:
        import_read.read_rows("blandad.csv", data, 10_000_000)
    shown = [str(p) for p in error.value.problems]
    assert shown == [
        "blandad.csv, rad 32: raden är sparad som Windows-1252 men rad 1 är UTF-8 (filen blandar "
        "teckenkodningar, så å, ä och ö skulle bli fel); spara hela filen i Excel som ”CSV UTF-8 "
        "(kommaavgränsad)”"
    ]
    data = csv_text(HEAD, lines).encode("cp1252") + (ROWS[1] + "\r\n").encode("utf-8") * 25
    with pytest.raises(DataError) as error:
        import_read.read_rows("blandad.csv", data, 10_000_000)
    shown = [str(p) for p in error.value.problems]
    assert len(shown) == import_read.MAX_MIXED_LINES + 1
    assert shown[0].startswith("blandad.csv, rad 32: raden är sparad som UTF-8 men rad 1 är Windows-1252")
    assert shown[-1] == "blandad.csv: ytterligare 5 rader är sparade som UTF-8"


def test_an_error_value_typed_or_pasted_as_text_in_excel_is_refused_like_an_error_cell():
    from tests.import_corpus.make_corpus import SHEET_NS, XLSX_HEAD, XLSX_ROWS, sheet_xml

    rows = [XLSX_HEAD, XLSX_ROWS[0], ["Malmö", 2025, "KS anslag till förfogande", "#VÄRDEFEL!", "Boende", 1]]
    data = _xlsx(sheet_xml(rows), SHEET_NS)
    with pytest.raises(DataError) as error:
        import_read.read_rows("fel.xlsx", data, 10_000_000)
    assert [str(p) for p in error.value.problems] == [
        "fel.xlsx, rad 3, kolumn D: ett värde, inte Excels felvärde #VÄRDEFEL!; rätta cellen i Excel (eller töm den)"
    ]


def _xlsx(sheet: str, namespace: str) -> bytes:
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
    return buffer.getvalue()
