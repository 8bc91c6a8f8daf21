"""The yearly report's files (återrapportering, issue 15 item 5): Word and Excel of a
insatskollen.core.yearly_report.YearlyReport with the official's paragraph.

Every text written to a file goes through `table_files.neutralise` (formula starts, XML-illegal characters).
"""

from __future__ import annotations

import io
import re

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor

from insatskollen.core import fmt, follow_up, plan_chain
from insatskollen.core.follow_up import PAGE_FILE
from insatskollen.core.yearly_report import (
    DRAFT_NOTE,
    INDICATOR_NOTE,
    INDICATORS,
    MEASURED_NOTE,
    TOTALS_RULE,
    YearlyReport,
    is_draft,
)
from insatskollen.core.yearly_report import missing as _missing  # the Word-cell code's name, left as it was
from insatskollen.export import table_files, word_tables

RED = "B3261E"

# ------------------------------------------------------------------ Word

WORD_MEASURE_COLUMNS = (*follow_up.MEASURE_COLUMNS, INDICATORS)
# shown even when empty: an unknown amount says "okänt"
WORD_KEPT_COLUMNS = ("Insats", "Nämnd", "Område", *follow_up.AMOUNT_HEADERS.values(), "Genomförande")
WORD_TOTAL_COLUMNS = ("Insatser", "Beviljat", "Utfall", "Avvikelse där båda är kända (kr)")


PLAN_HEADING = "Från lägesbild till resultat"  # the plan chain (issue 26), a section and a sheet


def _plain(value) -> str:
    return table_files.neutralise("" if value is None else str(value))


def _word_cell(column: str, value) -> str:
    """A cell's text: amounts formatted here (a signed deviation keeps its +), data text neutralised."""
    if column == "Avvikelse där båda är kända (kr)" or column == "Avvikelse (kr)":
        return "okänt" if _missing(value) else fmt.signed_sek(value)
    if "(kr)" in column:
        return "okänt" if _missing(value) else fmt.sek(value)
    return "" if _missing(value) else _plain(value)


WORD_TEXT_WIDTH = Cm(29.7 - 2 * 1.5)  # landscape A4 less its margins
WORD_CHAR = Cm(0.21)  # one character of 9 pt in the sans LibreOffice draws for Calibri (Carlito: 0.19–0.20)
WORD_BOLD_CHAR = Cm(0.235)  # the same, bold (headers, a Totalt row; Carlito bold: 0.21–0.22)
WORD_CELL_MARGIN = Cm(0.4)
# A longer "word" (a pasted link, a tag) may break: it must not squeeze all the others. Swedish names of
# nämnder are single words this long ("Samhällsbyggnadsnämnden" 23, "vuxenutbildningsnämnden" 23): they
# must never break ("Kommunstyrels/en", issue 23).
WORD_WORD_CHARS = 28
WORD_WANTED_CHARS = 45  # a column wider than this wraps its text rather than narrowing the others
WORD_FONT_SIZES = (9, 8, 7)  # a table whose words do not fit the page at 9 pt gets a smaller font
# where a line may break: spaces, and a hyphen that ends a word ("Gymnasie- och"); a date or "Kultur-" in
# "Kultur-och" stays one word
_BREAKS = re.compile(r"[ \t\n]+|-(?=[ \t\n])")


def _longest_word(text: str) -> int:
    return min(max((len(w) for w in _BREAKS.split(text)), default=1), WORD_WORD_CHARS)


def _word_widths(
    texts: list[list[str]], points: int = 9, bold: frozenset[int] = frozenset({0})
) -> list[int] | None:
    """Column widths by content (texts: per column, its header and cells as written; `bold`: the rows set in
    bold) at a font of `points`: each column at least as wide as its longest word, so a word is never split
    ("vuxenutbildnin|g", "Kommunstyrels|en"); the rest of the page's width shared by how much more each
    column's longest text wants. None when the longest words alone are wider than the page at this size."""
    scale = points / 9
    least = [
        max(
            (
                (WORD_BOLD_CHAR if i in bold else WORD_CHAR) * scale * _longest_word(t)
                for i, t in enumerate(col)
            ),
            default=WORD_CHAR,
        )
        + WORD_CELL_MARGIN
        for col in texts
    ]
    spare = WORD_TEXT_WIDTH - sum(least)
    if spare < 0:
        return None
    longest = [max((_longest_word(t) for t in col), default=1) for col in texts]
    wanted = [min(max((len(t) for t in col), default=1), WORD_WANTED_CHARS) for col in texts]
    more = [max(w - n, 0) for w, n in zip(wanted, longest, strict=True)]
    return [
        int(w + spare * m / (sum(more) or len(more))) if sum(more) else int(w + spare / len(more))
        for w, m in zip(least, more, strict=True)
    ]


