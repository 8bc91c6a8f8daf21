"""The kinds of column a bundled table declares (insatskollen.core.schema): a column's type, whether it is required,
what it refers to and its bounds; a table's columns, key and extra row checks."""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types as the loader understands them. Amounts are whole kronor.
TEXT = "text"
INT = "int"  # whole number, e.g. kronor or a year
DECIMAL = "decimal"  # a share in percent or a statistic
DATE_TEXT = "date_text"  # "YYYY" or "YYYY-MM-DD", as precise as the document is

SQL_TYPES = {TEXT: "varchar", INT: "bigint", DECIMAL: "double", DATE_TEXT: "varchar"}

EXPECTED_SV = {
    TEXT: "text",
    INT: "ett heltal, t.ex. 1500000",
    DECIMAL: "ett tal med punkt som decimaltecken, t.ex. 12.5",
    DATE_TEXT: "ett datum som ÅÅÅÅ eller ÅÅÅÅ-MM-DD",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    # (table, column) the value must exist in; NULL is allowed unless required.
    ref: tuple[str, str] | None = None
    min_value: int | float | None = None
    max_value: int | float | None = None
    # Fixed choices that are structure, not data (e.g. a rule kind the engine implements).
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    # Extra row checks: (sql condition that is TRUE for a bad row, Swedish message, column named).
    row_checks: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
