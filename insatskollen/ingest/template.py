"""The import templates a municipality fills in: CSV, and Excel workbooks that guide as they are filled.

An Excel template has its data sheet first (the one the import reads), with a drop-down list (data
validation) on each column whose values come from a list, an input hint on every column, and the lists on
sheets of our own (`xlsx_reader.TEMPLATE_SHEETS`), which the import recognises by name and never reports as
"other sheets". A list whose values the import does not refuse (Kommun, Finansieringskälla) only suggests:
any other value is kept without a word.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from insatskollen.ingest import follow_up_file, headers, plan_file, reference, validator
from insatskollen.ingest.reading import MAX_ROWS
from insatskollen.ingest.xlsx_reader import TEMPLATE_LISTS, TEMPLATE_MEASURES
from insatskollen.store.db import Database
from insatskollen.store.working.follow_up import FOLLOW_UP_STATUSES

SUGGEST = "suggest"  # a drop-down list that accepts any other value silently
WARN = "warn"  # a drop-down list; another value asks "keep it?" (Excel's warning style)
STOP = "stop"  # a drop-down list; another value is refused


@dataclass(frozen=True)
class Hint:
    """What a column of the data sheet says when its cell is selected, and its list (a column of a list
    sheet) or whole-number range, if any."""

    message: str  # Excel's input message: at most 255 characters
    values: str | None = None  # header of the list sheet's column holding the allowed values
    strictness: str = SUGGEST
    years: bool = False  # a whole number 1990–2100
    text: bool = False  # cells formatted as text (a code keeps its leading zero)


YEAR = Hint("Året som beloppet gäller, fyra siffror, t.ex. 2025.", years=True)
MEASURE_HINTS = {
    "Kommun": Hint(
        "Kommunens namn, t.ex. Gävle. Välj i listan eller skriv: ”Gävle kommun” och kommunkoden går också.",
        values="Kommun",
    ),
    "Kommunkod": Hint(
        "Kommunkoden, fyra siffror (SCB), t.ex. 2180 för Gävle. Behövs inte när Kommun är ifylld.", text=True
    ),
    "År": YEAR,
    "Finansieringskälla": Hint(
        "Pengarna som fördelas. Välj ett förslag i listan eller skriv kommunens egen källa, t.ex. "
        "”Egna medel” eller ”KF budget 2025”.",
        values="Finansieringskälla",
    ),
    "Typ av finansiering": Hint(
        "Vilken sorts pengar källan är: statsbidrag, egna medel eller annat. Välj i listan. Tomt = okänd.",
        values="Typ av finansiering",
        strictness=WARN,
    ),
    "Ram (kr)": Hint(
        "Hela ramen att fördela från källan det året, t.ex. 2 000 000. Samma belopp på varje rad med samma "
        "kommun, år och källa. Tomt = ramen är okänd."
    ),
    "Nämnd": Hint("Nämnd eller förvaltning som ansvarar, t.ex. Utbildningsnämnden."),
    "Insats": Hint("Insatsens namn (krävs), t.ex. Läxhjälp i Sätra."),
    "Beskrivning": Hint("Kort beskrivning av insatsen, högst 2 000 tecken."),
    "Område": Hint(
        "Ett av de fem nationella områdena. Kommunens eget namn på området går också när Insatskollen "
        "känner till det (t.ex. ”Bostad / Samhällsservice”).",
        values="Område",
        strictness=WARN,
    ),
    "Belopp (kr)": Hint(
        "Beviljat eller föreslaget belopp för året: 350 000, 350 000 kr, 2,08 mnkr eller 300 tkr. "
        "Tomt = okänt belopp (inte noll)."
    ),
    "Äskat (kr)": Hint("Beloppet som äskades, om det är känt. Tomt = okänt."),
    "Status": Hint(
        "Beslutad, föreslagen … Välj i listan. Tom = föreslagen.", values="Status", strictness=STOP
    ),
    "Källa": Hint(
        "Dokumentet som uppgifterna kommer från, t.ex. ”Tjänsteskrivelse 2025-03-12, dnr KS 2025/0123”. "
        "Ett diarienummer här fyller i Dnr."
    ),
    "Dnr": Hint("Ärendets diarienummer, t.ex. KS 2025/0123. Får vara tomt när det står i Källa.", text=True),
}
FOLLOW_UP_HINTS = {
    "Kommun": Hint(
        "Kommunens namn, t.ex. Gävle. Välj i listan eller skriv. Får vara tomt (eller kolumnen strykas) när "
        "ingen annan kommun har en insats med samma namn.",
        values="Kommun",
    ),
    "Insats-id": Hint(
        "Insatsens id från bladet ”Mallens insatser”. Tomt går när Insats är ifylld.",
        values="Insats-id",
    ),
    "Insats": Hint("Insatsens namn som det står i Insatskollen (se bladet ”Mallens insatser”)."),
    "År": YEAR,
    "Utfall (kr)": Hint(
        "Vad insatsen kostade det året, t.ex. 320 000 eller 0,3 mnkr. Tomt = okänt (inte noll)."
    ),
    "Genomförande": Hint(
        "Hur långt insatsen har kommit. Välj i listan.", values="Genomförande", strictness=STOP
    ),
    "Datum": Hint("Dagen rapporten gäller, t.ex. 2025-12-31."),
    "Resultat": Hint("Vad insatsen har gett, med egna ord (högst 2 000 tecken). Får vara tomt."),
}


def measures_csv() -> bytes:
    return _csv(headers.TEMPLATE_HEADERS, headers.TEMPLATE_EXAMPLE)


def follow_up_csv() -> bytes:
    return _csv(follow_up_file.TEMPLATE_HEADERS, follow_up_file.TEMPLATE_EXAMPLE)


def plan_csv() -> bytes:
    """The plan file's template (issue 26): its headers and one example row that cannot be imported."""
    return _csv(plan_file.TEMPLATE_HEADERS, plan_file.TEMPLATE_EXAMPLE)


