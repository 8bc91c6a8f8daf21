"""Import of a municipality's plan chain (issue 26): its lägesbild problems with the indicator that shows
them, its goals per area and which measures answer which goal. One row is one link of the chain: Kommun,
Område, Problem, Indikator, Mål, Insats-id (an id or the measure's name). Steps 2 and 3 of the import for a
plan file: its header is recognised (`is_plan`), every row validated with all problems at once, and a
PlanPreview built with the rows for plan_problems, plan_goals, plan_goal_measures, indicators and the file's
documents row. Writing is committer.commit_plan (a newer plan of a municipality supersedes its earlier
imported one; undone like every import). Nothing here writes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.errors import DataError, Problem
from insatskollen.core.schema import IMPORTED_DOCUMENT
from insatskollen.core.source_names import norm
from insatskollen.ingest import headers
from insatskollen.ingest.cells import MAX_TEXT, RowChecker, suggestion
from insatskollen.ingest.reference import municipality_directory, reference, resolve_municipality
from insatskollen.store.db import Database

ALIASES = {
    "kommun": "municipality",
    "municipality": "municipality",
    "kommunkod": "municipality_code",
    "municipality code": "municipality_code",
    "område": "area",
    "prioriterat område": "area",
    "area": "area",
    "problem": "problem",
    "lägesbild": "problem",
    "problem i lägesbilden": "problem",
    "indikator": "indicator",
    "indicator": "indicator",
    "mål": "goal",
    "delmål": "goal",
    "goal": "goal",
    "insats-id": "measure",
    "insatsid": "measure",
    "insats": "measure",
    "measure id": "measure",
    "measure": "measure",
}
# Headers only a plan file has (the measures template has Insats and Område, never Mål, Problem or
# Indikator), also without å, ä and ö: "Mal" is a plan file's misspelt Mål, told as such
PLAN_MARKERS = {
    "mål",
    "mal",
    "delmål",
    "delmal",
    "goal",
    "problem",
    "lägesbild",
    "lagesbild",
    "indikator",
    "indicator",
}
TEMPLATE_HEADERS = ["Kommun", "Område", "Problem", "Indikator", "Mål", "Insats-id"]
# Cannot be imported by mistake: "EXEMPEL" is not a municipality.
TEMPLATE_EXAMPLE = [
    "EXEMPEL (skriv er kommun)",
    "Brottslighet",
    "Otryggt i centrum på kvällstid",
    "N07403 Anmälda våldsbrott",
    "Ökad trygghet i centrum",
    "Namnet eller id:t på en av kommunens insatser",
]
SHOWN_COLUMNS = ["Rad", "Kommun", "Område", "Problem", "Indikator", "Mål", "Insats"]
MAX_ROWS = 500  # rows of one plan file (lägesbild, mål, kopplingar): a municipality's plan is tens
TABLES = ("documents", "plan_problems", "plan_goals", "plan_goal_measures", "indicators")


@dataclass
class PlanPreview:
    file: str
    rows: pd.DataFrame  # what will be imported, Swedish column names (SHOWN_COLUMNS)
    tables: dict[str, pd.DataFrame]  # rows for imported.<table>
    municipalities: list[tuple[str, str]]  # (code, name) whose earlier imported plan this one replaces
    findings: list[str]
    kind: str = "plan"
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None


def is_plan(header: list) -> bool:
    """A plan file has a column Mål, Problem or Indikator (or another name for one), which no other file has."""
    return bool({norm(h) for h in header} & PLAN_MARKERS)


def check_header(name: str, header: list, body: list) -> dict[str, int]:
    """The file's columns (canonical -> index); DataError with every header problem at once."""
    unknown = headers.template_expectation("planmallen", TEMPLATE_HEADERS)
    columns, problems = headers.map_header(name, header, ALIASES, unknown)
    if "municipality" not in columns and "municipality_code" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Kommun” saknas"))
    if "area" not in columns:
        problems.append(Problem(name, 1, None, None, "kolumnen ”Område” saknas"))
    if "goal" not in columns:
        problems.append(
            Problem(
                name,
                1,
                None,
                None,
                "kolumnen ”Mål” saknas (den får vara tom på en rad som bara beskriver ett problem)",
            )
        )
    headers.raise_header_problems(name, problems, body, "mål eller problem")
    return columns


