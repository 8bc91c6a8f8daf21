"""Downloads of a table: CSV for Swedish Excel and a real .xlsx, numbers kept as numbers.

Every text an export writes (here and in the deck's files, `export/deck_*.py`) goes through `neutralise`: characters
XML cannot hold are stripped, and text a spreadsheet would run as a formula (starting, after any
spaces, with = + - @ {= , a tab or a line break; fullwidth ＝＋－＠ too) gets a leading apostrophe.
Numbers are left as numbers.
"""

from __future__ import annotations

import datetime
import decimal
import io
import math
import numbers
import re
import subprocess
import unicodedata

import numpy as np
import pandas as pd
import xlsxwriter

from insatskollen.core import na

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
    # as the import reads a formula (import_validate.looks_like_formula): fullwidth ＝＋－＠ too, and behind
    # spaces or invisible characters ("\u200b=1+1")
    head = "".join(c for c in value[:16] if unicodedata.category(c) != "Cf")
    if unicodedata.normalize("NFKC", head).lstrip().startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_name(title: str, taken: set[str] | list[str] | tuple[str, ...] = ()) -> str:
    """A sheet name Excel accepts and no one mistakes for a formula: no []:*?/\\, no leading formula
    character or apostrophe, at most 31 characters, unique among `taken` (case-insensitively)."""
    base = clean(str(title)).replace("–", "-")
    for bad in SHEET_NAME_BAD:
        base = base.replace(bad, " ")
    base = base.lstrip(" '=+-@{\t\r\n").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    base = _cut(base, SHEET_NAME_MAX) or "Blad"
    used = {t.casefold() for t in taken}
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" {n}"
        name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    return name


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words where a word boundary is near enough (never 'områ')."""
    text = text.strip(" '")
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    cut = head[:space] if space >= limit // 2 else text[:limit]
    return cut.rstrip(" '-–·,:;")


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text neutralised; kronor that are whole (a float column only because of a missing amount) written as
    whole numbers, so CSV says 200000, not 200000,0."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":  # pandas' text
            out[column] = _neutralise_text(values)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(neutralise)
        elif "(kr)" in str(column).lower() and pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if np.isfinite(known).all() and (known.abs() < 2**53).all() and (known == known.round()).all():
                out[column] = values.round().astype("Int64")
    return out


# Texts `neutralise` could change, a superset: anything not starting with a letter or a digit (a formula
# character behind spaces, no-break spaces or invisible characters, fullwidth ＝＋－＠: `neutralise` looks past
# them all), or holding a character XML cannot hold. A text starting with a letter or digit cannot become a
# formula. Arrow-backed text cannot hold lone surrogates, so this pattern (for Arrow's regex engine) needs none.
_MAY_CHANGE = r"^[^\p{L}\p{N}]|[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"


def _neutralise_text(values: pd.Series) -> pd.Series:
    """`neutralise` over a text column, run only on the values it could change: a national table of 50 000
    cells took 45 ms cell by cell, and almost none need it."""
    candidates = values.str.contains(_MAY_CHANGE, regex=True, na=False)
    if not candidates.any():
        return values
    out = values.copy()
    out[candidates] = values[candidates].map(neutralise)
    return out


def fingerprint(df: pd.DataFrame) -> str:
    """A digest of the table's columns, types and values, for caching its files: its Arrow IPC stream hashed,
    ~0.5 ms for a page's table where Streamlit's own hashing of a DataFrame argument took ~3 ms, twice a table
    on every rerun. A column Arrow cannot hold (mixed Python objects) falls back to pandas' row hashes."""
    import hashlib

    import pyarrow as pa

    digest = hashlib.blake2b(digest_size=20)
    try:
        arrow = pa.Table.from_pandas(df, preserve_index=True)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, arrow.schema) as writer:
            writer.write_table(arrow)
        digest.update(sink.getvalue())
    except (pa.ArrowException, TypeError, ValueError):
        digest.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
        digest.update(pd.util.hash_pandas_object(df.astype(str), index=True).to_numpy().tobytes())
    return digest.hexdigest()


