"""The source documents' text, the passage a row was taken from, and the table row an amount comes from.

A measure's passage runs from its heading up to and including the line that states its amount, as the
document writes it. An amount taken from a table (Malmö's "Slutligt förslag …", Södertälje's
"Preliminär budget") is shown as that table's header row and the one row. Passages keep the
document's own markdown; `to_html` renders it safely (everything escaped, no links or images).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from insatskollen.core.amounts import parse_amount
from insatskollen.store.db import default_data_dir

MAX_PASSAGE = 3000  # characters; a longer passage keeps its start and its end (with the amount)
_SPACE = "[ \t\u00a0\u202f]*"


@cache
def text(document_id: str) -> str:
    """The whole text of a source document in the data folder's sources/ ('' if it is not there)."""
    path = default_data_dir() / "sources" / Path(document_id).name  # never leave sources/
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _clean(part: str) -> str:
    return re.sub(r"^\d+(\.\d+)*\.?\s*", "", part).strip(' ”"')


def _candidates(section: str, hints: tuple[str, ...]) -> list[str]:
    parts = [section] + re.split(r"\s+[–-]\s+|\s+och\s+|, ", section) + list(hints)
    cleaned = [_clean(p) for p in parts]
    return sorted({c for c in cleaned if len(c) >= 4}, key=len, reverse=True)


def _find(lowered: str, candidates: list[str], start: int = 0) -> int:
    """Position of the longest candidate found at or after start, -1 if none."""
    for candidate in candidates:
        position = lowered.find(candidate.lower(), start)
        if position >= 0:
            return position
    return -1


def _line_start(body: str, position: int) -> int:
    return body.rfind("\n", 0, position) + 1


def _line_end(body: str, position: int) -> int:
    end = body.find("\n", position)
    return len(body) if end < 0 else end


def excerpt(document_id: str, section: str, *hints: str, lines_after: int = 14, max_chars: int = 2500) -> str:
    """The lines of the document starting where the section (or a hint such as the measure's title)
    is found; '' when nothing matches."""
    body = text(document_id)
    if not body:
        return ""
    position = _find(body.lower(), _candidates(section, hints))
    if position < 0:
        return ""
    lines = [line for line in body[_line_start(body, position) :].splitlines() if line.strip()]
    passage = "\n".join(lines[: lines_after + 1])
    return passage if len(passage) <= max_chars else passage[: max_chars - 1] + "…"


def amount_pattern(written: str) -> re.Pattern | None:
    """A pattern for an amount as a document writes it ("1 000 000 SEK", "650 000kr", "3,7 mkr"): any
    spacing, any case, never inside a larger number. None when the text holds no digit."""
    written = written.strip()
    if not re.search(r"\d", written):
        return None
    tokens = [re.escape(t) for t in re.split(r"[\s\u00a0\u202f]+", written) if t]
    return re.compile(
        r"(?<!\d)(?<!\d[ \u00a0\u202f])" + _SPACE.join(tokens) + r"(?!\d)(?![ \u00a0\u202f]\d)", re.I
    )


def swedish_digits(amount: int) -> str:
    """1000000 -> '1 000 000', the way the documents write whole kronor."""
    return f"{amount:,}".replace(",", " ")


def _shorten(lines: list[str], limit: int = MAX_PASSAGE) -> list[str]:
    """Keep the first lines and the last lines (which hold the amount) within about `limit` characters."""
    if sum(len(x) + 1 for x in lines) <= limit:
        return lines
    head, tail, size = [], [], 0
    for line in reversed(lines[1:]):
        if tail and size + len(line) > limit * 0.55:
            break
        tail.insert(0, line)
        size += len(line)
    for line in lines[: len(lines) - len(tail)]:
        if head and size + len(line) > limit:
            break
        head.append(line)
        size += len(line)
    return head + (["[…]"] if len(head) + len(tail) < len(lines) else []) + tail


def _table_header(body: str, row_start: int) -> str | None:
    """The first line of the tab-separated table that the line at row_start belongs to."""
    header = None
    position = row_start
    while position > 0:
        previous_end = position - 1
        previous_start = _line_start(body, previous_end)
        line = body[previous_start:previous_end]
        if "\t" in line:
            header = line
        elif line.strip():
            break
        position = previous_start
    return header


