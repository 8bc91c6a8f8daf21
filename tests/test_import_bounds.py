"""Every corpus file is read within a memory and time bound, in a child process, with the expected
outcome; a file that needs more gets a Swedish message; a refused file writes nothing."""

from __future__ import annotations

import pytest

from insatskollen import cli, import_read
from insatskollen.db import Database
from insatskollen.errors import DataError
from tests.test_import import CASES, CORPUS

CAP_BYTES = 300_000_000  # address space of the reading process: Python itself plus the file's rows
CAP_SECONDS = 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_corpus_file_is_read_within_the_bounds(name):
    case = CASES[name]
    data = (CORPUS / "files" / name).read_bytes()
    limit = case.get("max_bytes", 5_000_000)
    try:
        result = import_read.read_bounded(name, data, limit, seconds=CAP_SECONDS, memory_bytes=CAP_BYTES)
    except DataError as error:
        messages = [str(p) for p in error.problems]
        assert "tog för lång tid" not in messages[0] and "för mycket minne" not in messages[0], messages
        if case["ok"]:
            pytest.fail(f"{name} should be readable: {messages}")
        return  # the validator's own messages are checked through the CLI and the page
    if not case["ok"]:
        assert result.body or result.header  # refused later, by the validator, not the reader
    else:
        assert len(result.body) == case["rows"]


def test_a_reader_over_its_memory_cap_says_so_in_swedish():
    data = (CORPUS / "files" / "h19_ten_thousand_rows.csv").read_bytes()
    with pytest.raises(DataError) as caught:
        # a generous time limit: this is about the memory message, and a loaded CI machine can be slow
        import_read.read_bounded("stor.csv", data, 5_000_000, memory_bytes=30_000_000, seconds=120)
    assert str(caught.value.problems[0]) == (
        "stor.csv: filen kräver för mycket minne för att läsas; spara om den som CSV"
    )


def test_a_reader_over_its_time_limit_is_stopped_with_a_swedish_message():
    data = (CORPUS / "files" / "h19_ten_thousand_rows.csv").read_bytes()
    with pytest.raises(DataError) as caught:
        import_read.read_bounded("lång.csv", data, 5_000_000, seconds=0.05)
    assert "filen tog för lång tid att läsa (mer än 1 sekunder)" in str(caught.value.problems[0])


def test_refused_files_write_nothing(tmp_path, capsys):
    path = tmp_path / "intakt.duckdb"
    db = Database.open(path)
    db.ensure_built()
    before = db.scalar("select count(*) from main.allocation"), db.built_version()
    db.close()
    refused = [n for n, c in sorted(CASES.items()) if not c["ok"] and n.startswith("h")]
    assert len(refused) >= 20
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
