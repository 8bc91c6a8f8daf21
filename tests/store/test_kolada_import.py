"""`kolada fetch` and `kolada import` on both working-store backends: snapshot + manifest, an export file
from kolada.se, every problem at once with nothing written, undo, and a KPI whose title changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insatskollen import cli
from insatskollen.core.errors import DataError
from insatskollen.ingest import kolada, kolada_file
from insatskollen.store.db import Database
from tests.conftest import published_read
from tests.unit.test_kolada_client import BASE, DATA_URL, FakeKolada, body, paged

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kolada"
EXPORT = FIXTURES / "export_linkoping.csv"
SERIES = (
    "select municipality, year, value, status, source from main.indicator_values "
    "where kpi_id = 'N07403' order by municipality_code desc, year"
)


@pytest.fixture
def db(tmp_path, store_url):
    database = Database.open(published_read(tmp_path / "var"), database_url=store_url)
    database.ensure_built()
    yield database
    database.close()


def rows(db: Database) -> list[tuple]:
    return db.stores.current(force=True).con.execute(SERIES).fetchall()


def fake_kolada() -> FakeKolada:
    return FakeKolada(
        {
            f"{BASE}/kpi/N07403": [(200, {}, body("kpi.json"))],
            f"{BASE}/municipality/0580,0000": [(200, {}, body("municipality.json"))],
            **paged(),
        }
    )


def test_fetch_writes_a_snapshot_and_a_manifest_that_import_checks(tmp_path, db):
    out = tmp_path / "kolada.json"
    client = kolada.Client(get=fake_kolada())
    manifest = kolada_file.fetch(client, ["N07403"], ["0580", "0000"], [], out)
    written = json.loads(kolada_file.manifest_path(out).read_text(encoding="utf-8"))
    assert written == manifest
    assert written["kpi_titles"] == {"N07403": "Anmälda våldsbrott, antal/100 000 inv"}
    assert written["urls"][0] == f"{BASE}/kpi/N07403" and DATA_URL in written["urls"]
    assert len(written["sha256"]) == 64 and written["fetched_at"]
    kolada_file.commit(db.work, kolada_file.read_file(out), "Anna")
    found = rows(db)
    assert [(m, y, v, s) for m, y, v, s, _ in found] == [
        ("Linköping", 2019, 152.4, None),
        ("Linköping", 2020, 148.7, None),
        ("Linköping", 2021, None, "Missing"),  # unknown, not 0
        ("Riket", 2019, 0.0, None),
    ]
    assert found[0][4].startswith("Kolada, kolada.json (hämtad ")
    log = db.work.import_log_rows()
    assert list(log.author) == ["Anna"] and list(log.rows) == [4]


def test_a_snapshot_changed_after_fetching_is_refused(tmp_path, db):
    out = tmp_path / "kolada.json"
    kolada_file.fetch(kolada.Client(get=fake_kolada()), ["N07403"], ["0580", "0000"], [], out)
    out.write_bytes(out.read_bytes().replace(b"152.4", b"15.4"))
    with pytest.raises(DataError, match="kontrollsumman"):
        kolada_file.read_file(out)
    assert rows(db) == []


def test_an_export_file_from_kolada_se_imports_totals_and_keeps_unknown_unknown(db):
    parsed = kolada_file.read_file(EXPORT)
    assert parsed.findings == [
        "Filen lästes som Windows-1252 (Excels CSV med semikolon).",
        "Rader för kvinnor eller män importeras inte, bara Totalt: 1 st.",
    ]
    kolada_file.commit(db.work, parsed, "Bo")
    found = rows(db)
    assert [(m, y, v) for m, y, v, _s, _src in found] == [
        ("Linköping", 2017, 1101.5),
        ("Linköping", 2018, 1122.3),
        ("Linköping", 2019, 1087.9),
        ("Linköping", 2020, None),
        ("Riket", 2017, 1001.2),
        ("Riket", 2018, 1015.6),
        ("Riket", 2019, 1044.4),
        ("Riket", 2020, 1060.0),
    ]
    assert found[0][4] == "Kolada, exportfil export_linkoping.csv"


def test_every_problem_in_an_export_is_reported_at_once_and_nothing_written(tmp_path, db):
    broken = tmp_path / "trasig.csv"
    broken.write_text(
        "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\n"
        "N07403;Anmälda våldsbrott;0580;tjugo;12,5\n"
        "X1;Anmälda våldsbrott;05800;2020;många\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        kolada_file.read_file(broken)
    text = str(error.value)
    assert "rad 2, kolumn År" in text and "tjugo" in text
    assert "rad 3, kolumn Nyckeltal-id" in text and "rad 3, kolumn Kommun-id" in text
    assert "rad 3, kolumn Värde" in text and "många" in text
    assert "Ingenting har ändrats" in text
    assert rows(db) == []


def test_a_reimport_supersedes_and_undo_brings_the_earlier_values_back(tmp_path, db):
    kolada_file.commit(db.work, kolada_file.read_file(EXPORT), "Anna")
    newer = tmp_path / "nyare.csv"
    newer.write_text(
        "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\nN07403;Anmälda våldsbrott, antal/100 000 inv;0580;2019;1 090,1\n",
        encoding="utf-8",
    )
    kolada_file.commit(db.work, kolada_file.read_file(newer), "Bo")
    assert [v for m, y, v, _s, _src in rows(db) if m == "Linköping" and y == 2019] == [1090.1]
    assert db.work.undo_last_import("Cia")["file"] == "nyare.csv"
    assert [v for m, y, v, _s, _src in rows(db) if m == "Linköping" and y == 2019] == [1087.9]


def test_a_kpi_whose_title_changed_since_the_last_import_stops_the_import(tmp_path, db):
    kolada_file.commit(db.work, kolada_file.read_file(EXPORT), "Anna")
    renamed = tmp_path / "ny-titel.csv"
    renamed.write_text(
        "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\nN07403;Anmälda våldsbrott, antal/1 000 inv;0580;2021;1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        kolada_file.commit(db.work, kolada_file.read_file(renamed), "Bo")
    text = str(error.value)
    assert "har bytt namn" in text and "antal/100 000 inv" in text and "antal/1 000 inv" in text
    assert 2021 not in [y for _m, y, *_ in rows(db)]


def test_the_command_line_imports_an_export_and_explains_a_410(tmp_path, store_url, monkeypatch, capsys):
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", store_url)
    var = str(tmp_path / "var")
    assert cli.main(["--var", var, "kolada", "import", str(EXPORT), "--author", "Anna"]) == 0
    assert (
        "8 värden importerade (N07403 Anmälda våldsbrott, antal/100 000 inv); 1 okända"
        in capsys.readouterr().out
    )
    monkeypatch.setattr(kolada, "urllib_get", lambda url: (410, {}, b"Gone"))
    code = cli.main(
        ["kolada", "fetch", "--kpi", "N07403", "--kommun", "0580", "--ut", str(tmp_path / "k.json")]
    )
    assert code == 1
    assert "version 2 av Koladas API är avvecklad" in capsys.readouterr().err
    assert not (tmp_path / "k.json").exists()


def test_an_excel_export_reads_numbers_as_numbers_and_a_code_excel_shortened(tmp_path, db):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nyckeltal-id", "Nyckeltal", "Kommun-id", "Kommun", "År", "Kön", "Värde"])
    sheet.append(
        ["N07403", "Anmälda våldsbrott, antal/100 000 inv", 580, "Linköping", 2021, "Totalt", 1111.25]
    )
    sheet.append(["N07403", "Anmälda våldsbrott, antal/100 000 inv", 580, "Linköping", 2022, "Totalt", None])
    path = tmp_path / "kolada.xlsx"
    book.save(path)
    kolada_file.commit(db.work, kolada_file.read_file(path), "Anna")
    assert [(m, y, v) for m, y, v, _s, _src in rows(db)] == [
        ("Linköping", 2021, 1111.25),
        ("Linköping", 2022, None),
    ]


def _snapshot(tmp_path: Path, values: list[dict], manifest: object | None = None) -> Path:
    """A snapshot and a manifest whose sha256 matches (the manifest is not signed: anyone can recompute it)."""
    import hashlib

    path = tmp_path / "hand.json"
    data = json.dumps(
        {"format": kolada.SNAPSHOT_FORMAT, "municipalities": {"1280": "Malmö"}, "values": values}
    ).encode()
    path.write_bytes(data)
    if manifest is None:
        manifest = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "kpi_titles": {"N07403": "Anmälda våldsbrott"},
            "fetched_at": "2026-11-01T10:00:00+00:00",
        }
    kolada_file.manifest_path(path).write_text(json.dumps(manifest), encoding="utf-8")
    return path


def test_a_snapshot_with_a_recomputed_checksum_gets_the_export_files_checks(tmp_path, db):
    """Found by the attack review: infinity, NaN, year 9999, a code that is no code, a duplicate and a hidden
    direction mark all went in. Now each is named, and nothing is written."""
    good = {
        "kpi": "N07403",
        "municipality": "1280",
        "period": 2022,
        "gender": "T",
        "value": 1.0,
        "status": None,
    }
    values = [
        good,
        {**good, "period": 2021, "value": float("inf")},
        {**good, "period": 2020, "value": float("nan")},
        {**good, "period": 9999},
        {**good, "municipality": "=x; drop"},
        dict(good),
        {**good, "period": 2019, "status": "ok\u202egnp"},
    ]
    path = _snapshot(tmp_path, values)
    with pytest.raises(DataError) as error:
        kolada_file.read_file(path)
    text = "\n".join(str(p) for p in error.value.problems)
    assert (
        'kolumn Värde: värdet "inf" – förväntat ett ändligt tal, eller tomt om värdet saknas (värde nr 2)'
        in text
    )
    assert "(värde nr 3)" in text and "förväntat ett årtal 1900–2100 (värde nr 4)" in text
    assert "kolumn Kommun-id" in text and "samma som värde nr 1" in text
    assert 'kolumn Status: värdet "ok?gnp"' in text  # the hidden mark is not echoed
    assert rows(db) == []


@pytest.mark.parametrize(
    "manifest", [{"sha256": "x", "kpi_titles": ["N07403"]}, ["a", "list"]], ids=["titles-list", "list"]
)
def test_a_malformed_manifest_is_a_swedish_message_not_a_traceback(tmp_path, manifest):
    path = _snapshot(tmp_path, [], manifest=manifest)
    with pytest.raises(DataError, match="kontrollsumman|känns inte igen|inte ett manifest"):
        kolada_file.read_file(path)


def test_deeply_nested_json_with_a_valid_checksum_is_refused_in_swedish(tmp_path):
    import hashlib

    path = tmp_path / "deep.json"
    data = ("[" * 200_000 + "]" * 200_000).encode()
    path.write_bytes(data)
    manifest = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "kpi_titles": {},
        "fetched_at": "2026-11-01T10:00:00",
    }
    kolada_file.manifest_path(path).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataError, match="känns inte igen"):
        kolada_file.read_file(path)


def test_an_export_with_infinite_or_overlong_numbers_and_an_overflowing_year_is_refused(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\n"
        "N07403;Anmälda våldsbrott;1280;2022;" + "9" * 400 + "\n"
        "N07403;Anmälda våldsbrott;1280;1e309;1,0\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        kolada_file.read_file(export)
    text = "\n".join(str(p) for p in error.value.problems)
    assert "export.csv, rad 2, kolumn Värde" in text and "export.csv, rad 3, kolumn År" in text


def test_two_imports_at_once_cannot_give_one_kpi_two_titles(db):
    """The race the attack review showed: both imports passed the title check before either wrote. The
    store checks again inside its import lock, so the second one (whose check was stale) writes nothing."""
    from insatskollen.store.working.base import StoreError

    row = {
        "kpi_id": "N15419",
        "municipality_code": "1280",
        "municipality_name": "Malmö",
        "period": 2022,
        "gender": "T",
        "value": 1.0,
        "status": None,
        "unit": None,
        "source": "Kolada, a.csv",
        "fetched_at": None,
    }
    db.work.commit_indicator_import(
        file="a.csv", author="A", rows=[{**row, "kpi_title": "Titel A"}], action="import"
    )
    with pytest.raises(StoreError, match="N15419 har just importerats med ett annat namn"):
        db.work.commit_indicator_import(
            file="b.csv", author="B", rows=[{**row, "kpi_title": "Titel B", "period": 2023}], action="import"
        )
    assert {t for (t, _s) in db.work.indicator_titles().values()} == {"Titel A"}


KOLADA_CORPUS = Path(__file__).parents[1] / "import_corpus" / "kolada"
KOLADA_CASES = json.loads((KOLADA_CORPUS.parent / "kolada_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(KOLADA_CASES))
def test_kolada_corpus_files_are_refused_through_the_cli_naming_line_and_column(name, tmp_path, capsys):
    """Issue 21: years in Arabic-Indic or full-width digits, '2_022' and '2.022e3' were read as 2022, '9999'
    as a municipality and '=HYPERLINK(…)' / '@SUM(…)' as KPI titles."""
    var = str(tmp_path / "var")
    code = cli.main(["--var", var, "kolada", "import", str(KOLADA_CORPUS / name), "--author", "Anna"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"Filen {name} kan inte importeras" in err and "Ingenting har ändrats" in err
    for line, column, phrase in KOLADA_CASES[name]:
        assert any(f"rad {line}, kolumn {column}" in text and phrase in text for text in err.splitlines()), (
            line,
            column,
            phrase,
            err,
        )
    database = Database.open(Path(var))
    assert rows(database) == []
    database.close()


def test_kolada_import_says_what_excel_hides_like_the_main_import(tmp_path, store_url, monkeypatch, capsys):
    """Issue 21, after review: a hidden row, a hidden column and a value hidden by the format ;;;@ were
    imported without a word; the reader's findings are now printed (and shown on the page, same list)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nyckeltal-id", "Nyckeltal", "Kommun-id", "Kommun", "År", "Kön", "Värde"])
    for year, value in ((2021, 1111.25), (2022, 1200.5)):
        sheet.append(
            ["N07403", "Anmälda våldsbrott, antal/100 000 inv", "0580", "Linköping", year, "T", value]
        )
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["D"].hidden = True
    sheet["G2"].number_format = ";;;@"
    path = tmp_path / "dolt.xlsx"
    book.save(path)
    monkeypatch.setenv("INSATSKOLLEN_DATABASE_URL", store_url)
    code = cli.main(["--var", str(tmp_path / "var"), "kolada", "import", str(path), "--author", "Anna"])
    out = capsys.readouterr().out
    assert code == 0
    shown = [line for line in out.splitlines() if line.startswith("  Iakttagelse:")]
    assert shown == [
        "  Iakttagelse: Rad 3 är dold i Excel men importeras; kontrollera att den ska med.",
        "  Iakttagelse: Kolumn D (Kommun) är dold i Excel men importeras; kontrollera att den ska med.",
        "  Iakttagelse: Rad 2, kolumn G (Värde): värdet 1 111,25 syns inte i Excel (cellens talformat "
        "”;;;@” visar ingenting) men importeras; kontrollera att det ska med.",
    ]


@pytest.mark.parametrize(
    "title", ["+SUM(1)", "-1+2", "|calc!A1", "｜＝HYPERLINK(1)", "＋1", "－1", " ＠SUM(1)"]
)
def test_a_kpi_title_a_spreadsheet_would_run_is_refused_naming_line_and_column(tmp_path, title, capsys):
    """Issue 21, after review: only = and @ were refused; + - | and their full-width forms run too."""
    path = tmp_path / "formel.csv"
    path.write_text(
        "Nyckeltal-id;Nyckeltal;Kommun-id;År;Värde\n"
        "N07403;Anmälda våldsbrott;0580;2020;12,5\n"
        f"N07404;{title};0580;2020;12,5\n",
        encoding="utf-8",
    )
    code = cli.main(["--var", str(tmp_path / "var"), "kolada", "import", str(path), "--author", "Anna"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Filen formel.csv kan inte importeras" in err and "Ingenting har ändrats" in err
    assert any(
        "rad 3, kolumn Nyckeltal" in line
        and "text som inte börjar med =, @, +, - eller | (ett kalkylprogram kör sådan text som formel)"
        in line
        for line in err.splitlines()
    ), err
    assert "rad 2" not in err
