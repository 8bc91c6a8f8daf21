"""Errors that users read: Swedish, naming the file, row, column, value and what was expected."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHOWN = 50
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


def _shorten(value: str, limit: int = 80) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


class DataError(Exception):
    """Invalid data: nothing was written. Holds every problem found, shown capped."""

    def __init__(self, problems: list[Problem], heading: str = "Datan är ogiltig"):
        self.problems = problems
        self.heading = heading
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        lines = [f"{self.heading} ({count} fel). Ingenting har ändrats i databasen."]
        lines += [f"- {p}" for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"… och {count - MAX_SHOWN} fel till.")
        return "\n".join(lines)


class DatabaseBusyError(Exception):
    """The database file is held by another process (usually the running app)."""


class DatabaseSettingError(DatabaseBusyError):
    """The configured database path cannot be a database (a folder, another kind of file, no such folder)."""
