"""Validate the CSVs in `data/` and write them into a new read-store file (see read_store.py).

Steps:
1. stage every CSV as text in a temp table (`stg_<table>`) with its 1-based line number;
2. validate types, required values, keys, references, allowed values and cross-table rules,
   collecting every problem;
3. if there is none, write one typed table per CSV plus `build_info` into the file's `main` schema.

The file is new and private until read_store publishes it, so a failure changes nothing anyone sees.
Imported rows and saved work live in the working store and are never touched by a build. The model
tables, macros and documented views are made per process over the published file (`refresh_models`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from insatskollen.core import table_types
from insatskollen.core.errors import DataError, Problem
from insatskollen.core.schema import TABLES
from insatskollen.core.table_types import DATE_TEXT, DECIMAL, INT, Table

SQL_DIR = Path(__file__).resolve().parents[2] / "queries" / "model"
DATA_SCHEMAS = ("bundled", "imported")


@dataclass(frozen=True)
class BuildResult:
    data_version: str
    row_counts: dict[str, int]


def data_version(data_dir: Path) -> str:
    """A short content hash of the bundled CSVs; scenarios record which data they used."""
    digest = hashlib.sha256()
    for table in TABLES:
        path = data_dir / table.file
        digest.update(table.file.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


def build(con: duckdb.DuckDBPyConnection, data_dir: Path) -> BuildResult:
    """Validate `data_dir` and write its tables into `con` (a new, empty file); raise DataError if invalid."""
    data_dir = Path(data_dir)
    version = data_version(data_dir)
    problems = _stage(con, data_dir)
    if problems:
        raise DataError(problems, heading=f"Datan i {data_dir} är ogiltig")
    problems = _validate(con, _display_prefix(data_dir))
    if problems:
        raise DataError(problems, heading=f"Datan i {data_dir} är ogiltig")
    counts = _write_tables(con, version)
    return BuildResult(version, counts)


def _display_prefix(data_dir: Path) -> str:
    """How files are named in messages: relative to the working directory when possible."""
    try:
        shown = data_dir.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = data_dir
    return f"{shown}/"


# ---------------------------------------------------------------- staging


def _stage(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    for table in TABLES:
        path = data_dir / table.file
        name = _display_prefix(data_dir) + table.file
        if not path.exists():
            problems.append(Problem(name, None, None, None, "filen saknas"))
            continue
        header_problem = _check_header(path, name, table)
        if header_problem:
            problems.append(header_problem)
            continue
        columns = {c: "varchar" for c in table.column_names}
        try:
            con.execute(
                f"create or replace temp table stg_{table.name} as "
                "select (row_number() over () + 1)::bigint as _line, * from read_csv($path, "
                "header = true, auto_detect = false, columns = $columns, delim = ',', "
                "quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8')",
                {"path": str(path), "columns": columns},
            )
        except duckdb.Error as exc:
            problems.append(_csv_problem(name, exc))
    return problems


def _check_header(path: Path, name: str, table: Table) -> Problem | None:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        return Problem(name, None, None, None, "filen är inte kodad som UTF-8")
    header = [h.lstrip("\ufeff") for h in header]
    if header != table.column_names:
        missing = [c for c in table.column_names if c not in header]
        extra = [c for c in header if c not in table.column_names]
        detail = []
        if missing:
            detail.append("saknas: " + ", ".join(missing))
        if extra:
            detail.append("okända: " + ", ".join(extra))
        if not detail:
            detail.append("ordningen ska vara " + ", ".join(table.column_names))
        return Problem(
            name,
            1,
            None,
            ",".join(header),
            "kolumnrubrikerna " + ", ".join(table.column_names) + " (" + "; ".join(detail) + ")",
        )
    return None


def _csv_problem(name: str, exc: Exception) -> Problem:
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    cols = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if cols:
        expected = f"{cols.group(1)} fält per rad (raden har {cols.group(2)})"
    elif "unicode" in text.lower() or "utf" in text.lower():
        expected = "filen är inte kodad som UTF-8"
    else:
        expected = "raden är inte giltig CSV (kontrollera citattecken och kommatecken)"
    return Problem(
        name, int(line.group(1)) if line else None, None, None, "filen kunde inte läsas: " + expected
    )


# ---------------------------------------------------------------- validation


def _rows(con, sql: str, params: dict | None = None) -> list[tuple]:
    return con.execute(sql, params or {}).fetchall()


def _validate(con: duckdb.DuckDBPyConnection, prefix: str) -> list[Problem]:
    problems: list[Problem] = []
    for table in TABLES:
        problems += _validate_table(con, table, prefix)
    if not problems:
        problems += _validate_across(con, prefix)
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or ""))


def _validate_table(con, table: Table, prefix: str) -> list[Problem]:
    stg = f"stg_{table.name}"
    name = prefix + table.file
    found: list[Problem] = []

    def collect(sql: str, column: str, expected: str, params: dict | None = None) -> None:
        for line, value in _rows(con, sql, params):
            found.append(Problem(name, line, column, value, expected))

    # Row-local checks are first tested together in one scan of the table; each is run on its own,
    # to name the lines and the rule, only if that scan finds something. On valid data (the usual
    # case, and a million lines at national scale) that is one query per table instead of dozens.
    local = _row_local_checks(table)
    params = {f"p{i}": check[3] for i, check in enumerate(local) if check[3] is not None}
    any_bad = " or ".join(f"coalesce(({check[0]}), false)" for check in local)
    if any_bad and _rows(con, f"select 1 from {stg} where {any_bad} limit 1", params):
        for i, (condition, value, column, choices, expected) in enumerate(local):
            collect(
                f"select _line, {value} from {stg} where coalesce(({condition}), false)",
                column,
                expected,
                {f"p{i}": choices} if choices is not None else None,
            )
    for col in table.columns:
        if col.ref:
            ref_table, ref_col = col.ref
            c = f'"{col.name}"'
            bad = _rows(
                con,
                f"select s._line, s.{c} from {stg} s where s.{c} is not null and s.{c} not in "
                f'(select "{ref_col}" from stg_{ref_table} where "{ref_col}" is not null)',
            )
            if bad:
                examples = _rows(
                    con,
                    f'select distinct "{ref_col}" from stg_{ref_table} where "{ref_col}" is not null '
                    f'order by "{ref_col}" limit 9',
                )
                hint = ", ".join(f'"{a[0]}"' for a in examples[:8])
                more = " …" if len(examples) > 8 else ""
                expected = f"ett värde som finns i {prefix}{ref_table}.csv ({ref_col}), t.ex. {hint}{more}"
                found += [Problem(name, line, col.name, value, expected) for line, value in bad]
    key = ", ".join(f"coalesce(\"{k}\", '')" for k in table.key)
    duplicated = _rows(con, f"select 1 from {stg} group by {key} having count(*) > 1 limit 1")
    if duplicated:
        collect(
            f"select _line, concat_ws(' / ', {', '.join(chr(34) + k + chr(34) for k in table.key)}) "
            f"from (select *, count(*) over (partition by {key}) as n from {stg}) where n > 1",
            "/".join(table.key),
            "ett unikt värde på " + ", ".join(table.key) + " (det förekommer flera gånger)",
        )
    for condition, message, column in table.row_checks:
        try:
            collect(
                f'select _line, "{column}" from {stg} where coalesce(({_typed(table, condition)}), false)',
                column,
                message,
            )
        except duckdb.Error:
            continue  # a type error in this row is already reported above
    return found


def _row_local_checks(table: Table) -> list[tuple[str, str, str, list | None, str]]:
    """(condition that is true for a bad row, value to show, column, allowed values or None, expected)."""
    checks = []
    for col in table.columns:
        c = f'"{col.name}"'
        if col.required:
            checks.append((f"{c} is null", "null", col.name, None, "värde saknas (kolumnen är obligatorisk)"))
        checks.append(
            (
                f"{c} <> trim({c}) or regexp_matches({c}, '[\\r\\n]')",
                c,
                col.name,
                None,
                "text utan inledande eller avslutande blanksteg och utan radbrytning",
            )
        )
        if col.type == INT:
            condition = f"{c} is not null and try_cast({c} as bigint) is null"
            checks.append((condition, c, col.name, None, table_types.EXPECTED_SV[INT]))
        elif col.type == DECIMAL:
            condition = f"{c} is not null and try_cast({c} as double) is null"
            checks.append((condition, c, col.name, None, table_types.EXPECTED_SV[DECIMAL]))
        elif col.type == DATE_TEXT:
            condition = (
                f"{c} is not null and not (regexp_full_match({c}, '[0-9]{{4}}') "
                f"or try_cast({c} as date) is not null)"
            )
            checks.append((condition, c, col.name, None, table_types.EXPECTED_SV[DATE_TEXT]))
        if col.min_value is not None or col.max_value is not None:
            cast = "double" if col.type == DECIMAL else "bigint"
            low = col.min_value if col.min_value is not None else "-1e18"
            high = col.max_value if col.max_value is not None else "1e18"
            condition = f"try_cast({c} as {cast}) not between {low} and {high}"
            checks.append((condition, c, col.name, None, _range_text(col.min_value, col.max_value)))
        if col.choices:
            index = len(checks)
            checks.append(
                (
                    f"{c} is not null and not list_contains($p{index}, {c})",
                    c,
                    col.name,
                    list(col.choices),
                    "ett av värdena " + ", ".join(f'"{x}"' for x in col.choices),
                )
            )
    return checks


def _typed(table: Table, condition: str) -> str:
    """Cast numeric columns inside a row-check condition so comparisons are numeric."""
    for col in table.columns:
        if col.type in (INT, DECIMAL):
            cast = "bigint" if col.type == INT else "double"
            condition = re.sub(rf"\b{col.name}\b", f'try_cast("{col.name}" as {cast})', condition)
    return condition


def _range_text(low, high) -> str:
    if low is not None and high is not None:
        return f"ett värde mellan {low} och {high}"
    if low is not None:
        return f"ett värde som är minst {low}"
    return f"ett värde som är högst {high}"


CROSS_CHECKS = (
    # (file, column, sql returning (_line, value), message)
    (
        "measures",
        "area_label",
        """select m._line, m.area_label from stg_measures m
           where m.area_label is not null and not exists (
             select 1 from stg_area_labels l where l.label = m.area_label
               and (l.municipality_code is null or l.municipality_code = m.municipality_code))""",
        "ett områdesnamn som finns i area_labels.csv för kommunen",
    ),
    (
        "measures",
        "primary_area",
        """select m._line, m.primary_area from stg_measures m
           join stg_area_labels l on l.label = m.area_label
             and (l.municipality_code is null or l.municipality_code = m.municipality_code)
           where m.primary_area is distinct from l.priority_area""",
        "det nationella område som area_label motsvarar i area_labels.csv",
    ),
    (
        "measures",
        "committee_id",
        """select m._line, m.committee_id from stg_measures m join stg_committees c using (committee_id)
           where c.municipality_code <> m.municipality_code""",
        "en nämnd i samma kommun som insatsen",
    ),
    (
        "measures",
        "direction",
        """select m._line, m.direction from stg_measures m where m.direction is not null and not exists (
             select 1 from stg_directions d where d.direction = m.direction
               and d.municipality_code = m.municipality_code)""",
        "en inriktning som finns i directions.csv för kommunen",
    ),
    (
        "model_cells",
        "direction",
        """select m._line, m.direction from stg_model_cells m where not exists (
             select 1 from stg_directions d where d.direction = m.direction
               and d.municipality_code = m.municipality_code)""",
        "en inriktning som finns i directions.csv för kommunen",
    ),
    (
        "frame_rules",
        "budget_line",
        """select r._line, r.budget_line from stg_frame_rules r join stg_frames f using (frame_id)
           where r.budget_line is not null and not exists (
             select 1 from stg_area_labels l where l.label = r.budget_line
               and (l.municipality_code is null or l.municipality_code = f.municipality_code))""",
        "en budgetrad som finns i area_labels.csv för ramens kommun",
    ),
    (
        "allocations",
        "measure_id",
        """select a._line, a.measure_id from stg_allocations a join stg_frames f using (frame_id)
           join stg_measures m using (measure_id) where m.municipality_code <> f.municipality_code""",
        "en insats i samma kommun som ramen",
    ),
    (
        "allocations",
        "committee_id",
        """select a._line, a.committee_id from stg_allocations a
           join stg_committees c on c.committee_id = a.committee_id
           join stg_frames f on f.frame_id = a.frame_id
           where a.committee_id is not null and c.municipality_code <> f.municipality_code""",
        "en nämnd i samma kommun som ramen",
    ),
    (
        "allocations",
        "year",
        """select a._line, a.year from stg_allocations a join stg_frames f using (frame_id)
           where a.year is not null and a.year::bigint not between f.year_from::bigint and f.year_to::bigint""",
        "ett år inom ramens år",
    ),
    (
        "frame_year_basis",
        "year",
        """select b._line, b.year from stg_frame_year_basis b join stg_frames f using (frame_id)
           where b.year::bigint not between f.year_from::bigint and f.year_to::bigint""",
        "ett år inom ramens år",
    ),
    (
        "stated_totals",
        "year",
        """select t._line, t.year from stg_stated_totals t join stg_frames f using (frame_id)
           where t.year is not null and t.year::bigint not between f.year_from::bigint and f.year_to::bigint""",
        "ett år inom ramens år",
    ),
)


def _validate_across(con, prefix: str) -> list[Problem]:
    problems = []
    for table, column, sql, message in CROSS_CHECKS:
        for line, value in _rows(con, sql):
            problems.append(Problem(f"{prefix}{table}.csv", line, column, value, message))
    return problems


# ---------------------------------------------------------------- replace


def cast_select(table: Table) -> str:
    parts = []
    for col in table.columns:
        sql_type = table_types.SQL_TYPES[col.type]
        parts.append(f'cast("{col.name}" as {sql_type}) as "{col.name}"')
    return ", ".join(parts)


def _write_tables(con, version: str) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        con.execute(f"create table main.{table.name} as select {cast_select(table)} from stg_{table.name}")
        counts[table.name] = con.execute(f"select count(*) from stg_{table.name}").fetchone()[0]
        con.execute(f"drop table stg_{table.name}")
    con.execute(
        "create table main.build_info as select $version as data_version, $at as built_at",
        {"version": version, "at": datetime.now(UTC).replace(microsecond=0).isoformat()},
    )
    return counts


def model_version() -> str:
    """A short hash of the model SQL (insatskollen/sql/): a database made by older code is refreshed."""
    digest = hashlib.sha256()
    for path in sorted(SQL_DIR.glob("*.sql")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


MODEL_TABLES = ("frame_year", "allocation", "measure_overview")
MODEL_ORDER = {
    "frame_year": "municipality, year, frame_id",
    "allocation": "municipality, year, allocation_id",
    "measure_overview": "municipality, year_from, measure_id",
}
DRIVING_TABLES = ("frames", "allocations", "measures")  # one model row comes from one row of these


def _sql_files(numbers: tuple[str, ...]) -> list[Path]:
    return [p for p in sorted(SQL_DIR.glob("*.sql")) if p.name[:2] in numbers]


def union_views(con: duckdb.DuckDBPyConnection, only_imported: tuple[str, ...] = ()) -> None:
    """main.<table> = bundled ∪ imported for every data table; the tables in `only_imported` show the
    imported rows alone (to compute the model of the imported rows by themselves)."""
    for table in TABLES:
        sql = f"select * from imported.{table.name}"
        if table.name not in only_imported:
            sql = f"select * from bundled.{table.name} union all by name " + sql
        con.execute(f"create or replace view main.{table.name} as {sql}")


def model_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise model.frame_year, model.allocation and model.measure_overview (sql/01–03) from main.*."""
    model_tables_from(con, "01", "02", "03")


