"""Reading an uploaded CSV or Excel file into a header and rows, within fixed bounds.

The first of the import's four steps (read, validate, preview, store). Nothing here trusts the file:
- sizes are checked before parsing: the file, each zip member as it is decompressed (declared sizes can
  lie), the number of rows, columns and characters per cell;
- .xlsx is read with the standard library's zipfile and defusedxml's iterparse (no DTDs, no entity
  expansion); a sheet's declared `<dimension>` is ignored, only cells that exist are read;
- CSV is decoded once and parsed row by row; blank rows are counted, not kept;
- every failure is a DataError with a Swedish message naming the file and, where known, row and column.

`read_bounded` runs the reader in a separate process with a memory cap and a time limit, so that one
hostile file cannot slow down or take down the server the other sessions share.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import json
import logging
import os
import posixpath
import re
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from insatskollen.core.errors import MAX_COLLECTED, DataError, Problem, Problems

log = logging.getLogger(__name__)
_PROJECT_DIR = Path(__file__).resolve().parents[2]
MAX_ROWS = 10_000  # rows with content, header included
MAX_COLUMNS = 60
MAX_CELL_CHARS = 5_000
MAX_LINE_CHARS = 20_000
MAX_UNZIPPED_BYTES = 60_000_000  # all parts of an .xlsx together, decompressed
MAX_SHARED_STRINGS = 200_000
MAX_MIXED_LINES = 20  # lines named when a CSV mixes encodings (or has Excel error values)
MAX_HIDDEN_CELLS = 10  # cells named when their number format or font hides (or scales) their value
MAX_FINDINGS = 50  # findings kept for the CLI and the page; the rest are counted in one last line
MAX_ROW_CELLS = 16_384  # <c> elements in one <row>: Excel's own limit (column XFD)
MAX_SHEET_CELLS = 1_000_000  # <row> and <c> elements of a sheet, empty ones too (10 000 x 60 is 600 000)
MAX_XML_ELEMENTS = 3_000_000  # elements of any one part of an .xlsx
MAX_TOTAL_CHARS = 5_000_000  # characters in all cells kept, together (a 5 MB CSV has at most 5 million)
MAX_ANSWER_BYTES = 32_000_000  # the reading process's JSON answer; the server never parses more
READ_SECONDS = 20
READ_MEMORY_BYTES = 1_500_000_000  # address space of the reading process (Python itself needs ~150 MB)
# The list sheets of our own Excel templates (import_template): recognised by name AND header row, never
# read as data and never reported as "other sheets" (a template saved as it is made the page warn "Bara
# bladet … läses"). A sheet of one of these names whose first row is anything else is a sheet like any
# other: chosen when first, reported as another or a hidden sheet, never passed over without a word.
# "Tillåtna värden" is the list sheet of templates downloaded before 2026-12.
TEMPLATE_LISTS = "Mallens listor"
TEMPLATE_MEASURES = "Mallens insatser"
TEMPLATE_SHEETS = frozenset({TEMPLATE_LISTS, TEMPLATE_MEASURES, "Tillåtna värden"})
# The header rows of those sheets, under any of the names (a template renamed its sheet once)
TEMPLATE_LIST_HEADERS = frozenset(
    {
        ("Kommun", "Område", "Status", "Finansieringskälla", "Typ av finansiering"),  # measures template
        ("Genomförande", "Kommun"),  # follow-up template
        ("Kommun", "Insats-id", "Insats"),  # follow-up template's measures
        ("Område", "Status", "Finansieringskälla"),  # measures template before 2026-12
        ("Genomförande",),  # follow-up template before 2026-12
    }
)

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


@dataclass
class ReadResult:
    header: list[str]
    body: list[tuple[int, list]]  # (line or Excel row number, cells)
    findings: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # visible and hidden sheet names, for a choice
    sheet: str | None = None  # the sheet that was read
    # a CSV's delimiter (None for .xlsx): a CSV writes every field, so its short row is a broken row, while
    # an .xlsx row simply ends at its last cell with a value
    delimiter: str | None = None


class _Fail(Exception):
    def __init__(self, expected: str, line: int | None = None, column: str | None = None, value=None):
        super().__init__(expected)
        self.problem = (line, column, value, expected)


def _error(name: str, expected: str, line: int | None = None, column: str | None = None, value=None):
    return DataError(
        [Problem(name, line, column, value, expected)], heading=f"Filen {name} kan inte importeras"
    )


# ------------------------------------------------------------------ entry points


def read_rows(name: str, data: bytes, max_bytes: int, sheet: str | None = None) -> ReadResult:
    """Header and rows of a .csv/.txt/.tsv or .xlsx file; DataError for anything broken or too large."""
    if not data:
        raise _error(name, "filen är tom")
    check_size(name, len(data), max_bytes)
    _check_memory()
    try:
        if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
            return _read_xlsx(name, data, sheet)
        if not name.lower().endswith((".csv", ".txt", ".tsv")):
            raise _Fail("filtypen stöds inte; använd .csv eller .xlsx")
        return _read_csv(name, data)
    except _Fail as failure:
        line, column, value, expected = failure.problem
        raise _error(name, expected, line, column, value) from None


_memory_budget: int | None = None  # set in the child process: address space it may use before it refuses


def _check_memory() -> None:
    """In the child, refuse with MemoryError a while before the hard cap (RLIMIT_AS). At the cap itself a
    process does not fail, it crawls: small allocations fail and succeed by turns, every one after failed
    system calls, and a CI run spent its whole 120 s there, around line 330 of a CSV. Checked every few
    thousand XML elements and every 256 CSV rows: reading /proc/self/statm costs microseconds."""
    if _memory_budget is None:
        return
    try:
        with open("/proc/self/statm", "rb") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc (not Linux): the hard cap alone
        return
    if size > _memory_budget:
        raise MemoryError(f"address space {size} over the budget {_memory_budget}")


def check_size(name: str, size: int, max_bytes: int) -> None:
    """A file over the limit is refused by its size alone, before anything reads it."""
    if size > max_bytes:
        raise _error(name, f"filen är för stor ({_mb(size)} MB, högst {_mb(max_bytes)} MB)")


def read_bounded(
    name: str,
    data: bytes,
    max_bytes: int,
    sheet: str | None = None,
    seconds: float | None = None,
    memory_bytes: int | None = None,
) -> ReadResult:
    """`read_rows` in a child process (`python -m insatskollen.ingest.reader`) that caps its own address
    space at `memory_bytes` and is killed after `seconds` (READ_MEMORY_BYTES, READ_SECONDS by default).
    The file goes in on stdin, the rows come back as JSON (never pickle), at most MAX_ANSWER_BYTES of it. Whatever happens in the child (a broken file,
    MemoryError, any exception, a hang, a kill) the caller gets a DataError in Swedish; the server never
    parses the file itself. Every upload path (the Importera page, `import`, follow-up files, Kolada
    exports) reads through here."""
    check_size(name, len(data), max_bytes)  # refuse before paying for a process
    seconds = READ_SECONDS if seconds is None else seconds
    memory_bytes = READ_MEMORY_BYTES if memory_bytes is None else memory_bytes
    command = [
        sys.executable,
        "-m",
        "insatskollen.ingest.reader",
        name,
        str(max_bytes),
        str(memory_bytes),
        str(seconds),
    ]
    if sheet is not None:
        command.append(sheet)
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            cwd=_PROJECT_DIR,
            env=os.environ | {"PYTHONPATH": str(_PROJECT_DIR)},
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        log.warning("import reader for %s ran past %s s; it wrote: %s", name, seconds, _tail(expired.stderr))
        raise _error(name, _TOO_SLOW.format(seconds=max(1, round(seconds)))) from None
    except OSError as error:  # no process could be started (memory, process limit)
        log.warning("import reader for %s could not start: %s", name, error)
        raise _error(name, _NOT_STARTED) from None
    return _answer(name, done, seconds)


_TOO_SLOW = (
    "filen tog för lång tid att läsa (mer än {seconds} sekunder); dela upp den eller spara om den som CSV"
)
_TOO_MUCH_MEMORY = "filen kräver för mycket minne för att läsas; spara om den som CSV"
_NOT_READ = "filen kunde inte läsas; spara om den som CSV (UTF-8) eller .xlsx"
_NOT_STARTED = "filen kunde inte läsas just nu (servern kunde inte starta läsningen); försök igen om en stund"
_TOO_MUCH_TEXT = (
    "filen ger mer text än en import får vara (mer än {mb} MB när den är uppläst); dela upp den i flera filer"
)


def _tail(stream: bytes | None) -> str:
    return (stream or b"")[-4000:].decode("utf-8", errors="replace")


def _answer(name: str, done: subprocess.CompletedProcess, seconds: float) -> ReadResult:
    """The child's JSON answer as a ReadResult or a DataError; anything else becomes a Swedish message
    and a log line with the child's stderr."""
    if len(done.stdout) > MAX_ANSWER_BYTES:  # the child refuses this itself; never parse more here
        log.warning("import reader for %s answered %s bytes", name, len(done.stdout))
        raise _error(name, _TOO_MUCH_TEXT.format(mb=_mb(MAX_ANSWER_BYTES)))
    try:
        answer = json.loads(done.stdout)
        if not isinstance(answer, dict):
            raise ValueError("not an object")
    except ValueError:  # no answer: killed, out of memory before it could say so, or its watchdog
        log.warning("import reader for %s ended with %s: %s", name, done.returncode, _tail(done.stderr))
        timed_out = done.returncode == -signal.SIGXCPU or b"Timeout (" in (done.stderr or b"")
        expected = _TOO_SLOW.format(seconds=max(1, round(seconds))) if timed_out else _TOO_MUCH_MEMORY
        raise _error(name, expected) from None
    try:
        if "ok" in answer:
            result = answer["ok"]
            return ReadResult(
                result["header"],
                [(line, cells) for line, cells in result["body"]],
                result["findings"],
                result["sheets"],
                result["sheet"],
                result.get("delimiter"),
            )
        if "problems" in answer:
            problems = [Problem(*p) for p in answer["problems"]]
            error = DataError(problems, heading=answer["heading"], total=answer.get("total"))
        else:
            error = _error(name, str(answer["fail"]))
    except (KeyError, TypeError, ValueError) as broken:
        log.warning("import reader for %s gave an answer out of shape: %r", name, broken)
        raise _error(name, _NOT_READ) from None
    raise error