def _areas(db: Database) -> tuple[dict, list[str]]:
    """(municipality code or None, the label as norm writes it) -> national area, and the labels to
    suggest from (the five national names first)."""
    national = list(reference(db, "priority_area")["value"])
    lookup = {(None, norm(a)): a for a in national}
    labels = reference(db, "area_label")
    for code, label, area in labels[["key", "value", "extra"]].itertuples(index=False, name=None):
        if isinstance(area, str):
            lookup[(code if isinstance(code, str) else None, norm(label))] = area
    return lookup, national


def _area_hint(value: str, areas: dict, national: list[str]) -> str:
    """'Trygghet' -> " Menade du 'Brottslighet'?": an area whose label holds the word, else the closest."""
    word = norm(value)
    for (_code, label), area in areas.items():
        if word and re.search(rf"\b{re.escape(word)}\b", label):
            return f" Menade du '{area}'?"
    return suggestion(value, national)


def validate_rows(db: Database, name: str, header, body, columns, delimiter: str | None = None) -> list[dict]:
    """Every row checked; the good rows, or DataError naming every problem (file, line, column, value,
    what was expected)."""
    known = dict(reference(db, "municipality")[["key", "value"]].itertuples(index=False, name=None))
    directory = municipality_directory(db, known)
    areas, national = _areas(db)
    items = db.query("follow_up_items")
    measures = items[items.kind == "measure"]
    by_id = {r.item_id: r for r in measures.itertuples()}
    by_title: dict[tuple[str, str], list] = {}
    for r in measures.itertuples():
        by_title.setdefault((r.municipality_code, norm(r.title)), []).append(r)
    checker = RowChecker(name, header, columns)
    problems, cell, problem = checker.problems, checker.cell, checker.problem
    good: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, row in body:
        if checker.wrong_fields(line, row, delimiter):
            continue
        before = len(problems)
        texts, refused = checker.texts(
            row,
            line,
            ("municipality", "municipality_code", "area", "problem", "indicator", "goal", "measure"),
            lambda _key: MAX_TEXT,
        )
        code, muni = "", ""
        if not refused & {"municipality", "municipality_code"}:
            code, muni = resolve_municipality(
                directory,
                cell(row, "municipality_code"),
                texts["municipality"],
                line,
                problem,
                suggest=not problems.full,
            )
            if code and code not in known:
                problem(
                    line,
                    "municipality" if "municipality" in columns else "municipality_code",
                    muni,
                    "en kommun som finns i datan: importera kommunens insatser och budgetar först, så att "
                    "målen har insatser att knytas till",
                )
                code = ""
        area = None
        if "area" not in refused:
            key = norm(texts["area"])
            # the municipality's own label, a national name, or a label another municipality uses
            anywhere = next((a for (_c, label), a in areas.items() if label == key), None)
            area = areas.get((code, key), areas.get((None, key), anywhere))
            if area is None:
                problem(
                    line,
                    "area",
                    texts["area"],
                    "ett av de nationella områdena ("
                    + ", ".join(national)
                    + ") eller kommunens eget namn på ett."
                    + ("" if problems.full else _area_hint(texts["area"], areas, national)),
                )
        if not texts["problem"] and not texts["goal"] and not refused & {"problem", "goal"}:
            problem(line, "goal", "", "ett mål, eller ett problem i kolumnen Problem")
        measure = None
        if texts["measure"] and "measure" not in refused and code:
            measure = by_id.get(texts["measure"])
            if measure is not None and measure.municipality_code != code:
                measure = None
            if measure is None:
                hits = by_title.get((code, norm(texts["measure"])), [])
                measure = hits[0] if len(hits) == 1 else None
            if measure is None:
                titles = [r.title for r in measures.itertuples() if r.municipality_code == code]
                problem(
                    line,
                    "measure",
                    texts["measure"],
                    f"en av kommunens insatser i datan ({muni}), med Insats-id eller insatsens namn."
                    + ("" if problems.full else suggestion(texts["measure"], titles)),
                )
            elif (
                not texts["goal"] and texts["problem"]
            ):  # without either, the row's one problem is said above
                problem(line, "goal", "", "målet som insatsen svarar mot (en insats knyts till ett mål)")
        if measure is not None and texts["goal"]:
            key = (code, norm(texts["goal"]), measure.item_id)
            if key in seen:
                problem(
                    line,
                    "measure",
                    texts["measure"],
                    f"en rad per mål och insats; ”{measure.title}” är knuten till målet på rad {seen[key]}",
                )
            else:
                seen[key] = line
        if len(problems) == before:
            good.append(
                {
                    "line": line,
                    "code": code,
                    "municipality": muni,
                    "area": area,
                    "area_label": texts["area"],
                    "problem": texts["problem"] or None,
                    "indicator": texts["indicator"] or None,
                    "goal": texts["goal"] or None,
                    "measure_id": measure.item_id if measure is not None else None,
                    "measure": measure.title if measure is not None else None,
                }
            )
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return good