def to_csv(df: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly."""
    out = _safe(df)
    out.columns = [neutralise(str(c)) for c in out.columns]
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


MAX_COLUMN_WIDTH = 70  # characters: wider text wraps in its column
ROW_POINTS = 15  # a line's height (Excel's and LibreOffice's default row)
MAX_ROW_POINTS = 409  # Excel's tallest row; a longer text scrolls within its cell


def _shown_length(value, number_format) -> int:
    """How many characters a cell shows: an amount with its thousands spaces and "kr", a share as a percentage
    (sized by its bare digits, a kronor column was too narrow and showed "###" for 34 700 000 kr)."""
    if (
        isinstance(value, numbers.Real | decimal.Decimal)
        and not isinstance(value, bool)
        and math.isfinite(value)
    ):
        if number_format == SEK_FORMAT:
            return len(f"{value:,.0f}") + len(" kr")
        if number_format == SHARE_FORMAT:
            return len(f"{value * 100:.1f} %")
    return len(str(value))


def _lines(value) -> int:
    """How many lines a text takes wrapped in a MAX_COLUMN_WIDTH column, on the safe side (a column's width is
    counted in digits, which are wider than most letters)."""
    if value is None:
        return 1
    return sum(max(1, math.ceil(len(part) / (MAX_COLUMN_WIDTH - 8))) for part in str(value).split("\n"))


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; kronor and shares get Swedish-looking number formats but stay numbers.

    Written with XlsxWriter (a table's workbook in ~2 ms instead of openpyxl's ~18 ms: every chart and table
    page makes its files before drawing the buttons). Text is always written as text (`write_string`), so
    nothing becomes a formula or a link whatever it starts with; the apostrophe from `neutralise` stays too,
    so the text reads the same in every spreadsheet program."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    # A column cut to MAX_COLUMN_WIDTH wraps its text: unwrapped, a long source name ran on to the right and the
    # printed page shrank until it fitted, too small to read (Om underlaget, 2026-12-07). Every cell reads from
    # the top of its row, so a number stands beside a wrapped text's first line.
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        SEK_FORMAT: workbook.add_format({"num_format": SEK_FORMAT, "valign": "top"}),
        SHARE_FORMAT: workbook.add_format({"num_format": SHARE_FORMAT, "valign": "top"}),
    }
    dates = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    times = workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss", "valign": "top"})
    taken: list[str] = []
    for title, df in sheets.items():
        name = sheet_name(title, taken)
        taken.append(name)
        sheet = workbook.add_worksheet(name)
        safe = _safe(df)
        for col, column in enumerate(safe.columns):
            sheet.write_string(0, col, str(neutralise(str(column))), bold)
        kinds = [_format_for(str(c)) for c in safe.columns]
        column_formats = [formats.get(kind) for kind in kinds]
        wrapping = []
        for col, column in enumerate(safe.columns):
            shown = [_shown_length(v, kinds[col]) for v in safe[column].head(200)]
            width = max([len(str(column)), *shown]) + 2
            if width > MAX_COLUMN_WIDTH:
                sheet.set_column(col, col, MAX_COLUMN_WIDTH, wrapped)
                wrapping.append(col)
            else:
                sheet.set_column(col, col, max(10, width))
        for row_number, row in enumerate(safe.itertuples(index=False), start=1):
            for col, value in enumerate(row):
                _write(sheet, row_number, col, _cell(value), column_formats[col], dates, times)
            # a wrapped row is as tall as its lines (spreadsheet programs keep a row's height as written on
            # opening: LibreOffice drew the second line over the next row), its cells read from the top
            lines = max((_lines(row[col]) for col in wrapping), default=1)
            if lines > 1:
                sheet.set_row(row_number, min(ROW_POINTS * lines, MAX_ROW_POINTS), wrapped)
        sheet.freeze_panes(1, 0)
        # printed: A4 landscape, one page wide, the header row on every page (XlsxWriter's default is US
        # Letter portrait, the columns cut over several pages)
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, number_format, dates, times) -> None:
    """One cell: nothing for an unknown value, numbers as numbers, dates as dates, everything else as text."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, numbers.Real | decimal.Decimal):  # Decimal from DuckDB, Fraction from the rules
        if math.isfinite(value):
            sheet.write_number(
                row, col, value if isinstance(value, int | float) else float(value), number_format
            )
        else:
            sheet.write_string(row, col, str(value))
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), times)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, dates)
    else:
        sheet.write_string(row, col, str(value))


def _cell(value):
    if na.missing(value):
        return None
    if isinstance(value, np.ndarray):  # a list from DuckDB arrives as an array
        value = value.tolist()
    elif hasattr(value, "item"):  # numpy scalar -> Python number
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
