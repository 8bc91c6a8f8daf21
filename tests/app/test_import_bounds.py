"""A file that needs more memory or time than its reading process may use gets a Swedish message; a refused
file writes nothing. (Every corpus file is read within a memory and time bound with its expected outcome in
tests/app/test_import.py::test_corpus_through_the_import_core.)"""

from __future__ import annotations

import difflib
import html
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import streamlit as st

from insatskollen import cli
from insatskollen.core import fmt
from insatskollen.core.errors import MAX_COLLECTED, DataError
from insatskollen.ingest import kolada_file, previewer, template
from insatskollen.ingest import reader as import_read
from insatskollen.store.db import Database
from tests.app.test_import import CASES, CORPUS, MIME
from tests.app_kit import open_app
from tests.conftest import published_var


def test_a_reader_over_its_memory_cap_says_so_in_swedish():
    data = (CORPUS / "files" / "h19_ten_thousand_rows.csv").read_bytes()
    with pytest.raises(DataError) as caught:
        # a generous time limit: this is about the memory message, and a loaded CI machine can be slow
        import_read.read_bounded("stor.csv", data, 5_000_000, memory_bytes=30_000_000, seconds=120)
    assert str(caught.value.problems[0]) == (
        "stor.csv: filen kräver för mycket minne för att läsas; spara om den som CSV"
    )


def test_capped_readers_side_by_side_fail_fast_in_swedish():
    """At its RLIMIT_AS a process crawls instead of failing: small allocations fail and succeed by turns,
    each after failed system calls. The test above once spent its 120 s there in CI; four such readers
    side by side reproduced it (three of four still at line ~330 after a minute). Now each says the memory
    message within seconds, never the time one."""
    data = (CORPUS / "files" / "h19_ten_thousand_rows.csv").read_bytes()

    def read(_: int) -> tuple[str, float]:
        started = time.monotonic()
        try:
            import_read.read_bounded("stor.csv", data, 5_000_000, memory_bytes=30_000_000, seconds=60)
        except DataError as error:
            return str(error.problems[0]), time.monotonic() - started
        return "lästes", time.monotonic() - started

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(read, range(4)))
    assert [message for message, _ in outcomes] == [
        "stor.csv: filen kräver för mycket minne för att läsas; spara om den som CSV"
    ] * 4, outcomes
    assert max(seconds for _, seconds in outcomes) < 45, outcomes


def test_a_reader_over_its_time_limit_is_stopped_with_a_swedish_message():
    data = (CORPUS / "files" / "h19_ten_thousand_rows.csv").read_bytes()
    with pytest.raises(DataError) as caught:
        import_read.read_bounded("lång.csv", data, 5_000_000, seconds=0.05)
    assert "filen tog för lång tid att läsa (mer än 1 sekunder)" in str(caught.value.problems[0])


def test_refused_files_write_nothing(tmp_path, capsys):
    path = tmp_path / "intakt.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    before = db.scalar("select count(*) from main.allocation"), db.built_version()
    db.close()
    # a handful through the command line, one per way of being refused (issue 24: every corpus file's own
    # refusal is test_import.py::test_corpus_through_the_import_core; this is that a refusal writes nothing)
    refused = [
        "h02_zip_bomb_shared_string.xlsx",  # a bound while unpacking
        "h09_entity_expansion.xlsx",  # hostile XML
        "h24_unterminated_quote.csv",  # a CSV that does not parse
        "h27_undefined_windows_1252_byte.csv",  # an encoding
        "h07_text_in_numeric_cell.xlsx",  # parses, a value is wrong
    ]
    assert all(not CASES[name]["ok"] for name in refused)
    for name in refused:
        assert cli.main(["--var", str(path), "import", str(CORPUS / "files" / name)]) == 1, name
    capsys.readouterr()
    again = Database.open(path)
    after = again.scalar("select count(*) from main.allocation"), again.built_version()
    again.close()
    assert after == before


def test_the_corpus_has_at_least_eighty_files():
    assert len(CASES) >= 80
    assert sum(not c["ok"] for c in CASES.values()) >= 50


# ------------------------------------------------------------------ issue 21: every path, bounded after reading