def _existing_goals(db: Database, imported_too: bool) -> dict[tuple, str]:
    """(municipality code, area, goal as norm writes it) -> goal id of the goals in force: a row naming one
    links to it instead of adding the goal again. A plan file replaces the municipality's imported plan, so
    it links only to bundled goals; the form adds to what is there (`imported_too`)."""
    goals = db.query("plan_goal_ids")
    if not imported_too:
        goals = goals[~goals.imported.astype(bool)]
    return {(r.municipality_code, r.priority_area, norm(r.goal)): r.goal_id for r in goals.itertuples()}


def _tables(name: str, good: list[dict], existing: dict[tuple, str]) -> dict[str, pd.DataFrame]:
    """The rows of the imported tables: one documents row per municipality, a problem, goal and indicator
    each once per municipality and area, a link per goal and measure. Sources name the file and row. A goal
    in `existing` (_existing_goals) is linked to, not added."""
    stamp = uuid.uuid4().hex[:8]
    today = date.today().isoformat()
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    documents, problems, goals, indicators = {}, {}, {}, {}
    for row in good:
        code, area = row["code"], row["area"]
        section = f"rad {row['line']}"
        if code not in documents:
            documents[code] = f"import-{stamp}-{code}"
            out["documents"].append(
                {
                    "document_id": documents[code],
                    "municipality_code": code,
                    "date": today,
                    "title": f"Importerad planfil {name}",
                    "kind": IMPORTED_DOCUMENT,
                    "taken": f"Lägesbild, mål och insatser, importerade {today}",
                }
            )
        source = {"source_document": documents[code], "source_section": section}
        indicator_id = None
        if row["indicator"]:
            owner = row["goal"] or f"Lägesbild: {row['problem']}"
            key = (code, area, norm(owner), norm(row["indicator"]))
            if key not in indicators:
                indicators[key] = f"imp-{stamp}-i{len(indicators) + 1}"
                out["indicators"].append(
                    {
                        "indicator_id": indicators[key],
                        "municipality_code": code,
                        "area_label": row["area_label"],
                        "goal": owner,
                        "indicator": row["indicator"],
                        **source,
                    }
                )
            indicator_id = indicators[key]
        if row["problem"] and (code, area, norm(row["problem"])) not in problems:
            problems[(code, area, norm(row["problem"]))] = True
            out["plan_problems"].append(
                {
                    "problem_id": f"imp-{stamp}-p{len(problems)}",
                    "municipality_code": code,
                    "area_label": row["area_label"],
                    "priority_area": area,
                    "problem": row["problem"],
                    "indicator_id": indicator_id,
                    **source,
                }
            )
        if not row["goal"]:
            continue
        goal_key = (code, area, norm(row["goal"]))
        if goal_key in existing:
            goals.setdefault(goal_key, existing[goal_key])
        if goal_key not in goals:
            goals[goal_key] = f"imp-{stamp}-g{len(goals) + 1}"
            out["plan_goals"].append(
                {
                    "goal_id": goals[goal_key],
                    "municipality_code": code,
                    "area_label": row["area_label"],
                    "priority_area": area,
                    "goal": row["goal"],
                    "basis": "dokument",
                    **source,
                }
            )
        if row["measure_id"]:
            out["plan_goal_measures"].append(
                {
                    "goal_id": goals[goal_key],
                    "measure_id": row["measure_id"],
                    "municipality_code": code,
                    "basis": "dokument",
                    **source,
                }
            )
    return {table: pd.DataFrame(rows) for table, rows in out.items()}