def _word_layout(texts: list[list[str]], bold: frozenset[int]) -> tuple[list[int], int]:
    """(widths, font size): the largest of WORD_FONT_SIZES at which every word fits its column; past the
    smallest, the page shared by the words (the last resort: a table of very long words)."""
    for points in WORD_FONT_SIZES:
        widths = _word_widths(texts, points, bold)
        if widths is not None:
            return widths, points
    least = [max((_longest_word(t) for t in col), default=1) for col in texts]
    return [int(WORD_TEXT_WIDTH * n / sum(least)) for n in least], WORD_FONT_SIZES[-1]


def _word_table(document, table: pd.DataFrame, columns: tuple[str, ...], bold_last: bool = False) -> None:
    word = document.add_table(rows=1, cols=len(columns))
    word.style = "Table Grid"
    word.autofit = False
    for j, column in enumerate(columns):
        word_tables.fill(word.rows[0].cells[j], _plain(column), bold=True, right="(kr)" in column, points=9)
        # the header row stays with the first row (it was left alone at the foot of a page) and repeats on
        # each page the table runs on
        word.rows[0].cells[j].paragraphs[0].paragraph_format.keep_with_next = True
    word_tables.keep_together(word.rows[0])
    word_tables.repeat_header(word.rows[0])
    for i, row in enumerate(table.to_dict("records")):
        added = word.add_row()
        word_tables.keep_together(added)
        cells = added.cells
        last = bold_last and i == len(table) - 1
        for j, column in enumerate(columns):
            text = table_files.clean(_word_cell(column, row[column]))  # ours, or neutralised by _word_cell
            word_tables.fill(cells[j], text, bold=last, right="(kr)" in column, points=9)
    texts = [[c.text for c in word.columns[j].cells] for j in range(len(columns))]
    bold = frozenset({0, len(table)} if bold_last else {0})
    widths, points = _word_layout(texts, bold)
    word_tables.set_widths(word, widths)
    if points != 9:
        for run in (
            r for column in word.columns for cell in column.cells for p in cell.paragraphs for r in p.runs
        ):
            run.font.size = Pt(points)


