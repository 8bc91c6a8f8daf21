"""Import, step 2: validate a file's header and every row against the reference data (Sweden's
municipalities, funding sources, statuses, area labels), collecting every problem at once, in Swedish,
with suggestions. Nothing here writes."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from insatskollen.core import case_number, fmt
from insatskollen.core.amounts import AmountError, parse_amount
from insatskollen.core.errors import CONTROL_CHARS, DataError, Problem, Problems, missing
from insatskollen.core.municipality_names import Directory, Municipality, normalise_code
from insatskollen.core.source_names import NEAR_SOURCE, near_bundled_source, norm  # noqa: F401
from insatskollen.ingest import reading
from insatskollen.store.db import DATA_DIR, Database

MAX_TEXT = 300
# Texts that may hold line breaks (Beskrivning); every other text is one line (text_refusal)
MULTILINE = {"description"}
MAX_SOURCE = 120  # a funding source's name: any name, the municipality's own words, at most this long
# What kind of money a funding source is; "okänd" when the file does not say. The words a file may use
# (Swedish, and English as the headers accept English), normalised by norm().
FUNDING_KINDS = ("statsbidrag", "egna medel", "annat")
UNKNOWN_KIND = "okänd"
KIND_WORDS = {
    "statsbidrag": "statsbidrag",
    "state grant": "statsbidrag",
    "egna medel": "egna medel",
    "eget": "egna medel",
    "egna": "egna medel",
    "own funds": "egna medel",
    "annat": "annat",
    "annan": "annat",
    "other": "annat",
    "okänd": UNKNOWN_KIND,
    "unknown": UNKNOWN_KIND,
}
# a Dnr column and a dnr found in the Källa are capped alike
LIMITS = {"description": 2000, "funding_source": MAX_SOURCE, "case_number": case_number.MAX_LENGTH}
REQUIRED = ("municipality", "year", "funding_source", "measure", "amount_sek")
TEMPLATE_HEADERS = [
    "Kommun",
    "Kommunkod",
    "År",
    "Finansieringskälla",
    "Typ av finansiering",
    "Ram (kr)",
    "Nämnd",
    "Insats",
    "Beskrivning",
    "Område",
    "Belopp (kr)",
    "Äskat (kr)",
    "Status",
    "Källa",
    "Dnr",
]
# The example row cannot be imported by mistake: its Kommun is no municipality, so a template sent in
# unchanged is refused at that row instead of adding an invented measure.
TEMPLATE_EXAMPLE = [
    "EXEMPEL (skriv er kommun)",
    "",
    "2025",
    "Statsbidrag Delmos",
    "statsbidrag",
    "2 000 000",
    "Utbildningsnämnden",
    "EXEMPEL: Läxhjälp (ersätt eller ta bort raden)",
    "Kort beskrivning av insatsen",
    "Utbildning",
    "350 000",
    "350 000",
    "föreslagen",
    "t.ex. Tjänsteskrivelse 2025-03-12",
    "t.ex. KS 2025/0123",
]


def column_aliases(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Swedish and English header -> canonical column, from data/import_columns.csv."""
    with (data_dir / "import_columns.csv").open(encoding="utf-8", newline="") as handle:
        return {norm(r["alias"]): r["column"] for r in csv.DictReader(handle)}


