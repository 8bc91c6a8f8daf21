"""Move saved work from the single DuckDB file of earlier versions (var/insatskollen.duckdb: scenarios
in schema `app`, imports in `imported`) into the working store, once, with nothing lost.

Scenarios keep their ids, names, authors, times, data versions, baselines, states, undo histories
and wastebasket state; their change logs keep every entry in order. The import log keeps every entry
as history. The imported rows in force and the replaced bundled frame-years become one import,
"flyttad från äldre databas", which can be undone like any other. The old file is read read-only and
left as it was.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import duckdb

from insatskollen.core.errors import DatabaseBusyError, DatabaseSettingError
from insatskollen.core.scenario_history import format1_to_2
from insatskollen.core.schema import TABLES
from insatskollen.store.working_store import WorkingStore, utc_now

LEGACY_NAME = "insatskollen.duckdb"
LOG = logging.getLogger(__name__)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def migrate_if_present(work: WorkingStore, path: Path) -> str | None:
    """Migrate `path` if it exists and was not migrated before; returns the summary, or None."""
    if not path.is_file():
        return None
    sha = _sha256(path)
    if work.legacy_done(sha):  # by content: a var folder moved or restored elsewhere is not moved in twice
        return None
    return migrate(work, path, sha)


def _tables(con, schema: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = $s", {"s": schema}
        ).fetchall()
    }


def _records(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def migrate(work: WorkingStore, path: Path, sha: str | None = None) -> str:
    """Read the old file read-only and write everything into the working store in one transaction."""
    sha = sha or _sha256(path)
    source = f"{path.resolve()} (sha256 {sha[:12]})"  # the same path may hold another file on another machine
    with path.open("rb") as handle:
        head = handle.read(12)
    if head[8:12] != b"DUCK":
        raise DatabaseSettingError(
            f"{path} är ingen DuckDB-databas, så sparat arbete från en äldre version kan inte flyttas över "
            "därifrån. Flytta undan filen (eller byt namn på den) och starta igen; ingenting har ändrats."
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseBusyError(
                f"Den äldre databasen {path} används av en annan process (troligen en äldre version av appen) "
                "och kan inte flyttas över nu. Stoppa den processen och starta igen; ingenting har ändrats."
            ) from error
        raise DatabaseSettingError(
            f"Den äldre databasen {path} kan inte läsas ({str(error).splitlines()[0]}). Flytta undan filen "
            "och starta igen; ingenting har ändrats."
        ) from error
    except duckdb.Error as error:
        raise DatabaseSettingError(
            f"Den äldre databasen {path} kan inte läsas ({str(error).splitlines()[0]}). Flytta undan filen "
            "och starta igen; ingenting har ändrats."
        ) from error
    try:
        app = _tables(con, "app")
        imported = _tables(con, "imported")
        scenarios = []
        if "scenarios" in app:
            history = "history_json" if "history_json" in _columns(con, "app", "scenarios") else "null"
            scenarios = _records(
                con,
                "select scenario_id, name, frame_id, year, author, comment, created_at, updated_at, data_version, "
                f"baseline_json, state_json, {history} as history_json, deleted_at from app.scenarios",
            )
        logs = []
        if "scenario_log" in app:
            logs = _records(
                con,
                "select scenario_id, logged_at, author, action, detail from app.scenario_log order by rowid",
            )
        old_imports = []
        if "imports" in app:
            old_imports = _records(
                con, "select import_id, file, author, logged_at, rows, action from app.imports order by rowid"
            )
        tables = {}
        for table in TABLES:
            if table.name in imported:
                rows = _records(con, f"select * from imported.{table.name}")
                if rows:
                    tables[table.name] = rows
        replaced = []
        if "replaced" in imported:
            replaced = _records(
                con,
                "select municipality_code, year, funding_source, import_id, file, replaced_at from imported.replaced",
            )
    finally:
        con.close()

    for row in scenarios:  # undo histories in today's format (steps, not copies), every step kept
        row["history_json"] = format1_to_2(row["history_json"], row["state_json"])
    import_id = f"legacy-{sha[:8]}"
    now = utc_now()
    import_rows = [
        {
            **r,
            "author": r["author"] or "okänd",
            "file": r["file"] or "",
            "rows": r["rows"] or 0,
            "undone_by": "legacy",
        }
        for r in old_imports
    ]
    imported_count = sum(len(v) for v in tables.values())
    if imported_count or replaced:
        import_rows.append(
            {
                "import_id": import_id,
                "file": path.name,
                "author": "flytt från äldre databas",
                "logged_at": now,
                "rows": len(tables.get("allocations", [])),
                "action": "import (flyttad från äldre databas)",
                "undone_by": None,
            }
        )
    for row in replaced:
        row["import_id"] = import_id
        row["file"] = row["file"] or path.name
        row["replaced_at"] = row["replaced_at"] or now
    summary = (
        f"{len(scenarios)} scenarier, {len(logs)} loggrader, {len(old_imports)} importloggrader, "
        f"{imported_count} importerade rader och {len(replaced)} ersatta ramår flyttade från {path}"
    )
    done, kept = work.insert_legacy(
        source=source,
        sha256=sha,
        summary=summary,
        scenario_rows=scenarios,
        log_rows=logs,
        import_rows=import_rows,
        tables=tables,
        replaced=replaced,
        import_id=import_id,
    )
    if kept:
        summary += (
            f"; {kept} av scenarierna fanns redan i arbetsdatabasen med samma id och lämnades som de var"
        )
    if done:
        LOG.warning("Moved saved work into the working store: %s", summary)
    return summary


def _columns(con, schema: str, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = $s and table_name = $t",
            {"s": schema, "t": table},
        ).fetchall()
    }
