"""A deck as PowerPoint: 16:9, a title slide, then one slide per page with native (editable) charts drawn as
the screen draws them, or a table split over as many slides as it needs. Nothing but python-pptx."""

from __future__ import annotations

import io
import math

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches
from pptx.util import Pt as PptPt

from insatskollen.export.deck import DRAFT, Deck, Slide
from insatskollen.export.deck_layout import (
    FOOTER_HEIGHT,
    FOOTER_TOP,
    FOOTER_WIDTH,
    RED,
    TABLE_TOP,
    TABLE_WIDTH,
    TableLayout,
    bar_labels,
    cell_text,
    chart_title,
    footer_fit,
    in_screen_order,
    is_total,
    pages,
    plain,
    screen_ticks,
    series_colors,
    slide_number,
)

TEXT = "1F2937"
MUTED = "4B5563"


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
    run.text = plain(text)
    run.font.size = PptPt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(color)
    if align:
        paragraph.alignment = align
    return box


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
    data.categories = [plain(c) for c in s.categories]
    for name, values in s.series:
        # an unknown amount is a blank point (no bar, no "0 kr" label), never 0
        data.add_series(
            plain(name.replace(" (kr)", "")), [None if v is None or pd.isna(v) else v for v in values]
        )
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
        chart.chart_title.text_frame.text = plain(title)
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
    known = [v for _name, values in s.series for v in values if v is not None and not pd.isna(v)]
    chart.value_axis.minimum_scale = min([0.0, *known])
    if s.chart is not None and s.chart.figure.layout.xaxis.range:  # the screen's end: room for the labels
        chart.value_axis.maximum_scale = float(s.chart.figure.layout.xaxis.range[1])
    ticks = screen_ticks(s)
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
                point.data_label.text_frame.text = plain(label)
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
    ticks = screen_ticks(s)
    if ticks and max(ticks) >= 1_000_000_000:
        return f'{SV}0,,," mdkr";{SV}-0,,," mdkr";"0"'
    if ticks and all(t % 1_000_000 == 0 for t in ticks):
        return f'{SV}0,," mnkr";{SV}-0,," mnkr";"0"'
    return f'{SV}0.0,," mnkr";{SV}-0.0,," mnkr";"0"'


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
        _cell(grid.cell(0, j), plain(column), size, bold=True, right="(kr)" in str(column))
    for i, row in enumerate(table.itertuples(index=False), start=1):
        total = is_total(row[0])
        for j, column in enumerate(table.columns):
            _cell(
                grid.cell(i, j),
                cell_text(str(column), row[j]),
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
