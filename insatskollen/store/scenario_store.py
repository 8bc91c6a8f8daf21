"""Saved scenarios: validation and the domain around the working store's scenario tables.

Every write is one transaction in the working store (store/working/scenarios.py), so a save is either all there
or not at all. Deletes are soft (a deleted scenario can be restored). A rebuild of the bundled data
never touches saved scenarios; a scenario whose baseline no longer matches the data is kept and
flagged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction

import pandas as pd

from insatskollen.core import roles
from insatskollen.core.errors import CONTROL_CHARS
from insatskollen.core.roles import Actor
from insatskollen.core.scenario import Line, Rule, State
from insatskollen.core.scenario_undo import Scenario
from insatskollen.store.db import Database
from insatskollen.store.working.base import StoreError, utc_now

MAX_NAME = 100
MAX_AUTHOR = 100
MAX_COMMENT = 2000


# Bad input for saving, or a scenario that is not there; the Swedish message says what and where.
# Nothing was written. The working store raises the same class for the checks it makes in its transaction.
ScenarioError = StoreError


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
    owner_subject: str | None = None  # who may change it when sign-in is on; None: saved without sign-in


# ------------------------------------------------------------------ baseline from the data


def stated_total(db: Database, frame_id: str, year: int) -> int | None:
    """What the documents state the frame-year's rows allocate (stated_totals, ram_summa), or None."""
    frames = db.query("scenario_frames")
    match = frames[(frames.frame_id == frame_id) & (frames.year == year)]
    return None if match.empty or pd.isna(match.stated_sek.iloc[0]) else int(match.stated_sek.iloc[0])


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
                unfunded=bool(r.unfunded) if pd.notna(r.unfunded) else False,
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


# ------------------------------------------------------------------ writes


def who(author: Actor | str, what: str) -> Actor:
    """The actor for a log: a typed name cleaned (required, refused if too long); a signed-in identity's
    name, which the person cannot change, made to fit instead (control characters as spaces, shortened)."""
    actor = author if isinstance(author, Actor) else Actor(author)
    if actor.subject:
        return fitted(actor)
    return replace(actor, name=clean_text(actor.name, what, MAX_AUTHOR, required=True))


def fitted(actor: Actor) -> Actor:
    """A signed-in actor whose name (from the identity provider) fits a log: control characters and line
    breaks as single spaces, at most MAX_AUTHOR characters (shortened with "…"), the subject if empty."""
    name = " ".join(CONTROL_CHARS.sub(" ", actor.name or "").split()) or str(actor.subject)
    if len(name) > MAX_AUTHOR:
        name = name[: MAX_AUTHOR - 1] + "…"
    return replace(actor, name=name)


def save_new(
    db: Database,
    scenario: Scenario,
    *,
    name: str,
    author: Actor | str,
    comment: str = "",
    frame_id: str,
    year: int,
    copy_of: str | None = None,
) -> str:
    """Save a new scenario and its change log; returns its id. A signed-in author owns it. `copy_of` names
    the saved scenario it started from (a copy, or "Spara som nytt" on an opened one), said in its log."""
    name = clean_text(name, "Namnet", MAX_NAME, required=True)
    author = who(author, "Namnet på den som sparar")
    comment = clean_text(comment, "Kommentaren", MAX_COMMENT, required=False)
    scenario_id = uuid.uuid4().hex[:12]
    now = utc_now()
    row = {
        "scenario_id": scenario_id,
        "name": name,
        "frame_id": frame_id,
        "year": int(year),
        "author": author.name,
        "owner_subject": author.subject,
        "comment": comment,
        "created_at": now,
        "updated_at": now,
        "data_version": db.built_version(),
        "baseline_json": scenario.baseline.to_json(),
        "state_json": scenario.current.to_json(),
        "history_json": scenario.history_json(),
        "deleted_at": None,
    }
    created = (
        (now, author, "kopierade", f"Sparade scenariot ”{name}” som kopia av ”{copy_of}”")
        if copy_of
        else (now, author, "skapade", f"Sparade scenariot ”{name}”")
    )
    log = _edit_log(author, scenario) + [created]
    db.work.insert_scenario(row, log)
    scenario.edits.clear()
    return scenario_id


