"""Import of municipalities' own files: every corpus file through the import core (the preview the CLI and
the page both call) with its expected outcome (totals, or the exact error rows), and a handful of them
through the CLI and the page, which only word that preview; commit, restart, replace, restore; the locked
connection."""

from __future__ import annotations

import html
import json
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from insatskollen import cli
from insatskollen.core import fmt
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, previewer, template
from insatskollen.ingest import reader as import_read
from insatskollen.store.db import Database
from tests.app_kit import open_app
from tests.conftest import published_var

CORPUS = Path(__file__).parents[1] / "import_corpus"
# Every corpus file is read within these bounds (the reading process's address space: Python itself plus the
# file's rows; its time), far below the server's own (reader.READ_MEMORY_BYTES, READ_SECONDS)
CAP_BYTES = 300_000_000
CAP_SECONDS = 15
CASES = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
MIME = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".tsv": "text/plain",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert sum(c["ok"] for c in CASES.values()) >= 15 and sum(not c["ok"] for c in CASES.values()) >= 20


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("import") / "import.duckdb"
    database = Database.open(published_var(path))
    database.ensure_built()
    database.close()
    return path


def _limit(monkeypatch, case):
    if "max_bytes" in case:
        monkeypatch.setenv(previewer.MAX_BYTES_ENV, str(case["max_bytes"]))


def _error_line_matches(text_lines: list[str], line, column, phrase) -> bool:
    for text in text_lines:
        if (
            phrase in text
            and (line is None or f"rad {line}" in text)
            and (column is None or f"kolumn {column}" in text)
        ):
            return True
    return False


def _rows(count: int) -> str:
    return fmt.count_phrase(count, "rad", "rader")


def _total(case) -> str:
    """The preview's Totalt: "minst" when some amount is unknown (the one rule, figures.Balance)."""
    return ("minst " if case.get("unknown") else "") + fmt.sek(case["total"])


# The handful that go through the CLI and the page as well: each way the two word a preview (totals, an
# unknown amount as "minst", a finding, own source names, titles shown as text, a follow-up file, one with
# a file imported first, a second sheet, an error list capped at 50, the size limit, a refused file type).
CLI_CASES = [
    "v01_mall_utf8.csv",
    "v10_unknown_amounts.csv",
    "v12_excel.xlsx",
    "s03_own_source_with_quotes.csv",
    "f02_follow_up_with_kommun.csv",
    "f07_follow_up_ambiguous_title_with_kommun.csv",
    "b07_over_size_limit.csv",
    "b22_wrong_type.pdf",
    "b24_sixty_errors.csv",
]
PAGE_CASES = [
    "v01_mall_utf8.csv",
    "v10_unknown_amounts.csv",
    "v14_html_in_text.csv",
    "s03_own_source_with_quotes.csv",
    "h13_two_visible_sheets.xlsx",
    "h31_exact_duplicate_rows.csv",
    "f02_follow_up_with_kommun.csv",
    "f07_follow_up_ambiguous_title_with_kommun.csv",
    "b07_over_size_limit.csv",
    "b22_wrong_type.pdf",
    "b24_sixty_errors.csv",
]


def test_the_handful_are_corpus_cases():
    assert set(CLI_CASES + PAGE_CASES) <= set(CASES)


