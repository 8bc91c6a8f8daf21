"""Import of follow-up reports (issue 15): what a measure spent (utfall), how far it has come
(genomförande) and with what results, per year. Steps 2 and 3 of the import for a follow-up file: its
header is recognised (`is_follow_up`), every row validated with all problems at once, and a
FollowUpPreview built. Reading (import_read) and the rules for text are the measures import's; writing is
working_store.commit_follow_up, undone like every import. Nothing here writes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from insatskollen.core import fmt, na
from insatskollen.core.amounts import AmountError, parse_amount
from insatskollen.core.errors import DataError, Problem, Problems, missing
from insatskollen.ingest import reader as import_read
from insatskollen.ingest import validator
from insatskollen.ingest.validator import (
    MAX_TEXT,
    _municipality_directory,
    _resolve_municipality,
    _year,
    norm,
)
from insatskollen.store.db import Database
from insatskollen.store.working_store import FOLLOW_UP_STATUSES

MAX_RESULT = 2000
# Swedish (and English) headers -> canonical column
ALIASES = {
    "insats-id": "measure_id",
    "insatsid": "measure_id",
    "measure id": "measure_id",
    "insats": "measure",
    "insatsens namn": "measure",
    "åtgärd": "measure",
    "aktivitet": "measure",
    "satsning": "measure",
    "measure": "measure",
    "kommun": "municipality",
    "municipality": "municipality",
    "kommunkod": "municipality_code",
    "municipality code": "municipality_code",
    "år": "year",
    "ar": "year",
    "year": "year",
    "utfall (kr)": "spent_sek",
    "utfall kr": "spent_sek",
    "utfall, kr": "spent_sek",
    "utfall": "spent_sek",
    "använt (kr)": "spent_sek",
    "förbrukat (kr)": "spent_sek",
    "spent": "spent_sek",
    "genomförande": "status",
    "genomförandestatus": "status",
    "status": "status",
    "datum": "status_date",
    "rapportdatum": "status_date",
    "date": "status_date",
    "resultat": "result",
    "resultat och effekter": "result",
    "result": "result",
}
# Headers only a follow-up file has ("Status" and "Insats" are in the measures template too)
FOLLOW_UP_ONLY = {"measure_id", "spent_sek"}
# How many municipalities an ambiguous title names before "och N till"
SHOWN_MUNICIPALITIES = 5
# Distinct titles beyond which an unknown title searched across all the data gets no "Menade du …?"
# (difflib over the national data's titles would cost seconds a row)
MAX_SUGGESTED_AMONG = 5_000
# Unknown titles given a "Menade du …?" (each is compared with up to MAX_SUGGESTED_AMONG titles); the
# ones after are refused without one, like every problem after the first errors.MAX_COLLECTED
MAX_SUGGESTIONS = 20
# Measures named by id when a title is ambiguous, and rows named per kind of finding, before a count
MAX_NAMED = 10
TEMPLATE_HEADERS = ["Kommun", "Insats-id", "Insats", "År", "Utfall (kr)", "Genomförande", "Datum", "Resultat"]
# Cannot be imported by mistake: "EXEMPEL" is neither a municipality nor a measure.
TEMPLATE_EXAMPLE = [
    "EXEMPEL (skriv er kommun)",
    "",
    "EXEMPEL: Läxhjälp (ersätt eller ta bort raden)",
    "2025",
    "320 000",
    "pågår",
    "2025-12-31",
    "Kort beskrivning av vad insatsen har gett",
]
SHOWN_COLUMNS = [
    "Rad",
    "Kommun",
    "Insats",
    "År",
    "Beviljat (kr)",
    "Utfall (kr)",
    "Avvikelse (kr)",
    "Genomförande",
    "Datum",
    "Resultat",
]


@dataclass
class FollowUpPreview:
    file: str
    rows: pd.DataFrame  # what will be imported, Swedish column names (SHOWN_COLUMNS)
    reports: list[dict]  # for working_store.commit_follow_up
    findings: list[str]
    kind: str = "follow_up"
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None


def is_follow_up(header: list) -> bool:
    """A follow-up file has a column Utfall (kr) (or another name for it), Genomförande or Insats-id,
    which the measures template does not have."""
    names = {norm(h) for h in header}
    return bool(
        {ALIASES[n] for n in names if n in ALIASES} & FOLLOW_UP_ONLY
        or names & {"genomförande", "genomförandestatus"}
    )


def check_header(name: str, header: list, body: list) -> dict[str, int]:
    """The file's columns (canonical -> index); DataError with every header problem at once."""

    def unknown(label: str) -> str:
        hint = difflib.get_close_matches(label, TEMPLATE_HEADERS, n=1, cutoff=0.6)
        return (
            "en rubrik i uppföljningsmallen: "
            + ", ".join(TEMPLATE_HEADERS)
            + (f". Menade du '{hint[0]}'?" if hint else "")
        )

    columns, problems = validator.map_header(name, header, ALIASES, unknown)
    for needed, shown in (("year", "År"), ("spent_sek", "Utfall (kr)"), ("status", "Genomförande")):
        if needed not in columns:
            problems.append(Problem(name, 1, None, None, f"kolumnen ”{shown}” saknas"))
    if "result" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Resultat” saknas (den får vara tom)"))
    if "measure_id" not in columns and "measure" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Insats-id” eller ”Insats” saknas"))
    # without Kommun a title is looked up across all the data (_resolve_item): a file of a municipality's
    # own measures needs no column naming it
    validator.raise_header_problems(name, problems, body, "rapporter")
    return columns


