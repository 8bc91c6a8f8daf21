"""The model tables, macros and documented views over `bundled` and `imported` (queries/model/).

A build precomputes the model of the bundled data into the new read-store file (`precompute_models`). A
snapshot then either reads it in place (no imported rows) or puts the model of the imported rows beside
it (`snapshot_models`), leaving out the bundled frame-years an import replaced.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from insatskollen.core.schema import TABLES
from insatskollen.store import queries
from insatskollen.store.working.indicators import INDICATORS_KEY

SQL_DIR = queries.QUERY_DIR / "model"
MODEL_TABLES = ("frame_year", "allocation", "measure_overview")
DRIVING_TABLES = ("frames", "allocations", "measures")  # one model row comes from one row of these


def model_version() -> str:
    """A short hash of the model SQL (queries/model/): a database made by older code is refreshed."""
    digest = hashlib.sha256()
    for path in sorted(SQL_DIR.glob("*.sql")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sql_files(numbers: tuple[str, ...]) -> list[Path]:
    """The numbered model SQL files (01_frame_year.sql …) whose number is in `numbers`, in order."""
    return [p for p in sorted(SQL_DIR.glob("*.sql")) if p.name[:2] in numbers]


def imported_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The `imported` schema: an empty copy of every bundled table, the replaced frame-years, the
    follow-up reports and the Kolada values (model/00_imported.sql)."""
    con.execute(queries.statement("model/00_imported"))
    for table in TABLES:
        con.execute(queries.statement("model/imported_table", table=table.name))


def union_views(con: duckdb.DuckDBPyConnection, only_imported: tuple[str, ...] = ()) -> None:
    """main.<table> = bundled ∪ imported for every data table; the tables in `only_imported` show the
    imported rows alone (to compute the model of the imported rows by themselves)."""
    for table in TABLES:
        view = "model/imported_view" if table.name in only_imported else "model/union_view"
        con.execute(queries.statement(view, table=table.name))


def model_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise model.frame_year, model.allocation and model.measure_overview (model/01–03) from main.*."""
    model_tables_from(con, "01", "02", "03")


def model_tables_from(con: duckdb.DuckDBPyConnection, *numbers: str) -> None:
    """Run some of the model SQL files (e.g. only 03, measure_overview, over model tables already there;
    01 makes the schema)."""
    for path in sql_files(numbers):
        con.execute(path.read_text(encoding="utf-8"))


def macros_and_views(con: duckdb.DuckDBPyConnection) -> None:
    """The filter macros and the documented views over model.* (model/04–07: the filter macro, the views,
    follow_up, indicator_values, plan_chain)."""
    for path in sql_files(("04", "05", "06", "07", "08")):
        con.execute(path.read_text(encoding="utf-8"))


def refresh_models(con: duckdb.DuckDBPyConnection) -> None:
    """Everything over `bundled` and `imported`, computed in full: the union views, the model tables,
    the macros and the documented views."""
    union_views(con)
    model_tables(con)
    macros_and_views(con)
    con.execute(queries.statement("model/version"), {"v": model_version()})


def precompute_models(con: duckdb.DuckDBPyConnection) -> None:
    """Store the model tables of the bundled data alone in the new read-store file (attached writable as
    `bundled`): a process with no imported rows reads them in place instead of computing a copy in memory."""
    imported_tables(con)
    refresh_models(con)
    con.execute(queries.statement("model/precompute"))


def snapshot_models(con: duckdb.DuckDBPyConnection, imported: dict[str, pd.DataFrame]) -> None:
    """model.frame_year, model.allocation and model.measure_overview for this snapshot.

    With no imported rows they are views over the tables precomputed in the published file: nothing is
    copied, so a process holds no second copy of a national data set. With imported rows, the model of
    the imported rows alone is computed in memory (a few thousand rows) and put beside the precomputed
    one; bundled frame-years an import replaced are left out, and the measures that had lines in them
    are summarised again."""
    rows = any(
        len(frame)
        for name, frame in imported.items()
        if name not in ("replaced", "follow_up", INDICATORS_KEY)
    )
    replaced = len(imported.get("replaced", ())) > 0
    union_views(con)
    if not rows and not replaced:
        con.execute(queries.statement("model/precomputed_views"))
        macros_and_views(con)
        return
    # the imported rows' own model, from the imported frames, lines and measures alone
    union_views(con, only_imported=DRIVING_TABLES)
    model_tables(con)
    con.execute(queries.statement("model/imported_model"))
    union_views(con)
    if not replaced:
        con.execute(queries.statement("model/combined_model"))
    else:
        # bundled measures with lines in a replaced frame-year: summarised again over what is left
        con.execute(queries.statement("model/replaced_model"))
        model_tables_from(con, "03")
        con.execute(queries.statement("model/resummarised"))
        union_views(con)
        con.execute(queries.statement("model/replaced_measure_overview"))
    macros_and_views(con)
