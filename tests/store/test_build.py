"""`build`: validation messages name file, line, column, value and expectation; failure changes nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from insatskollen.core.errors import DataError
from insatskollen.store.db import DATA_DIR, Database
from tests.conftest import ROOT


def _replace_line(path, startswith: str, new_line: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1  # 1-based line number


def _edit(path, startswith: str, old: str, new: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


@pytest.fixture
def built(tmp_path):
    database = Database.open(tmp_path / "test.duckdb")
    database.build(DATA_DIR)
    yield database
    database.close()


def _problems(data_dir) -> list[str]:
    database = Database.open(":memory:")
    with pytest.raises(DataError) as info:
        database.build(data_dir)
    return [str(p) for p in info.value.problems]


def test_bundled_data_builds(built):
    assert built.scalar("select count(*) from main.measures") == 54
    assert built.scalar("select count(*) from main.allocations") == 63
    assert built.built_version()


def test_non_number_amount_names_file_line_column_value_and_expectation(data_copy):
    line = _edit(data_copy / "allocations.csv", "a-mal-01,", ",1000000,", ",en miljon,")
    assert _problems(data_copy) == [
        f'{data_copy}/allocations.csv, rad {line}, kolumn amount_sek: värdet "en miljon" '
        "– förväntat ett heltal, t.ex. 1500000"
    ]


def test_negative_amount_is_refused(data_copy):
    line = _edit(data_copy / "frames.csv", "mal-ks,", ",15000000,", ",-15000000,")
    assert _problems(data_copy) == [
        f'{data_copy}/frames.csv, rad {line}, kolumn amount_sek: värdet "-15000000" '
        "– förväntat ett värde mellan 0 och 100000000000"
    ]


def test_unknown_reference_lists_what_exists(data_copy):
    line = _edit(data_copy / "measures.csv", "mal-04,", ",mal-frn,", ",mal-okand,")
    [problem] = _problems(data_copy)
    assert problem.startswith(
        f'{data_copy}/measures.csv, rad {line}, kolumn committee_id: värdet "mal-okand" '
        f"– förväntat ett värde som finns i {data_copy}/committees.csv (committee_id), t.ex. "
    )


def test_unknown_area_and_status_are_refused(data_copy):
    area_line = _edit(data_copy / "measure_links.csv", "mal-03,", "mal-03,Boende,", "mal-03,Bostad,")
    status_line = _edit(data_copy / "measures.csv", "mot-01,", ",planerad,", ",pågår,")
    problems = _problems(data_copy)
    assert any(
        p.startswith(
            f"{data_copy}/measure_links.csv, rad {area_line}, kolumn priority_area: "
            'värdet "Bostad" – förväntat ett värde som finns i'
        )
        for p in problems
    )
    assert any(
        p.startswith(
            f"{data_copy}/measures.csv, rad {status_line}, kolumn status: "
            'värdet "pågår" – förväntat ett värde som finns i'
        )
        for p in problems
    )


def test_duplicate_key_is_reported_on_both_lines(data_copy):
    path = data_copy / "committees.csv"
    text = path.read_text(encoding="utf-8")
    duplicate = next(line for line in text.splitlines() if line.startswith("mal-kn,"))
    path.write_text(text + duplicate + "\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert len(problems) == 2
    assert all(
        'kolumn committee_id: värdet "mal-kn" – förväntat ett unikt värde på committee_id' in p
        for p in problems
    )


def test_ragged_row_is_reported_with_its_line(data_copy):
    line = _edit(data_copy / "statuses.csv", "planerad,", "planerad,", "planerad,extra,")
    assert _problems(data_copy) == [
        f"{data_copy}/statuses.csv, rad {line}: filen kunde inte läsas: 3 fält per rad (raden har 4)"
    ]


def test_missing_file_and_wrong_header(data_copy):
    (data_copy / "statistics.csv").unlink()
    _replace_line(data_copy / "funding_sources.csv", "funding_source,", "source,kind,description")
    assert _problems(data_copy) == [
        f'{data_copy}/funding_sources.csv, rad 1: värdet "source,kind,description" – förväntat '
        "kolumnrubrikerna funding_source, kind, description (saknas: funding_source; okända: source)",
        f"{data_copy}/statistics.csv: filen saknas",
    ]


def test_area_label_must_agree_with_its_primary_area(data_copy):
    line = _edit(
        data_copy / "measures.csv",
        "lkp-11,",
        ",Trygghet / Brottslighet,Brottslighet,",
        ",Trygghet / Brottslighet,Boende,",
    )
    assert _problems(data_copy) == [
        f'{data_copy}/measures.csv, rad {line}, kolumn primary_area: värdet "Boende" – förväntat '
        "det nationella område som area_label motsvarar i area_labels.csv"
    ]


def test_failed_build_leaves_previous_database_untouched(built, data_copy):
    version = built.built_version()
    before = built.scalar("select sum(amount_sek) from main.allocation")
    _edit(data_copy / "allocations.csv", "a-mal-01,", ",1000000,", ",1000001,")  # valid change …
    _edit(data_copy / "measures.csv", "mal-02,", ",300000,", ",tre hundra,")  # … plus an invalid one
    with pytest.raises(DataError):
        built.build(data_copy)
    assert built.built_version() == version
    assert built.scalar("select sum(amount_sek) from main.allocation") == before


def test_rebuild_keeps_saved_work_and_imported_data(built):
    from insatskollen.core.scenario_undo import Scenario
    from insatskollen.ingest import committer, previewer
    from insatskollen.store import scenario_store

    state, rules = scenario_store.baseline(built, "mal-sos", 2022)
    saved = scenario_store.save_new(
        built, Scenario.start(state, rules), name="Mitt scenario", author="Bo", frame_id="mal-sos", year=2022
    )
    data = (ROOT / "tests" / "import_corpus" / "files" / "v11_new_municipality.csv").read_bytes()
    committer.commit(built, previewer.preview(built, "stockholm.csv", data))
    version = built.built_version()
    built.build(DATA_DIR)
    assert built.built_version() == version  # same CSVs, same imports: the same data version
    assert scenario_store.load(built, saved)[0].name == "Mitt scenario"
    assert (
        built.scalar("select sum(amount_sek) from main.allocation where municipality = 'Stockholm'")
        == 2_000_000
    )


def test_cli_build_fails_with_exit_1_and_the_message_on_stderr(data_copy, tmp_path):
    line = _edit(data_copy / "frames.csv", "lkp-tvv,", ",2018,2020,", ",2018,2016,")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "insatskollen",
            "--var",
            str(tmp_path / "x.duckdb"),
            "--data",
            str(data_copy),
            "build",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert (
        f'{data_copy}/frames.csv, rad {line}, kolumn year_to: värdet "2016" – förväntat ett slutår som inte '
        "ligger före startåret" in result.stderr
    )
    assert "Ingenting har ändrats i databasen." in result.stderr


def test_cli_build_publishes_while_another_process_reads_and_the_old_version_goes_when_unused(tmp_path):
    """A server holds the published version; `build` still succeeds, the server moves to the new version,
    and the old file is removed once nobody reads it."""
    var = tmp_path / "var"
    var.mkdir()
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from insatskollen.store.db import Database\n"
            "db = Database.open(sys.argv[1]); db.ensure_built()\n"
            "view = db.pinned(); print(view.snapshot.published.path.name, flush=True)\n"
            "sys.stdin.readline()\n"
            "print(view.scalar('select count(*) from main.allocation'), flush=True)\n"
            "del view; time.sleep(1.2)\n"
            "print(db.pinned().snapshot.published.path.name, flush=True)\n",
            str(var),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = reader.stdout.readline().strip()
        result = subprocess.run(
            [sys.executable, "-m", "insatskollen", "--var", str(var), "build"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "Läsdatabasen är publicerad" in result.stdout
        assert (var / "read" / first).exists()  # still read by the other process
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "97"  # the rerun in progress finishes on the old one
        second = reader.stdout.readline().strip()
    finally:
        reader.kill()
        reader.wait()
    assert second != first and second in result.stdout
    assert not (var / "read" / first).exists()
    assert sorted(p.name for p in (var / "read").glob("rs-*.duckdb")) == [second]


def test_the_synthetic_national_generator_builds_through_the_same_loader(tmp_path):
    """scripts/national.py writes data/-format CSVs that pass the same validation (small size here)."""
    result = subprocess.run(
        [sys.executable, "scripts/national.py", "--lines", "5000", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Genererade 5\u00a0000 fördelningsrader" in result.stdout
    db = Database.open(tmp_path / "var")
    assert db.scalar("select count(*) from main.allocation") == 5000
    assert db.scalar("select count(*) from main.municipalities") == 290
    assert db.scalar("select count(distinct year) from main.frame_year") == 10
    db.close()


def test_every_problem_in_one_file_is_reported_not_only_the_first(data_copy):
    # Valid data is checked in one scan per file; a file with problems must still get one message
    # per problem, naming each line and rule.
    path = data_copy / "allocations.csv"
    amount = _edit(path, "a-mal-01,", ",1000000,", ",en miljon,")
    status = _edit(path, "a-mal-02,", ",300000,,", ",300000,klar,")
    missing = _edit(path, "a-mal-03,", "a-mal-03,mal-ks,", "a-mal-03,,")
    problems = _problems(data_copy)
    assert problems == [
        f'{data_copy}/allocations.csv, rad {amount}, kolumn amount_sek: värdet "en miljon" '
        "– förväntat ett heltal, t.ex. 1500000",
        f'{data_copy}/allocations.csv, rad {status}, kolumn status: värdet "klar" – förväntat '
        + problems[1].split("– förväntat ", 1)[1],
        f"{data_copy}/allocations.csv, rad {missing}, kolumn frame_id: värde saknas (kolumnen är obligatorisk)",
    ]
    assert "beslutad" in problems[1]
