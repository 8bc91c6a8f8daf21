"""Exports of a deck: PowerPoint (native charts), Word (decision table and text), Excel (one sheet
per view), PDF (the deck printed by headless Chromium) and PNG of a single chart (Kaleido).

PowerPoint, Word and Excel need nothing but their Python libraries. PDF and PNG need a Chromium
on the machine; without one they raise StaticExportUnavailable with a Swedish message and the
other exports still work. Nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.shared import RGBColor as DocxRGB
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches
from pptx.util import Pt as PptPt

from insatskollen.core import fmt, key_figures, na, theme
from insatskollen.export import table_files
from insatskollen.export.deck import DECISION_AVAILABLE, DECISION_TOTAL, DRAFT, Deck, Slide
from insatskollen.export.table_files import StaticExportUnavailable, failure_text

__all__ = ["StaticExportUnavailable", "failure_text"]

CHROMIUM_ENV = "INSATSKOLLEN_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RED = "B91C1C"
TEXT = "1F2937"
MUTED = "4B5563"
CONTINUED = "(forts.)"
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # "19 700 000" in a quote: never split over two lines
TABLE_TOP, TABLE_BOTTOM, TABLE_WIDTH = (
    2.0,
    6.6,
    12.3,
)  # inches on a 13,333 × 7,5 in slide; the footer starts at 6.75


NO_CHROMIUM = (
    "PDF och bilder av diagram kräver webbläsaren Chromium på datorn (Debian/Ubuntu: apt-get install chromium). "
    "Den hittades inte. PowerPoint, Word och Excel fungerar ändå."
)


def chromium_path() -> str | None:
    """The Chromium to use: $INSATSKOLLEN_CHROMIUM, else the first of the usual names on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def static_export_available() -> bool:
    return chromium_path() is not None


# ------------------------------------------------------------------ helpers


def fingerprint(deck: Deck) -> str:
    """A key for the deck's PowerPoint, Word and Excel files: everything they are written from (the
    Plotly figures, drawn only in PDF and PNG, are left out, so it is cheap)."""
    digest = hashlib.sha256()

    def add(value) -> None:
        if isinstance(value, pd.DataFrame):
            value = value.to_csv(index=False)
        digest.update(repr(value).encode("utf-8", "surrogatepass"))

    for value in (deck.title, deck.scope, deck.sources, deck.created, deck.scenario_name, deck.draft):
        add(value)
    for slide in deck.slides:
        for value in (slide.key, slide.title, slide.message, slide.categories, slide.series, slide.colors):
            add(value)
        add(slide.note)
        add(slide.table if slide.table is not None else None)
    for name, table in deck.extra_sheets.items():
        add(name)
        add(table)
    add(deck.key_figures if deck.key_figures is not None else None)
    return digest.hexdigest()


def _cell_text(column: str, value, text=None) -> str:
    """A table cell as text: amounts formatted (never a formula), other text through `text` (default: neutralised
    and XML-clean, for PowerPoint and Word; the HTML of the page and the PDF passes table_files.clean: no spreadsheet
    reads it, so it shows the name exactly as written)."""
    if "(kr)" in column:
        return fmt.sek(value)
    if na.missing(value):
        return "–"
    # a name with line breaks is one line of text in a cell (as HTML shows it): 75 lines "N0\nN1…" made a row
    # taller than a slide
    flat = " ".join(str(value).split()) if "\n" in str(value) or "\r" in str(value) else str(value)
    return (text or _plain)(_DIGIT_GROUP.sub("\u00a0", flat))


_AMOUNT_UNIT = re.compile(r"(?<=\d) (?=(?:kr|mnkr|mdkr|tkr)\b)")


def _whole(text) -> str:
    """A text with its amounts in one piece: "19 700 000 kr" quoted from a document with ordinary spaces gets
    no-break spaces between its digit groups and before its unit (Word and the PDF then never end a line inside
    it), through _plain."""
    return _plain(_AMOUNT_UNIT.sub("\u00a0", _DIGIT_GROUP.sub("\u00a0", "" if text is None else str(text))))


def _plain(text) -> str:
    """Every text a PowerPoint or Word file gets: no formula start, no character XML cannot hold."""
    return table_files.neutralise("" if text is None else str(text))


def _is_total(label) -> bool:
    return label in (DECISION_TOTAL, DECISION_AVAILABLE)


DECK_TITLE_PREFIX = "Medel mot segregation – "


def file_name(deck: Deck, kind: str) -> str:
    """The deck's file name, the same for every format: 'insatskollen-malmo-2022.pptx',
    'insatskollen-sodertalje-2018-2020.docx', a scenario's name after its frame. ASCII letters, digits and
    hyphens only (å, ä, ö as a, a, o), so that every mail program and file share keeps it; stable (no date)."""
    parts = [deck.title.removeprefix(DECK_TITLE_PREFIX)]
    if deck.scenario_name:
        parts += ["scenario", deck.scenario_name]
    words = re.sub(r"\W+", " ", " ".join(parts))  # "2018–2020": the dash is a word break, not nothing
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text))
    if len(slug) > 80:  # cut at a hyphen, never inside a word
        slug = slug[:81].rsplit("-", 1)[0]
    return f"insatskollen-{slug or 'presentation'}.{kind}"


# ------------------------------------------------------------------ PowerPoint


