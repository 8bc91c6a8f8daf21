"""Downloads of a table: CSV for Swedish Excel and a real .xlsx, numbers kept as numbers.

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a line
break) is neutralised with a leading apostrophe; numeric columns are left as numbers.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
SEK_FORMAT = '#,##0 "kr"'
SHARE_FORMAT = "0.0%"


def neutralise(value):
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)"; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly."""
    text = _safe(df).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; kronor and shares get Swedish-looking number formats but stay numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, df in sheets.items():
        sheet = workbook.create_sheet(_sheet_title(title))
        safe = _safe(df)
        sheet.append([str(c) for c in safe.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in safe.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for index, column in enumerate(safe.columns, start=1):
            letter = get_column_letter(index)
            number_format = _format_for(str(column))
            if number_format:
                for cell in sheet[letter][1:]:
                    cell.number_format = number_format
            width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)])
            sheet.column_dimensions[letter].width = min(max(10, width + 2), 70)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalar -> Python number
        return value.item()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def _format_for(column: str) -> str | None:
    lowered = column.lower()
    if "(kr)" in lowered:
        return SEK_FORMAT
    if "andel" in lowered:
        return SHARE_FORMAT
    return None


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Blad"
