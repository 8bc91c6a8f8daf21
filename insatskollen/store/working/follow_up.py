"""Follow-up reports (utfall, genomförande, resultat; issue 15): imported per measure-year (or line-year),
a newer report supersedes the one in force, who and when is the import's entry in import_log."""

from __future__ import annotations

import uuid

import pandas as pd
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection

from insatskollen.core.roles import Actor, as_actor
from insatskollen.store.working.base import LOCK_IMPORTS, StoreBase, utc_now
from insatskollen.store.working.tables import follow_up_reports, import_log

FOLLOW_UP_STATUSES = ("ej påbörjad", "pågår", "genomförd", "avbruten")
FOLLOW_UP_COLUMNS = [
    "report_id",
    "municipality_code",
    "measure_id",
    "allocation_id",
    "year",
    "spent_sek",
    "status",
    "status_date",
    "result",
    "file",
    "line",
    "import_id",
    "reported_at",
    "reported_by",
    "subject",
    "email",
    "identity_kind",
]


class FollowUp(StoreBase):
    def commit_follow_up(self, *, file: str, author: Actor | str, reports: list[dict]) -> str:
        """One follow-up import, in one transaction: each report (municipality_code, measure_id or
        allocation_id, year, spent_sek, status, status_date, result, line) supersedes the report in force
        for the same measure-year (or line-year), and the import is logged with who and when. Returns the
        import id; undo_last_import brings back what it superseded."""
        import_id = uuid.uuid4().hex[:12]
        now = utc_now()
        c = follow_up_reports.c
        with self._write(LOCK_IMPORTS) as conn:
            for report in reports:
                key = (
                    c.measure_id == report["measure_id"]
                    if report.get("measure_id")
                    else and_(c.measure_id.is_(None), c.allocation_id == report["allocation_id"])
                )
                conn.execute(
                    update(follow_up_reports)
                    .where(key, c.year == report["year"], c.superseded_by.is_(None))
                    .values(superseded_by=import_id)
                )
            if reports:
                conn.execute(
                    insert(follow_up_reports),
                    [
                        {
                            "import_id": import_id,
                            "municipality_code": r.get("municipality_code"),
                            "measure_id": r.get("measure_id"),
                            "allocation_id": None if r.get("measure_id") else r.get("allocation_id"),
                            "year": int(r["year"]),
                            "spent_sek": None if r.get("spent_sek") is None else int(r["spent_sek"]),
                            "status": r["status"],
                            "status_date": r.get("status_date"),
                            "result": r.get("result"),
                            "file": file,
                            "line": int(r["line"]),
                            "superseded_by": None,
                        }
                        for r in reports
                    ],
                )
            conn.execute(
                insert(import_log).values(
                    import_id=import_id,
                    file=file,
                    logged_at=now,
                    rows=len(reports),
                    action="import av uppföljning",
                    **as_actor(author).log_values(),
                )
            )
        return import_id

    def follow_up_history(self, measure_id: str | None, allocation_id: str | None, year: int) -> pd.DataFrame:
        """Every report of one measure-year (or line-year), oldest first, superseded ones included, with
        who and when: the history of the follow-up."""
        c = follow_up_reports.c
        key = c.measure_id == measure_id if measure_id else c.allocation_id == allocation_id
        with self._read() as conn:
            rows = conn.execute(follow_up_select().where(key, c.year == year).order_by(c.report_id)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=[*FOLLOW_UP_COLUMNS, "superseded_by"])


def follow_up_select():
    """The follow-up reports with who imported them and when (their import's log entry)."""
    c, log = follow_up_reports.c, import_log.c
    return select(
        c.report_id,
        c.municipality_code,
        c.measure_id,
        c.allocation_id,
        c.year,
        c.spent_sek,
        c.status,
        c.status_date,
        c.result,
        c.file,
        c.line,
        c.import_id,
        log.logged_at,
        log.author,
        log.subject,
        log.email,
        log.identity_kind,
        c.superseded_by,
    ).join_from(follow_up_reports, import_log, and_(log.import_id == c.import_id, log.action.like("import%")))


def follow_up_in_force(conn: Connection) -> pd.DataFrame:
    """The reports in force, FOLLOW_UP_COLUMNS (inside a read transaction)."""
    c = follow_up_reports.c
    rows = conn.execute(follow_up_select().where(c.superseded_by.is_(None)).order_by(c.report_id)).all()
    return pd.DataFrame([tuple(r)[:-1] for r in rows], columns=FOLLOW_UP_COLUMNS)
