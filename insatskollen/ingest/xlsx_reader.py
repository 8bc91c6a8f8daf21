"""Reading an uploaded .xlsx within bounds, with our own reader (xlsx_package: the zip and the XML): the
sheet chosen (our templates' list sheets passed over), shared strings, and the rows of cells that exist (a
sheet's declared `<dimension>` is ignored). Formulas, Excel's error values and hidden rows, columns and
cells are named (xlsx_styles)."""

from __future__ import annotations

import posixpath
import re

from insatskollen.core.errors import DataError, Problem, Problems
from insatskollen.ingest.reading import (
    EXCEL_ERRORS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_HIDDEN_CELLS,
    MAX_ROW_CELLS,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
    MAX_TOTAL_CHARS,
    TOO_MANY_CHARS,
    ReadFailure,
    ReadResult,
    column_index,
    column_letters,
    thousands,
)
from insatskollen.ingest.xlsx_package import Package, local_name, xml_events
from insatskollen.ingest.xlsx_styles import hidden_findings, hiding_styles, style_index, style_note

# The list sheets of our own Excel templates (import_template): recognised by name AND header row, never
# read as data and never reported as "other sheets" (a template saved as it is made the page warn "Bara
# bladet … läses"). A sheet of one of these names whose first row is anything else is a sheet like any
# other: chosen when first, reported as another or a hidden sheet, never passed over without a word.
# "Tillåtna värden" is the list sheet of templates downloaded before 2026-12.
TEMPLATE_LISTS = "Mallens listor"
TEMPLATE_MEASURES = "Mallens insatser"
TEMPLATE_SHEETS = frozenset({TEMPLATE_LISTS, TEMPLATE_MEASURES, "Tillåtna värden"})
# The header rows of those sheets, under any of the names (a template renamed its sheet once)
TEMPLATE_LIST_HEADERS = frozenset(
    {
        ("Kommun", "Område", "Status", "Finansieringskälla", "Typ av finansiering"),  # measures template
        ("Genomförande", "Kommun"),  # follow-up template
        ("Kommun", "Insats-id", "Insats"),  # follow-up template's measures
        ("Område", "Status", "Finansieringskälla"),  # measures template before 2026-12
        ("Genomförande",),  # follow-up template before 2026-12
    }
)

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def read_xlsx(name: str, data: bytes, wanted_sheet: str | None) -> ReadResult:
    package = Package(data)
    sheets = _sheets(package)
    if not sheets:
        raise ReadFailure("Excel-filen har inga blad")
    findings = []
    strings = _shared_strings(package)
    ours = {  # our list sheets, by name and header row: passed over without a word
        s
        for s, _, path in sheets
        if s in TEMPLATE_SHEETS and _first_row(package, path, strings) in TEMPLATE_LIST_HEADERS
    }
    hidden = [s for s, state, _ in sheets if state != "visible" and s not in ours]
    if wanted_sheet is not None:
        chosen = next((s for s in sheets if s[0] == wanted_sheet), None)
        if chosen is None:
            raise ReadFailure(
                f"bladet ”{wanted_sheet}” finns inte i filen; bladen heter {', '.join(s[0] for s in sheets)}"
            )
    else:
        chosen = next(
            (s for s in sheets if s[1] == "visible" and s[0] not in ours),
            next((s for s in sheets if s[1] == "visible"), sheets[0]),
        )
    if hidden:
        findings.append(
            f"Filen har dolda blad ({', '.join(hidden)}); de importeras inte"
            + (" om du inte väljer dem." if chosen[0] not in hidden else ".")
        )
    others = [s for s, _, _ in sheets if s != chosen[0] and s not in hidden and s not in ours]
    if others:
        findings.append(f"Bara bladet ”{chosen[0]}” läses. Filen har också {', '.join(others)}.")
    rows, hidden_rows, hidden_columns, hidden_cells = _sheet_rows(
        package, chosen[2], strings, name, hiding_styles(package)
    )
    if hidden_rows:
        shown = ", ".join(str(r) for r in hidden_rows[:10]) + (" …" if len(hidden_rows) > 10 else "")
        findings.append(f"Rad {shown} är dold i Excel men importeras; kontrollera att den ska med.")
    if not rows:
        raise ReadFailure("filen har ingen rubrikrad")
    header = [str(c).strip() for c in rows[0][1]]
    findings += hidden_findings(header, rows[0][0], hidden_columns, hidden_cells)
    while header and not header[-1]:
        header.pop()
    return ReadResult(header, rows[1:], findings, [s for s, _, _ in sheets], chosen[0])


