"""Downloads of a table: CSV for Swedish Excel and a real .xlsx, numbers kept as numbers.

Every text an export writes (here and in `insatskollen.report`) goes through `neutralise`: characters
XML cannot hold are stripped, and text a spreadsheet would run as a formula (starting, after any
spaces, with = + - @ {= , a tab or a line break) gets a leading apostrophe. Numbers are left as numbers.
"""

from __future__ import annotations

import io
import re
import subprocess

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "{=")
# What XML 1.0 cannot hold (tab, LF and CR it can): C0 controls, lone surrogates, U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SHEET_NAME_BAD = "[]:*?/\\"
SHEET_NAME_MAX = 31
SEK_FORMAT = '#,##0 "kr"'
SHARE_FORMAT = "0.0%"


class StaticExportUnavailable(RuntimeError):
    """No Chromium: PDF and PNG cannot be made here (the message is Swedish)."""


def failure_text(what: str, error: BaseException) -> str:
    """What a person reads when an export failed: which file, the cause in Swedish, what still works.
    ("PowerPoint", ValueError(…)) -> 'PowerPoint-filen kunde inte skapas: ett oväntat fel …'."""
    head = f"{what}-filen kunde inte skapas: "
    if isinstance(error, StaticExportUnavailable):
        return head + str(error)
    if isinstance(error, subprocess.TimeoutExpired):
        cause = f"Chromium blev inte klar inom {int(error.timeout)} sekunder"
    elif isinstance(error, subprocess.CalledProcessError | OSError):
        cause = "Chromium kunde inte skriva ut presentationen"
    elif isinstance(error, MemoryError):
        cause = "servern hade inte minne nog för filen"
    else:
        cause = "ett oväntat fel uppstod när filen skrevs"
    return head + cause + ". Felet är loggat på servern; de andra formaten går att ladda ner."


def clean(text: str) -> str:
    """The text without the characters XML cannot hold ('Titel\\uffff' -> 'Titel')."""
    return XML_ILLEGAL.sub("", text)


def neutralise(value):
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)", '  +1' -> "'  +1", 'Titel\\uffff' -> 'Titel'; numbers unchanged."""
    if not isinstance(value, str):
        return value
    value = clean(value)
    if value.lstrip(" ").startswith(FORMULA_START) or value.startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_name(title: str, taken: set[str] | list[str] | tuple[str, ...] = ()) -> str:
    """A sheet name Excel accepts and no one mistakes for a formula: no []:*?/\\, no leading formula
    character or apostrophe, at most 31 characters, unique among `taken` (case-insensitively)."""
    base = clean(str(title)).replace("–", "-")
    for bad in SHEET_NAME_BAD:
        base = base.replace(bad, " ")
    base = base.lstrip(" '=+-@{\t\r\n").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    base = base[:SHEET_NAME_MAX].strip(" '") or "Blad"
    used = {t.casefold() for t in taken}
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" {n}"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
        n += 1
    return name


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text neutralised; kronor that are whole (a float column only because of a missing amount) written as
    whole numbers, so CSV says 200000, not 200000,0."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(neutralise)
        elif "(kr)" in str(column).lower() and pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if (known == known.round()).all():
                out[column] = values.round().astype("Int64")
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly."""
    out = _safe(df)
    out.columns = [neutralise(str(c)) for c in out.columns]
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; kronor and shares get Swedish-looking number formats but stay numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, df in sheets.items():
        sheet = workbook.create_sheet(sheet_name(title, workbook.sheetnames))
        safe = _safe(df)
        sheet.append([neutralise(str(c)) for c in safe.columns])
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
        return neutralise(", ".join(str(v) for v in value))
    return neutralise(value)


def _format_for(column: str) -> str | None:
    lowered = column.lower()
    if "(kr)" in lowered:
        return SEK_FORMAT
    if "andel" in lowered:
        return SHARE_FORMAT
    return None
