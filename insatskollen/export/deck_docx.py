"""A deck as Word (A4, Swedish): the key figures, the readings, each slide as text or its decision table, and
the sources, ready to paste into a tjänsteskrivelse. Nothing but python-docx."""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.shared import RGBColor as DocxRGB

from insatskollen.core import fmt, key_figures
from insatskollen.export import word_tables
from insatskollen.export.deck import DECISION_AVAILABLE, DECISION_TOTAL, DRAFT, Deck, Slide
from insatskollen.export.deck_layout import (
    RED,
    bar_labels,
    cell_text,
    in_screen_order,
    is_total,
    plain,
    whole_text,
)


def to_docx(deck: Deck) -> bytes:
    """The decision tables with a short generated text, ready to paste into a tjänsteskrivelse."""
    document = _a4_document(deck)
    if deck.draft:
        para = document.add_paragraph()
        run = para.add_run(
            plain(f"{DRAFT.upper()} – scenariot ”{deck.scenario_name}” är inte beslutat underlag.")
        )
        run.bold = True
        run.font.color.rgb = DocxRGB.from_string(RED)
    if deck.key_figures is not None:
        document.add_heading("Nyckeltal", level=2)
        for row in deck.key_figures.itertuples(index=False):
            amount = "okänt" if pd.isna(row[1]) else fmt.sek(int(row[1]))
            bound = f"{row[3]} " if len(row) > 3 and row[3] and not pd.isna(row[1]) else ""
            document.add_paragraph(whole_text(f"{row[0]}: {bound}{amount}"), style="List Bullet")
        explained = deck.key_figures[
            deck.key_figures.Nyckeltal.isin(
                ["Ofördelat", "Överfördelat", "Motsägelse i dokumenten", "Ram med okänd fördelning"]
            )
        ]
        document.add_paragraph(
            whole_text(" ".join(n for n in explained["Förklaring"] if n and n != "Ingen."))
        )
    _docx_readings(document, deck)
    for slide in deck.slides:  # every slide its section, in the deck's order (the screen's, the PowerPoint's)
        if slide.key.startswith("beslut") and slide.table is not None:
            _docx_decision(document, slide)
        elif slide.key.startswith("utan-finansiering") and slide.table is not None:
            # proposals without funding: apart from the decision tables (deck.py)
            document.add_heading(plain(slide.title), level=2)
            document.add_paragraph(plain(slide.message))
            for row in slide.table.itertuples(index=False):
                document.add_paragraph(plain(f"{row[0]} ({row[1]})"), style="List Bullet")
        elif slide.key == "iakttagelser":
            document.add_heading(plain(slide.title), level=2)
            if slide.table is not None and len(slide.table):
                for row in slide.table.itertuples(index=False):
                    document.add_paragraph(whole_text(f"{row[0]} ({row[1]}): {row[2]}"), style="List Bullet")
            else:
                document.add_paragraph(whole_text(slide.message))
        else:
            _docx_chart_slide(document, slide)
    document.add_heading("Underlag", level=2)
    for source in deck.sources:
        document.add_paragraph(plain(source), style="List Bullet")
    document.add_paragraph(f"Datum: {deck.created.isoformat()}")
    if deck.scenario_name:
        document.add_paragraph(plain(f"Scenario: {deck.scenario_name}"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_chart_slide(document, slide: Slide) -> None:
    """A chart slide as the screen says it: its title, its message, each bar with the label the screen gives it
    ("Boende: 0,7 mnkr", "Gävle 2025: Ram 4 mnkr, Fördelat minst 3,45 mnkr") and the note under the chart."""
    document.add_heading(plain(slide.title), level=2)
    document.add_paragraph(whole_text(slide.message))
    if slide.categories and slide.series:
        shown = in_screen_order(slide)
        labels = bar_labels(shown)
        names = [name.removesuffix(" (kr)") for name, _ in shown.series]
        for i, category in enumerate(shown.categories):
            said = [(n, ls[i]) for n, ls in zip(names, labels, strict=True) if ls[i]]
            if not said:
                continue
            text = said[0][1] if len(said) == 1 else ", ".join(f"{n} {label}" for n, label in said)
            document.add_paragraph(whole_text(f"{category}: {text}"), style="List Bullet")
    elif slide.table is not None and slide.key.startswith("plan-"):
        _docx_text_table(document, slide.table)  # goals hold commas: a line of comma-joined cells reads wrong
    elif slide.table is not None:
        for row in slide.table.itertuples(index=False):
            document.add_paragraph(
                whole_text(
                    ", ".join(cell_text(str(c), v) for c, v in zip(slide.table.columns, row, strict=True))
                ),
                style="List Bullet",
            )
    if slide.note:
        document.add_paragraph(whole_text(slide.note))


def _docx_text_table(document, table: pd.DataFrame) -> None:
    """A slide's table of text as a Word table, its header row repeated on each page."""
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = "Table Grid"
    for j, column in enumerate(table.columns):
        word_tables.fill(word_table.rows[0].cells[j], plain(column), bold=True, right=False, points=9)
    word_tables.repeat_header(word_table.rows[0])
    for row in table.itertuples(index=False):
        added = word_table.add_row()
        word_tables.keep_together(added)
        for j, column in enumerate(table.columns):
            word_tables.fill(
                added.cells[j], plain(cell_text(str(column), row[j])), bold=False, right=False, points=9
            )
    # the A4 text width (160 mm) shared by how much each column says, so a goal is not broken mid-word
    texts = {column: [str(column), *(str(v) for v in table[column])] for column in table.columns}
    longest_word = [
        max(len(w) for text in texts[c] for w in text.split(" ")) for c in table.columns
    ]  # NBSP binds
    said = [max(len(text) for text in texts[c]) for c in table.columns]
    # each column at least its longest word (~2,1 mm a character at 9 pt, with the cell's margins), the rest of
    # the width shared by how much each column says
    floor = [min(2.1 * (w + 2), 60) for w in longest_word]
    spare = max(160 - sum(floor), 0)
    share = [min(n, 80) for n in said]
    widths = [f + spare * s / sum(share) for f, s in zip(floor, share, strict=True)]
    word_table.autofit = False
    word_tables.set_widths(word_table, [Mm(160 * w / sum(widths)) for w in widths])


def _docx_decision(document, slide: Slide) -> None:
    """A decision slide: its generated text and its table, ready to paste into a tjänsteskrivelse."""
    document.add_heading(plain(slide.title), level=2)
    table = slide.table
    total = table.loc[table.iloc[:, 0] == DECISION_TOTAL, "Belopp (kr)"].iloc[0]
    available = table.loc[table.iloc[:, 0] == DECISION_AVAILABLE, "Belopp (kr)"].iloc[0]
    rows = table[~table.iloc[:, 0].map(is_total)]
    text = (
        # no office named: "Stadskontoret" (Malmö's) stood in every kommun's Word, Södertälje's too
        f"Förslag till medelsfördelning: sammanlagt {key_figures.total_text(total, slide.unknown)} fördelat på "
        f"{len(rows)} "
        f"{'budgetrader' if table.columns[0] == 'Budgetrad' else 'rader i beslutstabellen'}"
    )
    text += "." if pd.isna(available) else f", av {fmt.sek(available)} att disponera."
    if slide.balance is not None and slide.balance.state != key_figures.FULLY_ALLOCATED:
        text += f" {slide.balance.text(fmt.sek)}"  # the one rule: never "ofördelat" for a contradiction
    document.add_paragraph(whole_text(text))
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = "Table Grid"
    word_table.autofit = False
    widths = _docx_widths(table)
    for j, column in enumerate(table.columns):
        word_tables.fill(
            word_table.rows[0].cells[j], plain(column), bold=True, right="(kr)" in str(column), points=10
        )
    word_tables.repeat_header(word_table.rows[0])
    for row in table.itertuples(index=False):
        added = word_table.add_row()
        word_tables.keep_together(added)
        for j, column in enumerate(table.columns):
            word_tables.fill(
                added.cells[j],
                plain(cell_text(str(column), row[j])),
                bold=is_total(row[0]),
                right="(kr)" in str(column),
                points=10,
            )
    word_tables.set_widths(word_table, widths)


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
    properties.title = plain(deck.title)
    properties.subject = plain(deck.scope)
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
    document.add_heading(plain(deck.title), level=0)
    return document


def _docx_widths(table: pd.DataFrame) -> list:
    """Amount columns as wide as an amount needs; the text columns share the rest of the A4 text width, so
    a nämnd's name wraps between its words ("Kommunstyrelsen" never "Kommunstyrels|en")."""
    text_width = Mm(210) - 2 * A4_MARGIN_SIDE
    amounts = ["(kr)" in str(c) for c in table.columns]
    texts = len(amounts) - sum(amounts)
    rest = text_width - DOCX_AMOUNT_WIDTH * sum(amounts)
    return [DOCX_AMOUNT_WIDTH if a else int(rest / max(texts, 1)) for a in amounts]


def _docx_readings(document, deck: Deck) -> None:
    """What of the figures is our reading, and each reading with its note (a "Tolkning" section)."""
    if not deck.reading_text and (deck.readings is None or deck.readings.empty):
        return
    document.add_heading("Tolkning", level=2)
    if deck.reading_text:
        document.add_paragraph(whole_text(deck.reading_text))
    for r in (deck.readings if deck.readings is not None else pd.DataFrame()).itertuples(index=False):
        amount = "belopp saknas" if pd.isna(r[4]) else f"{fmt.sek(int(r[4]))} per år"
        document.add_paragraph(
            whole_text(f"{r.Vad}, {r.Kommun} {r.År}, {r.Gäller}, {amount}. Tolkning: {r.Tolkning}"),
            style="List Bullet",
        )