def _csv(headers: list[str], example: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _names(db: Database, kind: str) -> list[str]:
    return list(dict.fromkeys(reference.reference(db, kind)["value"]))


def _municipalities(db: Database) -> list[str]:
    return sorted(set(_names(db, "sweden")) | set(_names(db, "municipality")), key=str.casefold)


def measures_xlsx(db: Database) -> bytes:
    """The measures template: sheet Insatser (read by the import) and the lists it offers."""
    lists = {
        "Kommun": _municipalities(db),
        "Område": _names(db, "priority_area"),
        "Status": _names(db, "status"),
        "Finansieringskälla": _names(db, "funding_source"),
        "Typ av finansiering": list(validator.FUNDING_KINDS),
    }
    return _workbook(
        "Insatser",
        headers.TEMPLATE_HEADERS,
        headers.TEMPLATE_EXAMPLE,
        MEASURE_HINTS,
        {TEMPLATE_LISTS: lists},
    )


def follow_up_xlsx(db: Database) -> bytes:
    """The follow-up template: sheet Uppföljning, the lists, and every measure a report can name, with its id."""
    items = db.query("follow_up_items")
    measures = {
        "Kommun": [str(m) for m in items.municipality],
        "Insats-id": [str(i) for i in items.item_id],
        "Insats": [str(t) for t in items.title],
    }
    lists = {"Genomförande": list(FOLLOW_UP_STATUSES), "Kommun": _municipalities(db)}
    return _workbook(
        "Uppföljning",
        follow_up_file.TEMPLATE_HEADERS,
        follow_up_file.TEMPLATE_EXAMPLE,
        FOLLOW_UP_HINTS,
        {TEMPLATE_LISTS: lists, TEMPLATE_MEASURES: measures},
        list_sources={"Insats-id": TEMPLATE_MEASURES},
    )


def _workbook(
    title: str,
    headers: list[str],
    example: list[str],
    hints: dict[str, Hint],
    list_sheets: dict[str, dict[str, list[str]]],
    list_sources: dict[str, str] | None = None,
) -> bytes:
    """The data sheet `title` (header, example row, hints and lists on each column) and the list sheets.
    A hint's list is looked up on the sheet `list_sources` names for it, else on the first list sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    as_text = book.add_format({"num_format": "@"})
    data = book.add_worksheet(title)
    ranges: dict[tuple[str, str], str] = {}
    sheets = []
    for sheet_title, columns in list_sheets.items():
        sheet = book.add_worksheet(sheet_title)
        sheets.append(sheet_title)
        for col, (header, values) in enumerate(columns.items()):
            sheet.write_string(0, col, header, bold)
            for row, value in enumerate(values, start=1):
                sheet.write_string(row, col, value)
            letter = xl_col_to_name(col)
            ranges[(sheet_title, header)] = (
                f"='{sheet_title}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
            )
            sheet.set_column(
                col, col, min(60, max([12, len(header) + 2] + [len(v) + 2 for v in values[:500]]))
            )
    last = MAX_ROWS - 1  # the import reads at most this many rows below the header
    for col, header in enumerate(headers):
        hint = hints.get(header)
        value = example[col] if col < len(example) else ""
        data.write_string(0, col, header, bold)
        data.set_column(
            col,
            col,
            min(50, max(12, len(header) + 4, len(value) + 2)),
            as_text if hint and hint.text else None,
        )
        if hint and hint.years and value.isdigit():
            data.write_number(1, col, int(value))
        elif value:
            data.write_string(1, col, value)
        if hint is None:
            continue
        options = {"input_title": header[:32], "input_message": hint.message[:255]}
        if hint.values:
            sheet_title = (list_sources or {}).get(header, sheets[0])
            options |= {"validate": "list", "source": ranges[(sheet_title, hint.values)]}
            options |= _strictness(header, hint.strictness)
        elif hint.years:
            options |= {
                "validate": "integer",
                "criteria": "between",
                "minimum": 1990,
                "maximum": 2100,
                "error_title": "Inte ett årtal",
                "error_message": "Skriv året med fyra siffror, t.ex. 2025.",
            }
        else:
            options |= {"validate": "any"}
        data.data_validation(1, col, last, col, options)
    for sheet in book.worksheets():  # printed as exports.to_xlsx prints: A4 landscape, one page wide
        sheet.freeze_panes(1, 0)
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
    data.activate()
    book.close()
    return buffer.getvalue()


def _strictness(header: str, strictness: str) -> dict:
    if strictness == SUGGEST:
        return {"show_error": False}
    if strictness == WARN:
        return {
            "error_type": "warning",
            "error_title": f"Inte i listan för {header}"[:32],
            "error_message": "Värdet finns inte i listan. Importen godtar det bara om Insatskollen känner till "
            "det som kommunens eget namn. Välj Ja för att behålla det.",
        }
    return {
        "error_type": "stop",
        "error_title": f"Inte i listan för {header}"[:32],
        "error_message": "Välj ett av värdena i listan.",
    }
