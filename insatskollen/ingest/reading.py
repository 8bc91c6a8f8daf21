"""What every reader of an upload shares: the bounds, the result, the failure and the memory check.

The bounds are fixed (sizes are checked before parsing: the file, each zip member as it is decompressed,
the number of rows, columns and characters per cell); a failure is a DataError with a Swedish message
naming the file and, where known, row and column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from insatskollen.core.errors import DataError, Problem

MAX_ROWS = 10_000  # rows with content, header included
MAX_COLUMNS = 60
MAX_CELL_CHARS = 5_000
MAX_LINE_CHARS = 20_000
MAX_UNZIPPED_BYTES = 60_000_000  # all parts of an .xlsx together, decompressed
MAX_SHARED_STRINGS = 200_000
MAX_MIXED_LINES = 20  # lines named when a CSV mixes encodings (or has Excel error values)
MAX_HIDDEN_CELLS = 10  # cells named when their number format or font hides (or scales) their value
MAX_ROW_CELLS = 16_384  # <c> elements in one <row>: Excel's own limit (column XFD)
MAX_SHEET_CELLS = 1_000_000  # <row> and <c> elements of a sheet, empty ones too (10 000 x 60 is 600 000)
MAX_XML_ELEMENTS = 3_000_000  # elements of any one part of an .xlsx
MAX_TOTAL_CHARS = 5_000_000  # characters in all cells kept, together (a 5 MB CSV has at most 5 million)


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


class ReadFailure(Exception):
    def __init__(self, expected: str, line: int | None = None, column: str | None = None, value=None):
        super().__init__(expected)
        self.problem = (line, column, value, expected)


def refusal(name: str, expected: str, line: int | None = None, column: str | None = None, value=None):
    return DataError(
        [Problem(name, line, column, value, expected)], heading=f"Filen {name} kan inte importeras"
    )


memory_budget: int | None = None  # set in the child process: address space it may use before it refuses


def check_memory() -> None:
    """In the child, refuse with MemoryError a while before the hard cap (RLIMIT_AS). At the cap itself a
    process does not fail, it crawls: small allocations fail and succeed by turns, every one after failed
    system calls, and a CI run spent its whole 120 s there, around line 330 of a CSV. Checked every few
    thousand XML elements and every 256 CSV rows: reading /proc/self/statm costs microseconds."""
    if memory_budget is None:
        return
    try:
        with open("/proc/self/statm", "rb") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc (not Linux): the hard cap alone
        return
    if size > memory_budget:
        raise MemoryError(f"address space {size} over the budget {memory_budget}")


def check_size(name: str, size: int, max_bytes: int) -> None:
    """A file over the limit is refused by its size alone, before anything reads it."""
    if size > max_bytes:
        raise refusal(name, f"filen är för stor ({megabytes(size)} MB, högst {megabytes(max_bytes)} MB)")


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


TOO_MANY_CHARS = (
    f"filen har mer text än en import får ha (mer än {thousands(MAX_TOTAL_CHARS)} tecken i cellerna "
    "sammanlagt); dela upp den i flera filer"
)


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


def column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1