def _suggest(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(norm(value), [norm(c) for c in choices], n=1, cutoff=0.6)
    if match:
        original = next(c for c in choices if norm(c) == match[0])
        return f" Menade du '{original}'?"
    return ""


def reference(db: Database, kind: str) -> pd.DataFrame:
    """One kind of reference value (municipality, sweden, funding_source: the bundled ones with their kind
    in `extra`, imported_funding_source: names imported before, status, area_label, priority_area)."""
    table = db.query("import_reference")
    return table[table.kind == kind]


def _municipality_directory(db: Database, known: dict[str, str]) -> Directory:
    """Sweden's 290 municipalities (SCB), plus any other code the data already holds."""
    sweden = list(reference(db, "sweden")[["key", "value"]].itertuples(index=False, name=None))
    listed = {code for code, _ in sweden}
    extra = [(c, m) for c, m in known.items() if c not in listed]
    return Directory([Municipality(c, m) for c, m in [*sweden, *extra]])


def _resolve_municipality(
    directory: Directory, raw_code, name: str, line: int, problem, suggest: bool = True
) -> tuple[str, str]:
    """(code, name) from the Kommunkod and Kommun cells; a problem is recorded when neither resolves
    (with the closest real name unless `suggest` is False)."""
    code_text = "" if raw_code is None else str(raw_code).strip()
    if code_text:
        found = directory.by_code_value(raw_code)
        if found is None:
            expected = (
                "en kommunkod med fyra siffror, t.ex. 0180"
                if normalise_code(raw_code) is None
                else "en kommunkod som finns bland Sveriges 290 kommuner (SCB:s förteckning)"
            )
            problem(line, "municipality_code", code_text, expected)
            return "", name
        named = directory.by_name_value(name) if name else None
        if named is not None and named.code != found.code:
            problem(
                line,
                "municipality",
                name,
                f"samma kommun som kommunkoden {found.code} ({found.name}); {name} har kod {named.code}",
            )
        return found.code, found.name
    if not name:
        problem(line, "municipality", "", "kommunens namn eller kommunkod")
        return "", ""
    found = directory.by_name_value(name)
    if found is None:
        hint = directory.suggestion(name) if suggest else None
        problem(
            line,
            "municipality",
            name,
            "en av Sveriges 290 kommuner, eller kommunkod i kolumnen Kommunkod."
            + (f" Menade du '{hint}'?" if hint else ""),
        )
        return "", name
    return found.code, found.name


def _area_lookup(db: Database) -> tuple[dict, list[str]]:
    labels = list(reference(db, "area_label")[["key", "value", "extra"]].itertuples(index=False, name=None))
    labels = [(code, label, area if isinstance(area, str) else None) for code, label, area in labels]
    lookup = {(code, norm(label)): area for code, label, area in labels}
    return lookup, sorted({label for _, label, _ in labels} | {a for *_, a in labels if a})


def _area_suggestion(value: str, labels: list[str], lookup: dict) -> str:
    """'Bostad' -> 'Boende': a label containing the word, else the closest label."""
    word = norm(value)
    for (_, label), area in lookup.items():
        if area and re.search(rf"\b{re.escape(word)}\b", label):
            return f" Menade du '{area}'?"
    return _suggest(value, labels)


def map_header(
    name: str, header: list, aliases: dict[str, str], unknown: Callable[[str], str]
) -> tuple[dict[str, int], list[Problem]]:
    """The file's columns (canonical name -> index) and every problem with the header row: an empty heading,
    one `aliases` does not know (`unknown(label)` says what was expected), a column given twice. Shared by
    the measures file and the follow-up file."""
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = str(raw).strip()
        canonical = aliases.get(norm(label))
        letter = reading.column_letters(index)
        if not label:
            problems.append(Problem(name, 1, letter, None, "en kolumnrubrik (kolumnen saknar rubrik)"))
        elif canonical is None:
            problems.append(Problem(name, 1, letter, label, unknown(label)))
        elif canonical in columns:
            problems.append(
                Problem(
                    name,
                    1,
                    letter,
                    label,
                    f"kolumnen finns redan i kolumn {reading.column_letters(columns[canonical])}",
                )
            )
        else:
            columns[canonical] = index
    return columns, problems


def raise_header_problems(name: str, problems: list[Problem], body: list, rows_are: str) -> None:
    """DataError with every header problem, or when the file has only its header row (`rows_are`: 'insatser')."""
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    if not body:
        raise DataError(
            [Problem(name, None, None, None, f"filen innehåller bara rubrikraden, inga {rows_are}")],
            heading=f"Filen {name} kan inte importeras",
        )


def check_header(name: str, header: list, body: list) -> dict[str, int]:
    """The file's columns (canonical name -> index); DataError with every header problem at once."""
    aliases = column_aliases()
    columns, problems = map_header(
        name,
        header,
        aliases,
        lambda label: (
            "en känd kolumnrubrik, t.ex. "
            + ", ".join(TEMPLATE_HEADERS[:6])
            + "…"
            + _suggest(label, TEMPLATE_HEADERS)
        ),
    )
    for needed in REQUIRED:
        if needed not in columns and not (needed == "municipality" and "municipality_code" in columns):
            shown = next(h for h in TEMPLATE_HEADERS if aliases.get(norm(h)) == needed)
            problems.append(Problem(name, 1, None, None, f"kolumnen ”{shown}” saknas"))
    raise_header_problems(name, problems, body, "insatser")
    return columns


def _year(value) -> int | None:
    """A year as four ASCII digits (Excel's 2025 or 2025.0 too); '2_031', '٢٠٢٥' or 25 are not years."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        return None
    year = int(text)
    return year if 1990 <= year <= 2100 else None


MAX_NAMED_COPIES = 10  # copies of one row named by number; the rest are counted


def duplicate_rows(body: list[tuple[int, list]]) -> list[str]:
    """Rows that repeat an earlier row exactly: imported as they are, but said, one finding per repeated
    row (at most MAX_NAMED_COPIES copies named, the rest counted): 9 999 copies are one line, not 9 999."""
    seen: dict[tuple, int] = {}
    copies: dict[int, list[int]] = {}
    for line, row in body:
        key = tuple(str(c).strip() for c in row)
        if key in seen:
            copies.setdefault(seen[key], []).append(line)
        else:
            seen[key] = line
    found = []
    for original, lines in sorted(copies.items(), key=lambda item: item[1][0]):
        if len(lines) == 1:
            found.append(
                f"Rad {lines[0]} är en exakt kopia av rad {original}; båda importeras. "
                "Ta bort den ena om den är dubbel."
            )
            continue
        named = [str(n) for n in lines[:MAX_NAMED_COPIES]]
        rest = len(lines) - len(named)
        if rest:
            listed = f"{', '.join(named)} och {fmt.count_phrase(rest, 'rad', 'rader')} till"
        else:
            listed = f"{', '.join(named[:-1])} och {named[-1]}"
        found.append(
            f"Raderna {listed} ({fmt.count_phrase(len(lines), 'rad', 'rader')}) är exakta kopior av rad {original}; alla importeras. "
            "Ta bort dem som är dubbla."
        )
    return found


_DOUBLE_ENCODED = (
    "text med å, ä och ö som de är (värdet ser ut som ”{repaired}” felkodat: filen har sparats om i fel "
    "teckenkodning); spara originalfilen i Excel som ”CSV UTF-8 (kommaavgränsad)”"
)


def double_encoded(value: str) -> str | None:
    """The text a value was before UTF-8 bytes were read as Windows-1252 and saved again ("MiljÃ¶nÃ¤mnden"
    for "Miljönämnden"), or None. A file of such values is valid UTF-8 throughout, so only the values tell.
    A real Swedish text does not survive the round trip (ö is one byte in Windows-1252, not valid UTF-8)."""
    if value.isascii():
        return None
    try:
        repaired = value.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return repaired if repaired != value else None


# Text a spreadsheet would run as a formula. Every export neutralises text anyway (exports.neutralise), so
# this only keeps an obvious formula out of the data: a text starting with = @ or {= , or with + or - when
# what follows is a formula too (a function call "+SUM(", a DDE call or sheet reference "|" "!A1", or
# arithmetic on numbers or cells "-2+3", "-A1*2"). Ordinary text with a sign stays text:
# "-Trygghet i Hageby", "+46 8 123 45 67", "- punkt (två)".
_FORMULA = re.compile(
    r"""^(?:[=@]|\{=|[+-]\s*(?:
        [A-Za-z_][A-Za-z0-9_.]*\(                          # a function call: +SUM(, -DDE(
        |.*\|                                             # a DDE call: +cmd|' /C calc'!A0
        |.*![$]?[A-Za-z]{1,3}[$]?[0-9]                    # a sheet reference: -Blad1!A1
        |(?:[0-9][0-9.,]*|[$]?[A-Za-z]{1,3}[$]?[0-9]+)\s*[-+*/^&]   # arithmetic: -2+3, +A1*2
    ))""",
    re.VERBOSE,
)


def looks_like_formula(text: str) -> bool:
    """Whether an imported text would run as a formula in a spreadsheet (see _FORMULA); fullwidth ＝＋ too,
    and behind invisible characters ("\u200b=1+1")."""
    visible = INVISIBLE_CHARS.sub("", text)
    return bool(_FORMULA.match(unicodedata.normalize("NFKC", visible).lstrip()))


# A one-line field (a name, Kommun, Nämnd, Insats, Dnr, Status, Område…) is one line of visible text: a
# line break would print a line of its own in `check` and break a table, and an invisible character (zero
# width space, BOM, soft hyphen, joiners; Unicode category Cf) makes a name that looks like another one.
# A description or a result may keep its line breaks.
LINE_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]")
# Unicode's format characters (category Cf, Unicode 14 and 15) as one character class: a regex, not a
# category lookup per character, so a 10 000-row file costs no more (tests check it against unicodedata).
INVISIBLE_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
# one search for what a one-line field may not hold; which of the two it was is asked only on a hit
NOT_ONE_LINE = re.compile(LINE_BREAKS.pattern[:-1] + INVISIBLE_CHARS.pattern[1:])
ONE_LINE = "text utan radbrytningar eller tabbar"
INVISIBLE = "text utan osynliga tecken (t.ex. nollbreddsmellanslag)"


def text_refusal(value: str, multiline: bool = False) -> str | None:
    """What an imported text should have been when it is refused, or None: control characters, a line
    break or tab or an invisible format character in a one-line field, a formula. `value` is NFC already."""
    if CONTROL_CHARS.search(value):
        return "text utan styrtecken"
    if not multiline and NOT_ONE_LINE.search(value):
        return ONE_LINE if LINE_BREAKS.search(value) else INVISIBLE
    if looks_like_formula(value):
        return "text, inte en formel"
    return None


def shown_value(value: str) -> str:
    """A refused value as a message shows it: on one line, with a line break, tab or invisible character
    named where it is, so it cannot print a line of its own and the user sees what to delete ("Egna
    medel\nInga avvikelser" -> "Egna medel[radbrytning]Inga avvikelser", "Statsbidrag\u200b Delmos" ->
    "Statsbidrag[U+200B] Delmos")."""
    value = LINE_BREAKS.sub(lambda m: "[tabb]" if m.group() == "\t" else "[radbrytning]", value)
    return INVISIBLE_CHARS.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


DELIMITER_NAMES = {";": "ett semikolon", ",": "ett kommatecken", "\t": "en tabb"}


def field_count_problem(
    name: str, line: int, row: list, header: list, delimiter: str | None
) -> Problem | None:
    """A row with more fields than the header (empty trailing ones aside), or a CSV row with fewer. Excel
    writes every field of a CSV row, so a short one is broken (a delimiter lost, or a line break outside
    quotes cut it in two), not a row to pad with empty cells. An .xlsx row (`delimiter` None) ends at its
    last cell with a value, so there a short row is normal."""
    width = len(header)
    if len(row) > width and any(str(c).strip() for c in row[width:]):
        return Problem(
            name, line, None, None, f"raden har {len(row)} fält, förväntat {width} som rubrikraden"
        )
    if delimiter is not None and len(row) < width:
        lost = DELIMITER_NAMES.get(delimiter, "en avgränsare")
        return Problem(
            name,
            line,
            None,
            None,
            f"raden har {len(row)} fält, förväntat {width} som rubrikraden (saknas det {lost}, eller har en "
            "radbrytning hamnat mitt i en cell?)",
        )
    return None


def kept_kind_findings(good: list[dict], column: str, lines_text: Callable[[list[int]], str]) -> list[str]:
    """What the preview says when a file gives an own source another kind than an earlier import did
    (validate_rows keeps the first): "Rad 2, kolumn D (Typ av finansiering): ”Trygghetsmiljonen” finns
    redan som egna medel (Gävle); filen anger statsbidrag. …". `column`: the kind column as the preview
    names it; `lines_text`: how it names rows ("Rad 2", "Rad 2 och 5")."""
    lines: dict[tuple, list[int]] = {}
    for row in good:
        if row.get("kept_kind"):
            lines.setdefault((row["source"], *row["kept_kind"]), []).append(row["line"])
    found = []
    for (source, given, kept, where), rows in lines.items():
        found.append(
            f"{lines_text(rows)}, kolumn {column}: ”{source}” finns redan som {kept}"
            + (f" ({where})" if where else "")
            + f"; filen anger {given}. En finansieringskälla har en typ: {kept} gäller."
        )
    return found


def _derived_case_number(source: str) -> str | None:
    """The dnr a Källa gives (case_number.case_number_in), held to the Dnr column's checks; None when
    it would be refused there."""
    found = case_number.case_number_in(source)
    if found is None or len(found) > case_number.MAX_LENGTH or text_refusal(found):
        return None
    return found


def validate_rows(
    db: Database, name: str, header, body, columns, delimiter: str | None = None
) -> tuple[list[dict], dict]:
    """Every row checked against the reference data; (good rows, frame amounts) or DataError with the
    problems (the first errors.MAX_COLLECTED kept, all counted). A text over its limit is refused before
    any matching, and once no more problems are kept no suggestion is computed: a file of 40 000 cells of
    5 000 characters costs a length check per cell, not a fuzzy match. `delimiter`: the CSV's (None for
    .xlsx), for field_count_problem."""
    municipalities = dict(reference(db, "municipality")[["key", "value"]].itertuples(index=False, name=None))
    directory = _municipality_directory(db, municipalities)
    statuses = list(reference(db, "status")["value"])
    # normalised once, not per row: a 10 000-row file of wrong values normalised them 170 000 times.
    # A funding source may be any name; one that equals a name the data knows (bundled first, then one
    # imported before) after normalising ("statsbidrag  delmos") is written as the data writes it, and the
    # first spelling in the file of a new name is used for its other spellings.
    imported_sources = reference(db, "imported_funding_source")
    known_sources = [*reference(db, "funding_source")["value"], *imported_sources["value"]]
    # an own source imported before keeps the kind it was given when another municipality's file gives
    # another (the read store keeps the latest kind, so the kept one is written): (kind, who names it)
    imported_kind = {
        value: (kind, where)
        for where, value, kind in imported_sources[["key", "value", "extra"]].itertuples(index=False)
        if kind in FUNDING_KINDS
    }
    source_by_norm = {norm(s): s for s in reversed(known_sources)}  # reversed: the first of equals wins
    kind_of: dict[str, tuple[str, int]] = {}  # funding source -> (kind the file gives, its first line)
    status_by_norm = {norm(s): s for s in reversed(statuses)}
    areas, area_labels = _area_lookup(db)
    problems = Problems()
    good = []
    frame_amounts: dict[tuple, tuple[int | None, int]] = {}

    def cell(row, key):
        index = columns.get(key)
        if index is None or index >= len(row):
            return ""
        value = row[index]
        return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value).strip()

    def problem(line, key, value, expected):
        label = header[columns[key]] if key in columns else key
        if value in ("", None):
            problems.append(Problem(name, line, str(label), None, missing(expected)))
        else:
            problems.append(Problem(name, line, str(label), str(value), expected))

    for line, row in body:
        if wrong := field_count_problem(name, line, row, header, delimiter):
            problems.append(wrong)
            continue
        before = len(problems)
        texts = {}
        unmatched = set()  # fields refused as text: not looked up, not suggested for
        for key in (
            "municipality",
            "municipality_code",
            "funding_source",
            "funding_kind",
            "committee",
            "measure",
            "description",
            "area",
            "status",
            "source",
            "case_number",
        ):
            value = cell(row, key)
            value = str(value) if not isinstance(value, str) else value
            limit = LIMITS.get(key, MAX_TEXT)
            if len(value) <= 4 * limit:  # "Tillva\u0308xtverket" from a Mac is the same name
                value = unicodedata.normalize("NFC", value)
            if len(value) > limit:  # first: nothing below looks at an over-long text
                problem(line, key, value[:40], f"högst {limit} tecken")
                unmatched.add(key)
            elif refusal := text_refusal(value, multiline=key in MULTILINE):
                problem(line, key, shown_value(value), refusal)
                unmatched.add(key)
            elif repaired := double_encoded(value):
                problem(line, key, value, _DOUBLE_ENCODED.format(repaired=repaired))
                unmatched.add(key)
            texts[key] = value
        if unmatched & {"municipality", "municipality_code"}:
            code, muni = "", ""
        else:
            code, muni = _resolve_municipality(
                directory,
                cell(row, "municipality_code"),
                texts["municipality"],
                line,
                problem,
                suggest=not problems.full,
            )
        year_raw = cell(row, "year")
        year = _year(year_raw)
        if year is None:
            problem(line, "year", year_raw, "ett årtal med fyra siffror (0–9) mellan 1990 och 2100")
        source = kind = None
        if "funding_source" in unmatched:
            pass
        elif not texts["funding_source"]:
            problem(
                line,
                "funding_source",
                "",
                "finansieringskällans namn, t.ex. Statsbidrag Delmos eller Egna medel",
            )
        else:
            source = source_by_norm.setdefault(norm(texts["funding_source"]), texts["funding_source"])
        if texts["funding_kind"] and "funding_kind" not in unmatched:
            kind = KIND_WORDS.get(norm(texts["funding_kind"]))
            if kind is None:
                problem(
                    line,
                    "funding_kind",
                    texts["funding_kind"],
                    "en typ av finansiering: "
                    + ", ".join(FUNDING_KINDS)
                    + " eller okänd (en tom cell är okänd)."
                    + (
                        ""
                        if problems.full
                        else _suggest(texts["funding_kind"], [*FUNDING_KINDS, UNKNOWN_KIND])
                    ),
                )
        if source and kind and kind != UNKNOWN_KIND:
            given = kind_of.setdefault(source, (kind, line))
            if given[0] != kind:
                problem(
                    line,
                    "funding_kind",
                    texts["funding_kind"],
                    f"samma typ som för {source} på rad {given[1]} ({given[0]}): en finansieringskälla har en typ",
                )
        kept_kind = (
            None  # (kind the file gives, kind kept, municipalities) when an earlier import's kind stands
        )
        if (
            source in imported_kind
            and kind in FUNDING_KINDS
            and kind != imported_kind[source][0]
            and imported_kind[source][1] not in ("", muni)  # a municipality may correct its own source
        ):
            kept_kind = (kind, *imported_kind[source])
            kind = imported_kind[source][0]
        if not texts["measure"]:
            problem(line, "measure", "", "insatsens namn")
        area = None
        if texts["area"] and "area" not in unmatched:
            key = norm(texts["area"])
            any_municipality = next((a for (_, label), a in areas.items() if label == key), "?")
            area = areas.get((code, key), areas.get((None, key), any_municipality))
            if area == "?":
                area = None
                problem(
                    line,
                    "area",
                    texts["area"],
                    "ett av de fem nationella områdena eller kommunens eget namn "
                    "på det."
                    + ("" if problems.full else _area_suggestion(texts["area"], area_labels, areas)),
                )
        status = status_by_norm.get(norm(texts["status"])) if texts["status"] else "föreslagen"
        if status is None and "status" not in unmatched:
            problem(
                line,
                "status",
                texts["status"],
                "en status: "
                + ", ".join(statuses)
                + "."
                + ("" if problems.full else _suggest(texts["status"], statuses)),
            )
        amounts = {}
        for key in ("amount_sek", "requested_sek", "frame_sek"):
            raw = cell(row, key)
            if raw in ("", None):
                amounts[key] = None
                continue
            try:
                amounts[key] = parse_amount(raw)
            except AmountError as error:
                problem(line, key, raw, f"ett belopp ({error})")
                amounts[key] = None
        if code and year and source:
            frame_key = (code, year, source)
            seen = frame_amounts.get(frame_key)
            if amounts["frame_sek"] is not None:
                if seen and seen[0] is not None and seen[0] != amounts["frame_sek"]:
                    problem(
                        line,
                        "frame_sek",
                        cell(row, "frame_sek"),
                        f"samma ram som på rad {seen[1]} ({fmt.sek(seen[0])})",
                    )
                elif not seen or seen[0] is None:
                    frame_amounts[frame_key] = (amounts["frame_sek"], line)
            else:
                frame_amounts.setdefault(frame_key, (None, line))
        if len(problems) == before:
            good.append(
                {
                    "line": line,
                    "code": code,
                    "municipality": muni,
                    "year": year,
                    "source": source,
                    "source_kind": kind,  # None: the file does not say
                    "kept_kind": kept_kind,
                    "source_typed": texts["funding_source"],
                    "committee": texts["committee"] or None,
                    "measure": texts["measure"],
                    "description": texts["description"] or texts["measure"],
                    "area_label": texts["area"] or None,
                    "area": area,
                    "status": status,
                    "amount": amounts["amount_sek"],
                    "requested": amounts["requested_sek"],
                    "requested_text": str(cell(row, "requested_sek")) or None,
                    "source_text": texts["source"] or None,
                    "case_number": texts["case_number"] or _derived_case_number(texts["source"]),
                }
            )
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return good, frame_amounts


MAX_LISTED = 12  # municipalities with data named when a --kommun is refused


def resolve_municipalities(db, given: list[str]) -> tuple[str, ...]:
    """The data's names for `--kommun` values, resolved as the import resolves a Kommun cell: by name in any
    spelling ("Malmo", "Malmö stad", "Norrköpings kommun") or by code (1280, 0581). ValueError with a Swedish
    message for one that has no data here: a selection of nothing would print "0 iakttagelser", which reads
    like clean data."""
    from insatskollen.core.municipality_names import Directory, Municipality

    in_data = dict(reference(db, "municipality")[["key", "value"]].itertuples(index=False, name=None))
    here = Directory([Municipality(code, name) for code, name in in_data.items()])
    sweden = _municipality_directory(db, in_data)
    swedish_order = str.maketrans("åäö", "{|}")  # å, ä, ö after z, as in Swedish
    names = sorted(in_data.values(), key=lambda n: n.casefold().translate(swedish_order))
    listed = ", ".join(names[:MAX_LISTED]) + (
        f" och {fmt.count_phrase(len(names) - MAX_LISTED, 'kommun', 'kommuner')} till"
        if len(names) > MAX_LISTED
        else ""
    )
    resolved = []
    for text in given:
        found = here.by_code_value(text) or here.by_name_value(text)
        if found is not None:
            resolved.append(found.name)
            continue
        real = sweden.by_code_value(text) or sweden.by_name_value(text)
        if real is not None:
            why = f"{real.name} ({real.code}) finns inte i datan."
        else:
            hint = here.suggestion(text) or sweden.suggestion(text)
            why = "ingen av Sveriges 290 kommuner heter så eller har den koden." + (
                f" Menade du '{hint}'?" if hint else ""
            )
        raise ValueError(f"--kommun {text}: {why} Kommuner med data: {listed or 'inga'}.")
    return tuple(dict.fromkeys(resolved))
