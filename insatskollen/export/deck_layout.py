"""What every file of a deck shares: a cell's text, the file name and fingerprint, the pages (a long table
continued over several slides, as PowerPoint and the PDF print it), the footer's fit, and the screen chart read
back (its order, bar labels and colours) so that PowerPoint and Word say what the screen shows."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass

import pandas as pd

from insatskollen.core import fmt, theme
from insatskollen.export import table_files
from insatskollen.export.deck import DECISION_AVAILABLE, DECISION_TOTAL, Deck, Slide

RED = "B91C1C"
CONTINUED = "(forts.)"
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # "19 700 000" in a quote: never split over two lines
TABLE_TOP, TABLE_BOTTOM, TABLE_WIDTH = (
    2.0,
    6.6,
    12.3,
)  # inches on a 13,333 × 7,5 in slide; the footer starts at 6.75


# ------------------------------------------------------------------ cell texts, file name, fingerprint


def _once(deck: Deck, name: str, compute):
    """`compute(deck)`, worked out once per deck: a deck is immutable, and the page keeps the same deck across its
    reruns (session.deck_for caches it), so paging through the slides no longer lays out and hashes every table
    again on each click (10 ms a rerun for Malmö's deck, 32 ms for four municipalities'; issue 25)."""
    key = f"_ik_{name}"
    value = deck.__dict__.get(key)
    if value is None:
        value = compute(deck)
        # a frozen dataclass: the value is derived from its fields and changes none of them
        object.__setattr__(deck, key, value)
    return value


def fingerprint(deck: Deck) -> str:
    """A key for the deck's PowerPoint, Word and Excel files: everything they are written from (the
    Plotly figures, drawn only in PDF and PNG, are left out, so it is cheap)."""
    return _once(deck, "fingerprint", _fingerprint)


def _fingerprint(deck: Deck) -> str:
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


def cell_text(column: str, value, text=None) -> str:
    """A table cell as text: amounts formatted (never a formula), other text through `text` (default: neutralised
    and XML-clean, for PowerPoint and Word; the HTML of the page and the PDF passes table_files.clean: no spreadsheet
    reads it, so it shows the name exactly as written)."""
    if "(kr)" in column:
        return fmt.sek(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    # a name with line breaks is one line of text in a cell (as HTML shows it): 75 lines "N0\nN1…" made a row
    # taller than a slide
    flat = " ".join(str(value).split()) if "\n" in str(value) or "\r" in str(value) else str(value)
    return (text or plain)(_DIGIT_GROUP.sub("\u00a0", flat))


_AMOUNT_UNIT = re.compile(r"(?<=\d) (?=(?:kr|mnkr|mdkr|tkr)\b)")


def whole_text(text) -> str:
    """A text with its amounts in one piece: "19 700 000 kr" quoted from a document with ordinary spaces gets
    no-break spaces between its digit groups and before its unit (Word and the PDF then never end a line inside
    it), through plain."""
    return plain(_AMOUNT_UNIT.sub("\u00a0", _DIGIT_GROUP.sub("\u00a0", "" if text is None else str(text))))


def plain(text) -> str:
    """Every text a PowerPoint or Word file gets: no formula start, no character XML cannot hold."""
    return table_files.neutralise("" if text is None else str(text))


def is_total(label) -> bool:
    return label in (DECISION_TOTAL, DECISION_AVAILABLE)


DECK_TITLE_PREFIX = "Medel mot segregation – "


def file_name(deck: Deck, kind: str) -> str:
    """The deck's file name, the same for every format: 'insatskollen-malmo-2022.pptx',
    'insatskollen-sodertalje-2018-2020.docx', a scenario's name after its frame. ASCII letters, digits and
    hyphens only (å, ä, ö as a, a, o), so that every mail program and file share keeps it; stable (no date)."""
    parts = [deck.title.removeprefix(DECK_TITLE_PREFIX)]
    if deck.scenario_name:
        parts += ["scenario", deck.scenario_name]
    return f"insatskollen-{fmt.file_slug(' '.join(parts)) or 'presentation'}.{kind}"


# ------------------------------------------------------------------ slide numbers, footer, pages


def slide_number(number: int, count: int) -> str:
    """'Bild 5 av 9': the presentation's own count (its slides are `pages`), printed on each slide of the
    PowerPoint and the PDF, so that "bild 5" is the same slide on the projector and in the meeting papers (the
    files' title page is not counted)."""
    return f"Bild {number} av {count}"


FOOTER_TOP, FOOTER_HEIGHT, FOOTER_WIDTH = 6.75, 0.6, 12.3  # inches; the slide ends at 7.5
FOOTER_MORE = " … (alla källor: Excel-bladet Om underlaget)"


def footer_fit(text: str, width: float = FOOTER_WIDTH, height: float = FOOTER_HEIGHT) -> tuple[str, int]:
    """The sources footer at the largest of 10, 9, 8, 7 pt whose lines (about 0.6 em a character, 1.2 em a line,
    as DejaVu Sans sets it) fit its box; longer than the box holds at 7 pt, it ends where the box does and
    says where every source is listed (a deck of every municipality cites a dozen documents)."""
    for size in (10, 9, 8, 7):
        per_line = int(width * 72 / (0.6 * size))
        lines = int(height * 72 // (size * 1.2))
        if wrapped_lines(text, per_line) <= lines:
            return text, size
    keep = text
    while keep and wrapped_lines(keep + FOOTER_MORE, per_line) > lines:
        keep = keep[: keep.rstrip().rfind(" ")] if " " in keep.rstrip() else ""
    return keep.rstrip(" ;,·") + FOOTER_MORE, 7


def wrapped_lines(text: str, per_line: int) -> int:
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


# ------------------------------------------------------------------ the screen chart, read back


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


def screen_ticks(s: Slide) -> list[float]:
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
            out.append(["" if v is None or pd.isna(v) else fmt.mnkr(v) for v in values])
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


# ------------------------------------------------------------------ tables split over slides


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
        longest = max([len(str(column)), *(len(cell_text(str(column), v)) for v in table[column])])
        weights.append(max(10, min(longest, 120)) ** 0.5)
    texts = [free * w / sum(weights) for w in weights] if weights else []
    texts = _at_least_a_word(texts, [c for c, a in zip(table.columns, amount, strict=True) if not a], table)
    texts = iter(texts)
    return tuple(2.1 if is_amount else next(texts) for is_amount in amount)


# A word is never broken: a text column is at least as wide as its longest word (spaces split words, a
# no-break space binds "11 100 000 kr"), at 14 pt with 0,55 em a character and the cell's margins, and 10 %
# to spare for a 4:3 projector (1024×768), whose slide is narrower than PowerPoint's at the same font size.
WORD_EM, CELL_MARGIN_EM, NARROW_SCREEN = 0.55, 1.6, 1.1


def _at_least_a_word(widths: list[float], columns: list, table: pd.DataFrame) -> list[float]:
    floors = []
    for column in columns:
        texts = [plain(column), *(cell_text(str(column), v) for v in table[column])]
        word = max(len(w) for text in texts for w in text.replace("\n", " ").split(" "))
        floors.append((word * WORD_EM + CELL_MARGIN_EM) * 14 / 72 * NARROW_SCREEN)
    if sum(floors) >= sum(widths):  # words too long for the slide together: each column as its word asks
        return [f * sum(widths) / sum(floors) for f in floors]
    short = sum(max(f - w, 0) for f, w in zip(floors, widths, strict=True))
    spare = sum(max(w - f, 0) for f, w in zip(floors, widths, strict=True))
    if not short or spare <= 0:
        return widths
    take = min(short / spare, 1)  # taken from the columns wider than their longest word, in proportion
    return [f if w <= f else w - (w - f) * take for f, w in zip(floors, widths, strict=True)]


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
    """The slides as PowerPoint and PDF print them (after the title slide), one list for both formats. The list
    is the deck's own (worked out once): do not change it."""
    return _once(deck, "pages", _pages)


def _pages(deck: Deck) -> list[Page]:
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
        [cell_text(str(c), v) for c, v in zip(table.columns, row, strict=True)]
        for row in table.itertuples(index=False)
    ]
    header = [plain(c) for c in table.columns]
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
