"""The yearly report (återrapportering, issue 15 item 5) for one frame-year, as Word and Excel. Pure: built
from the `follow_up` rows of the frame-year (queries/follow_up_frame_year.sql), the municipality's document
indicators (queries/indicators.sql) and the document list (queries/documents.sql); no Streamlit.

Indicators: those the municipality's documents name (data/indicators.csv), tied to the measure itself or
its priority area; and, when imported, the measured Kolada values of the municipality and Riket up to the
report's year (queries/indicator_series.sql), marked "Källa: Kolada" and with the no-causality sentence.

Totals (one rule, as Nyckeltal's *fördelat*): a total is the sum of the known amounts; with every amount
known it is that sum; with some unknown it is "minst X kr" (amounts are never negative, so the known sum is
a lower bound) and the unknown ones are counted; with none known it is "okänt", never 0. A total deviation
is summed only over the measures where both granted and spent are known, and says so.

Every text written to a file goes through `table_files.neutralise` (formula starts, XML-illegal characters).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor

from insatskollen.core import fmt, follow_up, key_figures, na, theme
from insatskollen.core.schema import IMPORTED_DOCUMENT
from insatskollen.export import table_files

DRAFT_MARK = "Utkast – redigera"
DRAFT_NOTE = f"{DRAFT_MARK}: texten är skapad ur raderna nedan och har inte redigerats av en handläggare."
TOTAL_LABEL = "Totalt"
STATUSES = ("genomförd", "pågår", "ej påbörjad", "avbruten", "ingen rapport")
TOTALS_RULE = (
    "Summor är summan av de kända beloppen. Är något belopp okänt står det ”minst” och hur många "
    "insatser som saknar belopp; är inget belopp känt står det ”okänt”, aldrig 0. Avvikelsen summeras "
    "bara över insatser där både beviljat och utfall är kända."
)
INDICATOR_NOTE = (
    "Indikatorerna är de som kommunens egna dokument anger för insatsen eller dess område. Uppmätta värden "
    "står under Nyckeltal från Kolada när sådana är importerade."
)
MEASURED_NOTE = (
    "Källa: Kolada (importerad fil, se kolumnen Fil). Kommunens värden och rikets, till och med rapportåret. "
    "Ett tomt värde är okänt, inte noll. Siffrorna visar inget orsakssamband mellan insatserna och utvecklingen."
)
MEASURED_COLUMNS = [
    "Nyckeltal-id",
    "Nyckeltal",
    "Område (vår tolkning)",
    "Kommun",
    "År",
    "Värde",
    "Status",
    "Fil",
]
RED = "B3261E"


@dataclass(frozen=True)
class YearlyReport:
    """Everything the Word and Excel files show; the tables have Swedish column names and amounts in
    whole kronor (None when unknown)."""

    municipality: str
    year: int
    funding_source: str
    frame_id: str
    created: date
    draft: str
    measures: pd.DataFrame
    by_area: pd.DataFrame
    by_committee: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    measured: pd.DataFrame = field(default_factory=pd.DataFrame)  # imported Kolada values (see _measured)

    @property
    def title(self) -> str:
        return f"Återrapportering {self.municipality} {self.year}"


def _text(value) -> str | None:
    return None if na.missing(value) else str(value)


def total_text(amount: int | None, unknown: int) -> str:
    """The total rule in words: 1 500 000 kr; minst 1 500 000 kr (2 insatser med okänt belopp); okänt."""
    return key_figures.total_text(na.or_none(amount), unknown)


def _status_counts(rows: pd.DataFrame) -> dict[str, int]:
    return {s: int((rows.status == s).sum()) for s in STATUSES}


def draft_paragraph(rows: pd.DataFrame, balance: key_figures.Balance | None = None) -> str:
    """The paragraph the official edits: counts and sums taken from the rows, nothing else; with `balance`
    (the frame-year's frame against its lines) the headline rule's sentence about the frame."""
    first = rows.iloc[0]
    granted = key_figures.known_sum(rows.granted_sek)
    spent = key_figures.known_sum(rows.spent_sek)
    counts = _status_counts(rows)
    both = rows[rows.granted_sek.notna() & rows.spent_sek.notna()]
    text = (
        f"Återrapporteringen för {first.municipality} {int(first.year)} ({first.funding_source}) omfattar "
        f"{fmt.count_phrase(len(rows), 'insats', 'insatser')}. Beviljat belopp är sammanlagt "
        f"{total_text(granted, int(rows.granted_sek.isna().sum()))}. "
    )
    if balance is not None and balance.frame_sek is not None:
        text += f"Ramen är {fmt.sek(balance.frame_sek)}: {balance.clause(fmt.sek)} "
    if counts["ingen rapport"] == len(rows):
        return (
            text + "Ingen uppföljningsrapport är inläst: utfall och genomförande är okända för alla insatser."
        )
    text += (
        f"Utfallet enligt de inlästa "
        f"uppföljningsrapporterna är {total_text(spent, int(rows.spent_sek.isna().sum()))}. "
        f"{fmt.count_phrase(counts['genomförd'], 'insats är genomförd', 'insatser är genomförda')}, "
        f"{fmt.number(counts['pågår'])} pågår, {fmt.number(counts['ej påbörjad'])} har inte påbörjats och "
        f"{fmt.number(counts['avbruten'])} har avbrutits; "
        f"{fmt.count_phrase(counts['ingen rapport'], 'insats saknar', 'insatser saknar')} rapport."
    )
    if len(both):
        deviation = int(both.deviation_sek.sum())
        direction = "mer" if deviation > 0 else "mindre"
        text += (
            f" För de {fmt.count_phrase(len(both), 'insats', 'insatser')} där både beviljat och utfall är kända "
            + (
                "är utfallet lika med beviljat."
                if deviation == 0
                else f"är utfallet {fmt.sek(abs(deviation))} {direction} än beviljat."
            )
        )
    return text


def _measure_indicators(row, indicators: pd.DataFrame) -> str:
    """The document indicators for one measure: named for it, or for its priority area."""
    if indicators.empty:
        return ""
    own = indicators.measure.eq(row.measure)
    area = indicators.measure.isna() & indicators.priority_area.eq(row.priority_area)
    return "; ".join(dict.fromkeys(indicators[own | area].indicator))


def _measures(rows: pd.DataFrame, indicators: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    out = []
    for r in follow_up.with_flags(rows).itertuples():
        out.append(
            {
                "Insats": r.measure,
                "Flaggor": ", ".join(r.flag_names)
                or None,  # as the Uppföljning page: Överskriden, Efter plan
                "Nämnd": _text(r.committee) or theme.NO_COMMITTEE,
                "Område": theme.area_label(r.priority_area),
                "Beviljat (kr)": na.int_or_none(r.granted_sek),
                "Utfall (kr)": na.int_or_none(r.spent_sek),
                "Avvikelse (kr)": na.int_or_none(r.deviation_sek),
                "Genomförande": r.status,
                "Datum": None if na.missing(r.status_date) else pd.Timestamp(r.status_date).date(),
                "Resultat": _text(r.result),
                "Indikatorer (styrdokument)": _measure_indicators(r, indicators) or None,
                "Källa beviljat": granted_source(r, titles),
                "Källa rapport": _report_source(r),
            }
        )
    return pd.DataFrame(out)


def granted_source(r, titles: dict[str, str]) -> str | None:
    """'section (dnr)'; the dnr once when the section already says it (an imported file's Källa column);
    a document without a dnr by its title, never its internal id."""
    if na.missing(r.granted_document):
        return None
    case = _text(r.granted_case_number)
    if case and case in str(r.granted_section):
        return str(r.granted_section)
    return f"{r.granted_section} ({case or titles.get(r.granted_document, r.granted_document)})"


PAGE_FILE = (
    "Uppföljningssidan"  # follow_up_entry.PAGE_FILE: a report typed on the page, one "file" per report
)


def _report_place(file: str, lines) -> str:
    """'rad 2, 3, 4' of an imported file; nothing for a report typed on the page (its 'rad 2' is ours)."""
    if file == PAGE_FILE:
        return "ifylld på sidan"
    return "rad " + ", ".join(str(int(n)) for n in sorted(lines))


def _report_source(r) -> str | None:
    if na.missing(r.report_file):
        return None
    where = "" if r.report_file == PAGE_FILE else f" rad {int(r.report_line)}"
    return f"{r.report_file}{where}, {r.reported_by} {fmt.swedish_time(r.reported_at)}"


def _named(part: pd.DataFrame, lines: bool = False) -> str:
    """The measures a source covers, by name ('Läxhjälp i Sätra (rad 3); Språkcafé (rad 5)'), so that a
    source list of one line per report still says which measure each is about."""
    names = []
    for r in part.sort_values("report_line" if lines else "measure").itertuples():
        line = f" (rad {int(r.report_line)})" if lines and not na.missing(r.report_line) else ""
        names.append(f"{r.measure}{line}")
    return "; ".join(dict.fromkeys(names))


def _totals(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """follow_up.summary per area or nämnd, a Totalt row, and the totals in words."""
    table = follow_up.summary(rows, by)
    label = table.columns[0]
    grand = follow_up.summary(rows.assign(_all=TOTAL_LABEL), "_all").rename(columns={"Nämnd": label})
    table = pd.concat([table, grand], ignore_index=True)
    name_of = theme.area_label if by == "priority_area" else (lambda c: c or theme.NO_COMMITTEE)  # as summary
    groups = rows[by].map(name_of)
    both = rows.granted_sek.notna() & rows.spent_sek.notna()
    deviation = []
    for name in table[label]:
        part = rows[both] if name == TOTAL_LABEL else rows[both & groups.eq(name)]
        deviation.append(key_figures.known_sum(part.deviation_sek))
    table.insert(table.columns.get_loc("Utfall okänt") + 1, "Avvikelse där båda är kända (kr)", deviation)
    table.insert(
        table.columns.get_loc("Beviljat (kr)") + 1,
        "Beviljat",
        [total_text(a, u) for a, u in zip(table["Beviljat (kr)"], table["Beviljat okänt"], strict=True)],
    )
    table.insert(
        table.columns.get_loc("Utfall (kr)") + 1,
        "Utfall",
        [total_text(a, u) for a, u in zip(table["Utfall (kr)"], table["Utfall okänt"], strict=True)],
    )
    for column in ("Beviljat (kr)", "Utfall (kr)", "Avvikelse där båda är kända (kr)"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    return table


SOURCE_COLUMNS = [
    "Gäller",
    "Källa",
    "Fil",
    "Avsnitt eller rader",
    "Dnr",
    "Av",
    "När",
    "Insatser",
    "Insatsernas namn",
]


def _sources(rows: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Where the numbers come from: documents and sections for granted; import files, lines, who and when
    for the reported values."""
    titles = dict(zip(documents.document_id, documents.title, strict=True)) if len(documents) else {}
    # an imported file is named by its file name and import date, never by its internal id (issue 23)
    imported = {
        d.document_id: (str(d.title).removeprefix(f"{IMPORTED_DOCUMENT} "), str(d.date))
        for d in documents.itertuples()
        if d.kind == IMPORTED_DOCUMENT
    }
    out = []
    granted = rows[rows.granted_document.notna()]
    for (document, section), part in granted.groupby(["granted_document", "granted_section"], sort=True):
        case = next((c for c in part.granted_case_number if not na.missing(c)), None)
        out.append(
            {
                "Gäller": "Beviljat",
                "Källa": titles.get(document, document),
                "Fil": imported[document][0] if document in imported else document,
                "Avsnitt eller rader": section,
                "Dnr": case,
                "Av": None,
                "När": imported[document][1] if document in imported else None,
                "Insatser": len(part),
                "Insatsernas namn": _named(part),
            }
        )
    reported = rows[rows.report_file.notna()]
    for (file, who, at), part in reported.groupby(["report_file", "reported_by", "reported_at"], sort=True):
        out.append(
            {
                "Gäller": "Utfall, genomförande och resultat",
                "Källa": "Ifylld på Uppföljningssidan" if file == PAGE_FILE else "Importerad uppföljningsfil",
                "Fil": file,
                "Avsnitt eller rader": _report_place(file, part.report_line),
                "Dnr": None,
                "Av": who,
                "När": fmt.swedish_time(at),
                "Insatser": len(part),
                "Insatsernas namn": _named(part, lines=file != PAGE_FILE),
            }
        )
    return pd.DataFrame(out, columns=SOURCE_COLUMNS)


def _indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    if indicators.empty:
        return pd.DataFrame(columns=["Område", "Insats", "Mål", "Indikator", "Källa", "Avsnitt"])
    return pd.DataFrame(
        {
            "Område": [
                theme.area_label(a) if not na.missing(a) else lbl
                for a, lbl in zip(indicators.priority_area, indicators.area_label, strict=True)
            ],
            "Insats": [_text(m) for m in indicators.measure],
            "Mål": [_text(g) for g in indicators.goal],
            "Indikator": list(indicators.indicator),
            "Källa": list(indicators.source_document),
            "Avsnitt": list(indicators.source_section),
        }
    )


def _measured(series: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The municipality's and Riket's imported Kolada values up to the report's year (the indicator_series
    query: one KPI's series per municipality), as a table; an unknown value stays empty."""
    if series is None or series.empty:
        return pd.DataFrame(columns=MEASURED_COLUMNS)
    shown = series[series.role.isin(["kommunen", "riket"]) & (series.year <= year)]
    return pd.DataFrame(
        {
            "Nyckeltal-id": list(shown.kpi_id),
            "Nyckeltal": list(shown.kpi_title),
            "Område (vår tolkning)": [_text(a) for a in shown.priority_area],
            "Kommun": list(shown.municipality),
            "År": [int(y) for y in shown.year],
            "Värde": [None if na.missing(v) else float(v) for v in shown.value],
            "Status": [_text(x) for x in shown.status],
            "Fil": [_text(x) for x in shown.source],
        }
    )


def build(
    rows: pd.DataFrame,
    indicators: pd.DataFrame,
    documents: pd.DataFrame,
    created: date,
    series: pd.DataFrame | None = None,
    balance: key_figures.Balance | None = None,
) -> YearlyReport:
    """The report of one frame-year from its follow_up rows (at least one); `balance` is the frame-year's
    frame against its lines (insatskollen.core.key_figures), said in the draft."""
    if rows.empty:
        raise ValueError("a yearly report needs the rows of one frame-year")
    first = rows.iloc[0]
    return YearlyReport(
        municipality=str(first.municipality),
        year=int(first.year),
        funding_source=str(first.funding_source),
        frame_id=str(first.frame_id),
        created=created,
        draft=draft_paragraph(rows, balance),
        measures=_measures(
            rows,
            indicators,
            dict(zip(documents.document_id, documents.title, strict=True)) if len(documents) else {},
        ),
        by_area=_totals(rows, "priority_area"),
        by_committee=_totals(rows, "committee"),
        indicators=_indicator_table(indicators),
        sources=_sources(rows, documents),
        measured=_measured(series, int(first.year)),
    )


def is_draft(report: YearlyReport, text: str) -> bool:
    """True while the paragraph is still the generated one (the files then say it is unedited)."""
    return " ".join(text.split()) == " ".join(report.draft.split())


# ------------------------------------------------------------------ Word

WORD_MEASURE_COLUMNS = (
    "Insats",
    "Flaggor",
    "Nämnd",
    "Område",
    "Beviljat (kr)",
    "Utfall (kr)",
    "Avvikelse (kr)",
    "Genomförande",
    "Datum",
    "Resultat",
    "Indikatorer (styrdokument)",
)
WORD_KEPT_COLUMNS = (  # shown even when empty: an unknown amount says "okänt"
    "Insats",
    "Nämnd",
    "Område",
    "Beviljat (kr)",
    "Utfall (kr)",
    "Avvikelse (kr)",
    "Genomförande",
)
WORD_TOTAL_COLUMNS = ("Insatser", "Beviljat", "Utfall", "Avvikelse där båda är kända (kr)")


def _plain(value) -> str:
    return table_files.neutralise("" if value is None else str(value))


def _word_cell(column: str, value) -> str:
    """A cell's text: amounts formatted here (a signed deviation keeps its +), data text neutralised."""
    if column == "Avvikelse där båda är kända (kr)" or column == "Avvikelse (kr)":
        return "okänt" if na.missing(value) else fmt.signed_sek(value)
    if "(kr)" in column:
        return "okänt" if na.missing(value) else fmt.sek(value)
    return "" if na.missing(value) else _plain(value)


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
        _fill(word.rows[0].cells[j], _plain(column), bold=True, right="(kr)" in column)
        # the header row stays with the first row (it was left alone at the foot of a page) and repeats on
        # each page the table runs on
        word.rows[0].cells[j].paragraphs[0].paragraph_format.keep_with_next = True
    header = word.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:cantSplit"))  # schema order: cantSplit before tblHeader
    header.append(OxmlElement("w:tblHeader"))
    for i, row in enumerate(table.to_dict("records")):
        added = word.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never split over two pages
        cells = added.cells
        last = bold_last and i == len(table) - 1
        for j, column in enumerate(columns):
            _fill(cells[j], _word_cell(column, row[column]), bold=last, right="(kr)" in column)
    texts = [[c.text for c in word.columns[j].cells] for j in range(len(columns))]
    bold = frozenset({0, len(table)} if bold_last else {0})
    widths, points = _word_layout(texts, bold)
    for j, width in enumerate(widths):
        word.columns[j].width = width
        for cell in word.columns[j].cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = width
            if points != 9:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(points)


def _fill(cell, text: str, bold: bool, right: bool) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(table_files.clean(text))  # text is ours or neutralised by _word_cell
    run.bold = bold
    run.font.size = Pt(9)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


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
        Datum=[None if na.missing(d) else d.isoformat() for d in report.measures.Datum]
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
    document.add_heading("Nyckeltal från Kolada", level=2)
    if report.measured.empty:
        document.add_paragraph("Inga nyckeltal från Kolada är importerade för kommunen.")
    else:
        document.add_paragraph(_plain(MEASURED_NOTE))
        for (kpi, title), group in report.measured.groupby(["Nyckeltal-id", "Nyckeltal"], sort=False):
            values = "; ".join(
                f"{r['Kommun']} {r['År']}: "
                + ("okänt" if r["Värde"] is None or na.missing(r["Värde"]) else fmt.number(r["Värde"], 1))
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
    ]
    return table_files.to_xlsx(
        {
            "Återrapportering": pd.DataFrame(lead, columns=["Uppgift", "Text"]),
            "Insatser": report.measures,
            "Per område": report.by_area,
            "Per nämnd": report.by_committee,
            "Indikatorer": report.indicators,
            "Nyckeltal (Kolada)": report.measured,
            "Källor": report.sources,
        }
    )