def _main(argv: list[str]) -> int:  # pragma: no cover - runs in the child process
    """The child: read stdin, cap memory and CPU time, read the file and answer in JSON on stdout. Every
    way out writes an answer the parent understands; nothing English reaches a user."""
    import faulthandler
    import resource

    name, max_bytes, memory_bytes, seconds = argv[0], int(argv[1]), int(argv[2]), float(argv[3])
    sheet = argv[4] if len(argv) > 4 else None
    data = sys.stdin.buffer.read()  # before the cap: its size was checked by the parent
    # the answers for when nothing more can be allocated, made before the cap
    out_of_memory = json.dumps({"fail": _TOO_MUCH_MEMORY}).encode()
    not_read = json.dumps({"fail": _NOT_READ}).encode()
    # A child that hangs (in CI one once ran past its limit instead of failing on memory) dumps every
    # thread's stack on stderr, which the parent logs, and ends itself a moment before the parent would.
    faulthandler.dump_traceback_later(max(0.5, seconds * 0.9), exit=True)
    cpu = max(1, int(seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # killed for its CPU time, it leaves no core file
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    global _memory_budget
    _memory_budget = memory_bytes - max(16_000_000, memory_bytes // 10)  # refuse before the edge
    try:
        try:
            result = read_rows(name, data, max_bytes, sheet)
            del data
            answer = {"ok": result.__dict__}
        except DataError as error:
            answer = {
                "heading": error.heading,
                "problems": [
                    (p.file, p.line, p.column, p.value, p.expected) for p in error.problems[:MAX_COLLECTED]
                ],
                "total": error.total,
            }
        text = json.dumps(answer, ensure_ascii=False).encode()
        del answer
        if len(text) > MAX_ANSWER_BYTES:
            text = json.dumps({"fail": _TOO_MUCH_TEXT.format(mb=_mb(MAX_ANSWER_BYTES))}).encode()
    except MemoryError:
        text = out_of_memory
    except BaseException as error:  # noqa: BLE001 - the boundary: the user reads Swedish, the log the rest
        with contextlib.suppress(BaseException):  # the answer below matters more than this log line
            print(repr(error)[:2000], file=sys.stderr)
        text = not_read
    sys.stdout.buffer.write(text)
    sys.stdout.buffer.flush()
    return 0


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",")


def _count(number: int) -> str:
    return f"{number:,}".replace(",", " ")


_TOO_MANY_CHARS = (
    f"filen har mer text än en import får ha (mer än {_count(MAX_TOTAL_CHARS)} tecken i cellerna "
    "sammanlagt); dela upp den i flera filer"
)


# ------------------------------------------------------------------ CSV


def _read_csv(name: str, data: bytes) -> ReadResult:
    encoding, note = _encoding(data)
    try:
        return _parse_csv(name, data, encoding, note)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise _Fail(_undecodable(encoding), _first_undecodable_line(data, encoding)) from None
    _refuse_mixed_encodings(name, data)
    try:  # Swedish Excel's "CSV (semikolonavgränsad)"
        return _parse_csv(name, data, "cp1252", "Filen lästes som Windows-1252 (Excels CSV med semikolon).")
    except UnicodeDecodeError:
        raise _Fail(
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
    problems = [
        Problem(
            name,
            number,
            None,
            None,
            f"raden är sparad som {few_name} men rad {many[0]} är {many_name} (filen blandar teckenkodningar, "
            "så å, ä och ö skulle bli fel); spara hela filen i Excel som ”CSV UTF-8 (kommaavgränsad)”",
        )
        for number in few[:MAX_MIXED_LINES]
    ]
    if len(few) > MAX_MIXED_LINES:
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                f"ytterligare {len(few) - MAX_MIXED_LINES} rader är sparade som {few_name}",
            )
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
            raise _Fail(_csv_message(str(error), start), start) from None
        start = lines.record_start(reader.line_num)
        if sum(len(c) for c in row) > MAX_LINE_CHARS:
            raise _Fail(f"raden är orimligt lång (högst {MAX_LINE_CHARS:,} tecken)".replace(",", " "), start)
        if not any(c.strip() for c in row):
            blank += 1
            continue
        if any("\ufffd" in c for c in row):
            raise _Fail(
                "texten innehåller ersättningstecknet \ufffd (tecken som gått förlorade när filen sparades med "
                'fel teckenkodning); öppna originalet och spara som "CSV UTF-8" eller .xlsx',
                start,
            )
        if len(row) > MAX_COLUMNS and any(c.strip() for c in row[MAX_COLUMNS:]):
            raise _Fail(f"raden har {len(row)} fält, högst {MAX_COLUMNS}", start)
        rows.append((start, row[:MAX_COLUMNS]))
        if not len(rows) % 256:
            _check_memory()
        chars += sum(len(c) for c in row[:MAX_COLUMNS])
        if chars > MAX_TOTAL_CHARS:
            raise _Fail(_TOO_MANY_CHARS, start)
        if len(rows) > MAX_ROWS:
            raise _Fail(f"filen har fler än {MAX_ROWS - 1} rader; dela upp den", start)
    if not rows:
        raise _Fail("filen har ingen rubrikrad")
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


# What Excel writes into a CSV for a cell that holds an error, in English and in Swedish Excel
EXCEL_ERRORS = frozenset(
    ("#N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#GETTING_DATA", "#SPILL!", "#CALC!")
    + (
        "#SAKNAS!",
        "#SKÄRNING!",
        "#DIVISION/0!",
        "#VÄRDEFEL!",
        "#REFERENS!",
        "#NAMN?",
        "#OGILTIGT!",
        "#BERÄKNA!",
    )
)


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
        raise _Fail("filen innehåller NUL-tecken (binärdata); spara den som CSV eller .xlsx")
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


# ------------------------------------------------------------------ Excel (.xlsx)


class _Zip:
    """Members of an .xlsx read with a running cap on decompressed bytes."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise _Fail("filen är inte en giltig Excel-fil (.xlsx)") from None
        declared = sum(i.file_size for i in self.zip.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise _Fail(
                f"Excel-filen packas upp till {_mb(declared)} MB (högst {_mb(MAX_UNZIPPED_BYTES)} MB); "
                "spara om den som CSV"
            )
        self.used = 0

    def open(self, path: str):
        if path not in self.names:
            raise _Fail(f"filen är inte en giltig Excel-fil (.xlsx): delen {path} saknas")
        return _Capped(self, self.zip.open(path))


class _Capped(io.RawIOBase):
    """A zip member stream that stops at the decompressed-size cap, whatever the header declared."""

    def __init__(self, owner: _Zip, inner):
        self.owner, self.inner = owner, inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self.inner.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise _Fail("Excel-filen är skadad (en del kan inte packas upp); spara om den i Excel") from None
        except Exception as error:  # zlib.error and friends
            raise _Fail("Excel-filen är skadad (en del kan inte packas upp); spara om den i Excel") from error
        self.owner.used += len(chunk)
        if self.owner.used > MAX_UNZIPPED_BYTES:
            raise _Fail(
                f"Excel-filen packas upp till mer än {_mb(MAX_UNZIPPED_BYTES)} MB; spara om den som CSV"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _events(source, path: str):
    """iterparse with defusedxml: a DTD or entity declaration is refused, not expanded. Each element is
    detached from its parent once the reader has seen its end, so memory stays flat however many rows,
    cells or rich-text runs a part has (a shared string of three million runs kept them all before)."""
    stack = []
    elements = 0
    try:
        for event, element in iterparse(io.BufferedReader(source), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                elements += 1
                if not elements % 4096:
                    _check_memory()
                if elements > MAX_XML_ELEMENTS:
                    raise _Fail(
                        f"Excel-filen har orimligt många XML-element i {path} (mer än "
                        f"{_count(MAX_XML_ELEMENTS)}); spara om den som CSV"
                    )
                stack.append(element)
                yield event, element
                continue
            stack.pop()
            yield event, element
            element.clear()
            if stack and len(stack[-1]) and stack[-1][-1] is element:
                del stack[-1][-1]
    except DefusedXmlException:
        raise _Fail(
            "Excel-filen innehåller XML-deklarationer som inte tillåts (DTD eller entiteter)"
        ) from None
    except SyntaxError:  # xml.etree.ElementTree.ParseError
        raise _Fail(f"Excel-filen är skadad (ogiltig XML i {path}); spara om den i Excel") from None


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _read_xlsx(name: str, data: bytes, wanted_sheet: str | None) -> ReadResult:
    package = _Zip(data)
    sheets = _sheets(package)
    if not sheets:
        raise _Fail("Excel-filen har inga blad")
    findings = []
    strings = _shared_strings(package)
    ours = {  # our list sheets, by name and header row: passed over without a word
        s
        for s, _, path in sheets
        if s in TEMPLATE_SHEETS and _first_row(package, path, strings) in TEMPLATE_LIST_HEADERS
    }
    hidden = [s for s, state, _ in sheets if state != "visible" and s not in ours]
    if wanted_sheet is not None:
        chosen = next((s for s in sheets if s[0] == wanted_sheet), None)
        if chosen is None:
            raise _Fail(
                f"bladet ”{wanted_sheet}” finns inte i filen; bladen heter {', '.join(s[0] for s in sheets)}"
            )
    else:
        chosen = next(
            (s for s in sheets if s[1] == "visible" and s[0] not in ours),
            next((s for s in sheets if s[1] == "visible"), sheets[0]),
        )
    if hidden:
        findings.append(
            f"Filen har dolda blad ({', '.join(hidden)}); de importeras inte"
            + (" om du inte väljer dem." if chosen[0] not in hidden else ".")
        )
    others = [s for s, _, _ in sheets if s != chosen[0] and s not in hidden and s not in ours]
    if others:
        findings.append(f"Bara bladet ”{chosen[0]}” läses. Filen har också {', '.join(others)}.")
    rows, hidden_rows, hidden_columns, hidden_cells = _sheet_rows(
        package, chosen[2], strings, name, _hiding_styles(package)
    )
    if hidden_rows:
        shown = ", ".join(str(r) for r in hidden_rows[:10]) + (" …" if len(hidden_rows) > 10 else "")
        findings.append(f"Rad {shown} är dold i Excel men importeras; kontrollera att den ska med.")
    if not rows:
        raise _Fail("filen har ingen rubrikrad")
    header = [str(c).strip() for c in rows[0][1]]
    findings += _hidden_findings(header, rows[0][0], hidden_columns, hidden_cells)
    while header and not header[-1]:
        header.pop()
    return ReadResult(header, rows[1:], findings, [s for s, _, _ in sheets], chosen[0])


def cap_findings(findings: list[str]) -> list[str]:
    """At most MAX_FINDINGS findings, then one line counting the rest: what the CLI prints and the page
    draws stays small whatever the file holds."""
    if len(findings) <= MAX_FINDINGS:
        return findings
    rest = len(findings) - MAX_FINDINGS
    more = "iakttagelse" if rest == 1 else "iakttagelser"
    return findings[:MAX_FINDINGS] + [f"… och {_count(rest)} {more} till."]


def _hidden_findings(
    header: list[str], header_row: int, columns: list[int], cells: list[tuple[int, str, object, str]]
) -> list[str]:
    """What the preview says about values that Excel does not show: hidden columns and cells whose number
    format or white text hides the value, or whose format scales it (a ;;; format hid 99 000 000 kr
    without a word before; 0,, shows it as 99)."""

    def titled(letter: str, index: int) -> str:
        title = header[index] if index < len(header) and header[index] else ""
        return f"{letter} ({title})" if title else letter

    findings = []
    for index in columns:
        findings.append(
            f"Kolumn {titled(column_letters(index), index)} är dold i Excel men importeras; kontrollera att "
            "den ska med."
        )
    body_cells = [c for c in cells if c[0] != header_row]
    for row, letter, value, note in body_cells[:MAX_HIDDEN_CELLS]:
        findings.append(
            f"Rad {row}, kolumn {titled(letter, _column_index(letter))}: värdet {_shown(value)} {note}"
        )
    if len(body_cells) > MAX_HIDDEN_CELLS:
        findings.append(
            "Fler celler har talformat eller textfärg som döljer värdet eller visar det annorlunda (visas bara "
            f"för de första {MAX_HIDDEN_CELLS})."
        )
    return findings


def _shown(value) -> str:
    """A cell value as the finding quotes it, Swedish style: spaces between thousands and a decimal comma
    (99 000 000, 1 111,25)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}".replace(",", " ").replace(".", ",")
    return str(value)


def _sheets(package: _Zip) -> list[tuple[str, str, str]]:
    """(name, state, part path) per sheet in workbook order."""
    targets = {}
    rels_path = "xl/_rels/workbook.xml.rels"
    if rels_path in package.names:
        for event, element in _events(package.open(rels_path), rels_path):
            if event == "end" and _tag(element) == "Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                targets[element.get("Id")] = path
    sheets = []
    for event, element in _events(package.open("xl/workbook.xml"), "xl/workbook.xml"):
        if event == "end" and _tag(element) == "sheet":
            rel = element.get(f"{{{_NS['rel']}}}id")
            path = targets.get(rel) or f"xl/worksheets/sheet{len(sheets) + 1}.xml"
            sheets.append(
                (element.get("name", f"Blad{len(sheets) + 1}"), element.get("state", "visible"), path)
            )
            if len(sheets) > 255:
                raise _Fail("Excel-filen har orimligt många blad")
    return sheets


def _shared_strings(package: _Zip) -> list[str]:
    path = "xl/sharedStrings.xml"
    if path not in package.names:
        return []
    strings: list[str] = []
    parts: list[str] = []
    size = runs = phonetic = 0
    for event, element in _events(package.open(path), path):
        tag = _tag(element)
        if tag == "rPh":  # a phonetic guide (furigana): Excel does not show it in the cell
            phonetic += 1 if event == "start" else -1
        elif phonetic:
            continue
        elif event == "start" and tag == "si":
            parts, size, runs = [], 0, 0
        elif event == "start" and tag == "r":
            runs += 1
            if runs > MAX_CELL_CHARS:  # more formatting runs than a cell may hold characters
                raise _Fail(
                    "Excel-filen har en text med orimligt många formateringsdelar; spara om den som CSV"
                )
        elif event == "end" and tag == "t" and element.text:
            size += len(element.text)
            if size > MAX_CELL_CHARS:
                parts = [element.text[: MAX_CELL_CHARS + 1]]  # kept over-long so the validator names it
            else:
                parts.append(element.text)
            element.clear()
        elif event == "end" and tag == "si":
            strings.append("".join(parts)[: MAX_CELL_CHARS + 1])
            element.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise _Fail(f"Excel-filen har fler än {MAX_SHARED_STRINGS} texter; spara om den som CSV")
    return strings


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


def _first_row(package: _Zip, path: str, strings: list[str]) -> tuple[str, ...]:
    """The texts of a sheet's first row with a value, trimmed, trailing empty cells dropped: enough to tell
    our own list sheet from a sheet of the same name holding something else. Reads no further."""
    cells: dict[int, object] = {}
    cell_ref = cell_type = value_text = None
    inline: list[str] = []
    phonetic = 0
    for event, element in _events(package.open(path), path):
        tag = _tag(element)
        if tag == "rPh":
            phonetic += 1 if event == "start" else -1
        elif event == "start":
            if tag == "c":
                cell_ref, cell_type, value_text, inline = element.get("r"), element.get("t", "n"), None, []
        elif tag == "v":
            value_text = element.text or ""
        elif tag == "t" and cell_ref is not None and not phonetic:
            inline.append(element.text or "")
        elif tag == "c":
            cells[_cell_column(cell_ref, len(cells))] = _cell_value(cell_type, value_text, inline, strings)
            cell_ref = None
        elif tag == "row":
            if any(str(v).strip() for v in cells.values()):
                width = min(max(cells) + 1, MAX_COLUMNS + 1)
                row = [str(cells.get(i, "")).strip() for i in range(width)]
                while row and not row[-1]:
                    row.pop()
                return tuple(row)
            cells = {}
    return ()


def _sheet_rows(package: _Zip, path: str, strings: list[str], name: str, hiding: dict[int, tuple[str, bool]]):
    """Rows with values, the hidden rows (hidden or zero height), the hidden columns that hold values and
    the cells whose style hides or scales their value (`hiding`: style index -> (number format code,
    white text), see _hiding_styles), each with what the finding says about it."""
    rows: list[tuple[int, list]] = []
    hidden_rows: list[int] = []
    hidden_columns: set[int] = set()
    used_columns: set[int] = set()
    hidden_cells: list[tuple[int, str, object, str]] = []
    problems = Problems()  # the first MAX_COLLECTED kept, all counted
    row_number = 0
    elements = chars = row_cells = 0  # <row> and <c> elements read; characters kept; cells in this row
    cells: dict[int, object] = {}
    cell_ref = cell_type = cell_style = None
    value_text = formula = None
    inline: list[str] = []
    phonetic = 0
    for event, element in _events(package.open(path), path):
        tag = _tag(element)
        if tag == "rPh":  # a phonetic guide: not shown in the cell
            phonetic += 1 if event == "start" else -1
            continue
        if event == "start":
            if tag in ("row", "c"):
                elements += 1
                if elements > MAX_SHEET_CELLS:
                    raise _Fail(
                        f"bladet har orimligt många celler (mer än {_count(MAX_SHEET_CELLS)}, tomma celler "
                        "medräknade); kopiera de ifyllda cellerna till ett nytt blad eller spara som CSV",
                        row_number or None,
                    )
            if tag == "col":
                hidden_columns |= _hidden_columns(element)
            elif tag == "row":
                row_number = _row_number(element.get("r"), row_number + 1)
                cells, row_cells = {}, 0
                height = element.get("ht")
                if element.get("hidden") in ("1", "true") or (height is not None and _is_zero(height)):
                    hidden_rows.append(row_number)
            elif tag == "c":
                row_cells += 1
                if row_cells > MAX_ROW_CELLS:
                    raise _Fail(
                        f"raden har fler celler än Excel tillåter ({_count(MAX_ROW_CELLS)}); filen är inte "
                        "sparad av Excel. Kopiera de ifyllda cellerna till ett nytt blad eller spara som CSV",
                        row_number,
                    )
                cell_ref, cell_type, cell_style = element.get("r"), element.get("t", "n"), element.get("s")
                value_text, formula, inline = None, None, []
            continue
        if tag == "v":
            value_text = element.text or ""
        elif tag == "f":
            formula = element.text or ""
        elif tag == "t" and cell_ref is not None and not phonetic:
            inline.append(element.text or "")
        elif tag == "c":
            column = _cell_column(cell_ref, len(cells))
            if column >= MAX_COLUMNS:
                if value_text or inline:
                    raise _Fail(
                        f"bladet har värden i kolumn {column + 1}, högst {MAX_COLUMNS} kolumner", row_number
                    )
            else:
                letter = column_letters(column)
                if formula is not None:
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            "=" + formula,
                            "ett värde, inte en formel (klistra in som värden)",
                        )
                    )
                value = _cell_value(cell_type, value_text, inline, strings)
                error_text = (
                    (value_text or "#N/A")
                    if cell_type == "e"
                    else value.strip()
                    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS
                    else None
                )
                if error_text is not None and formula is None:  # an error cell, or its text pasted in
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            None,
                            f"ett värde, inte Excels felvärde {error_text}; rätta cellen i Excel (eller töm den)",
                        )
                    )
                    value = ""
                if str(value).strip():
                    used_columns.add(column)
                    style = hiding.get(_style_index(cell_style)) if cell_style is not None else None
                    note = _style_note(style, value) if style is not None else None
                    if note is not None and len(hidden_cells) <= 2 * MAX_HIDDEN_CELLS:
                        hidden_cells.append((row_number, letter, value, note))
                if isinstance(value, str) and value.startswith("=") and formula is None:
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            value,
                            "ett värde, inte en formel (klistra in som värden)",
                        )
                    )
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise _Fail(f"en cell har mer än {MAX_CELL_CHARS} tecken", row_number, letter)
                cells[column] = value
            cell_ref = None
            element.clear()
        elif tag == "row":
            if any(str(v).strip() for v in cells.values()):
                width = max(cells) + 1
                rows.append((row_number, [cells.get(i, "") for i in range(width)]))
                chars += sum(len(v) for v in cells.values() if isinstance(v, str))
                if chars > MAX_TOTAL_CHARS:
                    raise _Fail(_TOO_MANY_CHARS, row_number)
                if len(rows) > MAX_ROWS:
                    raise _Fail(f"bladet har fler än {MAX_ROWS - 1} rader; dela upp filen", row_number)
            element.clear()
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return rows, hidden_rows, sorted(hidden_columns & used_columns), hidden_cells


