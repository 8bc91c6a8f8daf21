"""Reading an uploaded CSV within bounds: its encoding guessed (UTF-8, then Windows-1252; UTF-16 by its BOM
or its zero bytes), its delimiter sniffed from the first line, decoded once and parsed row by row. Blank
rows are counted, not kept; a file that mixes encodings or holds Excel's error values is refused."""

from __future__ import annotations

import codecs
import csv
import io
import re

from insatskollen.core import lists
from insatskollen.core.errors import DataError, Problem
from insatskollen.ingest.reading import (
    EXCEL_ERRORS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_MIXED_LINES,
    MAX_ROWS,
    MAX_TOTAL_CHARS,
    TOO_MANY_CHARS,
    ReadFailure,
    ReadResult,
    check_memory,
    column_letters,
)


def read_csv(name: str, data: bytes) -> ReadResult:
    encoding, note = _encoding(data)
    try:
        return _parse_csv(name, data, encoding, note)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise ReadFailure(_undecodable(encoding), _first_undecodable_line(data, encoding)) from None
    _refuse_mixed_encodings(name, data)
    try:  # Swedish Excel's "CSV (semikolonavgränsad)"
        return _parse_csv(name, data, "cp1252", "Filen lästes som Windows-1252 (Excels CSV med semikolon).")
    except UnicodeDecodeError:
        raise ReadFailure(
            "filens teckenkodning känns inte igen (varken UTF-8 eller Windows-1252); "
            'spara den i Excel som "CSV UTF-8 (kommaavgränsad)"'
        ) from None


def _undecodable(encoding: str) -> str:
    if encoding == "utf-8-sig":
        return (
            "filen börjar med en UTF-8-markering (BOM) men raden är inte UTF-8 (troligen Windows-1252), så å, ä "
            "och ö skulle bli fel; spara hela filen i Excel som ”CSV UTF-8 (kommaavgränsad)”"
        )
    return (
        f"filen börjar som {encoding.upper()} men raden kunde inte läsas som det; spara hela filen i Excel som "
        "”CSV UTF-8 (kommaavgränsad)”"
    )


def _first_undecodable_line(data: bytes, encoding: str) -> int | None:
    """The line of the first byte the file's own encoding cannot read (lines counted as the reader does)."""
    text = data.decode(encoding, errors="replace")
    at = text.find("\ufffd")
    return None if at < 0 else len(re.split(r"\r\n|\n|\r", text[:at]))


def _refuse_mixed_encodings(name: str, data: bytes) -> None:
    """A file that is not UTF-8 as a whole but has lines that are (text pasted in from another file) would
    be read as Windows-1252 and its UTF-8 lines stored as mojibake ("KulturnÃ¤mnden"): refuse it, naming
    the lines in the less common encoding. Lines of plain ASCII are the same in both and count for neither."""
    utf8: list[int] = []
    cp1252: list[int] = []
    for number, line in enumerate(re.split(rb"\r\n|\n|\r", data), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
            continue
        except UnicodeDecodeError:
            pass
        try:
            line.decode("cp1252")
            cp1252.append(number)
        except UnicodeDecodeError:
            return  # neither: the caller says the encoding is not recognised
    if not utf8 or not cp1252:
        return
    few, few_name, many, many_name = (
        (utf8, "UTF-8", cp1252, "Windows-1252")
        if len(utf8) <= len(cp1252)
        else (cp1252, "Windows-1252", utf8, "UTF-8")
    )
    problems = lists.capped(
        few,
        MAX_MIXED_LINES,
        show=lambda number: Problem(
            name,
            number,
            None,
            None,
            f"raden är sparad som {few_name} men rad {many[0]} är {many_name} (filen blandar teckenkodningar, "
            "så å, ä och ö skulle bli fel); spara hela filen i Excel som ”CSV UTF-8 (kommaavgränsad)”",
        ),
        more=lambda rest: Problem(
            name, None, None, None, f"ytterligare {rest} rader är sparade som {few_name}"
        ),
    )
    raise DataError(problems, heading=f"Filen {name} kan inte importeras")


def _parse_csv(name: str, data: bytes, encoding: str, note: str | None) -> ReadResult:
    """Decode and parse row by row: memory follows the rows kept, not the size of the file."""
    head = data[:65_536].decode(encoding, errors="ignore")
    first = next((line for line in head.splitlines()[:50] if line.strip()), "")
    delimiter = max(";\t,", key=lambda d: (first.count(d), d == ";"))
    # newline="": a lone '\r' (Excel's "CSV för Macintosh") ends a row too, and csv sees quoted breaks
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="strict", newline="")
    lines = _Lines(stream)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=True)
    csv.field_size_limit(MAX_LINE_CHARS)
    rows: list[tuple[int, list]] = []
    blank = chars = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            start = lines.record_start(reader.line_num)
            raise ReadFailure(_csv_message(str(error), start), start) from None
        start = lines.record_start(reader.line_num)
        if sum(len(c) for c in row) > MAX_LINE_CHARS:
            raise ReadFailure(
                f"raden är orimligt lång (högst {MAX_LINE_CHARS:,} tecken)".replace(",", " "), start
            )
        if not any(c.strip() for c in row):
            blank += 1
            continue
        if any("\ufffd" in c for c in row):
            raise ReadFailure(
                "texten innehåller ersättningstecknet \ufffd (tecken som gått förlorade när filen sparades med "
                'fel teckenkodning); öppna originalet och spara som "CSV UTF-8" eller .xlsx',
                start,
            )
        if len(row) > MAX_COLUMNS and any(c.strip() for c in row[MAX_COLUMNS:]):
            raise ReadFailure(f"raden har {len(row)} fält, högst {MAX_COLUMNS}", start)
        rows.append((start, row[:MAX_COLUMNS]))
        if not len(rows) % 256:
            check_memory()
        chars += sum(len(c) for c in row[:MAX_COLUMNS])
        if chars > MAX_TOTAL_CHARS:
            raise ReadFailure(TOO_MANY_CHARS, start)
        if len(rows) > MAX_ROWS:
            raise ReadFailure(f"filen har fler än {MAX_ROWS - 1} rader; dela upp den", start)
    if not rows:
        raise ReadFailure("filen har ingen rubrikrad")
    (_, header), body = rows[0], rows[1:]
    while header and not header[-1].strip():  # Excel writes trailing delimiters
        header = header[:-1]
    blank += lines.blank
    if b"#" in data:  # every error value starts with #; most files have none
        _refuse_error_values(name, header, body)
    findings = [note] if note else []
    if blank > 1000:
        findings.append(f"Filen har {blank} tomma rader; de hoppades över.")
    return ReadResult(header, body, findings, delimiter=delimiter)


