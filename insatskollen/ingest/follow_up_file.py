"""Import of follow-up reports (issue 15): what a measure spent (utfall), how far it has come
(genomförande) and with what results, per year. Steps 2 and 3 of the import for a follow-up file: its
header is recognised (`is_follow_up`), every row validated with all problems at once, and a
FollowUpPreview built; the measure a row names is follow_up_titles'. Reading (reader) and the rules for
text (cells) are the measures import's; writing is WorkingStore.commit_follow_up (store/working/follow_up.py),
undone like every import. Nothing here writes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from insatskollen.core import fmt, lists
from insatskollen.core.amounts import AmountError, parse_amount
from insatskollen.core.errors import DataError, Problem
from insatskollen.core.source_names import norm
from insatskollen.ingest import headers, reading
from insatskollen.ingest.cells import MAX_TEXT, RowChecker, year_of
from insatskollen.ingest.follow_up_titles import MAX_NAMED, Titles, resolve_item
from insatskollen.ingest.reference import municipality_directory, resolve_municipality
from insatskollen.store.db import Database
from insatskollen.store.working.follow_up import FOLLOW_UP_STATUSES

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
    reports: list[dict]  # for WorkingStore.commit_follow_up
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
    unknown = headers.template_expectation("uppföljningsmallen", TEMPLATE_HEADERS)
    columns, problems = headers.map_header(name, header, ALIASES, unknown)
    for needed, shown in (("year", "År"), ("spent_sek", "Utfall (kr)"), ("status", "Genomförande")):
        if needed not in columns:
            problems.append(Problem(name, 1, None, None, f"kolumnen ”{shown}” saknas"))
    if "result" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Resultat” saknas (den får vara tom)"))
    if "measure_id" not in columns and "measure" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Insats-id” eller ”Insats” saknas"))
    # without Kommun a title is looked up across all the data (resolve_item): a file of a municipality's
    # own measures needs no column naming it
    headers.raise_header_problems(name, problems, body, "rapporter")
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
    directory = municipality_directory(db, known)
    titles = Titles(items, lambda code, year: db.query("follow_up", municipality_codes=[code], years=[year]))
    page_municipality = directory.by_code_value(within) if within else None
    chosen = (within, page_municipality.name if page_municipality else within) if within else None
    checker = RowChecker(name, header, columns)  # the first errors.MAX_COLLECTED problems kept, all counted
    problems, cell, problem = checker.problems, checker.cell, checker.problem
    reports: list[dict] = []
    seen: dict[tuple, int] = {}

    for line, row in body:
        if checker.wrong_fields(line, row, delimiter):
            continue
        before = len(problems)
        # refused as text, not looked up: a 5 000-character name, a formula, a look-alike
        texts, refused = checker.texts(
            row,
            line,
            ("municipality", "municipality_code", "measure_id", "measure", "status", "result"),
            lambda key: MAX_RESULT if key == "result" else MAX_TEXT,
            multiline={"result"},
        )
        code, scope = None, None  # scope: (code, name) of the page's municipality when it narrows
        if refused & {"municipality", "municipality_code"}:
            code = ""
        elif texts["municipality"] or texts["municipality_code"]:
            code, _muni = resolve_municipality(
                directory,
                cell(row, "municipality_code"),
                texts["municipality"],
                line,
                problem,
                suggest=not problems.full,
            )
        elif chosen:
            code, scope = chosen[0], chosen
        year = year_of(cell(row, "year"))
        item = (
            None
            if refused & {"measure_id", "measure"}
            else resolve_item(
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
        granted[key] = None if pd.isna(r.granted_sek) else int(r.granted_sek)
        if isinstance(r.report_file, str):
            reported[key] = r.report_file
    cells = {key: reading.column_label(read.header, index) for key, index in columns.items()}
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
    findings += lists.capped(
        ungranted,
        MAX_NAMED,
        lambda rest: lists.further(
            fmt.count_phrase(rest, "rad", "rader"),
            f"i {measure_cell} gäller en insats utan beviljat belopp det året; utfallet visas utan avvikelse",
            MAX_NAMED,
        ),
    )
    findings += lists.capped(
        overspent,
        MAX_NAMED,
        lambda rest: lists.further(
            fmt.count_phrase(rest, "rad", "rader"), f"i {spent_cell} har använt mer än beviljat", MAX_NAMED
        ),
    )
    unknown = [r for r in reports if r["spent_sek"] is None]
    if unknown:
        listed = ", ".join(str(r["line"]) for r in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        findings.append(
            f"{fmt.count_phrase(len(unknown), 'rad saknar', 'rader saknar')} utfall (okänt, inte noll): "
            f"{'rad' if len(unknown) == 1 else 'raderna'} {listed}, {spent_cell}."
        )
    if replaced:
        findings.insert(
            0,
            "Ersätter tidigare rapporter för "
            + lists.named(
                replaced,
                MAX_NAMED,
                lambda more: fmt.count_phrase(more, "rapport", "rapporter"),
                separator="; ",
                last=None,
            )
            + ". De gamla sparas och kommer tillbaka med ”Ångra senaste import”.",
        )
    shown = pd.DataFrame(rows, columns=SHOWN_COLUMNS)
    for column in ("Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)"):
        shown[column] = shown[column].astype("Int64")
    return FollowUpPreview(name, shown, reports, findings)
