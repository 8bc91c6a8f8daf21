"""The working store on SQLite and PostgreSQL: the migrations are the schema, imports supersede and undo
without deleting, and another process sees new imported rows on its next rerun while a rerun in
progress finishes on the old ones."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from insatskollen.ingest import committer, previewer
from insatskollen.store.db import POLL_SECONDS, Database
from insatskollen.store.working.tables import imported_rows, metadata
from tests.conftest import ROOT, published_read, published_var

CORPUS = ROOT / "tests" / "import_corpus" / "files"
MALMO_2025 = (CORPUS / "v01_mall_utf8.csv").read_bytes()  # Malmö 2025 KS, 1 350 000 kr in 3 lines
MALMO_2025_TOTAL = "select sum(amount_sek) from main.allocation where municipality = 'Malmö' and year = 2025"


def _open(tmp_path, url: str) -> Database:
    var = published_read(tmp_path / "var") if url else published_var(tmp_path / "var")
    db = Database.open(var, database_url=url)
    db.ensure_built()
    return db


def test_a_start_on_a_migrated_store_reads_its_version_and_loads_no_alembic(tmp_path):
    """The head the start compares with is Alembic's own, and a second start (a server's restart) migrates
    nothing and imports no Alembic (~12 MB of a server, issue 25); a new database is migrated as before."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from insatskollen.store.working import engine

    config = Config()
    config.set_main_option("script_location", str(engine.MIGRATIONS))
    assert engine.head_revision() == ScriptDirectory.from_config(config).get_current_head()
    url = f"sqlite:///{tmp_path / 'working.sqlite3'}"
    start = (
        "import sys; from insatskollen.store.working.engine import open_store; "
        f"open_store({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    first, second = (
        subprocess.run(
            [sys.executable, "-c", start], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    )
    assert (first.strip(), second.strip()) == ("True", "False")


def test_the_migrations_make_exactly_the_schema_the_code_uses(tmp_path, store_url):
    db = _open(tmp_path, store_url)
    try:
        with db.work.engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == "0001"
            assert compare_metadata(context, metadata) == []
    finally:
        db.close()


def test_import_replace_and_undo_supersede_and_restore_without_deleting(tmp_path, store_url):
    db = _open(tmp_path, store_url)
    try:
        assert db.scalar(MALMO_2025_TOTAL) is None
        committer.commit(db, previewer.preview(db, "malmo.csv", MALMO_2025), author="Anna")
        assert db.scalar(MALMO_2025_TOTAL) == 1_350_000
        bigger = MALMO_2025.replace(b"350 000", b"450 000")
        try:
            committer.commit(db, previewer.preview(db, "malmo-2.csv", bigger), author="Bo")
            raise AssertionError("a second import of the same year must ask to replace")
        except committer.ReplaceNeeded as needed:
            assert "Det finns redan importerad data för Malmö 2025" in str(needed)
        assert db.scalar(MALMO_2025_TOTAL) == 1_350_000  # refused: nothing changed
        committer.commit(db, previewer.preview(db, "malmo-2.csv", bigger), replace=True, author="Bo")
        assert db.scalar(MALMO_2025_TOTAL) == 1_450_000
        assert (
            db.scalar("select count(*) from main.allocation where municipality = 'Malmö' and year = 2025")
            == 3
        )
        assert committer.undo_last(db, "Cia")
        assert db.scalar(MALMO_2025_TOTAL) == 1_350_000  # the first import is back
        assert committer.undo_last(db, "Cia")
        assert db.scalar(MALMO_2025_TOTAL) is None
        assert not committer.undo_last(db, "Cia")
        log = db.work.import_log_rows()
        assert list(log.author) == ["Anna", "Bo", "Cia", "Cia"]
        assert list(log.action) == ["import", "import", "ångrade senaste import", "ångrade senaste import"]
        with db.work.engine.connect() as conn:  # nothing deleted: every row is still there, superseded
            kept = conn.execute(select(func.count()).select_from(imported_rows))
            assert kept.scalar_one() > 0
    finally:
        db.close()


def test_another_process_sees_an_import_on_its_next_rerun_and_a_rerun_in_progress_does_not(
    tmp_path, store_url
):
    server = _open(tmp_path, store_url)
    try:
        in_progress = server.pinned()
        assert in_progress.scalar(MALMO_2025_TOTAL) is None
        command = subprocess.run(
            [
                sys.executable,
                "-m",
                "insatskollen",
                "--var",
                str(tmp_path / "var"),
                "import",
                str(CORPUS / "v01_mall_utf8.csv"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "INSATSKOLLEN_DATABASE_URL": store_url},
        )
        assert command.returncode == 0, command.stderr
        time.sleep(POLL_SECONDS + 0.1)
        assert in_progress.scalar(MALMO_2025_TOTAL) is None  # the rerun in progress finishes on the old data
        assert server.pinned().scalar(MALMO_2025_TOTAL) == 1_350_000  # the next rerun has the import
    finally:
        server.close()


def test_two_processes_starting_at_once_on_a_new_store_both_start(tmp_path, store_url):
    script = (
        "import sys\nfrom insatskollen.store.db import Database\n"
        "db = Database.open(sys.argv[1], database_url=sys.argv[2]); db.ensure_built()\n"
        "print(db.scalar('select count(*) from main.allocation'))\n"
    )
    (tmp_path / "var").mkdir()
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / "var"), store_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in starts]
    assert [p.returncode for p in starts] == [0, 0, 0], [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["97", "97", "97"]
    assert len(list((tmp_path / "var" / "read").glob("rs-*.duckdb"))) == 1  # published once, not three times


def test_the_model_beside_the_precomputed_one_equals_the_model_computed_in_full(tmp_path):
    """With imported rows (one replacing a bundled frame-year), a snapshot puts the imported rows' own model
    beside the model precomputed at build; every row must be what a full computation gives."""
    from insatskollen.store import model

    db = _open(tmp_path, f"sqlite:///{tmp_path / 'w.sqlite3'}")
    try:
        malmo_2022 = MALMO_2025.replace(b"2025", b"2022")  # replaces the documents' Malmö 2022 KS frame
        committer.commit(db, previewer.preview(db, "malmo.csv", malmo_2022), replace=True)
        committer.commit(
            db, previewer.preview(db, "sthlm.csv", (CORPUS / "v11_new_municipality.csv").read_bytes())
        )
        con = db.con
        con.execute("create schema full_model")
        for path in model.sql_files(("01", "02", "03")):
            con.execute(path.read_text(encoding="utf-8").replace("model.", "full_model."))
        for name in model.MODEL_TABLES:
            expected = con.execute(f"select * from full_model.{name}").df()
            shown = con.execute(f"select * from model.{name}").df()
            assert sorted(
                map(repr, shown.astype(object).where(shown.notna(), None).itertuples(index=False))
            ) == sorted(
                map(repr, expected.astype(object).where(expected.notna(), None).itertuples(index=False))
            ), name
        assert db.scalar("select count(*) from model.allocation where measure = 'Thaiwise'") == 0
        assert db.scalar("select count(*) from model.measure_overview where title = 'Thaiwise'") == 0
    finally:
        db.close()


def test_the_command_line_says_what_it_undid_and_lists_the_imports(tmp_path, capsys):
    from insatskollen import cli

    var = str(tmp_path / "var")
    assert (
        cli.main(["--var", var, "import", str(CORPUS / "v11_new_municipality.csv"), "--author", "Anna"]) == 0
    )
    assert cli.main(["--var", var, "import", str(CORPUS / "v01_mall_utf8.csv"), "--author", "Bo"]) == 0
    capsys.readouterr()
    assert cli.main(["--var", var, "undo-import", "--author", "Cia"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Senaste importen är ångrad: v01_mall_utf8.csv (3 rader, importerad av Bo ")
    assert cli.main(["--var", var, "imports"]) == 0
    listed = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [(row[2], row[3], row[-2], row[-1]) for row in listed] == [
        ("import", "v11_new_municipality.csv", "Anna", "gäller"),
        ("import", "v01_mall_utf8.csv", "Bo", "ångrad"),
        ("ångrade", "senaste", "rader", "Cia"),
    ]
    assert cli.main(["--var", var, "import", str(tmp_path / "saknas.csv")]) == 1
    assert f"Filen {tmp_path / 'saknas.csv'} kan inte läsas: filen finns inte." in capsys.readouterr().err