def to_pptx(deck: Deck) -> bytes:
    """16:9 deck: a title slide, then one slide per deck slide with native (editable) charts or tables."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    # a title of two lines (a scenario's frame) in a smaller size, starting higher, so it keeps off the scope
    long_title = len(deck.title) > 12.1 * 72 / (0.62 * 40)
    _text(
        first,
        deck.title,
        0.6,
        1.4 if long_title else 2.2,
        12.1,
        2.0 if long_title else 1.2,
        34 if long_title else 40,
        bold=True,
    )
    _text(first, deck.scope, 0.6, 3.5, 12.1, 0.8, 22)
    _text(
        first,
        f"Datum: {deck.created.isoformat()}"
        + (f" · Scenario: {deck.scenario_name}" if deck.scenario_name else ""),
        0.6,
        4.3,
        12.1,
        0.6,
        18,
        color=MUTED,
    )
    _footer(first, deck)
    shown = pages(deck)
    for number, page in enumerate(shown, start=1):
        s = _titled_slide(prs, deck, page.title, page.slide.message)
        _text(s, slide_number(number, len(shown)), 10.8, 0.0, 2.0, 0.3, 11, color=MUTED, align=PP_ALIGN.RIGHT)
        if page.slide.categories and page.slide.series:
            _chart(s, page.slide)
        elif page.table is not None:
            _table(s, page.table)
        _footer(s, deck, page.slide)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def slide_number(number: int, count: int) -> str:
    """'Bild 5 av 9': the presentation's own count (its slides are report.pages), printed on each slide of the
    PowerPoint and the PDF, so that "bild 5" is the same slide on the projector and in the meeting papers (the
    files' title page is not counted)."""
    return f"Bild {number} av {count}"


def _titled_slide(prs, deck: Deck, title: str, message: str):
    s = prs.slides.add_slide(prs.slide_layouts[6])
    width = 10.6 if deck.draft else 12.3  # the UTKAST mark starts at 11.3 in
    _text(s, title, 0.5, 0.3, width, 0.95, _title_size(title, width), bold=True)
    _text(s, message, 0.5, 1.25, 12.3, 0.75, _message_size(message))
    return s


def _title_size(title: str, width: float, height: float = 0.95) -> int:
    """30 pt on one line; else the largest of 24, 20, 18 pt at which the title's lines (about 0.62 em a bold
    character, 1.2 em a line) fit its box: a frame named in a municipality's own words may be 120 characters
    ("Förslag till beslut – <name> 2025" wrapped to three lines at 24 pt over the message)."""
    if len(title) <= width * 72 / (0.62 * 30):
        return 30
    for size in (24, 20):
        per_line = int(width * 72 / (0.62 * size))
        if math.ceil(len(title) / per_line) * size * 1.2 <= height * 72:
            return size
    return 18


def _message_size(message: str, width: float = 12.3, height: float = 0.75) -> int:
    """The largest of 19, 16, 14, 12 pt at which the message's lines (about 0.55 em a character, 1.2 em a
    line) fit its box above the chart: the first slide's message grew a "Tolkning: …" sentence."""
    for size in (19, 16, 14):
        per_line = int(width * 72 / (0.55 * size))
        if math.ceil(len(message) / per_line) * size * 1.2 <= height * 72:
            return size
    return 12


def _text(slide, text: str, left, top, width, height, size, bold=False, color=TEXT, align=None):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = _plain(text)
    run.font.size = PptPt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(color)
    if align:
        paragraph.alignment = align
    return box


FOOTER_TOP, FOOTER_HEIGHT, FOOTER_WIDTH = 6.75, 0.6, 12.3  # inches; the slide ends at 7.5
FOOTER_MORE = " … (alla källor: Excel-bladet Om underlaget)"


def footer_fit(text: str, width: float = FOOTER_WIDTH, height: float = FOOTER_HEIGHT) -> tuple[str, int]:
    """The sources footer at the largest of 10, 9, 8, 7 pt whose lines (about 0.6 em a character, 1.2 em a line,
    as DejaVu Sans sets it) fit its box; longer than the box holds at 7 pt, it ends where the box does and
    says where every source is listed (a deck of every municipality cites a dozen documents)."""
    for size in (10, 9, 8, 7):
        per_line = int(width * 72 / (0.6 * size))
        lines = int(height * 72 // (size * 1.2))
        if _wrapped_lines(text, per_line) <= lines:
            return text, size
    keep = text
    while keep and _wrapped_lines(keep + FOOTER_MORE, per_line) > lines:
        keep = keep[: keep.rstrip().rfind(" ")] if " " in keep.rstrip() else ""
    return keep.rstrip(" ;,·") + FOOTER_MORE, 7


def _wrapped_lines(text: str, per_line: int) -> int:
    """How many lines `text` takes wrapped between words at `per_line` characters."""
    lines, used = 1, 0
    for word in text.split(" "):
        need = len(word) if used == 0 else used + 1 + len(word)
        if need > per_line and used:
            lines, used = lines + 1, len(word)
        else:
            used = need
        while used > per_line:  # a word longer than a line breaks anywhere
            lines, used = lines + 1, used - per_line
    return lines


def _footer(slide, deck: Deck, shown: Slide | None = None) -> None:
    text, size = footer_fit(deck.footer_for(shown))
    _text(slide, text, 0.5, FOOTER_TOP, FOOTER_WIDTH, FOOTER_HEIGHT, size, color=MUTED)
    if deck.draft:
        _text(slide, DRAFT.upper(), 11.3, 0.3, 1.6, 0.6, 22, bold=True, color=RED, align=PP_ALIGN.RIGHT)


NOTE_HEIGHT = 0.5  # in: two lines of 11 pt under a chart


def _chart(slide, s: Slide) -> None:
    s = in_screen_order(s)
    data = CategoryChartData(number_format=f'{SV}#,##0 "kr"')
    # python-pptx writes these into the chart's embedded workbook (XlsxWriter runs '=…' and '{=…}' as formulas)
    data.categories = [_plain(c) for c in s.categories]
    for name, values in s.series:
        # an unknown amount is a blank point (no bar, no "0 kr" label), never 0
        data.add_series(_plain(name.replace(" (kr)", "")), [na.or_none(v) for v in values])
    colors = series_colors(s)
    top = 2.0
    if len(s.series) > 1:  # the legend, drawn: every program shows it in the screen's order
        _legend(slide, [name.replace(" (kr)", "") for name, _values in s.series], colors, top)
        # a series with a colour per bar (the scenario's areas) shows its first bar's, as the screen's legend does
        top += LEGEND_HEIGHT
    # the chart's note under it, as the screen's caption ("1 rad utan belopp visas inte i diagrammet.")
    bottom = 6.6 - (NOTE_HEIGHT if s.note else 0)
    if s.note:
        _text(slide, s.note, 0.5, bottom, 12.3, NOTE_HEIGHT, 11, color=MUTED)
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(top), Inches(12.3), Inches(bottom - top), data
    )
    chart = frame.chart
    # the screen chart's own title ("Ram och fördelat per kommun och år"), not PowerPoint's automatic one from
    # a single series' name ("Belopp")
    title = chart_title(s)
    chart.has_title = bool(title)
    if title:
        chart.chart_title.text_frame.text = _plain(title)
        for paragraph in chart.chart_title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = PptPt(16)
                run.font.bold = True
                run.font.color.rgb = RGBColor.from_string(TEXT)
    # PowerPoint's own legend lists a horizontal bar chart's series in an order of the program's choosing
    # (LibreOffice: the last first, "Fördelat Ram" above a chart whose screen says "Ram Fördelat"); the slide
    # draws its own instead (_legend)
    chart.has_legend = False
    chart.category_axis.reverse_order = True  # first category on top, as on screen
    chart.category_axis.tick_labels.font.size = PptPt(14)
    chart.value_axis.tick_labels.font.size = PptPt(12)
    chart.value_axis.tick_labels.number_format = _axis_format(s)
    chart.value_axis.tick_labels.number_format_is_linked = False
    # PowerPoint picks its own axis start (Malmö's 33,6 of 34,7 mnkr drawn from 33 000 000 looked like a third of
    # the frame); on screen and in the PDF the axis starts at 0, so it is set here too (issue 22)
    known = [v for _name, values in s.series for v in values if not na.missing(v)]
    chart.value_axis.minimum_scale = min([0.0, *known])
    if s.chart is not None and s.chart.figure.layout.xaxis.range:  # the screen's end: room for the labels
        chart.value_axis.maximum_scale = float(s.chart.figure.layout.xaxis.range[1])
    ticks = _screen_ticks(s)
    if len(ticks) > 1:  # the screen's steps (PowerPoint chose 5 mnkr where the screen has 2)
        chart.value_axis.major_unit = ticks[1] - ticks[0]
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = f'{SV}#,##0 "kr"'
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = PptPt(12)
    # every bar's label as Swedish text, as on screen ("34,7 mnkr"): a number format shows "34,700,000 kr" in
    # a program set to English
    for series, labels in zip(plot.series, bar_labels(s), strict=True):
        for point, label in zip(series.points, labels, strict=False):
            if label:
                point.data_label.has_text_frame = True
                point.data_label.text_frame.text = _plain(label)
                point.data_label.text_frame.word_wrap = False  # "8 370 000 k|r" in LibreOffice otherwise
                point.data_label.font.size = PptPt(12)
                point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END
    # the screen's colours, series by series in the screen's legend order (PowerPoint's own blue and orange
    # made the frame and the allocated look like two other things than on screen)
    for series, fills in zip(plot.series, colors, strict=False):
        if len(fills) == 1:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(fills[0])
        else:
            for point, color in zip(series.points, fills, strict=False):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(color)


LEGEND_HEIGHT = 0.4  # inches
# Swedish locale in a number format: "0,5 mnkr" and "1 200 000 kr" also in a program set to English
SV = "[$-41D]"


def _legend(slide, names: list[str], colors: list[list[str]], top: float) -> None:
    """A legend as on screen: a square in the series' colour and its name, left to right in the screen's order
    (a series with one colour per bar gets its first)."""
    left = 0.5
    for name, color in zip(names, colors, strict=False):
        square = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(left), Inches(top + 0.1), Inches(0.2), Inches(0.2)
        )
        square.fill.solid()
        square.fill.fore_color.rgb = RGBColor.from_string(color[0])
        square.line.fill.background()
        width = 0.3 + 0.13 * len(name)
        _text(slide, name, left + 0.25, top - 0.02, width, LEGEND_HEIGHT, 14)
        left += 0.25 + width + 0.2