def save_changes(
    db: Database, scenario_id: str, scenario: Scenario, *, author: Actor | str, comment: str | None = None
) -> None:
    """Save the current state of an existing scenario, logging each edit since the last save."""
    author = who(author, "Namnet på den som sparar")
    now = utc_now()
    values = {
        "state_json": scenario.current.to_json(),
        "history_json": scenario.history_json(),
        "updated_at": now,
    }
    if comment is not None:
        values["comment"] = clean_text(comment, "Kommentaren", MAX_COMMENT, False)
    log = _edit_log(author, scenario) or [(now, author, "ändring", "Sparade utan ändringar")]
    db.work.update_scenario(scenario_id, values, log)
    scenario.edits.clear()


def rename(db: Database, scenario_id: str, new_name: str, *, author: Actor | str) -> None:
    name = clean_text(new_name, "Namnet", MAX_NAME, required=True)
    author = who(author, "Namnet på den som sparar")
    db.work.rename_scenario(scenario_id, name, utc_now(), author)


def duplicate(db: Database, scenario_id: str, new_name: str, *, author: Actor | str) -> str:
    meta, scenario = load(db, scenario_id)
    copy = Scenario(
        scenario.baseline, scenario.current, scenario.rules, list(scenario.history), dropped=scenario.dropped
    )
    return save_new(
        db,
        copy,
        name=new_name,
        author=author,
        comment=meta.comment,
        frame_id=meta.frame_id,
        year=meta.year,
        copy_of=meta.name,
    )


def delete(db: Database, scenario_id: str, *, author: Actor | str) -> None:
    """Soft delete: the scenario moves to the wastebasket and can be restored."""
    author = who(author, "Namnet på den som tar bort")
    db.work.delete_scenario(scenario_id, utc_now(), author)


def restore(db: Database, scenario_id: str, *, author: Actor | str) -> None:
    author = who(author, "Namnet på den som återställer")
    db.work.restore_scenario(scenario_id, utc_now(), author)


def give_owner(db: Database, name: str, principal: str, *, author: Actor | str) -> tuple[str, str]:
    """Make a signed-in subject the owner of the saved scenario called `name` (an administrator's command,
    e.g. for a scenario saved before sign-in, which has none); logged. `principal` is the subject, or an
    e-mail the logs have seen with exactly one subject. Returns (the scenario's name, the new owner)."""
    principal = roles.clean_principal(principal)
    author = who(author, "Namnet efter --av")
    scenario_id = db.work.scenario_id_named(name)
    if scenario_id is None:
        raise ScenarioError(
            f"Det finns inget sparat scenario som heter ”{name.strip()}”. Se namnen under Scenarier."
        )
    subject, shown = principal, principal
    if "@" in principal:
        subjects = db.work.subjects_with_email(principal)
        if not subjects:
            raise ScenarioError(
                f"{principal} har inte loggat in i Insatskollen och sparat något, så subjektet är okänt. "
                "Ange subjektet (i Entra ID: oid) i stället."
            )
        if len(subjects) > 1:
            raise ScenarioError(
                f"{principal} har loggat in med flera subjekt ({', '.join(subjects)}). Ange ett av dem."
            )
        subject, shown = subjects[0], f"{subjects[0]} ({principal})"
    row = db.work.scenario_row(scenario_id)
    before = row["owner_subject"] or "ingen (sparat före inloggning)"
    db.work.set_scenario_owner(scenario_id, subject, utc_now(), author, f"Ägare: {before} → {shown}")
    return row["name"], shown