@pytest.fixture(scope="module")
def core_db(db_path):
    """The corpus's store, opened once for every file (as the page keeps one open)."""
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_through_the_import_core(name, core_db, monkeypatch):
    """Every corpus file through previewer.preview, the one code path of the CLI and the page: its rows,
    totals per area, findings and names, or its exact error rows and their count. Read in the child process
    within CAP_BYTES and CAP_SECONDS: a refusal is the file's own, never the memory or time message."""
    case = CASES[name]
    _limit(monkeypatch, case)
    monkeypatch.setattr(import_read, "READ_MEMORY_BYTES", CAP_BYTES)
    monkeypatch.setattr(import_read, "READ_SECONDS", CAP_SECONDS)
    db = core_db
    if "setup" in case:  # a file imported first (a municipality's own measures)
        setup = (CORPUS / "files" / case["setup"]).read_bytes()
        committer.commit(db, previewer.preview(db, case["setup"], setup), replace=True, author="Test")
    data = (CORPUS / "files" / name).read_bytes()
    if not case["ok"]:
        with pytest.raises(DataError) as raised:
            previewer.preview(db, name, data)
        lines = [str(problem) for problem in raised.value.problems]
        assert "tog för lång tid" not in lines[0] and "för mycket minne" not in lines[0], lines[:3]
        for line, column, phrase in case["errors"][:50]:
            assert _error_line_matches(lines, line, column, phrase), (line, column, phrase, lines[:60])
        assert raised.value.total == case.get("count", len(case["errors"]))
        return
    preview = previewer.preview(db, name, data)
    assert len(preview.rows) == case["rows"]
    if case.get("kind") == "follow_up":
        assert preview.kind == "follow_up"
        assert previewer.total_text(preview.rows["Utfall (kr)"]) == _total(case)
        assert preview.rows["Kommun"].tolist() == case["municipalities"]
        return
    assert preview.kind == "measures"
    assert previewer.total_text(preview.rows["Belopp (kr)"]) == _total(case)
    areas = dict(previewer.area_totals(preview))
    for area, amount in case["by_area"].items():
        assert areas[area] == fmt.sek(amount), (area, areas)
    if "finding" in case:
        assert any(case["finding"] in finding for finding in preview.findings), preview.findings
    for source in case.get("sources", []):  # any name, kept as the file has it (issue 23)
        assert source in list(preview.rows["Finansieringskälla"])
    for title in case.get("titles", []):  # stored as text, verbatim
        assert title in list(preview.rows["Insats"])


@pytest.mark.parametrize("name", CLI_CASES)
def test_corpus_through_the_cli(name, db_path, capsys, monkeypatch):
    case = CASES[name]
    _limit(monkeypatch, case)
    if "setup" in case:  # a file imported first (a municipality's own measures)
        setup = ["--var", str(db_path), "import", str(CORPUS / "files" / case["setup"]), "--replace"]
        assert cli.main([*setup, "--author", "Test"]) == 0, capsys.readouterr().err
        capsys.readouterr()
    code = cli.main(["--var", str(db_path), "import", str(CORPUS / "files" / name), "--dry-run"])
    out, err = capsys.readouterr()
    if case["ok"] and case.get("kind") == "follow_up":
        assert code == 0, err
        reports = fmt.count_phrase(case["rows"], "rapport", "rapporter")
        assert f"{name}: {reports} (uppföljning), utfall totalt {_total(case)}." in out
    elif case["ok"]:
        assert code == 0, err
        assert f"{name}: {_rows(case['rows'])}, totalt {_total(case)}." in out
        for area, amount in case["by_area"].items():
            assert f"  {area}: {fmt.sek(amount)}" in out
        if "finding" in case:
            assert case["finding"] in out
    else:
        assert code == 1
        assert "kan inte importeras" in err and "Ingenting har ändrats" in err
        lines = err.splitlines()
        for line, column, phrase in case["errors"][:50]:  # the message shows at most 50, then a count
            assert _error_line_matches(lines, line, column, phrase), (line, column, phrase, err)
        count = case.get("count", len(case["errors"]))
        assert f"({count} fel)" in err
        if count > 50:
            assert f"… och {count - 50} fel till." in err