def _axis_format(s: Slide) -> str:
    """The value axis in millions, as on screen ("10 mnkr"; "0" at zero): whole millions where every tick is
    one, else one decimal; billions ("mdkr") from 1 000 mnkr."""
    ticks = _screen_ticks(s)
    if ticks and max(ticks) >= 1_000_000_000:
        return f'{SV}0,,," mdkr";{SV}-0,,," mdkr";"0"'
    if ticks and all(t % 1_000_000 == 0 for t in ticks):
        return f'{SV}0,," mnkr";{SV}-0,," mnkr";"0"'
    return f'{SV}0.0,," mnkr";{SV}-0.0,," mnkr";"0"'


def in_screen_order(s: Slide) -> Slide:
    """The slide's bars in the order the screen draws them (the scenario chart sorts the areas as the national
    list, Boende first; the slide's data had them as the scenario had them)."""
    traces = list(s.chart.figure.data) if s.chart is not None else []
    labels = list(traces[0].y) if traces and traces[0].y is not None else []
    if sorted(map(str, labels)) != sorted(map(str, s.categories)) or list(labels) == list(s.categories):
        return s
    order = [list(s.categories).index(label) for label in labels]
    return dataclasses.replace(
        s,
        categories=tuple(s.categories[i] for i in order),
        series=tuple((name, tuple(values[i] for i in order)) for name, values in s.series),
        colors=tuple(s.colors[i] for i in order) if len(s.colors) == len(order) else s.colors,
    )


