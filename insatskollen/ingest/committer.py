"""Import, step 4: write a Preview to the working store in one transaction (replacing earlier imported
data or bundled frame-years only after confirmation), and undo the latest import. The running servers
reload the imported rows on their next rerun."""

from __future__ import annotations

from insatskollen.core.roles import Actor, as_actor
from insatskollen.ingest import reference
from insatskollen.ingest.follow_up_file import FollowUpPreview
from insatskollen.ingest.plan_file import PlanPreview
from insatskollen.ingest.previewer import Preview
from insatskollen.store.db import Database
from insatskollen.store.scenario_store import MAX_AUTHOR, clean_text, fitted
from insatskollen.store.working.imports import ImportConflict


class ReplaceNeeded(Exception):
    """The file holds municipality-years that are already imported; confirm to replace them."""


def conflicts(db: Database, preview: Preview) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(bundled, imported): municipality-years in the file that already have data. Bundled data counts
    per funding source: importing Malmö 2022 KS anslag leaves Malmö 2022 Socialstyrelsen as it is.
    A follow-up or plan file has none: a newer report or plan supersedes without confirmation (its preview
    says so)."""
    bundled, imported = [], []
    if isinstance(preview, FollowUpPreview | PlanPreview):
        return bundled, imported
    for _code, name, year, _source in _bundled_frame_years(db, preview):
        if (name, year) not in bundled:
            bundled.append((name, year))
    for code, name, year in preview.municipality_years:
        if db.work.active_frames(code, year):
            imported.append((name, year))
    return bundled, imported


def _bundled_frame_years(db: Database, preview: Preview) -> list[tuple[str, str, int, str]]:
    """Those of the file's frame-years that a bundled frame covers. Only a bundled funding source can have
    one (bundled frames name bundled sources), so a file of 9 999 own sources asks the store nothing,
    instead of once per frame."""
    sources = set(reference.reference(db, "funding_source")["value"])
    return [
        (code, name, year, source)
        for code, name, year, source in _frame_years(preview)
        if source in sources
        and int(db.query("import_bundled_conflicts", code=code, year=year, source=source).frames.iloc[0])
    ]


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


def commit_follow_up(db: Database, preview: FollowUpPreview, author: Actor | str = "") -> str:
    """Write a follow-up file's reports in one transaction. A report for a measure-year that already has
    one supersedes it (the preview says so); undo_last() brings the old one back."""
    fields = ("line", "municipality_code", "measure_id", "allocation_id", "year", "spent_sek", "status")
    reports = [
        {**{k: r[k] for k in fields}, "status_date": r["status_date"], "result": r["result"]}
        for r in preview.reports
    ]
    import_id = db.work.commit_follow_up(
        file=preview.file, author=_author(author, "Namnet på den som importerar"), reports=reports
    )
    db.after_write()
    return import_id


def commit_plan(db: Database, preview: PlanPreview, author: Actor | str = "") -> str:
    """Write a plan file's rows in one transaction. The earlier imported plan of each of its municipalities
    is superseded (the preview says so); a row from the page's form (kind plan_form) adds to it instead.
    undo_last() takes either back."""
    tables = {
        name: frame.astype(object).where(frame.notna(), None).to_dict("records")
        for name, frame in preview.tables.items()
        if len(frame)
    }
    import_id = db.work.commit_import(
        file=preview.file,
        author=_author(author, "Namnet på den som importerar"),
        rows=len(preview.rows),
        action="import av plan" if preview.kind == "plan" else "import av mål från sidan",
        tables=tables,
        municipality_years=[],
        replaces=[],
        plans=[code for code, _name in preview.municipalities] if preview.kind == "plan" else [],
    )
    db.after_write()
    return import_id


def commit(db: Database, preview: Preview, *, replace: bool = False, author: Actor | str = "") -> str:
    """Write the preview in one transaction of the working store. Data that is already there for the
    same municipality and year (imported before, or bundled from the documents for the same funding
    source) is replaced only with replace=True; bundled frame-years are hidden, not deleted, and
    everything comes back exactly with undo_last(). A follow-up file is written by commit_follow_up."""
    if isinstance(preview, FollowUpPreview):
        return commit_follow_up(db, preview, author)
    if isinstance(preview, PlanPreview):
        return commit_plan(db, preview, author)
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
    replaces = [
        (code, year, source)
        for code, name, year, source in _bundled_frame_years(db, preview)
        if (name, year) in bundled
    ]
    tables = {
        name: frame.astype(object).where(frame.notna(), None).to_dict("records")
        for name, frame in preview.tables.items()
        if len(frame)
    }
    names = {code: name for code, name, _ in preview.municipality_years}
    try:
        import_id = db.work.commit_import(
            file=preview.file,
            author=_author(author, "Namnet på den som importerar"),
            rows=len(preview.rows),
            action="import som ersätter källdokumentens data" if bundled else "import",
            tables=tables,
            municipality_years=[(code, year) for code, _name, year in preview.municipality_years],
            replaces=replaces,
            replace=replace,
        )
    except ImportConflict as conflict:
        raise ReplaceNeeded(
            "Det finns redan importerad data för "
            + ", ".join(f"{names.get(code, code)} {year}" for code, year in conflict.taken)
            + " (importerad alldeles nyss, av någon annan). Bekräfta att den ska ersättas; det gamla kan "
            "återställas med ”Ångra senaste import”."
        ) from conflict
    db.after_write()
    return import_id


def undo_last(db: Database, author: Actor | str = "") -> dict | None:
    """Put back the imported data as it was before the last import. Returns the undone import's log entry
    (file, author, logged_at, rows), None if there is nothing to undo."""
    done = db.work.undo_last_import(_author(author, "Namnet på den som ångrar"))
    db.after_write()
    return done


def _author(author: Actor | str, what: str) -> Actor:
    """The signed-in identity (its name made to fit), or a typed name checked like every typed name (logged as free text);
    nothing typed is logged as "okänd"."""
    actor = as_actor(author)
    if actor.subject:
        return fitted(actor)
    return Actor(clean_text(actor.name, what, MAX_AUTHOR, required=False) or "okänd")