def _hidden_columns(element) -> set[int]:
    """The columns a `<col>` hides (hidden, or zero width), 0-based, within the columns read."""
    width = element.get("width")
    zero = width is not None and _is_zero(width)
    if element.get("hidden") not in ("1", "true") and not zero:
        return set()
    first, last = _row_number(element.get("min"), 0), _row_number(element.get("max"), 0)
    return set(range(max(first, 1) - 1, min(last, MAX_COLUMNS)))


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _style_index(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 7 else -1


def _hiding_styles(package: _Zip) -> dict[int, tuple[str, bool]]:
    """Cell style index -> (its number format code, whether its text is white on no fill), for the styles
    that may hide a value (`;;;`, `0;;`, `" "`, `[White]0`, `[=99000000]"";0`, a white font) or scale it
    (`0,,` shows 99 000 000 as 99). From xl/styles.xml; the others are left out."""
    path = "xl/styles.xml"
    if path not in package.names:
        return {}
    formats: dict[str, str] = {}
    white_fonts: list[bool] = []
    shaded_fills: list[bool] = []
    hiding: dict[int, tuple[str, bool]] = {}
    section = ""  # "fonts", "fills" or "cellXfs" while inside one
    white = shaded = False
    index = 0
    for event, element in _events(package.open(path), path):
        tag = _tag(element)
        if tag in ("fonts", "fills", "cellXfs"):
            section = tag if event == "start" else ""
        elif section == "fonts" and tag == "font" and event == "start":
            white = False
        elif section == "fonts" and tag == "color" and event == "start":
            white = _is_white(element)
        elif section == "fonts" and tag == "font" and len(white_fonts) < MAX_SHARED_STRINGS:
            white_fonts.append(white)
        elif section == "fills" and tag == "patternFill" and event == "start":
            shaded = element.get("patternType", "none") != "none"
        elif section == "fills" and tag == "fgColor" and event == "start" and _is_white(element):
            shaded = False
        elif (
            section == "fills" and tag == "fill" and event == "end" and len(shaded_fills) < MAX_SHARED_STRINGS
        ):
            shaded_fills.append(shaded)
            shaded = False
        elif event == "start" and tag == "numFmt" and len(formats) < MAX_SHARED_STRINGS:
            formats[element.get("numFmtId", "")] = element.get("formatCode", "")[:MAX_CELL_CHARS]
        elif event == "start" and tag == "xf" and section == "cellXfs":
            code = formats.get(element.get("numFmtId", "0"), "")
            font, fill = _style_index(element.get("fontId", "0")), _style_index(element.get("fillId", "0"))
            white_text = 0 <= font < len(white_fonts) and white_fonts[font]
            white_text = white_text and not (0 <= fill < len(shaded_fills) and shaded_fills[fill])
            code = code if any(_section_effect(part) for part in _format_sections(code)) else ""
            if code or white_text:
                hiding[index] = (code, white_text)
            index += 1
            if index > MAX_SHARED_STRINGS:
                raise _Fail("Excel-filen har orimligt många cellformat; spara om den som CSV")
    return hiding


def _is_white(color) -> bool:
    """Whether a <color>/<fgColor> is white: rgb FFFFFF, indexed 1 or 9, or theme 0 (Background 1, white
    in the default theme) not darkened by a tint."""
    rgb = (color.get("rgb") or "").upper()
    if rgb:
        return rgb[-6:] == "FFFFFF"
    if color.get("theme") == "0":
        tint = color.get("tint") or "0"
        try:
            return float(tint) >= 0
        except ValueError:
            return True
    return color.get("indexed") in ("1", "9")


_WHOLE_FINDING = " men importeras; kontrollera att det ska med."


def _style_note(style: tuple[str, bool], value) -> str | None:
    """What the finding says after "värdet 99 000 000" when this style hides or scales the value, or None."""
    code, white_text = style
    effect = _format_effect(code, value) if code else None
    if effect == "hidden":
        return f"syns inte i Excel (cellens talformat ”{code[:40]}” visar ingenting){_WHOLE_FINDING}"
    if effect == "white":
        return f"syns inte i Excel (cellens talformat ”{code[:40]}” visar det med vit text){_WHOLE_FINDING}"
    if white_text and not isinstance(effect, int):
        return f"syns inte i Excel (cellen har vit text på vit bakgrund){_WHOLE_FINDING}"
    if isinstance(effect, int) and isinstance(value, int | float) and value:
        scaled = value / 1000**effect
        shown = (
            _shown(round(scaled)) if abs(scaled) >= 1 or scaled == 0 else f"{scaled:.3g}".replace(".", ",")
        )
        return (
            f"visas i Excel som {shown} (talformatet ”{code[:40]}” delar med {_shown(1000**effect)}) men "
            f"importeras som {_shown(value)}; kontrollera beloppet."
        )
    return None


def _format_hides(code: str, value) -> bool:
    """Whether Excel shows nothing for this value in this number format: the section that applies
    (positive;negative;zero;text, or the one whose condition such as [=99000000] holds) shows only empty
    or blank literals, or shows it in white ([White], [Color2])."""
    return _format_effect(code, value) in ("hidden", "white")


def _format_effect(code: str, value):
    """ "hidden", "white", the number of thousands the format divides by (0,, -> 2), or None."""
    parts = _parsed_format(code)
    if isinstance(value, str):
        return parts[3][1] if len(parts) >= 4 else None
    conditioned = [p for p in parts[:2] if p[0] is not None]
    if conditioned:
        for condition, effect in parts[:2]:
            if condition is None or _condition_holds(condition, value):
                return effect
        return parts[2][1] if len(parts) >= 3 else None
    if value > 0 or len(parts) < 2:
        return parts[0][1]
    if value < 0:
        return parts[1][1]
    return parts[2][1] if len(parts) >= 3 else parts[0][1]


_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?[0-9]+(?:\.[0-9]+)?)\]")