def _screen_ticks(s: Slide) -> list[float]:
    if s.chart is None or not s.chart.figure.layout.xaxis.tickvals:
        return []
    return [float(t) for t in s.chart.figure.layout.xaxis.tickvals]


def _per_category(s: Slide, trace, values) -> list | None:
    """A trace's per-bar values (colours, texts) in the order of the slide's categories: the screen may sort its
    bars otherwise (the scenario chart puts Boende first, the slide's data had Brottslighet first)."""
    if not isinstance(values, (list, tuple)):
        return None
    labels = list(trace.y) if trace.y is not None else []
    if len(labels) == len(values) and set(labels) >= set(s.categories):
        by_label = dict(zip(labels, values, strict=True))
        return [by_label[c] for c in s.categories]
    return list(values) if len(values) == len(s.categories) else None


def bar_labels(s: Slide) -> list[list[str]]:
    """Per series, each bar's label: the screen's own text where it labels every bar ("34,7 mnkr", "ram okänd"),
    else the amount in mnkr ("2,17 mnkr"); an unknown amount without a screen text gets none."""
    traces = list(s.chart.figure.data) if s.chart is not None else []
    out = []
    for i, (_name, values) in enumerate(s.series):
        text = _per_category(s, traces[i], traces[i].text) if len(traces) == len(s.series) else None
        if text and all(text):
            out.append([str(t) for t in text])
        else:  # the screen labels only some bars (a scenario's changes): every bar its amount, as the documents
            out.append(["" if na.missing(v) else fmt.mnkr(v) for v in values])
    return out


def chart_title(s: Slide) -> str:
    """The title the chart has on screen, without its markup."""
    if s.chart is None or not s.chart.figure.layout.title.text:
        return ""
    return re.sub(r"<[^>]+>", "", s.chart.figure.layout.title.text)


def series_colors(s: Slide) -> list[list[str]]:
    """Per series, the colours the screen's bars have ('RRGGBB'): one for the whole series, or one per bar.
    Without a screen chart, the slide's own per-category colours (one series)."""
    out = []
    traces = list(s.chart.figure.data) if s.chart is not None else []
    if len(traces) == len(s.series):
        for trace in traces:
            color = trace.marker.color
            if isinstance(color, str):
                out.append([color.lstrip("#").upper()])
            elif color is not None:
                out.append([str(c).lstrip("#").upper() for c in _per_category(s, trace, color) or color])
            else:
                out.append([theme.ACCENT.lstrip("#")])
    elif s.colors and len(s.series) == 1:
        out.append([c.lstrip("#").upper() for c in s.colors])
    return out


@dataclass(frozen=True)
class TableLayout:
    """One slide's part of a table: its rows, column widths and row heights (inches) and font size (pt)."""

    table: pd.DataFrame
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    size: int

    @property
    def bottom(self) -> float:
        return TABLE_TOP + sum(self.heights)


def _column_widths(table: pd.DataFrame) -> tuple[float, ...]:
    """Amount columns get what "99 999 999 kr" needs; text columns share the rest by how much they hold."""
    amount = [("(kr)" in str(c)) for c in table.columns]
    free = TABLE_WIDTH - 2.1 * sum(amount)
    weights = []
    for column, is_amount in zip(table.columns, amount, strict=True):
        if is_amount:
            continue
        longest = max([len(str(column)), *(len(_cell_text(str(column), v)) for v in table[column])])
        weights.append(max(10, min(longest, 120)) ** 0.5)
    texts = iter(free * w / sum(weights) for w in weights) if weights else iter(())
    return tuple(2.1 if is_amount else next(texts) for is_amount in amount)