def comment(db: Database, scenario_id: str, text: str, *, author: Actor | str) -> None:
    """A comment on a saved scenario: an entry in its change log; the scenario itself is unchanged."""
    text = clean_text(text, "Kommentaren", MAX_COMMENT, required=True)
    author = who(author, "Namnet på den som kommenterar")
    db.work.add_log_entry(scenario_id, utc_now(), author, "kommenterade", text)


def empty_wastebasket(db: Database, *, author: Actor | str) -> int:
    """Delete every scenario in the wastebasket for good (their change logs stay); returns how many."""
    return db.work.empty_wastebasket(utc_now(), who(author, "Namnet på den som tömmer papperskorgen"))


def _edit_log(author: Actor, scenario: Scenario) -> list[tuple[datetime, Actor, str, str]]:
    """Each edit since the last save, stamped with the time it was made (UTC)."""
    return [(edit.at, author, "ändring", edit.text) for edit in scenario.edits]


# ------------------------------------------------------------------ reads


def list_scenarios(db: Database, deleted: bool = False) -> pd.DataFrame:
    """Saved scenarios, newest first, each flagged `orphaned` when its frame-year is not in the data."""
    frame = db.work.list_scenarios(deleted)
    years = db.query("frame_year_keys")
    known = set(zip(years.frame_id, years.year.astype(int), strict=True))
    frame["orphaned"] = [(f, int(y)) not in known for f, y in zip(frame.frame_id, frame.year, strict=True)]
    frame["deleted_at"] = pd.to_datetime(frame["deleted_at"])
    return frame


def load(db: Database, scenario_id: str) -> tuple[SavedScenario, Scenario]:
    row = db.work.scenario_row(scenario_id)
    if row is None:
        shown = scenario_id if len(scenario_id) <= 40 else scenario_id[:40] + "…"  # from a link: any length
        raise ScenarioError(f"Scenariot {shown} finns inte.")
    meta = SavedScenario(
        row["scenario_id"],
        row["name"],
        row["frame_id"],
        int(row["year"]),
        row["author"],
        row["comment"] or "",
        row["created_at"],
        row["updated_at"],
        row["data_version"],
        row["deleted_at"] is not None,
        owner_subject=row.get("owner_subject"),
    )
    unfunded: set[str] = set()
    try:
        current, rules = baseline(db, meta.frame_id, meta.year)
        unfunded = {x.line_id for x in current.lines if x.unfunded}
    except ScenarioError:  # kept as saved, flagged, opened read-only: never lost, never a crash
        meta, rules = replace(meta, orphaned=True), ()
    saved = State.from_json(row["state_json"])
    # the newest MAX_UNDO steps only, whatever is stored: opening stays fast (older ones count as dropped)
    history, dropped = Scenario.history_from_json(row["history_json"], saved)
    return meta, Scenario(
        _mark_unfunded(State.from_json(row["baseline_json"]), unfunded),
        _mark_unfunded(saved, unfunded),
        rules,
        [_mark_unfunded(x, unfunded) for x in history],
        dropped=dropped,
    )


def _mark_unfunded(state: State, line_ids: set[str]) -> State:
    """Scenarios saved before lines carried `unfunded` read it from the source line they came from
    (an unfunded proposal is a property of the document's line, found by its allocation id)."""
    if not line_ids:
        return state
    return State(
        state.frame_amount,
        tuple(
            replace(x, unfunded=True) if x.line_id in line_ids and not x.added and not x.unfunded else x
            for x in state.lines
        ),
    )


def change_log(db: Database, scenario_id: str) -> pd.DataFrame:
    return db.work.scenario_log_rows(scenario_id)


def baseline_changed(db: Database, meta: SavedScenario, scenario: Scenario) -> bool:
    """True when the data the scenario started from no longer matches the current data."""
    try:
        current, _ = baseline(db, meta.frame_id, meta.year)
    except ScenarioError:
        return True
    return current != scenario.baseline