def _condition_holds(condition: tuple[str, float], value) -> bool:
    operator, limit = condition
    return {
        "<": value < limit,
        ">": value > limit,
        "=": value == limit,
        "<=": value <= limit,
        ">=": value >= limit,
        "<>": value != limit,
    }[operator]


@functools.lru_cache(maxsize=256)
def _parsed_format(code: str) -> list[tuple[tuple[str, float] | None, object]]:
    """Per section of a format code: its condition ([>100]) if any, and its effect (see _section_effect)."""
    parsed = []
    for part in _format_sections(code):
        match = _CONDITION.search(part)
        parsed.append(((match.group(1), float(match.group(2))) if match else None, _section_effect(part)))
    return parsed


def _section_effect(part: str):
    """ "hidden" when a format section shows nothing (empty, or only blank literals such as "" or " "),
    "white" when it colours the value white, the number of thousands trailing commas divide by (0,, -> 2),
    else None."""
    colours = [c.strip().lower() for c in re.findall(r"\[([^\]]*)\]", part)]
    plain = re.sub(r"\[[^\]]*\]", "", part)
    plain = re.sub(r'"([^"]*)"', lambda m: m.group(0) if m.group(1).strip() else "", plain)
    plain = re.sub(r"_.|\\\s|\*\s", "", plain)  # padding, an escaped space, a fill with spaces
    if not plain.strip():
        return "hidden"
    if "white" in colours or "color2" in colours:
        return "white"
    bare = re.sub(r'"[^"]*"|\\.|_.|\*.', "", plain)
    scale = re.search(r"[0#?](,+)[^0#?]*$", bare)
    return len(scale.group(1)) if scale else None