@pytest.fixture(scope="module")
def page_app(tmp_path_factory):
    """One Importera page for the whole corpus, each file uploaded in turn (replacing the one before, as a
    person would): the stores are built once instead of once per file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "INSATSKOLLEN_VAR",
            str(published_var(tmp_path_factory.mktemp("import-page") / "import-page.duckdb")),
        )
        st.cache_data.clear()
        st.cache_resource.clear()
        yield importera_page()
        st.cache_data.clear()
        st.cache_resource.clear()


def importera_page() -> AppTest:
    return open_app("pages/importera.py")


@pytest.mark.parametrize("name", PAGE_CASES)
def test_corpus_through_the_page(name, page_app, monkeypatch):
    case = CASES[name]
    _limit(monkeypatch, case)
    # a file the uploader itself refuses ends that run with an error, uploader and all: on a page of its own
    at = importera_page() if Path(name).suffix == ".pdf" else page_app
    data = (CORPUS / "files" / name).read_bytes()
    at.file_uploader(key="import_file").set_value((name, data, MIME[Path(name).suffix])).run()
    if Path(name).suffix == ".pdf":  # the uploader itself refuses types other than csv/txt/tsv/xlsx
        # Streamlit's own refusal; with showErrorDetails = "none" (issue 21) AppTest sees it redacted
        assert at.exception and (
            "Invalid file extension: `.pdf`" in at.exception[0].value
            or "original error message is redacted" in at.exception[0].value
        )
        return
    assert not at.exception, [e.value for e in at.exception]
    if "setup" in case:  # a file imported first (a municipality's own measures), into the page's store
        from insatskollen.ui import session

        db = session._stores_view()  # the page's own Database (a cached resource of this process)
        setup = (CORPUS / "files" / case["setup"]).read_bytes()
        committer.commit(db, previewer.preview(db, case["setup"], setup), replace=True, author="Test")
        st.cache_data.clear()
        at.file_uploader(key="import_file").set_value((name, data, MIME[Path(name).suffix])).run()
    if case["ok"] and case.get("kind") == "follow_up":
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Uppföljningsrapporter"] == str(case["rows"])
        assert metrics["Utfall totalt"] == _total(case)
        assert at.dataframe[0].value["Kommun"].tolist() == case["municipalities"]
    elif case["ok"]:
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Rader"] == str(case["rows"]) and metrics["Totalt"] == _total(case)
        if "finding" in case:
            shown = (
                [w.value for w in at.warning] + [i.value for i in at.info] + [m.value for m in at.markdown]
            )
            assert any(case["finding"] in html.unescape(text) for text in shown), shown
        for source in case.get("sources", []):  # any name, shown as the file has it (issue 23)
            assert source in list(at.dataframe[0].value["Finansieringskälla"])
        for title in case.get("titles", []):
            shown = [t for t in at.dataframe[0].value["Insats"]]
            assert title in shown  # stored and shown verbatim, as text
    else:
        assert any("kan inte importeras" in e.value for e in at.error)
        listed = html.unescape("\n".join(m.value for m in at.markdown))
        for line, column, phrase in case["errors"][:50]:
            assert _error_line_matches(listed.splitlines(), line, column, phrase), (line, column, phrase)


def test_import_survives_a_restart_and_a_build(tmp_path):
    path = tmp_path / "kept.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    data = (CORPUS / "files" / "v11_new_municipality.csv").read_bytes()
    committer.commit(db, previewer.preview(db, "v11.csv", data), author="Anna")
    db.build()
    db.close()
    again = Database.open(path)
    assert (
        again.scalar("select sum(amount_sek) from main.allocation where municipality = 'Stockholm'")
        == 2_000_000
    )
    assert again.built_version().endswith("+1")
    again.close()


def test_replace_asks_first_and_undo_restores(tmp_path):
    db = Database.open(published_var(tmp_path / "replace.duckdb"))
    db.ensure_built()
    first = (CORPUS / "files" / "v01_mall_utf8.csv").read_bytes()
    committer.commit(db, previewer.preview(db, "v01.csv", first))
    changed = first.replace(b"350 000", b"999 000")
    with pytest.raises(committer.ReplaceNeeded, match="Det finns redan importerad data för Malmö 2025"):
        committer.commit(db, previewer.preview(db, "v01b.csv", changed))
    total = "select sum(amount_sek) from main.allocation where municipality = 'Malmö' and year = 2025"
    assert db.scalar(total) == 1_350_000  # nothing changed
    committer.commit(db, previewer.preview(db, "v01b.csv", changed), replace=True)
    assert db.scalar(total) == 1_999_000
    assert committer.undo_last(db)
    assert db.scalar(total) == 1_350_000
    db.close()


def _model_snapshot(db) -> dict:
    """Every row of the model tables and the headline figures, in a fixed order."""
    cur = db.con.cursor()
    out = {}
    for table in ("frame_year", "allocation", "measure_overview"):
        frame = cur.execute(f"select * from model.{table}").df()
        out[table] = sorted(
            map(repr, frame.astype(object).where(frame.notna(), None).itertuples(index=False))
        )
    return out


def test_a_bundled_year_is_replaced_after_confirmation_and_restored_exactly(tmp_path, capsys):
    path = tmp_path / "bundled-years.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    before = _model_snapshot(db)
    ks = (
        "select sum(amount_sek) from main.allocation where municipality = 'Malmö' and year = 2022 "
        "and funding_source = 'KS anslag till förfogande'"
    )
    socialstyrelsen = ks.replace("KS anslag till förfogande", "Statsbidrag Socialstyrelsen")
    assert db.scalar(ks) == 15_000_000
    kept = db.scalar(socialstyrelsen)
    db.close()
    newer = tmp_path / "malmo-2022.csv"
    newer.write_bytes((CORPUS / "files" / "v01_mall_utf8.csv").read_bytes().replace(b"2025", b"2022"))

    # without --replace nothing changes, and the message says what would be replaced
    assert cli.main(["--var", str(path), "import", str(newer)]) == cli.EXIT_REPLACE
    assert "Källdokumentens data för Malmö 2022 ersätts av filens rader" in capsys.readouterr().err
    # with --replace the file's lines are what every page, export and check sees
    assert cli.main(["--var", str(path), "import", str(newer), "--replace"]) == 0
    db = Database.open(path)
    assert db.scalar(ks) == 1_350_000
    assert db.scalar(socialstyrelsen) == kept  # the other frame of the same year is untouched
    assert db.scalar("select count(*) from main.allocation where measure = 'Thaiwise'") == 0
    assert db.scalar("select count(*) from main.measure_overview where title = 'Thaiwise'") == 0
    db.close()
    assert cli.main(["--var", str(path), "check"]) == 0
    assert "Malmö" in capsys.readouterr().out

    assert cli.main(["--var", str(path), "undo-import"]) == 0
    db = Database.open(path)
    assert db.scalar(ks) == 15_000_000
    assert _model_snapshot(db) == before  # every row back exactly
    db.close()


def test_the_serving_connection_cannot_read_files(tmp_path):
    db = Database.open(published_var(tmp_path / "locked.duckdb"))
    db.ensure_built()
    with pytest.raises(duckdb.Error):
        db.con.execute("select * from read_csv('/etc/passwd')").fetchall()
    with pytest.raises(duckdb.Error):
        db.con.execute("set enable_external_access = true")
    committer.commit(
        db, previewer.preview(db, "v12.xlsx", (CORPUS / "files" / "v12_excel.xlsx").read_bytes())
    )
    assert db.scalar("select count(*) from main.allocation where year = 2025") == 2
    db.close()


def test_the_template_sent_in_unchanged_imports_nothing(db_path, capsys, tmp_path):
    """A new user saw a realistic Malmö row in the template: left in, it would have been imported."""
    mall = tmp_path / "mall.csv"
    mall.write_bytes(template.measures_csv())
    assert cli.main(["--var", str(db_path), "import", str(mall)]) == 1
    assert "rad 2, kolumn Kommun" in capsys.readouterr().err


def test_a_replaced_import_leaves_only_the_current_imports_nämnder_and_documents_in_force(tmp_path, capsys):
    """Issue 21: five re-imports with --replace left 200 committee rows and five documents, four of them
    citing nothing, all listed on Källor. Now only the last import's are in force; undo brings back the
    previous import's, and the superseded rows are kept (imports are never deleted)."""
    var = str(tmp_path / "var")
    forty = str(CORPUS / "files" / "v23_forty_committees.csv")
    assert cli.main(["--var", var, "import", forty]) == 0
    for _ in range(4):
        assert cli.main(["--var", var, "import", forty, "--replace"]) == 0
    capsys.readouterr()
    committees = "select count(*) from main.committees where committee like 'Nämnd %'"

    def imported_documents(db) -> list[tuple[str, int]]:
        docs = db.query("documents")
        docs = docs[(docs.municipality == "Malmö") & (docs.kind == "Importerad fil")]
        cited = docs.frames_citing + docs.measures_citing + docs.lines_citing
        return list(zip(docs.document_id, cited, strict=True))

    db = Database.open(Path(var))
    assert db.scalar(committees) == 40
    (last, citing), *others = imported_documents(db)
    assert others == [] and citing == 40 + 40 + 1  # its 40 measures, 40 allocations and one frame
    assert db.scalar(
        "select sum(amount_sek) from main.allocation where municipality = 'Malmö' and year = 2025"
    ) == (400_000)
    db.close()

    assert cli.main(["--var", var, "undo-import"]) == 0
    db = Database.open(Path(var))
    assert db.scalar(committees) == 40
    (previous, citing), *others = imported_documents(db)
    assert others == [] and citing == 81 and previous != last
    db.close()


