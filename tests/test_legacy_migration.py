"""Saved work in a database made by the code before the two stores (main at e60db21: scenarios in the
DuckDB `app` schema, imports in `imported`) moves into the working store on first start, nothing lost."""

from __future__ import annotations

import gzip
import hashlib
import json

import duckdb
import pytest

from insatskollen.core.scenario_history import format2_to_1
from insatskollen.ingest import committer
from insatskollen.store import scenario_store
from insatskollen.store.db import Database
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "legacy_e60db21.duckdb.gz"
KS_2022 = (
    "select sum(amount_sek) from main.allocation where municipality = 'Malmö' and year = 2022 "
    "and funding_source = 'KS anslag till förfogande'"
)


@pytest.fixture
def legacy_var(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "insatskollen.duckdb").write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return var


def _old(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


ALLOCATION = (
    "select municipality, year, funding_source, coalesce(committee, ''), measure, coalesce(priority_area, ''), "
    "amount_sek, coalesce(status, ''), source_document from main.allocation order by all"
)


def test_everything_saved_in_the_old_file_is_there_after_the_first_start(legacy_var, store_url):
    old_file = legacy_var / "insatskollen.duckdb"
    sha_before = hashlib.sha256(old_file.read_bytes()).hexdigest()
    old_scenarios = _old(
        old_file,
        "select scenario_id, name, author, comment, data_version, baseline_json, state_json, history_json, "
        "deleted_at is not null, created_at, updated_at from app.scenarios order by name",
    )
    old_logs = _old(
        old_file, "select scenario_id, logged_at, author, action, detail from app.scenario_log order by rowid"
    )
    old_allocation = _old(old_file, ALLOCATION)
    assert len(old_scenarios) == 3 and len(old_logs) >= 6  # the fixture is what it says

    db = Database.open(legacy_var, database_url=store_url)
    db.ensure_built()
    try:
        # every scenario, field by field, and where it was (one in the wastebasket)
        listed = {
            r.name: r
            for deleted in (False, True)
            for r in scenario_store.list_scenarios(db, deleted=deleted).itertuples()
        }
        assert sorted(listed) == ["Malmö orört", "Stockholm borttaget", "Södertälje förslag A"]
        for (
            sid,
            name,
            author,
            comment,
            version,
            base,
            state,
            history,
            deleted,
            created,
            updated,
        ) in old_scenarios:
            meta, scenario = scenario_store.load(db, sid)
            assert (meta.name, meta.author, meta.comment, meta.data_version) == (
                name,
                author,
                comment or "",
                version,
            )
            assert (meta.deleted, meta.created_at, meta.updated_at) == (deleted, created, updated)
            row = db.work.scenario_row(sid)  # moved field by field, as saved
            assert json.loads(row["baseline_json"]) == json.loads(base)
            assert json.loads(row["state_json"]) == json.loads(state)
            # the undo history is kept step by step, stored as steps back (format 2) instead of copies
            assert json.loads(format2_to_1(row["history_json"], row["state_json"]) or "[]") == json.loads(
                history or "[]"
            )
            assert not history or json.loads(row["history_json"])["format"] == 2
            # opened, the lines are the saved ones; unfunded proposals are read from their source lines
            opened = json.loads(scenario.current.to_json())["lines"]
            assert [{k: v for k, v in x.items() if k != "unfunded"} for x in opened] == json.loads(state)[
                "lines"
            ]
            assert not scenario_store.baseline_changed(db, meta, scenario)
            assert not meta.orphaned  # the Stockholm frame came from an import, which moved too
        # every change-log entry, in order
        logs = {sid: scenario_store.change_log(db, sid) for sid in sorted({r[0] for r in old_logs})}
        new_logs = [
            (sid, *tuple(row))
            for sid, log in logs.items()
            for row in log[["logged_at", "author", "action", "detail"]].itertuples(index=False)
        ]
        # the typed names of before sign-in stay, marked as free text (issue 14), with no identity made up
        for log in logs.values():
            assert set(log.identity_kind) == {"free_text"}
            assert log.subject.isna().all() and log.email.isna().all()
        assert sorted(new_logs, key=lambda r: (r[0], r[1])) == sorted(old_logs, key=lambda r: (r[0], r[1]))
        assert [r[4] for r in new_logs if r[0] == old_scenarios[2][0]] == [
            r[4] for r in old_logs if r[0] == old_scenarios[2][0]
        ]
        # the imported rows: every allocation line the old file showed, the replaced Malmö frame-year included
        assert sorted(db.con.execute(ALLOCATION).fetchall()) == sorted(old_allocation)
        assert db.scalar(KS_2022) == 1_350_000
        assert (
            db.scalar("select sum(amount_sek) from main.allocation where municipality = 'Stockholm'")
            == 2_000_000
        )
        # the import log kept as history, plus the moved-in import
        log = db.work.import_log_rows()
        assert list(log.file[:2]) == ["v11_new_municipality.csv", "malmo-2022.csv"]
        assert list(log.action)[-1] == "import (flyttad från äldre databas)"
    finally:
        db.close()

    # the old file is left as it was, and a second start moves nothing twice
    assert hashlib.sha256(old_file.read_bytes()).hexdigest() == sha_before
    again = Database.open(legacy_var, database_url=store_url)
    try:
        assert len(scenario_store.list_scenarios(again)) == 2
        assert len(again.work.import_log_rows()) == len(log)
        assert again.scalar("select count(*) from main.allocation") == len(old_allocation)
        # the moved-in import can be undone like any other: the documents' Malmö 2022 comes back
        assert committer.undo_last(again, "Test")
        assert again.scalar(KS_2022) == 15_000_000
        assert again.scalar("select count(*) from main.allocation where municipality = 'Stockholm'") == 0
    finally:
        again.close()


def test_a_var_folder_moved_elsewhere_is_not_moved_in_twice(legacy_var, tmp_path):
    """Recorded by content, not by path: a restored or copied var folder does not double the imports."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first = Database.open(legacy_var, database_url=url)
    first.ensure_built()
    total = first.scalar("select sum(amount_sek) from main.allocation")
    first.close()
    moved = tmp_path / "moved"
    legacy_var.rename(moved)
    again = Database.open(moved, database_url=url)
    try:
        assert again.scalar("select sum(amount_sek) from main.allocation") == total
        assert len(again.work.import_log_rows()) == 3  # two old entries and one moved-in import, once
    finally:
        again.close()


def test_a_file_that_is_not_an_old_database_is_named_and_left_alone(tmp_path, capsys):
    from insatskollen import cli

    var = tmp_path / "var"
    var.mkdir()
    (var / "insatskollen.duckdb").write_bytes(b"")
    assert cli.main(["--var", str(var), "sql", "select 1"]) == 3
    err = capsys.readouterr().err
    assert (
        f"{var / 'insatskollen.duckdb'} är ingen DuckDB-databas" in err
        and "används av en annan process" not in err
    )
    assert (var / "insatskollen.duckdb").read_bytes() == b""