FILES = CORPUS / "files"
EMPTY_CELLS = "h60_row_of_thirteen_million_empty_cells.xlsx"
EMPTY_CELLS_PROBLEM = (
    f"{EMPTY_CELLS}, rad 3: raden har fler celler än Excel tillåter (16 384); filen är inte sparad av Excel. "
    "Kopiera de ifyllda cellerna till ett nytt blad eller spara som CSV"
)
KOLADA_EXPORT = "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\nN07403;Anmälda våldsbrott;0580;2021;1 090,1\n"


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    path = tmp_path_factory.mktemp("bounds") / "var"
    database = Database.open(published_var(path))
    database.ensure_built()
    database.close()
    return path


@pytest.fixture
def db(var):
    database = Database.open(var)
    yield database
    database.close()


@pytest.fixture
def page_app(tmp_path, monkeypatch):
    """The Importera page in AppTest, which runs the page in this process (as the server does)."""
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(published_var(tmp_path / "bounds-page")))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_app("pages/importera.py")
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def nothing_read_here(monkeypatch):
    """This process must not parse an upload: only the child process (its own interpreter) may."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("en uppladdad fil lästes i serverprocessen")

    monkeypatch.setattr(import_read, "read_rows", refuse)


def test_every_upload_path_reads_in_the_bounded_child(db, nothing_read_here):
    """The Importera page and `import` (previewer.preview), follow-up files (the same preview) and Kolada
    exports all read through the capped child process, never in the server's own."""
    measures = previewer.preview(db, "v01.csv", (FILES / "v01_mall_utf8.csv").read_bytes())
    assert (len(measures.rows), measures.rows["Belopp (kr)"].sum()) == (3, 1_350_000)
    with pytest.raises(DataError) as follow_up:  # read (by the child) and validated as a follow-up file
        previewer.preview(db, "uppf.csv", template.follow_up_csv())
    assert [str(p) for p in follow_up.value.problems] == [
        'uppf.csv, rad 2, kolumn Kommun: värdet "EXEMPEL (skriv er kommun)" – förväntat en av Sveriges 290 '
        "kommuner, eller kommunkod i kolumnen Kommunkod."
    ]
    parsed = kolada_file.read_export("kolada.csv", KOLADA_EXPORT.encode())
    assert [(r["kpi_id"], r["municipality_code"], r["period"], r["value"]) for r in parsed.rows] == [
        ("N07403", "0580", 2021, 1090.1)
    ]


def test_the_page_reads_in_the_bounded_child(page_app, nothing_read_here):
    at = page_app
    data = (FILES / "v01_mall_utf8.csv").read_bytes()
    at.file_uploader(key="import_file").set_value(("v01.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rader"], metrics["Totalt"]) == ("3", fmt.sek(1_350_000))