HEAD = "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status"
ROW = "Malmö;2025;KS anslag till förfogande;;Kulturnämnden;{title};Utbildning;1 000;föreslagen"


def _import_dry(db_path, path, capsys) -> list[str]:
    assert cli.main(["--var", str(db_path), "import", str(path), "--dry-run"]) == 0
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("  Iakttagelse:")]


def test_9999_copies_of_one_row_are_one_finding_not_9998(db_path, tmp_path, capsys):
    """Issue 21, after review: 9 999 identical rows gave 9 997 findings, 1 MB of CLI output and 9 997 boxes
    on the page. Copies of one row are one finding naming ten of them."""
    path = tmp_path / "kopior.csv"
    path.write_text("\n".join([HEAD] + [ROW.format(title="Cirkus")] * 9_999) + "\n", encoding="utf-8")
    assert _import_dry(db_path, path, capsys) == [
        "  Iakttagelse: Raderna 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 och 9\u00a0988 rader till (9\u00a0998 rader) "
        "är exakta kopior av rad 2; alla importeras. Ta bort dem som är dubbla."
    ]


def test_findings_are_capped_at_50_and_the_rest_counted(db_path, tmp_path, capsys):
    """120 rows each copied once give 120 findings: the CLI (and the page, same list) shows 50 and a count."""
    rows = [ROW.format(title=f"Insats {i}") for i in range(120)]
    path = tmp_path / "par.csv"
    path.write_text("\n".join([HEAD] + rows + rows[:3] + [rows[3]] * 2 + rows[4:]) + "\n", encoding="utf-8")
    shown = _import_dry(db_path, path, capsys)
    assert len(shown) == 51
    assert shown[0] == (
        "  Iakttagelse: Rad 122 är en exakt kopia av rad 2; båda importeras. Ta bort den ena om den är dubbel."
    )
    assert shown[3] == (
        "  Iakttagelse: Raderna 125 och 126 (2 rader) är exakta kopior av rad 5; alla importeras. "
        "Ta bort dem som är dubbla."
    )
    assert shown[-1] == "  Iakttagelse: … och 70 iakttagelser till."
    database = Database.open(db_path)
    try:  # the Importera page draws exactly this list, one box per line
        preview = previewer.preview(database, path.name, path.read_bytes())
    finally:
        database.close()
    assert preview.findings == [line.removeprefix("  Iakttagelse: ") for line in shown]


def test_the_page_draws_at_most_51_findings(page_app, tmp_path):
    """The Importera page draws the same capped list: 50 boxes and one counting the rest, not 120."""
    rows = [ROW.format(title=f"Insats {i}") for i in range(120)]
    data = ("\n".join([HEAD] + rows + rows) + "\n").encode()
    at = page_app
    at.file_uploader(key="import_file").set_value(("par.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [html.unescape(i.value) for i in at.info if "kopia" in i.value or "iakttagelser till" in i.value]
    assert len(shown) == 51
    assert shown[0].startswith("Rad 122 är en exakt kopia av rad 2")
    assert shown[-1] == "… och 70 iakttagelser till."
