"""Bad settings (INSATSKOLLEN_VAR, INSATSKOLLEN_DATABASE_URL) get a message that says exactly what is
wrong, and create or change nothing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from insatskollen import cli
from tests.conftest import ROOT


def _run(path: Path, capsys) -> tuple[int, str]:
    code = cli.main(["--var", str(path), "check"])
    return code, capsys.readouterr().err


def test_a_file_is_not_a_var_folder(tmp_path, capsys):
    target = tmp_path / "budget.csv"
    target.write_bytes(b"Kommun;Belopp\nMalm\xc3\xb6;1\n")
    code, err = _run(target, capsys)
    assert code == 3
    assert f"{target} är en fil, inte en mapp (INSATSKOLLEN_VAR)" in err
    assert target.read_bytes() == b"Kommun;Belopp\nMalm\xc3\xb6;1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.csv"]


def test_a_missing_folder_is_not_created(tmp_path, capsys):
    target = tmp_path / "finns" / "inte" / "var"
    code, err = _run(target, capsys)
    assert code == 3
    assert f"Mappen {target.parent} finns inte" in err and "ingenting har skapats" in err
    assert not (tmp_path / "finns").exists()


def test_a_working_store_url_that_is_no_url(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", "inte en adress")
    code, err = _run(tmp_path / "var", capsys)
    assert code == 3
    assert "INSATSKOLLEN_DATABASE_URL är ingen giltig databasadress" in err


def test_a_postgresql_server_that_does_not_answer(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(
        "INSATSKOLLEN_DATABASE_URL",
        "postgresql+psycopg://insatskollen@127.0.0.1:1/insatskollen?connect_timeout=2",
    )
    code, err = _run(tmp_path / "var", capsys)
    assert code == 3
    assert "Arbetsdatabasen postgresql+psycopg://insatskollen@127.0.0.1:1/insatskollen" in err
    assert "kan inte nås" in err
    assert "Traceback" not in err


def test_another_kind_of_file_as_the_sqlite_working_store_is_left_alone(tmp_path, capsys, monkeypatch):
    target = tmp_path / "budget.sqlite3"
    target.write_bytes(b"Kommun;Belopp\nMalm\xc3\xb6;1\n" * 100)
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", f"sqlite:///{target}")
    code, err = _run(tmp_path / "var", capsys)
    assert code == 3
    assert f"Arbetsdatabasen sqlite:///{target} kan inte användas" in err
    assert "file is not a database" in err
    assert target.read_bytes() == b"Kommun;Belopp\nMalm\xc3\xb6;1\n" * 100


def test_the_app_explains_a_bad_setting_instead_of_a_traceback(tmp_path, monkeypatch):
    import streamlit as st

    target = tmp_path / "a-file"
    target.write_text("x")
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(target))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    assert any("är en fil, inte en mapp" in e.value for e in at.error)


def test_a_command_pointed_at_another_working_store_than_the_servers_is_refused(
    tmp_path, capsys, monkeypatch
):
    """An administrator who forgets INSATSKOLLEN_DATABASE_URL would import where no server reads."""
    var = tmp_path / "var"
    monkeypatch.delenv("INSATSKOLLEN_DATABASE_URL", raising=False)
    assert cli.main(["--var", str(var), "check"]) == 0  # the servers' store: SQLite in var
    capsys.readouterr()
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", other)
    corpus = ROOT / "tests" / "import_corpus" / "files" / "v11_new_municipality.csv"
    code, err = cli.main(["--var", str(var), "import", str(corpus)]), capsys.readouterr().err
    assert code == 3
    assert f"Läsdatabasen i {var / 'read'} används tillsammans med arbetsdatabasen sqlite:///{var}" in err
    assert f"men det här kommandot skulle använda {other}" in err and "Kommandot har inte körts." in err
    monkeypatch.delenv("INSATSKOLLEN_DATABASE_URL")
    assert cli.main(["--var", str(var), "sql", "select count(*) from allocation where year = 2025"]) == 0
    assert capsys.readouterr().out.splitlines()[1].strip() == "0"  # nothing was imported anywhere it shows
    # build binds the read store to the store it is run with, on purpose
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", other)
    assert cli.main(["--var", str(var), "build"]) == 0
    assert cli.main(["--var", str(var), "import", str(corpus)]) == 0


def test_duckdbs_memory_is_bounded_per_process_and_a_bad_limit_is_said(tmp_path, capsys, monkeypatch):
    """Issue 16: a server process's DuckDB has a memory limit (default 256MB) and spills to a folder of its own,
    removed when the snapshot closes; a limit DuckDB does not understand stops with a Swedish message."""
    from insatskollen.store.db import Database

    db = Database.open(tmp_path / "var")
    db.ensure_built()
    snapshot = db.snapshot
    assert db.scalar("select current_setting('memory_limit')") == "244.1 MiB"  # 256 MB as DuckDB writes it
    spill = Path(db.scalar("select current_setting('temp_directory')"))
    assert spill.is_dir() and spill.name.startswith("insatskollen-duckdb-")
    db.close()
    snapshot.close()
    assert not spill.exists()

    for value in ("mycket", "80%", "-1", "1KB", "64MB"):  # '80%' and '-1' would lift the bound silently
        monkeypatch.setenv("INSATSKOLLEN_DUCKDB_MEMORY", value)
        code, err = _run(tmp_path / "var", capsys)
        assert code == 3, value
        assert (
            f"INSATSKOLLEN_DUCKDB_MEMORY={value!r} är ingen minnesgräns som Insatskollen kan använda: skriv en "
            "storlek på minst 128MB, t.ex. 256MB eller 1GB."
        ) in err
    monkeypatch.setenv("INSATSKOLLEN_DUCKDB_MEMORY", "1GB")
    db = Database.open(tmp_path / "var")
    assert db.scalar("select current_setting('memory_limit')") == "953.6 MiB"
    db.close()