def measure_passage(document_id: str, section: str, title: str, amounts: tuple[str, ...] = ()) -> str:
    """The measure's passage: its heading, then from its title up to and including the first line that
    states one of `amounts` (as the document writes them). The amount is searched only in the
    measure's own text: at the first table not naming the measure, the search stops and the passage
    is the heading's first lines (the amount then comes from a table row, see `table_row`)."""
    body = text(document_id)
    if not body:
        return ""
    lowered = body.lower()
    section_candidates = _candidates(section, ())
    numbered = [p.strip() for p in re.split(r"\s+och\s+", section) if re.match(r"^\d+(\.\d+)+\s", p.strip())]
    heading = _find(lowered, numbered)  # "2.3.1 Familjecentral och Preliminär budget": the numbered heading
    heading = _find(lowered, section_candidates) if heading < 0 else heading
    title_candidates = _candidates("", (title,)) + [c for c in section_candidates[1:] if c not in section]
    title_candidates += [
        _clean(p) for p in re.split(r"\s+[–-]\s+", section)[1:] if len(_clean(p)) >= 4
    ]  # "… 2022 – Mammakraft"
    start = _find(lowered, title_candidates, max(heading, 0))
    start = heading if start < 0 else start
    if start < 0:
        return ""
    found = None
    for written in amounts:
        pattern = amount_pattern(written)
        match = pattern.search(body, start) if pattern else None
        if match and (found is None or match.start() < found):
            found = match.start()
    lines: list[str] = []
    if found is not None:
        region = body[_line_start(body, start) : _line_end(body, found)].splitlines()
        title_key = title.lower()[:12]
        if not any("\t" in x and title_key not in x.lower() for x in region[:-1]):  # no other table first
            lines = [x for x in region if x.strip()]
            header = _table_header(body, _line_start(body, start)) if "\t" in lines[0] else None
            if header and header != lines[0]:
                lines.insert(0, header)
    if not lines:  # the amount is not in the measure's own text: its first lines, up to the next
        first = body[_line_start(body, start) : _line_end(body, start)]  # numbered heading, table or
        item = re.match(r"^\s*[-*•]\s", first)  # (when the measure is a list item) the next list item
        for line in body[_line_start(body, start) :].splitlines():
            ends = (
                "\t" in line
                or re.match(r"^#*\s*\d+(\.\d+)+\s", line)
                or (item and re.match(r"^\s*[-*•]\s", line))
            )
            if lines and ends or len(lines) >= 15:
                break
            if line.strip():
                lines.append(line)
    if heading >= 0 and _line_start(body, heading) < _line_start(body, start):
        heading_line = body[_line_start(body, heading) : _line_end(body, heading)].strip()
        lines = [heading_line, "[…]" if body.count("\n", heading, start) > 2 else ""] + lines
        lines = [x for x in lines if x]
    return "\n".join(_shorten(lines))


def _words(value: str) -> set[str]:
    return set(re.findall(r"\w{4,}", value.lower()))


def _table_after(body: str, position: int, look_ahead: int = 8) -> list[tuple[int, str]]:
    """The tab-separated table that starts within a few lines after position: (offset, line) pairs,
    across blank lines and a repeated header after a page break."""
    rows: list[tuple[int, str]] = []
    offset = _line_start(body, position)  # the heading itself may be the table's first row
    skipped = 0
    while offset < len(body):
        end = _line_end(body, offset)
        line = body[offset:end]
        if "\t" in line:
            rows.append((offset, line))
        elif line.strip():
            if rows:
                break
            skipped += 1
            if skipped > look_ahead:
                break
        offset = end + 1
    return rows


def _row_amount(line: str) -> int | None:
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if not cells:
        return None
    try:
        return parse_amount(re.sub(r"</?b>", "", cells[-1]))
    except ValueError:
        return None


def table_row(document_id: str, section: str, amount_sek: int, title: str, description: str = "") -> str:
    """The table under `section` (a heading) with its header row and the one row whose amount is
    `amount_sek` and whose words best match the measure's title (then its description); '' if none."""
    body = text(document_id)
    if not body:
        return ""
    lowered = body.lower()
    title_words, description_words = _words(title), _words(description)
    for candidate in _candidates(section, ()):
        position = lowered.find(candidate.lower())
        while position >= 0:
            rows = _table_after(body, position)
            matching = [(o, line) for o, line in rows if _row_amount(line) == amount_sek]
            if matching:
                best = max(
                    matching,
                    key=lambda r: 3 * len(_words(r[1]) & title_words) + len(_words(r[1]) & description_words),
                )
                heading = body[_line_start(body, position) : _line_end(body, position)]
                lines = (
                    [rows[0][1], best[1]]
                    if heading == rows[0][1]
                    else [heading.strip(), "", rows[0][1], best[1]]
                )
                return "\n".join(lines)
            position = lowered.find(candidate.lower(), position + 1)
    return ""