def model_tables_from(con: duckdb.DuckDBPyConnection, *numbers: str) -> None:
    """Run some of the model SQL files (e.g. only 03, measure_overview, over model tables already there)."""
    con.execute("create schema if not exists model")
    for path in _sql_files(numbers):
        con.execute(path.read_text(encoding="utf-8"))


def macros_and_views(con: duckdb.DuckDBPyConnection) -> None:
    """The filter macros and the documented views over model.* (sql/04–06, 06: follow_up)."""
    for path in _sql_files(("04", "05", "06")):
        con.execute(path.read_text(encoding="utf-8"))


def refresh_models(con: duckdb.DuckDBPyConnection) -> None:
    """Everything over `bundled` and `imported`, computed in full: the union views, the model tables,
    the macros and the documented views."""
    union_views(con)
    model_tables(con)
    macros_and_views(con)
    con.execute("create or replace table model.version as select $v as model_version", {"v": model_version()})


def precompute_models(con: duckdb.DuckDBPyConnection) -> None:
    """Store the model tables of the bundled data alone in the new read-store file (attached writable as
    `bundled`): a process with no imported rows reads them in place instead of computing a copy in memory."""
    con.execute("create schema imported")
    for table in TABLES:
        con.execute(f"create table imported.{table.name} as select * from bundled.{table.name} where false")
    refresh_models(con)
    for name in MODEL_TABLES:  # stored by municipality: DuckDB then skips the row groups of every other
        order = MODEL_ORDER[name]  # municipality (its zone maps), whatever order the files came in
        con.execute(f"create table bundled.model_{name} as select * from model.{name} order by {order}")
    con.execute("create table bundled.model_version as select * from model.version")
