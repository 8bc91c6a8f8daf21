"""A bad INSATSKOLLEN_DB gets a message that says exactly what is wrong, and creates nothing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from insatskollen import cli
from tests.conftest import ROOT


def _run(path: Path, capsys) -> tuple[int, str]:
    code = cli.main(["--db", str(path), "check"])
    return code, capsys.readouterr().err


def test_a_folder_is_not_a_database(tmp_path, capsys):
    code, err = _run(tmp_path, capsys)
    assert code == 3
    assert f"{tmp_path} är en mapp, inte en databasfil" in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_not_created(tmp_path, capsys):
    target = tmp_path / "finns" / "inte" / "db.duckdb"
    code, err = _run(target, capsys)
    assert code == 3
    assert f"Mappen {target.parent} finns inte" in err and "ingenting har skapats" in err
    assert not (tmp_path / "finns").exists()


def test_another_kind_of_file_is_left_alone(tmp_path, capsys):
    target = tmp_path / "budget.duckdb"
    target.write_bytes(b"Kommun;Belopp\nMalm\xc3\xb6;1\n")
    code, err = _run(target, capsys)
    assert code == 3
    assert f"{target} är ingen DuckDB-databas" in err
    assert "används av en annan process" not in err
    assert target.read_bytes() == b"Kommun;Belopp\nMalm\xc3\xb6;1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.duckdb"]


def test_the_app_explains_a_bad_database_setting_instead_of_a_traceback(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("INSATSKOLLEN_DB", str(tmp_path))  # a folder
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    assert any("är en mapp, inte en databasfil" in e.value for e in at.error)
