"""The command line under attack (issue 13 review): `sql` runs one SELECT within bounds, damaged read-store
files heal on the next command, settings that would lose work or show a password are refused, and two
imports racing for the same municipality-year cannot both land without a confirmed replace."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from insatskollen import cli
from insatskollen.ingest import committer, previewer
from insatskollen.store import snapshot
from insatskollen.store.db import Database
from insatskollen.store.working.imports import ImportConflict
from tests.conftest import ROOT, published_var

CORPUS = ROOT / "tests" / "import_corpus" / "files"
OUT_OF_MEMORY = (
    "Frågan behöver mer minne än sql får använda (1 GB för frågan; DuckDB:s egen gräns är 256MB, "
    "INSATSKOLLEN_DUCKDB_MEMORY). Begränsa den (färre kolumner, kortare texter eller limit)."
)


@pytest.fixture
def var(tmp_path, monkeypatch):
    """A var folder of the test's own with the bundled data published: a copy of the process's one build
    (conftest.published_var) instead of a `check` that builds it again for each of the ~30 tests here.
    That the bundled data passes `check` is tests/store/test_check.py's."""
    monkeypatch.delenv("INSATSKOLLEN_DATABASE_URL", raising=False)
    return published_var(tmp_path / "var")


def run(var, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--var", str(var), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "query",
    [
        "delete from allocation",
        "select 1; select 2",
        "pragma database_list",
        "set threads = 1",
        "attach 'x.duckdb' as x",
        "copy allocation to 'x.csv'",
        "with x as (select 1) insert into allocation select * from allocation",
        "",
    ],
)
def test_sql_runs_only_one_select(var, capsys, query):
    code, _, err = run(var, capsys, "sql", query)
    assert code == 1
    assert err.strip() == "Frågan måste vara en enda SELECT-sats (bara läsning)."


@pytest.mark.parametrize(
    "query", ["select * from read_csv('/etc/passwd')", "select * from read_text('/etc/hostname')"]
)
def test_sql_cannot_read_files(var, capsys, query):
    code, _, err = run(var, capsys, "sql", query)
    assert code == 1 and err.startswith("Frågan kunde inte köras. DuckDB svarar: ")
    assert "Traceback" not in err


def test_sql_is_bounded_in_rows_and_time(var, capsys):
    code, _, err = run(var, capsys, "sql", "select * from range(100)", "--max-rader", "10")
    assert (code, err.strip()) == (
        1,
        "Frågan ger fler än 10 rader. Begränsa den (t.ex. med limit eller group by), eller tillåt fler med --max-rader.",
    )
    code, _, err = run(var, capsys, "sql", "select count(*) from range(100000000000)", "--tidsgrans", "1")
    assert code == 1 and err.startswith("Frågan avbröts efter 1 sekunder.")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--max-rader",
            "99999999999999999999",
            "--max-rader måste vara ett heltal från 1 till 2\xa0000\xa0000, inte ”99999999999999999999”.",
        ),
        ("--max-rader", "0", "--max-rader måste vara ett heltal från 1 till 2\xa0000\xa0000, inte ”0”."),
        ("--max-rader", "tio", "--max-rader måste vara ett heltal från 1 till 2\xa0000\xa0000, inte ”tio”."),
        ("--max-rader", "٢", "--max-rader måste vara ett heltal från 1 till 2\xa0000\xa0000, inte ”٢”."),
        (
            "--tidsgrans",
            "inf",
            "--tidsgrans måste vara ett antal sekunder större än 0 och högst 3\xa0600, inte ”inf”.",
        ),
        (
            "--tidsgrans",
            "nan",
            "--tidsgrans måste vara ett antal sekunder större än 0 och högst 3\xa0600, inte ”nan”.",
        ),
        (
            "--tidsgrans",
            "-1",
            "--tidsgrans måste vara ett antal sekunder större än 0 och högst 3\xa0600, inte ”-1”.",
        ),
        (
            "--tidsgrans",
            "3601",
            "--tidsgrans måste vara ett antal sekunder större än 0 och högst 3\xa0600, inte ”3601”.",
        ),
    ],
)
def test_sql_options_out_of_bounds_get_a_swedish_message_and_never_lift_the_limits(
    var, capsys, option, value, message
):
    """Issue 21: `--max-rader 99999999999999999999` and `--tidsgrans inf` gave tracebacks, the latter
    running the query without a time limit."""
    code, out, err = run(var, capsys, "sql", "select 1", option, value)
    assert (code, out, err.strip()) == (1, "", message)