def _row_height(texts: list[str], widths: tuple[float, ...], size: int) -> float:
    """Lines a row needs when its longest cell wraps (about 0.55 em per character, a safe average for
    Calibri), times the line height, plus the cell's margins."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        per_line = max(1, int((width - 0.2) * 72 / (0.55 * size)))
        wrapped = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, wrapped)
    return lines * size * 1.2 / 72 + 0.1


@dataclass(frozen=True)
class Page:
    """One printed slide of a deck slide: a long table continues over several, titled "(forts.)"."""

    slide: Slide
    title: str
    table: TableLayout | None = None


def pages(deck: Deck) -> list[Page]:
    """The slides as PowerPoint and PDF print them (after the title slide), one list for both formats."""
    out = []
    for slide in deck.slides:
        if not (slide.categories and slide.series) and slide.table is not None and len(slide.table):
            for i, layout in enumerate(table_pages(slide.table)):
                out.append(Page(slide, slide.title if i == 0 else f"{slide.title} {CONTINUED}", layout))
        else:
            out.append(Page(slide, slide.title))
    return out


def table_pages(table: pd.DataFrame) -> list[TableLayout]:
    """Split a table over as many slides as it needs so that no row reaches the footer; each part repeats
    the header row. The font is 14 pt, or 12 pt where that keeps the table on one slide."""
    widths = _column_widths(table)
    rows = [
        [_cell_text(str(c), v) for c, v in zip(table.columns, row, strict=True)]
        for row in table.itertuples(index=False)
    ]
    header = [_plain(c) for c in table.columns]
    for size in (14, 12):
        heights = [_row_height(r, widths, size) for r in rows]
        if _row_height(header, widths, size) + sum(heights) <= TABLE_BOTTOM - TABLE_TOP:
            break
    head = _row_height(header, widths, size)
    pages, start, used = [], 0, head
    for i, height in enumerate(heights):
        if used + height > TABLE_BOTTOM - TABLE_TOP and i > start:
            pages.append((start, i))
            start, used = i, head
        used += height
    pages.append((start, len(rows)))
    return [TableLayout(table.iloc[a:b], widths, (head, *heights[a:b]), size) for a, b in pages]


def _table(slide, layout: TableLayout) -> None:
    table = layout.table
    rows, cols = len(table) + 1, len(table.columns)
    shape = slide.shapes.add_table(
        rows, cols, Inches(0.5), Inches(TABLE_TOP), Inches(TABLE_WIDTH), Inches(sum(layout.heights))
    )
    grid = shape.table
    for j, width in enumerate(layout.widths):
        grid.columns[j].width = Inches(width)
    for i, height in enumerate(layout.heights):
        grid.rows[i].height = Inches(height)
    size = layout.size
    for j, column in enumerate(table.columns):
        _cell(grid.cell(0, j), _plain(column), size, bold=True, right="(kr)" in str(column))
    for i, row in enumerate(table.itertuples(index=False), start=1):
        total = _is_total(row[0])
        for j, column in enumerate(table.columns):
            _cell(
                grid.cell(i, j),
                _cell_text(str(column), row[j]),
                size,
                bold=total,
                right="(kr)" in str(column),
            )


def _cell(cell, text: str, size: int, bold: bool, right: bool) -> None:
    cell.text = text
    # a name with line breaks is one paragraph per line: every one gets the size (only the first did, the rest
    # fell back to 18 pt and a 75-line nämnd ran the table off the slide)
    for paragraph in cell.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = PptPt(size)
            run.font.bold = bold


# ------------------------------------------------------------------ Word


def to_docx(deck: Deck) -> bytes:
    """The decision tables with a short generated text, ready to paste into a tjänsteskrivelse."""
    document = _a4_document(deck)
    if deck.draft:
        para = document.add_paragraph()
        run = para.add_run(
            _plain(f"{DRAFT.upper()} – scenariot ”{deck.scenario_name}” är inte beslutat underlag.")
        )
        run.bold = True
        run.font.color.rgb = DocxRGB.from_string(RED)
    if deck.key_figures is not None:
        document.add_heading("Nyckeltal", level=2)
        for row in deck.key_figures.itertuples(index=False):
            amount = "okänt" if na.missing(row[1]) else fmt.sek(int(row[1]))
            bound = f"{row[3]} " if len(row) > 3 and row[3] and not na.missing(row[1]) else ""
            document.add_paragraph(_whole(f"{row[0]}: {bound}{amount}"), style="List Bullet")
        explained = deck.key_figures[
            deck.key_figures.Nyckeltal.isin(
                ["Ofördelat", "Överfördelat", "Motsägelse i dokumenten", "Ram med okänd fördelning"]
            )
        ]
        document.add_paragraph(_whole(" ".join(n for n in explained["Förklaring"] if n and n != "Ingen.")))
    _docx_readings(document, deck)
    for slide in deck.slides:  # every slide its section, in the deck's order (the screen's, the PowerPoint's)
        if slide.key.startswith("beslut") and slide.table is not None:
            _docx_decision(document, slide)
        elif slide.key.startswith("utan-finansiering") and slide.table is not None:
            # proposals without funding: apart from the decision tables (deck.py)
            document.add_heading(_plain(slide.title), level=2)
            document.add_paragraph(_plain(slide.message))
            for row in slide.table.itertuples(index=False):
                document.add_paragraph(_plain(f"{row[0]} ({row[1]})"), style="List Bullet")
        elif slide.key == "iakttagelser":
            document.add_heading(_plain(slide.title), level=2)
            if slide.table is not None and len(slide.table):
                for row in slide.table.itertuples(index=False):
                    document.add_paragraph(_whole(f"{row[0]} ({row[1]}): {row[2]}"), style="List Bullet")
            else:
                document.add_paragraph(_whole(slide.message))
        else:
            _docx_chart_slide(document, slide)
    document.add_heading("Underlag", level=2)
    for source in deck.sources:
        document.add_paragraph(_plain(source), style="List Bullet")
    document.add_paragraph(f"Datum: {deck.created.isoformat()}")
    if deck.scenario_name:
        document.add_paragraph(_plain(f"Scenario: {deck.scenario_name}"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_chart_slide(document, slide: Slide) -> None:
    """A chart slide as the screen says it: its title, its message, each bar with the label the screen gives it
    ("Boende: 0,7 mnkr", "Gävle 2025: Ram 4 mnkr, Fördelat minst 3,45 mnkr") and the note under the chart."""
    document.add_heading(_plain(slide.title), level=2)
    document.add_paragraph(_whole(slide.message))
    if slide.categories and slide.series:
        shown = in_screen_order(slide)
        labels = bar_labels(shown)
        names = [name.removesuffix(" (kr)") for name, _ in shown.series]
        for i, category in enumerate(shown.categories):
            said = [(n, ls[i]) for n, ls in zip(names, labels, strict=True) if ls[i]]
            if not said:
                continue
            text = said[0][1] if len(said) == 1 else ", ".join(f"{n} {label}" for n, label in said)
            document.add_paragraph(_whole(f"{category}: {text}"), style="List Bullet")
    elif slide.table is not None:
        for row in slide.table.itertuples(index=False):
            document.add_paragraph(
                _whole(
                    ", ".join(_cell_text(str(c), v) for c, v in zip(slide.table.columns, row, strict=True))
                ),
                style="List Bullet",
            )
    if slide.note:
        document.add_paragraph(_whole(slide.note))


def _docx_decision(document, slide: Slide) -> None:
    """A decision slide: its generated text and its table, ready to paste into a tjänsteskrivelse."""
    document.add_heading(_plain(slide.title), level=2)
    table = slide.table
    total = table.loc[table.iloc[:, 0] == DECISION_TOTAL, "Belopp (kr)"].iloc[0]
    available = table.loc[table.iloc[:, 0] == DECISION_AVAILABLE, "Belopp (kr)"].iloc[0]
    rows = table[~table.iloc[:, 0].map(_is_total)]
    text = (
        # no office named: "Stadskontoret" (Malmö's) stood in every kommun's Word, Södertälje's too
        f"Förslag till medelsfördelning: sammanlagt {key_figures.total_text(total, slide.unknown)} fördelat på "
        f"{len(rows)} "
        f"{'budgetrader' if table.columns[0] == 'Budgetrad' else 'rader i beslutstabellen'}"
    )
    text += "." if na.missing(available) else f", av {fmt.sek(available)} att disponera."
    if slide.balance is not None and slide.balance.state != key_figures.FULLY_ALLOCATED:
        text += f" {slide.balance.text(fmt.sek)}"  # the one rule: never "ofördelat" for a contradiction
    document.add_paragraph(_whole(text))
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = "Table Grid"
    word_table.autofit = False
    widths = _docx_widths(table)
    for j, column in enumerate(table.columns):
        _docx_cell(word_table.rows[0].cells[j], _plain(column), bold=True, right="(kr)" in str(column))
    _row_flag(word_table.rows[0], "w:tblHeader")  # the header row is repeated on each page
    for row in table.itertuples(index=False):
        added = word_table.add_row()
        _row_flag(added, "w:cantSplit")  # a row is never split over two pages
        for j, column in enumerate(table.columns):
            _docx_cell(
                added.cells[j],
                _cell_text(str(column), row[j]),
                bold=_is_total(row[0]),
                right="(kr)" in str(column),
            )
    for j, width in enumerate(widths):
        word_table.columns[j].width = width
        for cell in word_table.columns[j].cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = width


A4_MARGIN_SIDE, A4_MARGIN_TOP = Mm(25), Mm(20)
DOCX_AMOUNT_WIDTH = Mm(42)  # "99 999 999 kr" in 10 pt, bold, with the cell's margins


def _a4_document(deck: Deck):
    """An A4 document in Swedish (python-docx's template is US Letter and English): margins 2,5 cm at the sides,
    2 cm above and below; the deck's title as the document's title (File > Properties) and its first line."""
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = A4_MARGIN_SIDE
        section.top_margin = section.bottom_margin = A4_MARGIN_TOP
    properties = document.core_properties
    properties.title = _plain(deck.title)
    properties.subject = _plain(deck.scope)
    properties.language = "sv-SE"
    properties.author = properties.last_modified_by = "Insatskollen"
    properties.comments = ""
    # the spelling and hyphenation language of every style: Swedish
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None:
        rpr = run_defaults.find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        if lang is None and rpr is not None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        if lang is not None:
            for attribute in ("w:val", "w:eastAsia", "w:bidi"):
                lang.set(qn(attribute), "sv-SE")
    document.add_heading(_plain(deck.title), level=0)
    return document


def _docx_widths(table: pd.DataFrame) -> list:
    """Amount columns as wide as an amount needs; the text columns share the rest of the A4 text width, so
    a nämnd's name wraps between its words ("Kommunstyrelsen" never "Kommunstyrels|en")."""
    text_width = Mm(210) - 2 * A4_MARGIN_SIDE
    amounts = ["(kr)" in str(c) for c in table.columns]
    texts = len(amounts) - sum(amounts)
    rest = text_width - DOCX_AMOUNT_WIDTH * sum(amounts)
    return [DOCX_AMOUNT_WIDTH if a else int(rest / max(texts, 1)) for a in amounts]


def _row_flag(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _docx_cell(cell, text: str, bold: bool, right: bool) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_plain(text))
    run.bold = bold
    run.font.size = Pt(10)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# ------------------------------------------------------------------ Excel


def slide_table(slide: Slide) -> pd.DataFrame:
    if slide.table is not None:
        return slide.table
    data = {"Kategori": list(slide.categories)}
    for name, values in slide.series:
        data[name if "(kr)" in name else f"{name} (kr)"] = list(values)
    return pd.DataFrame(data)


def to_xlsx(deck: Deck) -> bytes:
    """One sheet per view (slide), the extra tables, and a sheet saying what the workbook is based on."""
    sheets: dict[str, pd.DataFrame] = {
        "Om underlaget": pd.DataFrame(
            {
                "Uppgift": ["Titel", "Urval", "Datum", "Scenario", "Status"] + ["Källa"] * len(deck.sources),
                "Värde": [
                    deck.title,
                    deck.scope,
                    deck.created.isoformat(),
                    deck.scenario_name or "–",
                    DRAFT if deck.draft else "Underlag enligt källdokumenten",
                ]
                + list(deck.sources),
            }
        )
    }
    if deck.key_figures is not None:
        sheets["Nyckeltal"] = deck.key_figures
    for slide in deck.slides:
        sheets[_unique_sheet_name(sheets, slide.title)] = slide_table(slide)
    for name, table in deck.extra_sheets.items():
        sheets[_unique_sheet_name(sheets, name)] = table
    return table_files.to_xlsx(sheets)


# A slide's title as a sheet name of at most 31 characters, shortened by meaning, not cut mid-word ("Fördelning
# per prioriterat områ", "Förslag till beslut - Statsbi 2"); applied in order
SHEET_SHORT = (
    (re.compile(r"^Ramen och vad som är fördelat – "), "Ram "),
    (re.compile(r"^Fördelning per prioriterat område$"), "Per område"),
    (re.compile(r"^Fördelning per nämnd$"), "Per nämnd"),
    (re.compile(r"^Förslag till beslut – "), "Beslut "),
    (re.compile(r"^Att känna till inför beslutet$"), "Att känna till"),
    (re.compile(r"^Scenario jämfört med utgångsläget$"), "Scenario mot utgångsläget"),
    (re.compile(r"\bStatsbidrag (?=\S)"), ""),
    (re.compile(r"\bKS anslag till förfogande\b"), "KS anslag"),
)


def sheet_title(title: str) -> str:
    for pattern, short in SHEET_SHORT:
        title = pattern.sub(short, title)
    return title


def _docx_readings(document, deck: Deck) -> None:
    """What of the figures is our reading, and each reading with its note (a "Tolkning" section)."""
    if not deck.reading_text and (deck.readings is None or deck.readings.empty):
        return
    document.add_heading("Tolkning", level=2)
    if deck.reading_text:
        document.add_paragraph(_whole(deck.reading_text))
    for r in (deck.readings if deck.readings is not None else pd.DataFrame()).itertuples(index=False):
        amount = "belopp saknas" if na.missing(r[4]) else f"{fmt.sek(int(r[4]))} per år"
        document.add_paragraph(
            _whole(f"{r.Vad}, {r.Kommun} {r.År}, {r.Gäller}, {amount}. Tolkning: {r.Tolkning}"),
            style="List Bullet",
        )


def _unique_sheet_name(existing: dict, title: str) -> str:
    return table_files.sheet_name(sheet_title(title), list(existing))


# ------------------------------------------------------------------ PDF and PNG (need Chromium)


def chart_png(figure, width: int = 1400, height: int | None = None) -> bytes:
    """A PNG of one Plotly chart (Kaleido with the machine's Chromium)."""
    if not static_export_available():
        raise StaticExportUnavailable(NO_CHROMIUM)
    return figure.to_image(format="png", width=width, height=height or figure.layout.height or 600, scale=2)


def to_pdf(deck: Deck, timeout: int = 120) -> bytes:
    """The deck as a PDF for the meeting papers: one 16:9 page per slide, printed by headless Chromium."""
    chromium = chromium_path()
    if chromium is None:
        raise StaticExportUnavailable(NO_CHROMIUM)
    import plotly.graph_objects as go
    import plotly.io as pio

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        charted = [s for s in deck.slides if s.chart is not None]
        paths = [work / f"chart-{i}.svg" for i in range(len(charted))]
        if charted:
            # copies without their own title: the slide heading says it (the cached figures stay untouched)
            figures = [
                go.Figure(s.chart.figure).update_layout(title_text="", margin={"t": 20}) for s in charted
            ]
            pio.write_images(
                figures,
                paths,
                format="svg",
                width=1160,
                height=[min(460, max(300, int(s.chart.figure.layout.height or 400))) for s in charted],
            )
        # a name with a character XML cannot hold (U+FFFF …) would make the SVG invalid and the chart vanish
        images = {
            id(s): base64.b64encode(table_files.clean(p.read_text(encoding="utf-8")).encode("utf-8")).decode()
            for s, p in zip(charted, paths, strict=True)
        }
        page = work / "deck.html"
        page.write_text(_deck_html(deck, images), encoding="utf-8")
        out = work / "deck.pdf"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--no-pdf-header-footer",
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return out.read_bytes()


def _html(text) -> str:
    """Data text for the PDF's HTML: without the characters XML cannot hold, escaped, never interpreted."""
    return html.escape(table_files.clean(str(text)))


def table_html(table: pd.DataFrame, widths: tuple[float, ...] | None = None) -> str:
    """A slide table as HTML: every value escaped, amounts right-aligned, Totalbelopp/Att disponera in bold.
    With `widths` (a TableLayout's, inches) the columns get the PowerPoint's proportions, so that rows wrap
    as they were measured."""
    e = _html
    cols = ""
    if widths:
        total = sum(widths)
        cols = (
            "<colgroup>"
            + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
            + "</colgroup>"
        )
    head = "".join(f'<th class="{"num" if "(kr)" in str(c) else ""}">{e(str(c))}</th>' for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        cells = "".join(
            f'<td class="{"num" if "(kr)" in str(c) else ""}">{e(_cell_text(str(c), v, table_files.clean))}</td>'
            for c, v in zip(table.columns, row, strict=True)
        )
        rows.append(f'<tr class="{"total" if _is_total(row[0]) else ""}">{cells}</tr>')
    fixed = ' class="fixed"' if widths else ""
    return f"<table{fixed}>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _deck_html(deck: Deck, images: dict[int, str]) -> str:
    e = _html
    css = """
    @page { size: 1280px 720px; margin: 0; }
    body { margin: 0; font-family: 'DejaVu Sans', 'Source Sans Pro', Arial, sans-serif; color: #1F2937; }
    .slide { width: 1280px; height: 720px; box-sizing: border-box; padding: 36px 56px 60px; position: relative;
             page-break-after: always; overflow: hidden; }
    h1 { font-size: 34px; margin: 0 0 10px; } .msg { font-size: 21px; margin: 0 0 18px; }
    .big h1 { font-size: 44px; margin-top: 200px; } .big .msg { font-size: 24px; }
    img { max-width: 1160px; max-height: 470px; } .note { font-size: 15px; color: #4B5563; margin: 4px 0 0; }
    table { border-collapse: collapse; font-size: 17px; } th, td { padding: 4px 14px; border-bottom: 1px solid #D1D5DB;
    text-align: left; } td.num, th.num { text-align: right; white-space: nowrap; } tr.total td { font-weight: bold; }
    table.fixed { table-layout: fixed; width: 100%; }
    .footer { position: absolute; left: 48px; right: 48px; bottom: 14px; height: 58px; line-height: 1.2;
              display: flex; align-items: flex-end; color: #4B5563; }
    .number { position: absolute; right: 56px; top: 8px; font-size: 13px; color: #4B5563; }
    .head { display: flex; align-items: flex-start; gap: 24px; }
    .head h1 { flex: 1; }
    .draft { flex: none; color: #B91C1C; border: 3px solid #B91C1C; font-weight: bold; font-size: 22px;
             padding: 2px 12px; margin-top: 4px; }
    """

    def footer(slide: Slide | None = None) -> str:  # the slide's own rows, as on screen and in the PowerPoint
        text, size = footer_fit(deck.footer_for(slide))  # the PowerPoint's box: 96 px an inch, 4/3 px a point
        return f'<div class="footer" style="font-size:{size * 4 / 3:.1f}px">{e(text)}</div>'

    draft = f'<div class="draft">{e(DRAFT.upper())}</div>' if deck.draft else ""

    def head(title: str) -> str:  # the mark sits beside the title in the flow, so it can never cover it
        return f'<div class="head"><h1>{e(title)}</h1>{draft}</div>'

    parts = [
        f'<section class="slide big">{head(deck.title)}<p class="msg">{e(deck.scope)}</p>{footer()}</section>'
    ]
    shown = pages(deck)
    for number, page in enumerate(shown, start=1):
        slide, body = page.slide, ""
        if id(slide) in images:
            body = f'<img alt="{e(slide.chart.alt)}" src="data:image/svg+xml;base64,{images[id(slide)]}">'
            if slide.note:  # as the screen's caption under the chart
                body += f'<p class="note">{e(slide.note)}</p>'
        elif page.table is not None:  # split as the PowerPoint is, so that no row is printed under the footer
            body = table_html(page.table.table, page.table.widths)
        parts.append(
            f'<section class="slide"><div class="number">{e(slide_number(number, len(shown)))}</div>'
            f'{head(page.title)}<p class="msg">{e(slide.message)}</p>{body}{footer(slide)}</section>'
        )
    return f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{e(deck.title)}</title><style>{css}</style></head><body>{"".join(parts)}</body></html>'