def _format_sections(code: str) -> list[str]:
    """A format code split at the semicolons that are not inside quotes or escaped."""
    sections, current, quoted, escaped = [], [], False, False
    for char in code:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == '"':
            current.append(char)
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(char)
    sections.append("".join(current))
    return sections


def _row_number(reference: str | None, fallback: int) -> int:
    if reference and reference.isascii() and reference.isdigit() and len(reference) <= 7:
        return int(reference)
    return fallback


def _cell_column(reference: str | None, fallback: int) -> int:
    match = _CELL_REF.match(reference or "")
    return _column_index(match.group(1)) if match else fallback


def column_label(header: list, index: int) -> str:
    """A column as a person finds it in the file: its letter and, when it has one, its own header,
    'H (Belopp (kr))'."""
    title = str(header[index]).strip() if index < len(header) and header[index] is not None else ""
    return f"{column_letters(index)} ({title})" if title else column_letters(index)


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_value(kind: str, text: str | None, inline: list[str], strings: list[str]):
    """The cell as the person typed it: text stays text, numbers become int or float; a shared-string
    index outside the table, or text in a numeric cell, is kept as text for the validator to name."""
    if kind == "inlineStr":
        return "".join(inline)
    if text is None:
        return ""
    if kind == "s":
        if text.isascii() and text.isdigit() and int(text) < len(strings):
            return strings[int(text)]
        raise _Fail("Excel-filen är skadad (en cell pekar på en text som inte finns); spara om den i Excel")
    if kind in ("str", "e", "d"):
        return text
    if kind == "b":
        return "SANT" if text == "1" else "FALSKT"
    if _NUMBER.match(text.strip()):
        number = float(text)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    return text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