def _sheets(package: Package) -> list[tuple[str, str, str]]:
    """(name, state, part path) per sheet in workbook order."""
    targets = {}
    rels_path = "xl/_rels/workbook.xml.rels"
    if rels_path in package.names:
        for event, element in xml_events(package.open(rels_path), rels_path):
            if event == "end" and local_name(element) == "Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                targets[element.get("Id")] = path
    sheets = []
    for event, element in xml_events(package.open("xl/workbook.xml"), "xl/workbook.xml"):
        if event == "end" and local_name(element) == "sheet":
            rel = element.get(f"{{{_NS['rel']}}}id")
            path = targets.get(rel) or f"xl/worksheets/sheet{len(sheets) + 1}.xml"
            sheets.append(
                (element.get("name", f"Blad{len(sheets) + 1}"), element.get("state", "visible"), path)
            )
            if len(sheets) > 255:
                raise ReadFailure("Excel-filen har orimligt många blad")
    return sheets


def _shared_strings(package: Package) -> list[str]:
    path = "xl/sharedStrings.xml"
    if path not in package.names:
        return []
    strings: list[str] = []
    parts: list[str] = []
    size = runs = phonetic = 0
    for event, element in xml_events(package.open(path), path):
        tag = local_name(element)
        if tag == "rPh":  # a phonetic guide (furigana): Excel does not show it in the cell
            phonetic += 1 if event == "start" else -1
        elif phonetic:
            continue
        elif event == "start" and tag == "si":
            parts, size, runs = [], 0, 0
        elif event == "start" and tag == "r":
            runs += 1
            if runs > MAX_CELL_CHARS:  # more formatting runs than a cell may hold characters
                raise ReadFailure(
                    "Excel-filen har en text med orimligt många formateringsdelar; spara om den som CSV"
                )
        elif event == "end" and tag == "t" and element.text:
            size += len(element.text)
            if size > MAX_CELL_CHARS:
                parts = [element.text[: MAX_CELL_CHARS + 1]]  # kept over-long so the validator names it
            else:
                parts.append(element.text)
            element.clear()
        elif event == "end" and tag == "si":
            strings.append("".join(parts)[: MAX_CELL_CHARS + 1])
            element.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise ReadFailure(
                    f"Excel-filen har fler än {MAX_SHARED_STRINGS} texter; spara om den som CSV"
                )
    return strings


def _first_row(package: Package, path: str, strings: list[str]) -> tuple[str, ...]:
    """The texts of a sheet's first row with a value, trimmed, trailing empty cells dropped: enough to tell
    our own list sheet from a sheet of the same name holding something else. Reads no further."""
    cells: dict[int, object] = {}
    cell_ref = cell_type = value_text = None
    inline: list[str] = []
    phonetic = 0
    for event, element in xml_events(package.open(path), path):
        tag = local_name(element)
        if tag == "rPh":
            phonetic += 1 if event == "start" else -1
        elif event == "start":
            if tag == "c":
                cell_ref, cell_type, value_text, inline = element.get("r"), element.get("t", "n"), None, []
        elif tag == "v":
            value_text = element.text or ""
        elif tag == "t" and cell_ref is not None and not phonetic:
            inline.append(element.text or "")
        elif tag == "c":
            cells[_cell_column(cell_ref, len(cells))] = _cell_value(cell_type, value_text, inline, strings)
            cell_ref = None
        elif tag == "row":
            if any(str(v).strip() for v in cells.values()):
                width = min(max(cells) + 1, MAX_COLUMNS + 1)
                row = [str(cells.get(i, "")).strip() for i in range(width)]
                while row and not row[-1]:
                    row.pop()
                return tuple(row)
            cells = {}
    return ()


