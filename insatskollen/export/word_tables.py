"""Word tables as the deck (deck_docx) and the yearly report (follow_up_report) write them: a cell of one run,
rows never split over two pages, a header repeated on each page, column widths both Word and LibreOffice read."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt


def fill(cell, text: str, bold: bool, right: bool, points: int) -> None:
    """The cell holds `text` as one run at `points`; the caller has made the text safe (neutralised or cleaned)."""
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(points)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def keep_together(row) -> None:
    """The row is never split over two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header(row) -> None:
    """The row is repeated at the top of each page the table runs on (after keep_together: the schema's order)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def set_widths(table, widths) -> None:
    """Each column's width, on the grid and on every cell: Word reads the cells' widths, LibreOffice the grid's."""
    for j, width in enumerate(widths):
        table.columns[j].width = width
        for cell in table.columns[j].cells:
            cell.width = width