def to_docx(report: YearlyReport, paragraph: str) -> bytes:
    """The report as Word (landscape A4): the official's paragraph, totals per area and nämnd, every
    measure, the document indicators and the sources."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    document.add_heading(_plain(report.title), level=1)
    document.add_paragraph(
        _plain(f"Ram: {report.funding_source}. Underlag från Insatskollen, {report.created.isoformat()}.")
    )
    if is_draft(report, paragraph):
        run = document.add_paragraph().add_run(_plain(DRAFT_NOTE))
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(RED)
    document.add_heading("Sammanfattning", level=2)
    for part in [p.strip() for p in paragraph.split("\n\n")] or [""]:
        if part:
            document.add_paragraph(_plain(part))
    for heading, table in (("Per område", report.by_area), ("Per nämnd", report.by_committee)):
        document.add_heading(heading, level=2)
        _word_table(document, table, (table.columns[0], *WORD_TOTAL_COLUMNS), bold_last=True)
    document.add_paragraph(_plain(TOTALS_RULE))
    document.add_heading("Insatserna", level=2)
    measures = report.measures.assign(
        Datum=[None if _missing(d) else d.isoformat() for d in report.measures.Datum]
    )
    # a column no measure fills is left out (the document indicators have their own section below)
    shown = tuple(c for c in WORD_MEASURE_COLUMNS if c in WORD_KEPT_COLUMNS or measures[c].notna().any())
    _word_table(document, measures, shown)
    document.add_heading("Indikatorer i kommunens styrdokument", level=2)
    document.add_paragraph(_plain(INDICATOR_NOTE))
    if report.indicators.empty:
        document.add_paragraph("Kommunens dokument anger inga indikatorer.")
    for r in report.indicators.to_dict("records"):
        where = r["Insats"] or r["Område"]
        document.add_paragraph(
            _plain(f"{where}: {r['Indikator']} (Källa: {r['Källa']}, {r['Avsnitt']})"), style="List Bullet"
        )
    document.add_heading(PLAN_HEADING, level=2)
    if report.plan.empty:
        document.add_paragraph("Kommunen har ingen lägesbild eller åtgärdsplan i Insatskollen.")
    else:
        document.add_paragraph(_plain(f"{report.plan_summary} {plan_chain.NO_CAUSAL_CLAIM}"))
        _word_table(document, report.plan, plan_chain.TABLE_COLUMNS)
    document.add_heading("Nyckeltal från Kolada", level=2)
    if report.measured.empty:
        document.add_paragraph("Inga nyckeltal från Kolada är importerade för kommunen.")
    else:
        document.add_paragraph(_plain(MEASURED_NOTE))
        for (kpi, title), group in report.measured.groupby(["Nyckeltal-id", "Nyckeltal"], sort=False):
            values = "; ".join(
                f"{r['Kommun']} {r['År']}: "
                + ("okänt" if r["Värde"] is None or _missing(r["Värde"]) else fmt.number(r["Värde"], 1))
                for r in group.to_dict("records")
            )
            document.add_paragraph(_plain(f"{title} ({kpi}): {values}"), style="List Bullet")
    document.add_heading("Källor", level=2)
    for r in report.sources.to_dict("records"):
        if r["Gäller"] == "Beviljat":
            case = r["Dnr"] if r["Dnr"] and r["Dnr"] not in str(r["Avsnitt eller rader"]) else None
            text = f"Beviljat: {r['Källa']}, {r['Avsnitt eller rader']}" + (f", dnr {case}" if case else "")
        elif r["Fil"] == PAGE_FILE:
            text = f"Utfall, genomförande och resultat: ifyllt på Uppföljningssidan av {r['Av']} {r['När']}"
        else:
            text = f"Utfall, genomförande och resultat: {r['Fil']} {r['Avsnitt eller rader']}, {r['Av']} {r['När']}"
        count = fmt.count_phrase(r["Insatser"], "insats", "insatser")
        document.add_paragraph(_plain(f"{text} ({count}: {r['Insatsernas namn']})"), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ Excel


# An Excel cell holds at most 32 767 characters (UTF-16 units); XlsxWriter silently cuts a longer text there.
# A part is kept a little shorter, so that the apostrophe `table_files.neutralise` may add still fits.
EXCEL_PART_UNITS = 32_000


def excel_parts(text: str, units: int = EXCEL_PART_UNITS) -> list[str]:
    """`text` in consecutive parts that each fit an Excel cell, cut after a line break or else a space where
    there is one in the part's second half; the parts joined are the text, nothing is lost."""
    parts: list[str] = []
    while _units(text) > units:
        part = text[:units]
        while _units(part) > units:  # characters outside the BMP count twice
            part = part[: len(part) // 2]
        cut = max(part.rfind("\n"), part.rfind("\r"))
        if cut < len(part) // 2:
            cut = part.rfind(" ")
        if cut >= len(part) // 2:
            part = part[: cut + 1]
        parts.append(part)
        text = text[len(part) :]
    return [*parts, text]


def _units(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_xlsx(report: YearlyReport, paragraph: str) -> bytes:
    """The report as Excel through the project's table export: numbers stay numbers with Swedish kronor
    formats, dates are dates, every text neutralised. A paragraph longer than a cell holds goes on
    consecutive rows, "Sammanfattning (del 1 av 2)" and on."""
    lead = [("Rapport", report.title), ("Ram", report.funding_source), ("Skapad", report.created)]
    if is_draft(report, paragraph):
        lead.append(("Status", DRAFT_NOTE))
    parts = excel_parts(paragraph)
    lead += [
        ("Sammanfattning" if len(parts) == 1 else f"Sammanfattning (del {n} av {len(parts)})", part)
        for n, part in enumerate(parts, start=1)
    ]
    lead += [
        ("Summor", TOTALS_RULE),
        ("Indikatorer", INDICATOR_NOTE),
        ("Nyckeltal (Kolada)", MEASURED_NOTE if len(report.measured) else "Inga importerade."),
        (
            PLAN_HEADING,
            f"{report.plan_summary} {plan_chain.NO_CAUSAL_CLAIM}" if len(report.plan) else "Ingen.",
        ),
    ]
    return table_files.to_xlsx(
        {
            "Återrapportering": pd.DataFrame(lead, columns=["Uppgift", "Text"]),
            "Insatser": report.measures,
            "Per område": report.by_area,
            "Per nämnd": report.by_committee,
            "Indikatorer": report.indicators,
            "Nyckeltal (Kolada)": report.measured,
            **({PLAN_HEADING: report.plan} if len(report.plan) else {}),  # no empty sheet without a plan
            "Källor": report.sources,
        }
    )
