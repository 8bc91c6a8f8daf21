"""Errors that users read: Swedish, naming the file, row, column, value and what was expected."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

MAX_SHOWN = 50
# Problems kept per file; beyond this they are only counted. A file of 170 000 bad cells costs a count, not
# 170 000 objects, suggestions or lines on a page (issue 21).
MAX_COLLECTED = 200
# Control characters users never mean to type (tab, line feed and carriage return are allowed), and the
# characters XML cannot hold (lone surrogates, U+FFFE, U+FFFF), which would break every Office export.
# Also the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name read
# differently from what it is.
CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based line in the file, header is line 1
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"rad {self.line}")
        if self.column:
            where.append(f"kolumn {self.column}")
        if self.value is None:
            return f"{', '.join(where)}: {self.expected}"
        return f'{", ".join(where)}: värdet "{_shorten(self.value)}" – förväntat {self.expected}'


OS_REASONS = {
    errno.ENOENT: "filen finns inte",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENAMETOOLONG: "sökvägen är för lång",
    errno.ELOOP: "sökvägen går i cirkel (symboliska länkar)",
    errno.EIO: "ett läsfel på disken",
}


def os_reason(error: OSError) -> str:
    """Why a file cannot be used, in Swedish: the system's own words are English ('No such file or
    directory'), so an error we have no words for is named by its code ('systemfel ENXIO')."""
    if error.errno in OS_REASONS:
        return OS_REASONS[error.errno]
    return f"systemfel {errno.errorcode.get(error.errno, error.errno)}" if error.errno else "okänt systemfel"


def missing(expected: str) -> str:
    """What a Problem says for an empty cell that needs a value: 'värdet saknas – förväntat insatsens namn'."""
    return f"värdet saknas – förväntat {expected}"


def _shorten(value: str, limit: int = 80) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


class DataError(Exception):
    """Invalid data: nothing was written. Holds the problems found (at most MAX_COLLECTED when they come
    from a Problems collector) and `total`, how many there were in all; shown capped."""

    def __init__(self, problems: list[Problem], heading: str = "Datan är ogiltig", total: int | None = None):
        self.total = max(total or 0, len(problems))  # a Problems collector's len is its count
        self.problems = list(problems)
        self.heading = heading
        super().__init__(self.render())

    def render(self) -> str:
        count = self.total
        lines = [f"{self.heading} ({count} fel). Ingenting har ändrats i databasen."]
        lines += [f"- {p}" for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"… och {count - MAX_SHOWN} fel till.")
        return "\n".join(lines)


class Problems:
    """Problems collected up to `limit` and counted beyond it; used like a list by the validators
    (`append`, `len`, truthiness). `full` tells a validator to skip what only serves a message (a
    "Menade du …?" suggestion) once no more messages will be kept."""

    def __init__(self, limit: int = MAX_COLLECTED):
        self.items: list[Problem] = []
        self.count = 0
        self.limit = limit

    def append(self, problem: Problem) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(problem)

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)
        if isinstance(problems, Problems):  # the ones it only counted
            self.count += problems.count - len(problems.items)

    def __iadd__(self, problems):
        self.extend(problems)
        return self

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.items)

    @property
    def full(self) -> bool:
        return self.count >= self.limit


class DatabaseBusyError(Exception):
    """The database file is held by another process (usually the running app)."""


class DatabaseSettingError(DatabaseBusyError):
    """The configured database path cannot be a database (a folder, another kind of file, no such folder)."""
