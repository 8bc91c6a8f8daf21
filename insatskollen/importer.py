"""Import a municipality's own measures and budgets from CSV or Excel: one code path for the CLI
(`python -m insatskollen import FILE`) and the Importera page.

read -> validate every row (all problems at once, Swedish, with suggestions) -> Preview -> commit in
one transaction into the `imported` schema (kept by every rebuild), with the previous imported data
saved so that the last import can be undone. A file that fails changes nothing.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from insatskollen import build, fmt, import_read
from insatskollen.amounts import AmountError, parse_amount
from insatskollen.db import DATA_DIR, Database, utc_now
from insatskollen.errors import CONTROL_CHARS, DataError, Problem
from insatskollen.import_read import ReadResult
from insatskollen.municipality_names import Directory, Municipality, normalise_code
from insatskollen.schema import TABLES

MAX_BYTES_ENV = "INSATSKOLLEN_IMPORT_MAX_BYTES"
DEFAULT_MAX_BYTES = 5_000_000
MAX_TEXT = 300
REQUIRED = ("municipality", "year", "funding_source", "measure", "amount_sek")
TEMPLATE_HEADERS = [
    "Kommun",
    "Kommunkod",
    "År",
    "Finansieringskälla",
    "Ram (kr)",
    "Nämnd",
    "Insats",
    "Beskrivning",
    "Område",
    "Belopp (kr)",
    "Äskat (kr)",
    "Status",
    "Källa",
]
# The example row cannot be imported by mistake: its Kommun is no municipality, so a template sent in
# unchanged is refused at that row instead of adding an invented measure.
TEMPLATE_EXAMPLE = [
    "EXEMPEL (skriv er kommun)",
    "",
    "2025",
    "Statsbidrag Delmos",
    "2 000 000",
    "Utbildningsnämnden",
    "EXEMPEL: Läxhjälp (ersätt eller ta bort raden)",
    "Kort beskrivning av insatsen",
    "Utbildning",
    "350 000",
    "350 000",
    "föreslagen",
    "t.ex. Tjänsteskrivelse, dnr och datum",
]


class ReplaceNeeded(Exception):
    """The file holds municipality-years that are already imported; confirm to replace them."""


def max_bytes() -> int:
    try:
        return int(os.environ.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def _norm(text) -> str:
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", str(text or ""))).strip().casefold()


def column_aliases(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Swedish and English header -> canonical column, from data/import_columns.csv."""
    with (data_dir / "import_columns.csv").open(encoding="utf-8", newline="") as handle:
        return {_norm(r["alias"]): r["column"] for r in csv.DictReader(handle)}