def test_sql_takes_a_time_limit_with_a_decimal_comma(var, capsys):
    code, out, _ = run(var, capsys, "sql", "select 1 as a", "--tidsgrans", "1,5")
    assert (code, out) == (0, "a\n1\n(1 rad)\n")


def test_sql_output_is_bounded_in_bytes(var, capsys, monkeypatch):
    """The text sql converts and prints is capped (100 MB; 1 MB here), whatever the row count."""
    monkeypatch.setattr(snapshot, "MAX_SELECT_BYTES", 2**20)
    code, out, err = run(var, capsys, "sql", "select repeat('x', 1000) from range(2000)")
    assert (code, out, err.strip()) == (
        1,
        "",
        "Frågan ger mer än 1 MB text, det mesta som sql skriver ut. Begränsa den (färre kolumner, kortare "
        "texter eller limit), eller hämta resultatet i delar med limit och offset.",
    )
    code, out, _ = run(var, capsys, "sql", "select repeat('x', 1000) from range(900)", "--format", "csv")
    assert code == 0 and out.count("\n") == 901


def test_sql_table_format_never_pads_rows_to_one_long_value(var, capsys):
    """An attack after issue 21: one 1 MB value padded each of 2 000 000 rows in the table format to its width
    (~33 min of printing after the query's time limit had ended). A column is at most 200 characters wide,
    and the table says that long values are shortened; CSV prints them whole."""
    query = "select case when range = 0 then repeat('x', 100000) else 'a' end as c from range(50)"
    code, out, _ = run(var, capsys, "sql", query)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 1 + 50 + 2
    assert lines[1] == "x" * 199 + "…" and lines[2] == "a"  # no row padded to the long value
    assert (
        lines[-1]
        == "Värden längre än 200 tecken är förkortade med … i tabellen; --format csv visar dem hela."
    )
    assert max(len(line) for line in lines) <= 200 + 100
    code, out, _ = run(var, capsys, "sql", query, "--format", "csv")
    assert code == 0 and "x" * 100_000 in out


def test_sql_memory_is_bounded_even_for_long_texts(var, tmp_path):
    """Issue 21: `select repeat('x', 1000000) from range(3000)` (3 GB of text) took the CLI to 5,6 GB:
    DuckDB's memory_limit does not cover a result's texts. The command caps its own memory at 1 GB."""
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:
        pid = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "insatskollen",
                "--var",
                str(var),
                "sql",
                "select repeat('x', 1000000) from range(3000)",
            ],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        ).pid
        _, status, usage = os.wait4(pid, 0)  # the child's own peak memory, not the other children's
    assert (os.waitstatus_to_exitcode(status), out.read_text(), err.read_text().strip()) == (
        1,
        "",
        OUT_OF_MEMORY,
    )
    assert usage.ru_maxrss * 1024 < 1.3 * 2**30  # ru_maxrss is in kB


def test_sql_stops_a_query_building_one_huge_value(var, capsys):
    """A 200-million-element list: without the cap DuckDB took 9,5 GB and was still running after 10 minutes
    (its memory_limit does not cover it)."""
    code, out, err = run(var, capsys, "sql", "select list(range(200000000))")
    assert (code, out, err.strip()) == (1, "", OUT_OF_MEMORY)


