"""Saved scenarios in the DuckDB file (schema `app`): who saved what, when, on which data.

Every write is one transaction under the database's write lock, so a save is either all there
or not at all. Deletes are soft (a deleted scenario can be restored). A rebuild of the bundled
data never touches the `app` schema; a scenario whose baseline no longer matches the data is
kept and flagged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction

import pandas as pd

from insatskollen.db import Database, utc_now
from insatskollen.errors import CONTROL_CHARS
from insatskollen.scenario import Line, Rule, Scenario, State

MAX_NAME = 100
MAX_AUTHOR = 100
MAX_COMMENT = 2000

DDL = """
create schema if not exists app;
-- All timestamps are UTC.
create table if not exists app.scenarios (
    scenario_id varchar primary key,
    name varchar not null,
    frame_id varchar not null,
    year integer not null,
    author varchar not null,
    comment varchar,
    created_at timestamp not null,
    updated_at timestamp not null,
    data_version varchar,
    baseline_json varchar not null,
    state_json varchar not null,
    deleted_at timestamp
);
create table if not exists app.scenario_log (
    scenario_id varchar not null,
    logged_at timestamp not null,
    author varchar not null,
    action varchar not null,
    detail varchar
);
-- Issue 11: the undo history (a JSON list of states, oldest first) is saved with the scenario.
alter table app.scenarios add column if not exists history_json varchar;
"""


class ScenarioError(ValueError):
    """Bad input for saving; the Swedish message says what and where. Nothing was written."""


@dataclass(frozen=True)
class SavedScenario:
    scenario_id: str
    name: str
    frame_id: str
    year: int
    author: str
    comment: str
    created_at: datetime
    updated_at: datetime
    data_version: str | None
    deleted: bool
    orphaned: bool = False  # its frame-year is no longer in the data (an import undone, a rebuild)


def ensure_schema(db: Database) -> None:
    """Create the `app` schema, or bring one made by older code up to date (idempotent)."""
    with db.transaction() as cur:
        cur.execute(DDL)


# ------------------------------------------------------------------ baseline from the data


def baseline(db: Database, frame_id: str, year: int) -> tuple[State, tuple[Rule, ...]]:
    """The frame's current allocation as a State, and its rules. A frame with interval rules but no known
    amounts (Linköping) works at area level: one line per budget line of the rules."""
    frames = db.query("scenario_frames")
    match = frames[(frames.frame_id == frame_id) & (frames.year == year)]
    if match.empty:
        raise ScenarioError(f"Ramen {frame_id} för år {year} finns inte i datan.")
    frame = match.iloc[0]
    amount = None if pd.isna(frame.amount_sek) else int(frame.amount_sek)
    rule_rows = db.query("scenario_rules", frame_id=frame_id)
    rules = tuple(
        Rule(
            r.rule_kind,
            _text(r.budget_line),
            _text(r.priority_area),
            _fraction(r.min_pct),
            _fraction(r.max_pct),
        )
        for r in rule_rows.itertuples()
    )
    intervals = [r for r in rules if r.kind == "finansieringsintervall"]
    rows = db.query("scenario_lines", frame_id=frame_id, year=year)
    if intervals and rows.amount_sek.notna().sum() == 0:
        lines = tuple(
            Line(
                f"budget-{i + 1}", r.budget_line or "", None, r.priority_area, None, budget_line=r.budget_line
            )
            for i, r in enumerate(intervals)
        )
    else:
        lines = tuple(
            Line(
                r.allocation_id,
                r.label,
                _text(r.committee),
                _text(r.priority_area),
                None if pd.isna(r.amount_sek) else int(r.amount_sek),
                measure_id=_text(r.measure_id),
            )
            for r in rows.itertuples()
        )
    return State(amount, lines), rules


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _fraction(value) -> Fraction | None:
    return None if value is None or pd.isna(value) else Fraction(str(value))


# ------------------------------------------------------------------ validation


def clean_text(value: str | None, what: str, limit: int, required: bool) -> str:
    """Trimmed text; refused with a Swedish message if empty (when required), too long or with control characters.
    HTML and SQL are kept verbatim: the pages show them as text and the SQL is bound, never run."""
    text = (value or "").strip()
    if required and not text:
        raise ScenarioError(f"{what} saknas. Skriv {what.lower()} och försök igen.")
    if len(text) > limit:
        raise ScenarioError(f"{what} är för lång ({len(text)} tecken, högst {limit}).")
    if CONTROL_CHARS.search(text):
        raise ScenarioError(f"{what} innehåller otillåtna tecken (styrtecken).")
    return text


def _check_unique(cur, name: str, except_id: str | None = None) -> None:
    taken = cur.execute(
        "select count(*) from app.scenarios where lower(name) = lower($name) and deleted_at is null "
        "and scenario_id <> coalesce($id, '')",
        {"name": name, "id": except_id},
    ).fetchone()[0]
    if taken:
        raise ScenarioError(f"Det finns redan ett scenario som heter ”{name}”. Välj ett annat namn.")


# ------------------------------------------------------------------ writes


def save_new(
    db: Database, scenario: Scenario, *, name: str, author: str, comment: str = "", frame_id: str, year: int
) -> str:
    """Save a new scenario and its change log; returns its id."""
    name = clean_text(name, "Namnet", MAX_NAME, required=True)
    author = clean_text(author, "Namnet på den som sparar", MAX_AUTHOR, required=True)
    comment = clean_text(comment, "Kommentaren", MAX_COMMENT, required=False)
    scenario_id = uuid.uuid4().hex[:12]
    now = utc_now()
    with db.transaction() as cur:
        _check_unique(cur, name)
        cur.execute(
            "insert into app.scenarios (scenario_id, name, frame_id, year, author, comment, created_at, "
            "updated_at, data_version, baseline_json, state_json, deleted_at, history_json) "
            "values ($id, $name, $frame, $year, $author, $comment, $now, $now, $version, $baseline, $state, "
            "null, $history)",
            {
                "id": scenario_id,
                "name": name,
                "frame": frame_id,
                "year": int(year),
                "author": author,
                "comment": comment,
                "now": now,
                "version": db.built_version(),
                "baseline": scenario.baseline.to_json(),
                "state": scenario.current.to_json(),
                "history": scenario.history_json(),
            },
        )
        _log_edits(cur, scenario_id, author, scenario)
        _log(cur, scenario_id, now, author, "skapade", f"Sparade scenariot ”{name}”")
    scenario.edits.clear()
    return scenario_id


def save_changes(
    db: Database, scenario_id: str, scenario: Scenario, *, author: str, comment: str | None = None
) -> None:
    """Save the current state of an existing scenario, logging each edit since the last save."""
    author = clean_text(author, "Namnet på den som sparar", MAX_AUTHOR, required=True)
    now = utc_now()
    with db.transaction() as cur:
        _require(cur, scenario_id)
        params = {
            "id": scenario_id,
            "state": scenario.current.to_json(),
            "history": scenario.history_json(),
            "now": now,
        }
        cur.execute(
            "update app.scenarios set state_json = $state, history_json = $history, updated_at = $now "
            "where scenario_id = $id",
            params,
        )
        if comment is not None:
            cur.execute(
                "update app.scenarios set comment = $comment where scenario_id = $id",
                {"id": scenario_id, "comment": clean_text(comment, "Kommentaren", MAX_COMMENT, False)},
            )
        if scenario.edits:
            _log_edits(cur, scenario_id, author, scenario)
        else:
            _log(cur, scenario_id, now, author, "ändring", "Sparade utan ändringar")
    scenario.edits.clear()


def rename(db: Database, scenario_id: str, new_name: str, *, author: str) -> None:
    name = clean_text(new_name, "Namnet", MAX_NAME, required=True)
    author = clean_text(author, "Namnet på den som sparar", MAX_AUTHOR, required=True)
    now = utc_now()
    with db.transaction() as cur:
        old = _require(cur, scenario_id)
        _check_unique(cur, name, except_id=scenario_id)
        cur.execute(
            "update app.scenarios set name = $name, updated_at = $now where scenario_id = $id",
            {"id": scenario_id, "name": name, "now": now},
        )
        _log(cur, scenario_id, now, author, "bytte namn", f"”{old}” → ”{name}”")


def duplicate(db: Database, scenario_id: str, new_name: str, *, author: str) -> str:
    meta, scenario = load(db, scenario_id)
    copy = Scenario(scenario.baseline, scenario.current, scenario.rules, list(scenario.history))
    copy.note(f"Kopia av ”{meta.name}”")
    return save_new(
        db, copy, name=new_name, author=author, comment=meta.comment, frame_id=meta.frame_id, year=meta.year
    )


def delete(db: Database, scenario_id: str, *, author: str) -> None:
    """Soft delete: the scenario moves to the wastebasket and can be restored."""
    author = clean_text(author, "Namnet på den som tar bort", MAX_AUTHOR, required=True)
    now = utc_now()
    with db.transaction() as cur:
        _require(cur, scenario_id)
        cur.execute(
            "update app.scenarios set deleted_at = $now where scenario_id = $id",
            {"id": scenario_id, "now": now},
        )
        _log(cur, scenario_id, now, author, "tog bort", "Flyttade scenariot till papperskorgen")


def restore(db: Database, scenario_id: str, *, author: str) -> None:
    author = clean_text(author, "Namnet på den som återställer", MAX_AUTHOR, required=True)
    now = utc_now()
    with db.transaction() as cur:
        name = _require(cur, scenario_id, deleted=True)
        _check_unique(cur, name, except_id=scenario_id)
        cur.execute("update app.scenarios set deleted_at = null where scenario_id = $id", {"id": scenario_id})
        _log(cur, scenario_id, now, author, "återställde", "Återställde scenariot från papperskorgen")


def _require(cur, scenario_id: str, deleted: bool = False) -> str:
    row = cur.execute(
        "select name from app.scenarios where scenario_id = $id and (deleted_at is not null) = $deleted",
        {"id": scenario_id, "deleted": deleted},
    ).fetchone()
    if row is None:
        where = "i papperskorgen" if deleted else "bland sparade scenarier"
        raise ScenarioError(f"Scenariot {scenario_id} finns inte {where}.")
    return row[0]


def _log_edits(cur, scenario_id: str, author: str, scenario: Scenario) -> None:
    """Each edit since the last save, stamped with the time it was made (UTC)."""
    for edit in scenario.edits:
        _log(cur, scenario_id, edit.at, author, "ändring", edit.text)


def _log(cur, scenario_id: str, at: datetime, author: str, action: str, detail: str) -> None:
    cur.execute(
        "insert into app.scenario_log values ($id, $at, $author, $action, $detail)",
        {"id": scenario_id, "at": at, "author": author, "action": action, "detail": detail},
    )


# ------------------------------------------------------------------ reads


def list_scenarios(db: Database, deleted: bool = False) -> pd.DataFrame:
    cur = db.con.cursor()
    try:
        return cur.execute(
            "select s.scenario_id, s.name, s.frame_id, s.year, s.author, s.comment, s.created_at, s.updated_at, "
            "s.data_version, s.deleted_at, not exists (select 1 from main.frame_year fy "
            "where fy.frame_id = s.frame_id and fy.year = s.year) as orphaned "
            "from app.scenarios s where (s.deleted_at is not null) = $deleted order by s.updated_at desc",
            {"deleted": deleted},
        ).df()
    finally:
        cur.close()


def load(db: Database, scenario_id: str) -> tuple[SavedScenario, Scenario]:
    cur = db.con.cursor()
    try:
        row = cur.execute(
            "select scenario_id, name, frame_id, year, author, coalesce(comment, ''), created_at, updated_at, "
            "data_version, deleted_at is not null, baseline_json, state_json, history_json from app.scenarios "
            "where scenario_id = $id",
            {"id": scenario_id},
        ).fetchone()
    finally:
        cur.close()
    if row is None:
        raise ScenarioError(f"Scenariot {scenario_id} finns inte.")
    meta = SavedScenario(*row[:10])
    try:
        _, rules = baseline(db, meta.frame_id, meta.year)
    except ScenarioError:  # kept as saved, flagged, opened read-only: never lost, never a crash
        meta, rules = replace(meta, orphaned=True), ()
    history = Scenario.history_from_json(row[12])
    return meta, Scenario(State.from_json(row[10]), State.from_json(row[11]), rules, history)


def change_log(db: Database, scenario_id: str) -> pd.DataFrame:
    cur = db.con.cursor()
    try:
        return cur.execute(
            "select logged_at, author, action, detail from app.scenario_log where scenario_id = $id "
            "order by logged_at, rowid",
            {"id": scenario_id},
        ).df()
    finally:
        cur.close()


def baseline_changed(db: Database, meta: SavedScenario, scenario: Scenario) -> bool:
    """True when the data the scenario started from no longer matches the current data."""
    try:
        current, _ = baseline(db, meta.frame_id, meta.year)
    except ScenarioError:
        return True
    return current != scenario.baseline