def _date(value) -> date | None:
    """2025-12-31, or an Excel date (a day number, as the reader gives it); None when it is not one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 32_874 <= value <= 73_051:  # 1990-01-01 .. 2100-01-01
            return date(1899, 12, 30) + timedelta(days=int(value))
        return None
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return None
    return found if 1990 <= found.year <= 2100 else None


def validate_rows(
    db: Database,
    name: str,
    header,
    body,
    columns,
    delimiter: str | None = None,
    within: str | None = None,
) -> list[dict]:
    """Every row checked; the reports to write, or DataError naming every problem (file, line, column,
    value, what was expected). `within` is the code of the municipality chosen on the page the file is
    read on: a title in a row that names no municipality is looked up among its measures."""
    items = db.query("follow_up_items")
    by_id = {r.item_id: r for r in items.itertuples()}
    known = dict(
        db.query("import_reference")
        .query("kind == 'municipality'")[["key", "value"]]
        .itertuples(index=False, name=None)
    )
    directory = _municipality_directory(db, known)
    titles = _Titles(items, lambda code, year: db.query("follow_up", municipality_codes=[code], years=[year]))
    page_municipality = directory.by_code_value(within) if within else None
    chosen = (within, page_municipality.name if page_municipality else within) if within else None
    problems = Problems()  # the first errors.MAX_COLLECTED kept, all counted
    reports: list[dict] = []
    seen: dict[tuple, int] = {}

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
        if wrong := validator.field_count_problem(name, line, row, header, delimiter):
            problems.append(wrong)
            continue
        before = len(problems)
        texts = {}
        refused = set()  # refused as text, not looked up: a 5 000-character name, a formula, a look-alike
        for key in ("municipality", "municipality_code", "measure_id", "measure", "status", "result"):
            value = cell(row, key)
            value = value if isinstance(value, str) else str(value)
            limit = MAX_RESULT if key == "result" else MAX_TEXT
            if len(value) <= 4 * limit:  # a decomposed title (macOS) is the same title
                value = unicodedata.normalize("NFC", value)
            if len(value) > limit:
                problem(line, key, value[:40], f"högst {limit} tecken")
                refused.add(key)
            elif refusal := validator.text_refusal(value, multiline=key == "result"):
                problem(line, key, validator.shown_value(value), refusal)
                refused.add(key)
            texts[key] = value
        code, scope = None, None  # scope: (code, name) of the page's municipality when it narrows
        if refused & {"municipality", "municipality_code"}:
            code = ""
        elif texts["municipality"] or texts["municipality_code"]:
            code, _muni = _resolve_municipality(
                directory,
                cell(row, "municipality_code"),
                texts["municipality"],
                line,
                problem,
                suggest=not problems.full,
            )
        elif chosen:
            code, scope = chosen[0], chosen
        year = _year(cell(row, "year"))
        item = (
            None
            if refused & {"measure_id", "measure"}
            else _resolve_item(
                titles, by_id, texts, code, line, problem, suggest=not problems.full, scope=scope, year=year
            )
        )
        if year is None:
            problem(line, "year", cell(row, "year"), "ett årtal med fyra siffror (0–9) mellan 1990 och 2100")
        spent = None
        raw = cell(row, "spent_sek")
        if raw not in ("", None):
            try:
                spent = parse_amount(raw)
            except AmountError as error:
                problem(
                    line, "spent_sek", raw, f"ett belopp i kronor, eller tomt om utfallet är okänt ({error})"
                )
        status = next((s for s in FOLLOW_UP_STATUSES if norm(s) == norm(texts["status"])), None)
        if status is None and "status" not in refused:
            hint = (
                []
                if problems.full
                else difflib.get_close_matches(norm(texts["status"]), FOLLOW_UP_STATUSES, n=1, cutoff=0.6)
            )
            problem(
                line,
                "status",
                texts["status"],
                "ett av " + ", ".join(FOLLOW_UP_STATUSES) + (f". Menade du '{hint[0]}'?" if hint else ""),
            )
        status_date = None
        raw_date = cell(row, "status_date")
        if raw_date not in ("", None):
            status_date = _date(raw_date)
            if status_date is None:
                problem(line, "status_date", raw_date, "ett datum som 2025-12-31")
        if item is not None and year is not None:
            key = (item["kind"], item["item_id"], year)
            if key in seen:
                problem(
                    line,
                    "measure_id" if "measure_id" in columns else "measure",
                    item["title"],
                    f"en rapport per insats och år; {item['title']} {year} finns redan på rad {seen[key]}",
                )
            else:
                seen[key] = line
        if len(problems) == before:
            reports.append(
                {
                    "line": line,
                    "municipality_code": item["municipality_code"],
                    "municipality": item["municipality"],
                    "title": item["title"],
                    "measure_id": item["item_id"] if item["kind"] == "measure" else None,
                    "allocation_id": item["item_id"] if item["kind"] == "line" else None,
                    "year": year,
                    "spent_sek": spent,
                    "status": status,
                    "status_date": status_date,
                    "result": texts["result"] or None,
                }
            )
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return reports


class _Titles:
    """The measures a title can name, looked up by the title normalised as everywhere in the import
    (validator.norm). The index is built on the first lookup, normalising each distinct title once,
    by title and by title and municipality: a row's lookup is then a dictionary's, so a file of 9 999 rows
    costs 9 999 lookups, not 9 999 scans of the data (or of one municipality's measures)."""

    def __init__(self, items: pd.DataFrame, follow_up=None):
        self.measures = items[items.kind == "measure"].to_dict("records")
        self._follow_up = follow_up  # (code, year) -> that municipality-year's follow_up rows
        self._funded: dict[tuple, set] = {}
        self._rows: dict[str, list[dict]] | None = None  # normalised title -> its measures
        self._in: dict[tuple[str, str], list[dict]] = {}  # (normalised title, code) -> its measures
        self._shown: dict[str, str] = {}  # normalised title -> the first title written so
        self._among: dict[str | None, list[str]] = {}  # code (None: all) -> normalised titles to suggest
        self._suggestions: dict[tuple, str | None] = {}
        self.suggested = 0  # distinct titles a suggestion was searched for (at most MAX_SUGGESTIONS)

    def _index(self) -> dict[str, list[dict]]:
        if self._rows is None:
            normal = {title: norm(title) for title in {m["title"] for m in self.measures}}
            self._rows = {}
            for measure in self.measures:
                key = normal[measure["title"]]
                self._shown.setdefault(key, measure["title"])
                self._rows.setdefault(key, []).append(measure)
                self._in.setdefault((key, measure["municipality_code"]), []).append(measure)
        return self._rows

    def matching(self, title: str, code: str | None) -> list[dict]:
        """The measures called `title`, in the municipality `code` or (None) anywhere."""
        rows = self._index()
        key = norm(title)
        return rows.get(key, []) if code is None else self._in.get((key, code), [])

    def funded_in(self, matches: list[dict], year: int | None) -> list[dict]:
        """Those of one municipality's `matches` granted money in `year` (a line of that year)."""
        if year is None or self._follow_up is None or not matches:
            return []
        key = (matches[0]["municipality_code"], year)
        if key not in self._funded:
            rows = self._follow_up(*key)
            self._funded[key] = set(
                rows.measure_id[rows.granted_sek.notna() | rows.frame_id.notna()].dropna()
            )
        return [m for m in matches if m["item_id"] in self._funded[key]]

    def suggestion(self, title: str, code: str | None) -> str | None:
        """The closest title (in the municipality `code`, or anywhere), as written; None without one, and
        for every title after the first MAX_SUGGESTIONS: a file of thousands of unknown titles is not
        compared with thousands of titles each."""
        key = (norm(title), code)
        if key not in self._suggestions:
            if self.suggested >= MAX_SUGGESTIONS:
                return None
            self.suggested += 1
            rows = self._index()  # and the titles as written (_shown)
            if code not in self._among:
                among = list(rows) if code is None else sorted({t for t, c in self._in if c == code})
                self._among[code] = among if len(among) <= MAX_SUGGESTED_AMONG else []
            hint = difflib.get_close_matches(key[0], self._among[code], n=1, cutoff=0.6)
            self._suggestions[key] = self._shown[hint[0]] if hint else None
        return self._suggestions[key]


def _municipality_list(names) -> str:
    """'Gävle, Malmö och Södertälje'; beyond SHOWN_MUNICIPALITIES the rest counted."""
    names = sorted(set(names))
    shown = names[:SHOWN_MUNICIPALITIES]
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" och {rest} till"
    return ", ".join(shown[:-1]) + " och " + shown[-1]


def _resolve_item(
    titles: _Titles,
    by_id: dict,
    texts: dict,
    code: str | None,
    line: int,
    problem,
    suggest: bool = True,
    scope: tuple[str, str] | None = None,
    year: int | None = None,
):
    """The measure (or line) a row reports on: by Insats-id, else by title: within the row's municipality
    (`code`), else within the page's (`scope`, which then is `code` too), else across all the data, where
    the title must belong to one municipality only. Several measures of one municipality called so (its
    file of each year makes its own): the one granted money in the row's `year`, if only one was. The
    closest title is suggested unless `suggest` is False."""
    if texts["measure_id"]:
        found = by_id.get(texts["measure_id"])
        if found is None:
            problem(
                line,
                "measure_id",
                texts["measure_id"],
                "ett Insats-id som finns (se bladet Insatser i Excelmallen)",
            )
            return None
        if code and not scope and found.municipality_code != code:
            problem(
                line,
                "measure_id",
                texts["measure_id"],
                f"en insats i kommunen på raden ({found.municipality} har den)",
            )
            return None
        return found._asdict()
    if not texts["measure"]:
        problem(line, "measure", "", "insatsens namn eller Insats-id")
        return None
    if code == "":
        return None  # the municipality's own problem is already recorded
    matches = titles.matching(texts["measure"], code)
    if len(matches) == 1:
        return dict(matches[0])
    places = {m["municipality_code"] for m in matches}
    if len(places) > 1:
        problem(
            line,
            "measure",
            texts["measure"],
            "ett namn som bara en kommun har; det finns i "
            + _municipality_list(m["municipality"] for m in matches)
            + ". Lägg till kolumnen Kommun, eller läs in filen under Uppföljning med kommunen vald",
        )
        return None
    if len(matches) > 1 and len(in_year := titles.funded_in(matches, year)) == 1:
        return dict(in_year[0])  # one municipality's measures of other years
    if len(matches) > 1:
        ids = [m["item_id"] for m in matches]
        rest = len(ids) - MAX_NAMED
        problem(
            line,
            "measure",
            texts["measure"],
            "ett namn som bara en insats i kommunen har; det finns flera ("
            + ", ".join(ids[:MAX_NAMED])
            + (f" och {rest} till" if rest > 0 else "")
            + "). Ange Insats-id",
        )
        return None
    elsewhere = titles.matching(texts["measure"], None) if scope else []
    if elsewhere:  # the page's kommun is not the file's
        names = {m["municipality"] for m in elsewhere}
        places = _municipality_list(names) if len(names) > 1 else next(iter(names))
        problem(
            line,
            "measure",
            texts["measure"],
            f"namnet på en insats i {scope[1]} (kommunen som är vald på sidan); namnet finns i {places}. "
            "Välj den kommunens ram på sidan, eller lägg till kolumnen Kommun",
        )
        return None
    shown = titles.suggestion(texts["measure"], code) if suggest else None
    where = (
        f"i {scope[1]} (kommunen som är vald på sidan)"
        if scope
        else "i kommunens data"
        if code
        else "i någon kommuns data"
    )
    problem(
        line,
        "measure",
        texts["measure"],
        f"namnet på en insats {where}" + (f". Menade du '{shown}'?" if shown else ""),
    )
    return None


def preview(db: Database, name: str, read, within: str | None = None) -> FollowUpPreview:
    """Validate a read follow-up file and show what it will write, beside what was granted. `within`:
    the municipality code chosen on the page the file is read on (validate_rows)."""
    columns = check_header(name, read.header, read.body)
    reports = validate_rows(db, name, read.header, read.body, columns, read.delimiter, within)
    current = db.query("follow_up", municipality_codes=[], years=[])
    granted, reported = {}, {}
    for r in current.itertuples():
        measure_id = r.measure_id if isinstance(r.measure_id, str) else None
        key = (measure_id, None if measure_id else r.allocation_id, int(r.year))
        granted[key] = na.int_or_none(r.granted_sek)
        if isinstance(r.report_file, str):
            reported[key] = r.report_file
    cells = {key: import_read.column_label(read.header, index) for key, index in columns.items()}
    spent_cell = f"kolumn {cells['spent_sek']}"
    measure_cell = f"kolumn {cells.get('measure_id') or cells.get('measure')}"
    rows, findings, replaced = [], [], []
    ungranted, overspent = [], []  # per row, at most MAX_NAMED written; the rest counted
    for rep in reports:
        key = (rep["measure_id"], rep["allocation_id"], rep["year"])
        given = granted.get(key)
        spent = rep["spent_sek"]
        rows.append(
            [
                rep["line"],
                rep["municipality"],
                rep["title"],
                rep["year"],
                given,
                spent,
                spent - given if spent is not None and given is not None else None,
                rep["status"],
                rep["status_date"].isoformat() if rep["status_date"] else None,
                rep["result"],
            ]
        )
        if key in reported:
            replaced.append(f"{rep['title']} {rep['year']} (rapporterad i {reported[key]})")
        if key not in granted:
            ungranted.append(
                f"Rad {rep['line']}, {measure_cell}: {rep['title']} har inget beviljat belopp {rep['year']}; "
                "utfallet visas utan avvikelse."
            )
        elif spent is not None and given is not None and spent > given:
            overspent.append(
                f"Rad {rep['line']}, {spent_cell}: {rep['title']} {rep['year']} har använt "
                f"{fmt.sek(spent - given)} mer än beviljat."
            )
    findings += ungranted[:MAX_NAMED]
    if len(ungranted) > MAX_NAMED:
        rest = fmt.count_phrase(len(ungranted) - MAX_NAMED, "rad", "rader")
        findings.append(
            f"Ytterligare {rest} i {measure_cell} gäller en insats utan beviljat belopp det året; utfallet "
            f"visas utan avvikelse (visas bara för de första {MAX_NAMED})."
        )
    findings += overspent[:MAX_NAMED]
    if len(overspent) > MAX_NAMED:
        rest = fmt.count_phrase(len(overspent) - MAX_NAMED, "rad", "rader")
        findings.append(
            f"Ytterligare {rest} i {spent_cell} har använt mer än beviljat (visas bara för de första "
            f"{MAX_NAMED})."
        )
    unknown = [r for r in reports if r["spent_sek"] is None]
    if unknown:
        listed = ", ".join(str(r["line"]) for r in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        findings.append(
            f"{fmt.count_phrase(len(unknown), 'rad saknar', 'rader saknar')} utfall (okänt, inte noll): "
            f"{'rad' if len(unknown) == 1 else 'raderna'} {listed}, {spent_cell}."
        )
    if replaced:
        more = len(replaced) - MAX_NAMED
        findings.insert(
            0,
            "Ersätter tidigare rapporter för "
            + "; ".join(replaced[:MAX_NAMED])
            + (f" och {fmt.count_phrase(more, 'rapport', 'rapporter')} till" if more > 0 else "")
            + ". De gamla sparas och kommer tillbaka med ”Ångra senaste import”.",
        )
    shown = pd.DataFrame(rows, columns=SHOWN_COLUMNS)
    for column in ("Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)"):
        shown[column] = shown[column].astype("Int64")
    return FollowUpPreview(name, shown, reports, findings)