def _sheet_rows(
    package: Package, path: str, strings: list[str], name: str, hiding: dict[int, tuple[str, bool]]
):
    """Rows with values, the hidden rows (hidden or zero height), the hidden columns that hold values and
    the cells whose style hides or scales their value (`hiding`: style index -> (number format code,
    white text), see hiding_styles), each with what the finding says about it."""
    rows: list[tuple[int, list]] = []
    hidden_rows: list[int] = []
    hidden_columns: set[int] = set()
    used_columns: set[int] = set()
    hidden_cells: list[tuple[int, str, object, str]] = []
    problems = Problems()  # the first MAX_COLLECTED kept, all counted
    row_number = 0
    elements = chars = row_cells = 0  # <row> and <c> elements read; characters kept; cells in this row
    cells: dict[int, object] = {}
    cell_ref = cell_type = cell_style = None
    value_text = formula = None
    inline: list[str] = []
    phonetic = 0
    for event, element in xml_events(package.open(path), path):
        tag = local_name(element)
        if tag == "rPh":  # a phonetic guide: not shown in the cell
            phonetic += 1 if event == "start" else -1
            continue
        if event == "start":
            if tag in ("row", "c"):
                elements += 1
                if elements > MAX_SHEET_CELLS:
                    raise ReadFailure(
                        f"bladet har orimligt många celler (mer än {thousands(MAX_SHEET_CELLS)}, tomma celler "
                        "medräknade); kopiera de ifyllda cellerna till ett nytt blad eller spara som CSV",
                        row_number or None,
                    )
            if tag == "col":
                hidden_columns |= _hidden_columns(element)
            elif tag == "row":
                row_number = _row_number(element.get("r"), row_number + 1)
                cells, row_cells = {}, 0
                height = element.get("ht")
                if element.get("hidden") in ("1", "true") or (height is not None and _is_zero(height)):
                    hidden_rows.append(row_number)
            elif tag == "c":
                row_cells += 1
                if row_cells > MAX_ROW_CELLS:
                    raise ReadFailure(
                        f"raden har fler celler än Excel tillåter ({thousands(MAX_ROW_CELLS)}); filen är inte "
                        "sparad av Excel. Kopiera de ifyllda cellerna till ett nytt blad eller spara som CSV",
                        row_number,
                    )
                cell_ref, cell_type, cell_style = element.get("r"), element.get("t", "n"), element.get("s")
                value_text, formula, inline = None, None, []
            continue
        if tag == "v":
            value_text = element.text or ""
        elif tag == "f":
            formula = element.text or ""
        elif tag == "t" and cell_ref is not None and not phonetic:
            inline.append(element.text or "")
        elif tag == "c":
            column = _cell_column(cell_ref, len(cells))
            if column >= MAX_COLUMNS:
                if value_text or inline:
                    raise ReadFailure(
                        f"bladet har värden i kolumn {column + 1}, högst {MAX_COLUMNS} kolumner", row_number
                    )
            else:
                letter = column_letters(column)
                if formula is not None:
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            "=" + formula,
                            "ett värde, inte en formel (klistra in som värden)",
                        )
                    )
                value = _cell_value(cell_type, value_text, inline, strings)
                error_text = (
                    (value_text or "#N/A")
                    if cell_type == "e"
                    else value.strip()
                    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS
                    else None
                )
                if error_text is not None and formula is None:  # an error cell, or its text pasted in
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            None,
                            f"ett värde, inte Excels felvärde {error_text}; rätta cellen i Excel (eller töm den)",
                        )
                    )
                    value = ""
                if str(value).strip():
                    used_columns.add(column)
                    style = hiding.get(style_index(cell_style)) if cell_style is not None else None
                    note = style_note(style, value) if style is not None else None
                    if note is not None and len(hidden_cells) <= 2 * MAX_HIDDEN_CELLS:
                        hidden_cells.append((row_number, letter, value, note))
                if isinstance(value, str) and value.startswith("=") and formula is None:
                    problems.append(
                        Problem(
                            name,
                            row_number,
                            letter,
                            value,
                            "ett värde, inte en formel (klistra in som värden)",
                        )
                    )
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise ReadFailure(f"en cell har mer än {MAX_CELL_CHARS} tecken", row_number, letter)
                cells[column] = value
            cell_ref = None
            element.clear()
        elif tag == "row":
            if any(str(v).strip() for v in cells.values()):
                width = max(cells) + 1
                rows.append((row_number, [cells.get(i, "") for i in range(width)]))
                chars += sum(len(v) for v in cells.values() if isinstance(v, str))
                if chars > MAX_TOTAL_CHARS:
                    raise ReadFailure(TOO_MANY_CHARS, row_number)
                if len(rows) > MAX_ROWS:
                    raise ReadFailure(f"bladet har fler än {MAX_ROWS - 1} rader; dela upp filen", row_number)
            element.clear()
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return rows, hidden_rows, sorted(hidden_columns & used_columns), hidden_cells


def _hidden_columns(element) -> set[int]:
    """The columns a `<col>` hides (hidden, or zero width), 0-based, within the columns read."""
    width = element.get("width")
    zero = width is not None and _is_zero(width)
    if element.get("hidden") not in ("1", "true") and not zero:
        return set()
    first, last = _row_number(element.get("min"), 0), _row_number(element.get("max"), 0)
    return set(range(max(first, 1) - 1, min(last, MAX_COLUMNS)))


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _row_number(reference: str | None, fallback: int) -> int:
    if reference and reference.isascii() and reference.isdigit() and len(reference) <= 7:
        return int(reference)
    return fallback


def _cell_column(reference: str | None, fallback: int) -> int:
    match = _CELL_REF.match(reference or "")
    return column_index(match.group(1)) if match else fallback


def _cell_value(kind: str, text: str | None, inline: list[str], strings: list[str]):
    """The cell as the person typed it: text stays text, numbers become int or float; a shared-string
    index outside the table, or text in a numeric cell, is kept as text for the validator to name."""
    if kind == "inlineStr":
        return "".join(inline)
    if text is None:
        return ""
    if kind == "s":
        if text.isascii() and text.isdigit() and int(text) < len(strings):
            return strings[int(text)]
        raise ReadFailure(
            "Excel-filen är skadad (en cell pekar på en text som inte finns); spara om den i Excel"
        )
    if kind in ("str", "e", "d"):
        return text
    if kind == "b":
        return "SANT" if text == "1" else "FALSKT"
    if _NUMBER.match(text.strip()):
        number = float(text)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    return text