@dataclass
class Preview:
    file: str
    rows: pd.DataFrame  # what will be imported, Swedish column names
    by_area: pd.DataFrame
    by_committee: pd.DataFrame
    findings: list[str]
    tables: dict[str, pd.DataFrame]  # rows for imported.<table>
    municipality_years: list[tuple[str, str, int]]  # (code, name, year)
    replaces: list[tuple[str, int]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # an Excel file's sheets, to choose from
    sheet: str | None = None  # the sheet that was read


# ------------------------------------------------------------------ reading


def read_rows(name: str, data: bytes, sheet: str | None = None, bounded: bool = False) -> ReadResult:
    """Header and rows of a .csv or .xlsx file within fixed bounds (see import_read); DataError when
    broken. `bounded` reads in a capped child process (the server does this; tests and the CLI may too)."""
    reader = import_read.read_bounded if bounded else import_read.read_rows
    return reader(name, data, max_bytes(), sheet)


# ------------------------------------------------------------------ validation


def _suggest(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(_norm(value), [_norm(c) for c in choices], n=1, cutoff=0.6)
    if match:
        original = next(c for c in choices if _norm(c) == match[0])
        return f" Menade du '{original}'?"
    return ""


def _municipality_directory(cur, known: dict[str, str]) -> Directory:
    """Sweden's 290 municipalities (SCB), plus any other code the data already holds."""
    sweden = cur.execute("select municipality_code, municipality from main.sweden_municipalities").fetchall()
    listed = {code for code, _ in sweden}
    extra = [(c, m) for c, m in known.items() if c not in listed]
    return Directory([Municipality(c, m) for c, m in [*sweden, *extra]])


def _resolve_municipality(directory: Directory, raw_code, name: str, line: int, problem) -> tuple[str, str]:
    """(code, name) from the Kommunkod and Kommun cells; a problem is recorded when neither resolves."""
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
        hint = directory.suggestion(name)
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
    labels = (
        db.con.cursor()
        .execute("select municipality_code, label, priority_area from main.area_labels")
        .fetchall()
    )
    lookup = {(code, _norm(label)): area for code, label, area in labels}
    return lookup, sorted({label for _, label, _ in labels} | {a for *_, a in labels if a})


def _area_suggestion(value: str, labels: list[str], lookup: dict) -> str:
    """'Bostad' -> 'Boende': a label containing the word, else the closest label."""
    word = _norm(value)
    for (_, label), area in lookup.items():
        if area and re.search(rf"\b{re.escape(word)}\b", label):
            return f" Menade du '{area}'?"
    return _suggest(value, labels)


def preview(db: Database, name: str, data: bytes, sheet: str | None = None, bounded: bool = False) -> Preview:
    """Read and validate a file without writing anything; DataError lists every problem."""
    read = read_rows(name, data, sheet, bounded)
    header, body = read.header, read.body
    aliases = column_aliases()
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = str(raw).strip()
        canonical = aliases.get(_norm(label))
        letter = import_read.column_letters(index)
        if not label:
            problems.append(Problem(name, 1, letter, None, "en kolumnrubrik (kolumnen saknar rubrik)"))
        elif canonical is None:
            problems.append(
                Problem(
                    name,
                    1,
                    letter,
                    label,
                    "en känd kolumnrubrik, t.ex. "
                    + ", ".join(TEMPLATE_HEADERS[:6])
                    + "…"
                    + _suggest(label, TEMPLATE_HEADERS),
                )
            )
        elif canonical in columns:
            problems.append(
                Problem(
                    name,
                    1,
                    letter,
                    label,
                    f"kolumnen finns redan i kolumn {import_read.column_letters(columns[canonical])}",
                )
            )
        else:
            columns[canonical] = index
    for needed in REQUIRED:
        if needed not in columns and not (needed == "municipality" and "municipality_code" in columns):
            shown = next(h for h in TEMPLATE_HEADERS if aliases.get(_norm(h)) == needed)
            problems.append(Problem(name, 1, None, None, f"kolumnen ”{shown}” saknas"))
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    if not body:
        raise DataError(
            [Problem(name, None, None, None, "filen innehåller bara rubrikraden, inga insatser")],
            heading=f"Filen {name} kan inte importeras",
        )
    result = _validate_rows(db, name, header, body, columns)
    result.findings[:0] = read.findings + _duplicate_rows(body)
    result.sheets, result.sheet = read.sheets, read.sheet
    return result


def _year(value) -> int | None:
    """A year as four ASCII digits (Excel's 2025 or 2025.0 too); '2_031', '٢٠٢٥' or 25 are not years."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        return None
    year = int(text)
    return year if 1990 <= year <= 2100 else None


def _duplicate_rows(body: list[tuple[int, list]]) -> list[str]:
    """Rows that repeat an earlier row exactly: imported as they are, but said."""
    seen: dict[tuple, int] = {}
    found = []
    for line, row in body:
        key = tuple(str(c).strip() for c in row)
        if key in seen:
            found.append(
                f"Rad {line} är en exakt kopia av rad {seen[key]}; båda importeras. Ta bort den ena om den är dubbel."
            )
        else:
            seen[key] = line
    return found


def _validate_rows(db: Database, name: str, header, body, columns) -> Preview:
    cur = db.con.cursor()
    municipalities = {
        code: muni
        for code, muni in cur.execute(
            "select municipality_code, municipality from main.municipalities"
        ).fetchall()
    }
    directory = _municipality_directory(cur, municipalities)
    sources = [r[0] for r in cur.execute("select funding_source from main.funding_sources").fetchall()]
    statuses = [r[0] for r in cur.execute("select status from main.statuses order by sort_order").fetchall()]
    areas, area_labels = _area_lookup(db)
    problems: list[Problem] = []
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
        problems.append(
            Problem(name, line, str(label), None if value in ("", None) else str(value), expected)
        )

    for line, row in body:
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header) :]):
            problems.append(
                Problem(name, line, None, None, f"{len(header)} fält som rubrikraden (raden har {len(row)})")
            )
            continue
        before = len(problems)
        texts = {}
        for key in (
            "municipality",
            "municipality_code",
            "funding_source",
            "committee",
            "measure",
            "description",
            "area",
            "status",
            "source",
        ):
            value = cell(row, key)
            value = str(value) if not isinstance(value, str) else value
            if CONTROL_CHARS.search(value):
                problem(line, key, value, "text utan styrtecken")
            elif value.startswith("=") or value.startswith("@"):
                problem(line, key, value, "text, inte en formel")
            elif len(value) > (2000 if key == "description" else MAX_TEXT):
                problem(line, key, value[:40], f"högst {2000 if key == 'description' else MAX_TEXT} tecken")
            texts[key] = value
        code, muni = _resolve_municipality(
            directory, cell(row, "municipality_code"), texts["municipality"], line, problem
        )
        year_raw = cell(row, "year")
        year = _year(year_raw)
        if year is None:
            problem(line, "year", year_raw, "ett årtal med fyra siffror (0–9) mellan 1990 och 2100")
        source = next((s for s in sources if _norm(s) == _norm(texts["funding_source"])), None)
        if source is None:
            problem(
                line,
                "funding_source",
                texts["funding_source"],
                "en finansieringskälla: "
                + ", ".join(sources)
                + "."
                + _suggest(texts["funding_source"], sources),
            )
        if not texts["measure"]:
            problem(line, "measure", "", "insatsens namn")
        area = None
        if texts["area"]:
            key = _norm(texts["area"])
            any_municipality = next((a for (_, label), a in areas.items() if label == key), "?")
            area = areas.get((code, key), areas.get((None, key), any_municipality))
            if area == "?":
                area = None
                problem(
                    line,
                    "area",
                    texts["area"],
                    "ett av de fem nationella områdena eller kommunens eget namn "
                    "på det." + _area_suggestion(texts["area"], area_labels, areas),
                )
        status = (
            next((s for s in statuses if _norm(s) == _norm(texts["status"])), None)
            if texts["status"]
            else "föreslagen"
        )
        if status is None:
            problem(
                line,
                "status",
                texts["status"],
                "en status: " + ", ".join(statuses) + "." + _suggest(texts["status"], statuses),
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
                }
            )
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return _build_preview(db, name, good, frame_amounts)


# ------------------------------------------------------------------ preview and tables


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=next(t for t in TABLES if t.name == table).column_names)


def _build_preview(db: Database, name: str, good: list[dict], frame_amounts: dict) -> Preview:
    stamp = uuid.uuid4().hex[:8]
    today = date.today().isoformat()
    known = {
        r[0] for r in db.con.cursor().execute("select municipality_code from main.municipalities").fetchall()
    }
    tables = {t.name: [] for t in TABLES}
    documents, frames, committees = {}, {}, {}
    for row in good:
        code = row["code"]
        if code not in known and code not in {m["municipality_code"] for m in tables["municipalities"]}:
            tables["municipalities"].append({"municipality_code": code, "municipality": row["municipality"]})
        document_id = documents.get(code)
        if document_id is None:
            document_id = documents[code] = f"import-{stamp}-{code}"
            tables["documents"].append(
                {
                    "document_id": document_id,
                    "municipality_code": code,
                    "date": today,
                    "case_number": None,
                    "title": f"Importerad fil {name}",
                    "kind": "Importerad fil",
                    "taken": f"{len(good)} rader importerade {today}",
                }
            )
        frame_key = (code, row["year"], row["source"])
        if frame_key not in frames:
            frame_id = frames[frame_key] = f"imp-{stamp}-f{len(frames) + 1}"
            amount = frame_amounts.get(frame_key, (None, 0))[0]
            tables["frames"].append(
                {
                    "frame_id": frame_id,
                    "municipality_code": code,
                    "funding_source": row["source"],
                    "year_from": row["year"],
                    "year_to": row["year"],
                    "amount_sek": amount,
                    "amount_text": fmt.sek(amount) if amount is not None else "Anges inte i filen",
                    "source_document": document_id,
                    "source_section": f"{name}, kolumnen Ram",
                    "note": None,
                }
            )
        committee_id = None
        if row["committee"]:
            committee_key = (code, _norm(row["committee"]))
            if committee_key not in committees:
                committees[committee_key] = f"imp-{stamp}-c{len(committees) + 1}"
                tables["committees"].append(
                    {
                        "committee_id": committees[committee_key],
                        "municipality_code": code,
                        "committee": row["committee"],
                        "administration": None,
                        "decision_label": row["committee"],
                        "source_document": document_id,
                        "source_section": f"{name} rad {row['line']}",
                    }
                )
            committee_id = committees[committee_key]
        measure_id = f"imp-{stamp}-m{row['line']}"
        section = f"{name} rad {row['line']}" + (f" ({row['source_text']})" if row["source_text"] else "")
        tables["measures"].append(
            {
                "measure_id": measure_id,
                "municipality_code": code,
                "title": row["measure"],
                "description": row["description"],
                "committee_id": committee_id,
                "area_label": None,
                "primary_area": row["area"],
                "area_basis": "dokument" if row["area"] else None,
                "direction": None,
                "districts": None,
                "status": row["status"],
                "requested_sek": row["requested"],
                "requested_text": row["requested_text"] if row["requested"] is not None else None,
                "source_document": document_id,
                "source_section": section,
                "interpretation": f"Område enligt filen: {row['area_label']}"
                if row["area_label"] and row["area_label"] != row["area"]
                else None,
            }
        )
        tables["allocations"].append(
            {
                "allocation_id": f"imp-{stamp}-a{row['line']}",
                "frame_id": frames[frame_key],
                "year": row["year"],
                "measure_id": measure_id,
                "committee_id": None,
                "priority_area": None,
                "amount_sek": row["amount"],
                "status": None,
                "source_document": document_id,
                "source_section": section,
                "note": None,
            }
        )
    frames_out = {
        k: (pd.DataFrame(v, columns=_empty(k).columns) if v else _empty(k)) for k, v in tables.items()
    }
    shown = pd.DataFrame(
        {
            "Rad": [r["line"] for r in good],
            "Kommun": [r["municipality"] for r in good],
            "År": [r["year"] for r in good],
            "Finansieringskälla": [r["source"] for r in good],
            "Nämnd": [r["committee"] for r in good],
            "Insats": [r["measure"] for r in good],
            "Område": [r["area"] for r in good],
            "Belopp (kr)": [r["amount"] for r in good],
            "Status": [r["status"] for r in good],
        }
    )
    by_area = (
        shown.groupby(shown["Område"].fillna("Inget område angivet"), dropna=False)["Belopp (kr)"]
        .sum(min_count=1)
        .reset_index()
    )
    by_committee = (
        shown.groupby(shown["Nämnd"].fillna("Ingen nämnd angiven"))["Belopp (kr)"]
        .sum(min_count=1)
        .reset_index()
    )
    findings = []
    for code, year, source in frames:
        amount = frame_amounts.get((code, year, source), (None, 0))[0]
        lines = [r for r in good if (r["code"], r["year"], r["source"]) == (code, year, source)]
        total = sum(r["amount"] or 0 for r in lines)
        unknown = sum(r["amount"] is None for r in lines)
        label = f"{lines[0]['municipality']} {year}, {source}"
        if amount is not None and total > amount:
            findings.append(
                f"{label}: raderna summerar till {fmt.sek(total)}, ramen är {fmt.sek(amount)} "
                f"({fmt.sek(total - amount)} för mycket)."
            )
        elif amount is not None and total < amount:
            findings.append(
                f"{label}: {fmt.sek(amount - total)} av ramen ({fmt.sek(amount)}) är inte fördelat."
            )
        if unknown:
            findings.append(
                f"{label}: {fmt.count_phrase(unknown, 'rad saknar', 'rader saknar')} belopp (okänt, inte noll)."
            )
    years = sorted({(r["code"], r["municipality"], r["year"]) for r in good})
    return Preview(name, shown, by_area, by_committee, findings, frames_out, years)


# ------------------------------------------------------------------ writing


def conflicts(db: Database, preview: Preview) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(bundled, imported): municipality-years in the file that already have data. Bundled data counts
    per funding source: importing Malmö 2022 KS anslag leaves Malmö 2022 Socialstyrelsen as it is."""
    cur = db.con.cursor()
    bundled, imported = [], []
    for code, name, year, source in _frame_years(preview):
        params = {"code": code, "year": year, "source": source}
        condition = "municipality_code = $code and $year between year_from and year_to"
        sql = f"select count(*) from bundled.frames where {condition} and funding_source = $source"
        if cur.execute(sql, params).fetchone()[0] and (name, year) not in bundled:
            bundled.append((name, year))
    for code, name, year in preview.municipality_years:
        params = {"code": code, "year": year}
        condition = "municipality_code = $code and $year between year_from and year_to"
        if cur.execute(f"select count(*) from imported.frames where {condition}", params).fetchone()[0]:
            imported.append((name, year))
    return bundled, imported


def _frame_years(preview: Preview) -> list[tuple[str, str, int, str]]:
    """(code, name, year, funding source) for every frame-year the file brings."""
    names = {code: name for code, name, _ in preview.municipality_years}
    frames = preview.tables.get("frames")
    if frames is None or frames.empty:
        return []
    out = []
    for row in frames.itertuples():
        for year in range(int(row.year_from), int(row.year_to) + 1):
            item = (row.municipality_code, names.get(row.municipality_code, row.municipality_code), year)
            out.append((*item, row.funding_source))
    return sorted(set(out))


def commit(db: Database, preview: Preview, *, replace: bool = False, author: str = "") -> str:
    """Write the preview in one transaction. Data that is already there for the same municipality and
    year (imported before, or bundled from the documents for the same funding source) is replaced only
    with replace=True; bundled frame-years are hidden, not deleted, and everything comes back exactly
    with undo_last()."""
    bundled, imported = conflicts(db, preview)
    if (bundled or imported) and not replace:
        parts = []
        if bundled:
            parts.append(
                "Källdokumentens data för "
                + ", ".join(f"{n} {y}" for n, y in bundled)
                + " ersätts av filens rader"
            )
        if imported:
            parts.append("Det finns redan importerad data för " + ", ".join(f"{n} {y}" for n, y in imported))
        raise ReplaceNeeded(
            ". ".join(parts)
            + ". Bekräfta att den ska ersättas; det gamla kan återställas med ”Ångra senaste import”."
        )
    import_id = uuid.uuid4().hex[:12]
    with db.transaction() as cur:
        _ensure_log(cur)
        cur.execute("create schema if not exists imported_undo")
        for table in (*(t.name for t in TABLES), "replaced"):
            cur.execute(f"create or replace table imported_undo.{table} as select * from imported.{table}")
        for code, _name, year in preview.municipality_years:
            _delete_municipality_year(cur, code, year)
        for code, _name, year, source in _frame_years(preview):
            if (_name, year) in bundled:
                cur.execute(
                    "delete from imported.replaced where municipality_code = $c and year = $y "
                    "and funding_source = $s",
                    {"c": code, "y": year, "s": source},
                )
                cur.execute(
                    "insert into imported.replaced select $c, $y, $s, $id, $file, $at "
                    "where exists (select 1 from bundled.frames where municipality_code = $c "
                    "and $y between year_from and year_to and funding_source = $s)",
                    {
                        "c": code,
                        "y": year,
                        "s": source,
                        "id": import_id,
                        "file": preview.file,
                        "at": utc_now(),
                    },
                )
        for table, frame in preview.tables.items():
            if len(frame):
                cur.register("incoming", frame.astype(object).where(frame.notna(), None))
                cur.execute(f"insert into imported.{table} by name select * from incoming")
                cur.unregister("incoming")
        build.refresh_models(cur)
        cur.execute(
            "insert into app.imports values ($id, $file, $author, $at, $rows, $what)",
            {
                "id": import_id,
                "file": preview.file,
                "author": author or "okänd",
                "at": utc_now(),
                "rows": len(preview.rows),
                "what": "import som ersätter källdokumentens data" if bundled else "import",
            },
        )
    db.forget_version()
    return import_id


def _delete_municipality_year(cur, code: str, year: int) -> None:
    frames = [
        r[0]
        for r in cur.execute(
            "select frame_id from imported.frames where municipality_code = $c and $y between year_from and year_to",
            {"c": code, "y": year},
        ).fetchall()
    ]
    for frame_id in frames:
        measures = [
            r[0]
            for r in cur.execute(
                "select measure_id from imported.allocations where frame_id = $f and measure_id is not null",
                {"f": frame_id},
            ).fetchall()
        ]
        cur.execute("delete from imported.allocations where frame_id = $f", {"f": frame_id})
        cur.execute("delete from imported.measures where list_contains($m, measure_id)", {"m": measures})
        cur.execute("delete from imported.frames where frame_id = $f", {"f": frame_id})


def _ensure_log(cur) -> None:
    cur.execute("create schema if not exists app")
    cur.execute(
        "create table if not exists app.imports (import_id varchar, file varchar, author varchar, "
        "logged_at timestamp, rows bigint, action varchar)"
    )


def undo_last(db: Database, author: str = "") -> bool:
    """Put back the imported data as it was before the last import. False if there is nothing to undo."""
    with db.transaction() as cur:
        exists = cur.execute(
            "select count(*) from information_schema.tables where table_schema = 'imported_undo'"
        ).fetchone()[0]
        if not exists:
            return False
        _ensure_log(cur)
        for table in (*(t.name for t in TABLES), "replaced"):
            if cur.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'imported_undo' and table_name = $t",
                {"t": table},
            ).fetchone()[0]:
                cur.execute(f"delete from imported.{table}")
                cur.execute(f"insert into imported.{table} select * from imported_undo.{table}")
        cur.execute("drop schema imported_undo cascade")
        build.refresh_models(cur)
        cur.execute(
            "insert into app.imports values ($id, '', $author, $at, 0, 'ångrade senaste import')",
            {
                "id": uuid.uuid4().hex[:12],
                "author": author or "okänd",
                "at": utc_now(),
            },
        )
    db.forget_version()
    return True


# ------------------------------------------------------------------ template


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(db: Database) -> bytes:
    from insatskollen import exports

    cur = db.con.cursor()
    allowed = pd.DataFrame(
        {
            "Område": pd.Series(
                [
                    r[0]
                    for r in cur.execute(
                        "select priority_area from main.priority_areas order by sort_order"
                    ).fetchall()
                ]
            ),
            "Status": pd.Series(
                [r[0] for r in cur.execute("select status from main.statuses order by sort_order").fetchall()]
            ),
            "Finansieringskälla": pd.Series(
                [r[0] for r in cur.execute("select funding_source from main.funding_sources").fetchall()]
            ),
        }
    )
    return exports.to_xlsx(
        {"Insatser": pd.DataFrame([TEMPLATE_EXAMPLE], columns=TEMPLATE_HEADERS), "Tillåtna värden": allowed}
    )