def test_the_page_and_the_cli_refuse_a_row_of_thirteen_million_empty_cells_alike(page_app, var, capsys):
    """52 kB that the page used to read in the server (288 -> 1 380 MB for ~40 s, then accepted)."""
    data = (FILES / EMPTY_CELLS).read_bytes()
    at = page_app
    at.file_uploader(key="import_file").set_value((EMPTY_CELLS, data, MIME[".xlsx"])).run()
    assert [html.unescape(e.value) for e in at.error] == [
        f"**Filen {EMPTY_CELLS} kan inte importeras.** Ingenting har sparats. 1 fel:"
    ]
    assert f"- {EMPTY_CELLS_PROBLEM}" in [html.unescape(m.value) for m in at.markdown]
    assert not at.metric  # no preview
    assert cli.main(["--var", str(var), "import", str(FILES / EMPTY_CELLS), "--dry-run"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Filen {EMPTY_CELLS} kan inte importeras (1 fel). Ingenting har ändrats i databasen.",
        f"- {EMPTY_CELLS_PROBLEM}",
    ]


def test_problems_are_kept_up_to_a_cap_and_the_rest_counted(db):
    """9 999 rows of nine wrong values: 200 problems kept, 59 994 counted (any text is a funding source now), no suggestions looked for."""
    with pytest.raises(DataError) as caught:
        previewer.preview(db, "fel.xlsx", (FILES / "h63_ten_thousand_rows_of_wrong_values.xlsx").read_bytes())
    error = caught.value
    assert (len(error.problems), error.total) == (MAX_COLLECTED, 59_994)
    text = str(error)
    assert text.startswith(
        "Filen fel.xlsx kan inte importeras (59994 fel). Ingenting har ändrats i databasen."
    )
    assert text.endswith("… och 59944 fel till.")


def test_an_over_long_text_is_refused_before_any_matching(db, monkeypatch):
    """1 200-character names: each refused by its length alone; no fuzzy match ("Menade du …?") is tried."""

    def no_matching(*_args, **_kwargs):
        raise AssertionError("en för lång text jämfördes med kända namn")

    monkeypatch.setattr(difflib, "get_close_matches", no_matching)
    with pytest.raises(DataError) as caught:
        previewer.preview(db, "lång.xlsx", (FILES / "h62_thousand_rows_of_long_names.xlsx").read_bytes())
    error = caught.value
    assert error.total == 3_996 and len(error.problems) == MAX_COLLECTED
    assert [str(p) for p in error.problems[:4]] == [
        f'lång.xlsx, rad 2, kolumn {column}: värdet "{"N" * 40}" – förväntat högst {limit} tecken'
        for column, limit in (("Kommun", 300), ("Finansieringskälla", 120), ("Insats", 300), ("Område", 300))
    ]


def test_the_childs_answer_is_bounded_before_it_is_built():
    """40 000 cells pointing at one 4 990-character text made ~200 MB of JSON (and a MemoryError in the
    child's json.dumps, printed as an English traceback): refused once the kept text passes the limit."""
    data = (FILES / "h61_forty_thousand_cells_of_one_long_text.xlsx").read_bytes()
    with pytest.raises(DataError) as caught:
        import_read.read_bounded("text.xlsx", data, 5_000_000)
    assert [str(p) for p in caught.value.problems] == [
        "text.xlsx, rad 168: filen har mer text än en import får ha (mer än 5 000 000 tecken i cellerna "
        "sammanlagt); dela upp den i flera filer"
    ]


@pytest.mark.parametrize(
    ("returncode", "stdout", "stderr", "expected"),
    [
        (-signal.SIGKILL, b"", b"", "filen kräver för mycket minne för att läsas; spara om den som CSV"),
        (1, b"", b"Traceback (most recent call last):\nMemoryError\n", "filen kräver för mycket minne"),
        (-signal.SIGXCPU, b"", b"", "filen tog för lång tid att läsa (mer än 20 sekunder)"),
        (1, b"", b"Timeout (0:00:18)!\nThread 0x1 (most recent call first):\n", "filen tog för lång tid"),
        (
            0,
            b'{"ok": {"header": []}}',
            b"",
            "filen kunde inte läsas; spara om den som CSV (UTF-8) eller .xlsx",
        ),
        (0, b'{"ok": 1', b"", "filen kräver för mycket minne"),
        (0, b" " * (import_read.MAX_ANSWER_BYTES + 1), b"", "filen ger mer text än en import får vara"),
    ],
)
def test_every_way_a_child_ends_is_a_swedish_message(returncode, stdout, stderr, expected, caplog):
    done = subprocess.CompletedProcess([], returncode, stdout, stderr)
    with pytest.raises(DataError) as caught:
        import_read._answer("fil.xlsx", done, 20)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"fil.xlsx: {expected}")
    if stderr:
        assert stderr.decode().splitlines()[0] in caplog.text  # the details go to the server's log


@pytest.mark.parametrize("megabytes", [1, 25, 40])
def test_a_child_out_of_memory_anywhere_prints_only_swedish_in_the_cli(megabytes, var, capsys, monkeypatch):
    """However early the cap bites (before reading, while reading, while writing the answer), `import` says
    the one Swedish sentence and nothing English (before, the child's traceback reached the terminal)."""
    monkeypatch.setattr(import_read, "READ_MEMORY_BYTES", megabytes * 1_000_000)
    name = "h19_ten_thousand_rows.csv"
    assert cli.main(["--var", str(var), "import", str(FILES / name), "--dry-run"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Filen {name} kan inte importeras (1 fel). Ingenting har ändrats i databasen.",
        f"- {name}: filen kräver för mycket minne för att läsas; spara om den som CSV",
    ]
