"""The working store's imported rows in a snapshot's `imported` schema, typed like the bundled tables
(queries/model/00_imported.sql, queries/snapshot/insert_*.sql)."""

from __future__ import annotations

import duckdb
import pandas as pd

from insatskollen.core.schema import TABLES
from insatskollen.store import model, queries
from insatskollen.store.working.indicators import INDICATORS_KEY


def load_imported(con: duckdb.DuckDBPyConnection, imported: dict[str, pd.DataFrame]) -> None:
    """The working store's current imported rows: the data tables, the replaced frame-years, the follow-up
    reports and the Kolada values."""
    model.imported_tables(con)
    for table in TABLES:
        frame = imported.get(table.name)
        if frame is not None and len(frame):
            incoming = frame.reindex(columns=table.column_names).astype(object)
            _insert(con, queries.statement("snapshot/insert_imported", table=table.name), incoming)
    con.execute(queries.statement("snapshot/one_row_per_funding_source"))
    frame = imported.get("replaced")
    if frame is not None and len(frame):
        _insert(con, queries.statement("snapshot/insert_replaced"), frame, missing_as_null=False)
    frame = imported.get("follow_up")
    if frame is not None and len(frame):
        renamed = frame.rename(columns={"author": "reported_by", "logged_at": "reported_at"})
        _insert(con, queries.statement("snapshot/insert_follow_up"), renamed.astype(object))
    frame = imported.get(INDICATORS_KEY)
    if frame is not None and len(frame):
        _insert(con, queries.statement("snapshot/insert_indicator_values"), frame.astype(object))


def _insert(
    con: duckdb.DuckDBPyConnection, sql: str, frame: pd.DataFrame, missing_as_null: bool = True
) -> None:
    """Run an insert that reads `frame` registered as `incoming`; missing values (NaN, NaT) become NULL
    unless the frame's types already say so (the replaced frame-years: text, whole years, timestamps)."""
    frame = frame.where(frame.notna(), None) if missing_as_null else frame
    con.register("incoming", frame)
    try:
        con.execute(sql)
    finally:
        con.unregister("incoming")