@dataclass(frozen=True)
class MeasureSource:
    """What the Insatser detail view shows of a measure's source: its text and the table row of its amount."""

    passage: str
    table_document: str | None = None
    table_section: str | None = None
    table: str = ""


def for_measure(
    document_id: str,
    section: str,
    title: str,
    description: str = "",
    requested_text: str | None = None,
    requested_sek: int | None = None,
    allocations: tuple[tuple[str, str, int | None], ...] = (),
) -> MeasureSource:
    """The passage of a measure (through its requested amount) and, for each allocated amount taken from
    a table (allocations: document, section, amount), the first such table row found."""
    amounts = tuple(
        a
        for a in (
            requested_text or "",
            swedish_digits(requested_sek) if requested_sek is not None else "",
            *(swedish_digits(x) for _, _, x in allocations if x is not None),
        )
        if a
    )
    passage = measure_passage(document_id, section, title, amounts)
    for table_document, table_section, amount in allocations:
        if amount is None:
            continue
        row = table_row(table_document, table_section, amount, title, description)
        if row:
            return MeasureSource(passage, table_document, table_section, row)
    return MeasureSource(passage)


# ------------------------------------------------------------------ safe rendering of the documents' markdown

_ALLOWED_TAGS = {"b": "**", "strong": "**", "i": "*", "em": "*"}


def _inline(value: str) -> str:
    """One line of document markdown as HTML: escaped first; then bold/italic; links keep only their
    text; images, footnote marks and autolinks are dropped (nothing is ever fetched)."""
    value = re.sub(r"</?(b|strong|i|em)>", lambda m: _ALLOWED_TAGS[m.group(1)], value)
    value = re.sub(r"<sup>.*?</sup>", "", value)
    value = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", value)  # images
    value = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", value)  # links: their text only
    value = re.sub(r"<(https?|mailto|ftp):[^>\s]*>", "", value)  # autolinks
    value = html.escape(value, quote=True)
    value = re.sub(r"\*\*\*(.+?)\*\*\*", r"<strong><em>\1</em></strong>", value)
    value = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", value)
    value = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", value)
    return value


def _table_html(rows: list[str]) -> str:
    cells = [[c.strip() for c in row.split("\t")] for row in rows]
    width = max(len(r) for r in cells)
    out = ['<table class="ik-source-table">']
    for i, row in enumerate(cells):
        tag = "th" if i == 0 else "td"
        row = row + [""] * (width - len(row))
        num = ' class="num"'
        tds = "".join(
            f"<{tag}{num if j == width - 1 and j else ''}>{_inline(c)}</{tag}>" for j, c in enumerate(row)
        )
        out.append(f"<tr>{tds}</tr>")
    out.append("</table>")
    return "".join(out)


@cache
def document_html(document_id: str) -> str:
    """A whole bundled document as safe HTML (cached: the bundled files do not change while running)."""
    return to_html(text(document_id))


def to_html(passage: str) -> str:
    """A passage of a source document as safe HTML: headings, paragraphs, lists and bold/italic kept,
    tab- and pipe-separated tables as tables; every character of the document escaped."""
    blocks: list[str] = []
    table: list[str] = []
    items: list[tuple[str, str]] = []

    def flush() -> None:
        if table:
            blocks.append(_table_html(table))
            table.clear()
        if items:
            tag = items[0][0]
            blocks.append(f"<{tag}>" + "".join(f"<li>{_inline(t)}</li>" for _, t in items) + f"</{tag}>")
            items.clear()

    for raw in passage.splitlines():
        line = raw.rstrip()
        if re.fullmatch(r"[-|:\s]+", line) and "|" in line:
            continue  # markdown table rule
        if "|" in line and line.strip().startswith(("|", "- |")) or line.count("|") >= 2:
            line = "\t".join(c for c in line.strip().lstrip("-").strip().strip("|").split("|"))
        if "\t" in line:
            if items:
                flush()
            table.append(line)
            continue
        if table:
            flush()
        bullet = re.match(r"^\s*[-*•]\s+(.*)", line)
        number = re.match(r"^\s*\d+\.\s+(.*)", line)
        if bullet or number:
            kind = "ul" if bullet else "ol"
            if items and items[0][0] != kind:
                flush()
            items.append((kind, (bullet or number).group(1)))
            continue
        flush()
        if not line.strip():
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)", line)
        if heading:
            blocks.append(f"<p><strong>{_inline(heading.group(2))}</strong></p>")
        else:
            blocks.append(f"<p>{_inline(line.strip())}</p>")
    flush()
    return "".join(blocks)
