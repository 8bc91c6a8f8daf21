"""Import, step 2: the rules for one cell and one row of a file, shared by the measures file (validator)
and the follow-up file: what a text may hold, a year, a row's number of fields, and RowChecker, which reads
a row's cells by column and records each problem naming line, column and value."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

from insatskollen.core.errors import CONTROL_CHARS, Problem, Problems, missing
from insatskollen.core.source_names import norm

MAX_TEXT = 300


def suggestion(value: str, choices: list[str]) -> str:
    """The closest of `choices` (compared as norm() writes them) as " Menade du '…'?", or ''."""
    match = difflib.get_close_matches(norm(value), [norm(c) for c in choices], n=1, cutoff=0.6)
    if match:
        original = next(c for c in choices if norm(c) == match[0])
        return f" Menade du '{original}'?"
    return ""


def year_of(value) -> int | None:
    """A year as four ASCII digits (Excel's 2025 or 2025.0 too); '2_031', '٢٠٢٥' or 25 are not years."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        return None
    year = int(text)
    return year if 1990 <= year <= 2100 else None


DOUBLE_ENCODED = (
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


class RowChecker:
    """A file's rows read by canonical column (`columns`: column -> index) and the problems found in them,
    each naming the file, line, the column as its header says it, and the value (the first
    errors.MAX_COLLECTED kept, all counted). Shared by the measures file and the follow-up file."""

    def __init__(self, name: str, header: list, columns: dict[str, int]):
        self.name, self.header, self.columns = name, header, columns
        self.problems = Problems()

    def cell(self, row: list, key: str):
        """The cell of column `key`: a number as it is, anything else as trimmed text ('' when absent)."""
        index = self.columns.get(key)
        if index is None or index >= len(row):
            return ""
        value = row[index]
        return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value).strip()

    def problem(self, line: int, key: str, value, expected: str) -> None:
        label = self.header[self.columns[key]] if key in self.columns else key
        if value in ("", None):
            self.problems.append(Problem(self.name, line, str(label), None, missing(expected)))
        else:
            self.problems.append(Problem(self.name, line, str(label), str(value), expected))

    def wrong_fields(self, line: int, row: list, delimiter: str | None) -> bool:
        """Whether the row has the wrong number of fields (field_count_problem), recorded as its one problem."""
        if wrong := field_count_problem(self.name, line, row, self.header, delimiter):
            self.problems.append(wrong)
            return True
        return False

    def texts(
        self,
        row: list,
        line: int,
        keys: tuple[str, ...],
        limit: Callable[[str], int],
        multiline: frozenset[str] | set[str] = frozenset(),
        repaired: bool = False,
    ) -> tuple[dict[str, str], set[str]]:
        """The cells of `keys` as checked texts (`text`, with each key's `limit`), and the keys refused as
        text: not to be looked up or suggested for."""
        texts, refused = {}, set()
        for key in keys:
            texts[key], wrong = self.text(row, line, key, limit(key), key in multiline, repaired)
            if wrong:
                refused.add(key)
        return texts, refused

    def text(
        self, row: list, line: int, key: str, limit: int, multiline: bool = False, repaired: bool = False
    ) -> tuple[str, bool]:
        """The cell of `key` as NFC text and whether it was refused as text (and so is not to be looked up):
        over `limit` characters (checked first: nothing looks at an over-long text), a text_refusal, or
        with `repaired`, text saved again in the wrong encoding (double_encoded)."""
        value = self.cell(row, key)
        value = value if isinstance(value, str) else str(value)
        if len(value) <= 4 * limit:  # "Tillva\u0308xtverket" from a Mac is the same name
            value = unicodedata.normalize("NFC", value)
        if len(value) > limit:
            self.problem(line, key, value[:40], f"högst {limit} tecken")
        elif refusal := text_refusal(value, multiline=multiline):
            self.problem(line, key, shown_value(value), refusal)
        elif repaired and (before := double_encoded(value)):
            self.problem(line, key, value, DOUBLE_ENCODED.format(repaired=before))
        else:
            return value, False
        return value, True