@pytest.mark.parametrize("damage", ["garbage", "empty object", "a path", "truncated file", "missing file"])
def test_a_damaged_read_store_heals_on_the_next_command(var, capsys, damage):
    read = var / "read"
    current = read / "CURRENT"
    published = next(read.glob("rs-*.duckdb"))
    if damage == "garbage":
        current.write_text("x{")
    elif damage == "empty object":
        current.write_text("{}")
    elif damage == "a path":
        current.write_text('{"file": "../working.sqlite3", "data_version": "x", "published_at": "y"}')
    elif damage == "truncated file":
        with published.open("r+b") as handle:
            handle.truncate(100_000)
    else:
        published.unlink()
    code, out, err = run(var, capsys, "sql", "select count(*) from allocation")
    assert code == 0, err
    assert out.splitlines()[1].strip() == "97"


def test_settings_that_would_lose_work_or_show_a_password_are_refused(var, capsys, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", "sqlite://")
    code, _, err = run(var, capsys, "imports")
    assert code == 3 and "SQLite-databas i minnet" in err
    monkeypatch.setenv(
        "INSATSKOLLEN_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/x?password=HEMLIGT&connect_timeout=2"
    )
    code, _, err = run(var, capsys, "imports")
    assert code == 3 and "kan inte nås" in err and "HEMLIGT" not in err
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", "postgresql+psycopg://u@h:notaport/x")
    code, _, err = run(var, capsys, "imports")
    assert code == 3 and "INSATSKOLLEN_DATABASE_URL är ingen giltig databasadress" in err


def test_an_author_with_control_characters_is_refused_with_a_message(var, capsys):
    code, _, err = run(
        var, capsys, "import", str(CORPUS / "v11_new_municipality.csv"), "--author", "Anna\x01"
    )
    assert code == 1 and "Namnet på den som importerar innehåller otillåtna tecken (styrtecken)." in err


def test_an_import_that_lands_meanwhile_is_not_silently_replaced(var):
    """The check for earlier imported data is made again inside the writing transaction."""
    db = Database.open(var)
    try:
        data = (CORPUS / "v01_mall_utf8.csv").read_bytes()
        first = previewer.preview(db, "a.csv", data)
        second = previewer.preview(db, "b.csv", data.replace(b"350 000", b"360 000"))
        committer.commit(db, first, author="A")
        with pytest.raises(ImportConflict):
            db.work.commit_import(
                file="b.csv",
                author="B",
                rows=3,
                action="import",
                tables={},
                municipality_years=[(c, y) for c, _n, y in second.municipality_years],
                replaces=[],
                replace=False,
            )
        assert db.scalar("select sum(amount_sek) from main.allocation where year = 2025") == 1_350_000
    finally:
        db.close()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["sql", "--format", "xml", "select 1"],
            "python -m insatskollen sql: fel: argumentet --format: ogiltigt val 'xml' (välj bland 'table', 'csv')",
        ),
        (["check", "--bogus"], "python -m insatskollen: fel: okända argument: --bogus"),
        (
            ["check", "--ar", "tjugo"],
            "python -m insatskollen check: fel: argumentet --ar: 'tjugo' är inte ett heltal",
        ),
        ([], "python -m insatskollen: fel: följande argument måste anges: KOMMANDO"),
        (["users"], "python -m insatskollen users: fel: följande argument måste anges: kommando"),
        (["sql"], "python -m insatskollen sql: fel: följande argument måste anges: FRÅGA"),
        (["nonsens"], "python -m insatskollen: fel: argumentet KOMMANDO: ogiltigt val 'nonsens' (välj bland"),
    ],
)
def test_a_mistyped_command_is_told_in_swedish(args, said, capsys):
    """argparse's own messages ("usage:", "error: … invalid choice") are English; a user reads Swedish."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert err.startswith("användning: python -m insatskollen")
    assert said in err
    assert "usage" not in err and "error" not in err and "invalid" not in err


def test_help_is_swedish(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "-h"])
    out = capsys.readouterr().out
    assert "flaggor:" in out and "visa den här hjälpen och avsluta" in out
    assert "options" not in out and "show this help" not in out