def preview(db: Database, name: str, read, form: bool = False) -> PlanPreview:
    """Validate a read plan file and show what it will write; DataError when invalid. `form`: one row typed
    on the page, which adds to the municipality's plan instead of replacing its imported one."""
    columns = check_header(name, read.header, read.body)
    rows = sum(1 for _ in read.body)
    if rows > MAX_ROWS:  # a plan is tens of rows; the chain joins each area's problems onto its rows
        raise DataError(
            [
                Problem(
                    name, None, None, None, f"högst {MAX_ROWS} rader i en planfil, men filen har {rows} rader"
                )
            ],
            heading=f"Filen {name} kan inte importeras",
        )
    good = validate_rows(db, name, read.header, read.body, columns, read.delimiter)
    shown = pd.DataFrame(
        [
            [r["line"], r["municipality"], r["area"], r["problem"], r["indicator"], r["goal"], r["measure"]]
            for r in good
        ],
        columns=SHOWN_COLUMNS,
    )
    tables = _tables(name, good, _existing_goals(db, imported_too=form))
    municipalities = list(dict.fromkeys((r["code"], r["municipality"]) for r in good))
    findings = []
    if form:  # cited as the page and the day, not as a file's row
        for table in tables.values():
            if "source_section" in table:
                table["source_section"] = f"formuläret {date.today().isoformat()}"
        tables["documents"]["title"] = name
        return PlanPreview(name, shown, tables, municipalities, findings, kind="plan_form")
    earlier = db.query("plan_municipalities_imported")
    replaced = [muni for code, muni in municipalities if code in set(earlier.municipality_code)]
    if replaced:
        findings.append(
            "Ersätter den tidigare importerade planen för "
            + ", ".join(replaced)
            + ". Den gamla sparas och kommer tillbaka med ”Ångra senaste import”."
        )
    return PlanPreview(name, shown, tables, municipalities, findings)


def summary(preview: PlanPreview) -> str:
    """'3 rader (plan): 2 problem, 2 mål, 2 insatser knutna till mål, 2 indikatorer.'"""
    t = preview.tables

    def count(table: str) -> int:
        return len(t[table]) if table in t else 0

    return (
        f"{fmt.count_phrase(len(preview.rows), 'rad', 'rader')} (plan): "
        f"{fmt.count_phrase(count('plan_problems'), 'problem', 'problem')}, "
        f"{fmt.count_phrase(count('plan_goals'), 'mål', 'mål')}, "
        f"{fmt.count_phrase(count('plan_goal_measures'), 'insats knuten', 'insatser knutna')} till mål, "
        f"{fmt.count_phrase(count('indicators'), 'indikator', 'indikatorer')}."
    )