def _refuse_error_values(name: str, header: list[str], body: list[tuple[int, list]]) -> None:
    """A cell Excel showed as an error (#N/A, #SAKNAS!) is no value: it would become a nämnd or an insats."""
    problems = []
    for line, cells in body:
        for index, cell in enumerate(cells):
            if cell.strip().upper() in EXCEL_ERRORS:
                column = (
                    header[index] if index < len(header) and header[index].strip() else column_letters(index)
                )
                problems.append(
                    Problem(
                        name,
                        line,
                        column,
                        None,
                        f"ett värde, inte Excels felvärde {cell.strip()}; rätta cellen i Excel (eller töm den)",
                    )
                )
                if len(problems) >= MAX_MIXED_LINES:
                    break
        if len(problems) >= MAX_MIXED_LINES:
            break
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")


class _Lines:
    """The file's lines for csv.reader, with blank lines outside quotes skipped cheaply (a file of five
    million newlines costs a loop, not five million csv records) and each line's number remembered."""

    def __init__(self, stream):
        self.stream = stream
        self.numbers: list[int] = []  # physical line number of each line handed to csv
        self.blank = 0
        self._inside_quotes = False
        self._ends: list[int] = []  # lines consumed when each record ended

    def __iter__(self):
        for number, line in enumerate(self.stream, start=1):
            if not self._inside_quotes and not line.strip():
                self.blank += 1
                continue
            if line.count('"') % 2:
                self._inside_quotes = not self._inside_quotes
            self.numbers.append(number)
            yield line

    def record_start(self, consumed: int) -> int:
        """The physical line where the record that ended after `consumed` lines began."""
        if not self.numbers:
            return 1
        start_index = self._ends[-1] if self._ends else 0
        self._ends.append(consumed)
        return self.numbers[min(start_index, len(self.numbers) - 1)]


def _csv_message(error: str, line: int) -> str:
    """Python's csv module speaks English; say the same thing in Swedish."""
    if "field larger than field limit" in error:
        return f"raden är orimligt lång (ett fält har mer än {MAX_LINE_CHARS:,} tecken)".replace(",", " ")
    if "unexpected end of data" in error or "EOF" in error:
        return f'ett citattecken (") som börjar på rad {line} avslutas aldrig'
    if "new-line character" in error:
        return "en radbrytning står mitt i ett fält utan citattecken"
    if "line contains NUL" in error:
        return "raden innehåller NUL-tecken (binärdata)"
    if "expected" in error and "after" in error:
        return 'ett citattecken (") står mitt i ett fält; omge hela fältet med citattecken'
    return "raden är inte giltig CSV"


def _encoding(data: bytes) -> tuple[str, str | None]:
    """The encoding to read with (UTF-8 is tried first, then Windows-1252) and a note where we guessed."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            return encoding, None
    guessed = _utf16_without_bom(data)
    if guessed:
        return guessed, "Filen lästes som UTF-16 (Unicode-text) utan BOM."
    if b"\x00" in data:
        raise ReadFailure("filen innehåller NUL-tecken (binärdata); spara den som CSV eller .xlsx")
    return "utf-8", None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a zero byte in every other position for Latin text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None
