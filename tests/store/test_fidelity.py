"""Data fidelity: where we interpret a document the data says so (basis + note), Södertälje's 13 proposals
are stored as unfunded rather than as lines of unknown amount, and `check` quotes the places where a
document's own text contradicts itself, each quote literally present in its document."""

from __future__ import annotations

import csv

import pytest

from insatskollen.core import consistency
from insatskollen.core.errors import DataError
from insatskollen.core.findings import DEVIATION
from insatskollen.store.db import Database
from tests.conftest import ROOT, SEEDS

DATA = ROOT / "data"
UNFUNDED = "övrigt förslag utan finansiering"


def _rows(name: str) -> dict[str, dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {next(iter(r.values())): r for r in rows}


@pytest.mark.parametrize("name", ["frames.csv", "allocations.csv"])
def test_every_frame_and_line_says_whether_it_is_the_document_or_our_reading(name):
    for key, row in _rows(name).items():
        assert row.get("basis") in ("dokument", "tolkning"), f"{name} {key}: basis {row.get('basis')!r}"
        if row["basis"] == "tolkning":
            assert len(row["basis_note"]) > 40, f"{name} {key}: a tolkning needs a note saying what and why"


def test_linkopings_years_are_marked_as_our_reading():
    frame = _rows("frames.csv")["lkp-tvv"]
    assert (frame["year_from"], frame["year_to"], frame["basis"]) == ("2018", "2020", "tolkning")
    assert "i tre år" in frame["basis_note"] and "2018–2020" in frame["basis_note"]


def test_sodertaljes_preliminary_budget_read_per_year_is_marked_as_our_reading():
    lines = _rows("allocations.csv")
    for i in range(1, 5):
        line = lines[f"a-sod-0{i}"]
        assert line["basis"] == "tolkning"
        assert "per år" in line["basis_note"] and "2018–2020" in line["basis_note"]
    # the frame is the document's ("kan ansöka om 10,839 mkr för år 2018"), except 2019–2020, which the
    # document says are "inte beslutat": those years are our reading (frame_year_basis.csv)
    assert _rows("frames.csv")["sod-tvv"]["basis"] == "dokument"
    with open(DATA / "frame_year_basis.csv", encoding="utf-8", newline="") as f:
        years = {(r["frame_id"], r["year"]): r for r in csv.DictReader(f)}
    assert {k: r["basis"] for k, r in years.items() if k[0] == "sod-tvv"} == {
        ("sod-tvv", "2019"): "tolkning",
        ("sod-tvv", "2020"): "tolkning",
    }


def test_sodertaljes_proposals_are_unfunded_lines_not_lines_of_unknown_amount():
    lines = [r for k, r in _rows("allocations.csv").items() if k.startswith("a-sod-p")]
    assert len(lines) == 13
    for line in lines:
        assert (line["status"], line["amount_sek"], line["basis"]) == (UNFUNDED, "", "dokument")
        assert "utan finansiering" in line["basis_note"]


def test_an_unfunded_line_with_an_amount_is_refused(data_copy):
    path = data_copy / "allocations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("a-sod-p01,"))
    lines[index] = lines[index].replace("sod-p01,,,,", "sod-p01,,,500000,", 1)
    assert ",500000," in lines[index]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    database = Database.open(":memory:")
    with pytest.raises(DataError) as info:
        database.build(data_copy)
    [problem] = [str(p) for p in info.value.problems]
    assert f"rad {index + 1}, kolumn amount_sek" in problem
    assert "inget belopp på ett övrigt förslag utan finansiering" in problem


def test_sod_01s_kontor_is_marked_as_our_reading():
    measure = _rows("measures.csv")["sod-01"]
    assert measure["committee_basis"] == "tolkning"
    assert "socialkontoret och utbildningskontoret" in measure["interpretation"]
    for key, row in _rows("measures.csv").items():
        if row["committee_id"]:
            assert row["committee_basis"] in ("dokument", "tolkning"), key


def test_the_views_carry_the_basis(db):
    sod01 = db.query("measure_detail", measure_id="sod-01").iloc[0]
    assert sod01.committee_basis == "tolkning"
    assert any("per år" in n for n in sod01.basis_notes)
    years = db.query("municipality_frames", municipality="Linköping")
    assert set(years.basis) == {"tolkning"} and years.basis_note.str.contains("i tre år").all()


# ---------------------------------------------------------------- textual inconsistencies

# (document, a phrase of quote_a, a phrase of quote_b): the four the issue names.
EXPECTED = [
    ("001_dcbad8946a6a631b.txt", "de fem områden som regeringen pekat ut", "Fem inriktningar"),
    ("003_fa17520eb1ef4394.txt", "prioritera insatser inom fem områden", "Samordning / Lärande"),
    ("002_6537151171d9247a.txt", "Tekniska nämnde /", "Tekniska nämnden"),
    ("002_6537151171d9247a.txt", "Förstudie LFM: Bostad", "Förstudie LMF: Bostad"),
    ("000_35ce3f8902650d6a.txt", "inte är beslutat", "finansieras med statsbidrag"),
]


def test_every_quote_is_literally_in_its_document_under_its_heading():
    with open(DATA / "text_inconsistencies.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 5
    for row in rows:
        for side in ("a", "b"):
            text = (SEEDS / row[f"document_{side}"]).read_text(encoding="utf-8")
            quote, section = row[f"quote_{side}"], row[f"section_{side}"]
            assert quote in text, f"{row['inconsistency_id']}: {quote!r} not in {row[f'document_{side}']}"
            assert section in text, f"{row['inconsistency_id']}: heading {section!r} not in the document"
            assert text.index(section) < text.index(quote), f"{row['inconsistency_id']}: quote before heading"


def test_an_announced_rounding_is_quoted_literally_under_its_heading():
    rows = [r for r in _rows("documents.csv").values() if r["rounding_quote"]]
    assert [r["document_id"] for r in rows] == ["002_6537151171d9247a.txt"]
    for row in rows:
        text = (SEEDS / row["document_id"]).read_text(encoding="utf-8")
        assert "med undantag för någon avrundning" in row["rounding_quote"]
        assert text.index(row["rounding_section"]) < text.index(row["rounding_quote"])


def test_check_reports_the_textual_inconsistencies_with_document_heading_and_quotes(db):
    findings = [f for f in consistency.run(db).findings if f.category == "Dokumentets text är motsägelsefull"]
    for document, a, b in EXPECTED:
        [finding] = [f for f in findings if a in f.message and b in f.message]
        assert finding.severity == DEVIATION
        assert any(s.startswith(document) for s in finding.sources)
        assert "”" in finding.message  # quoted exactly, in Swedish quotation marks
    motala = next(f for f in findings if "Fem inriktningar" in f.message)
    assert motala.municipality == "Motala" and "Sammanfattande projektbeskrivning" in " ".join(motala.sources)


def test_check_cli_prints_the_quotes(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "insatskollen", "--var", str(tmp_path / "c.duckdb"), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Dokumentets text är motsägelsefull" in out.stdout, out.stderr[-2000:]
    assert "”Tekniska nämnde / Fastighets- och gatukontoret”" in out.stdout


def test_imported_rows_from_before_the_basis_columns_survive_a_rebuild(tmp_path):
    """Rows imported before basis/basis_note existed (stored without them) still load, as 'not stated'."""
    from insatskollen.store.db import DATA_DIR

    database = Database.open(tmp_path / "var")
    database.build(DATA_DIR)
    frame = database.con.execute(
        "select * exclude (basis, basis_note) from bundled.frames where frame_id = 'mal-ks'"
    ).df()
    row = frame.iloc[0].to_dict() | {"frame_id": "old-import", "year_from": 2030, "year_to": 2030}
    database.work.commit_import(
        file="old.csv",
        author="A",
        rows=0,
        action="import",
        tables={"frames": [row]},
        municipality_years=[],
        replaces=[],
    )
    database.build(DATA_DIR)
    assert database.con.execute("select basis from imported.frames").fetchall() == [(None,)]
    assert database.scalar("select count(*) from main.frame_year where frame_id = 'old-import'") == 1
    database.close()


def test_insatser_table_says_unfunded_not_unknown(fresh_streamlit):
    """In the measures table, Södertälje's 13 proposals read 'Ofinansierat'; Motala's lines stay unknown."""
    from tests.app.test_pages import select
    from tests.app_kit import open_app

    at = select(open_app("pages/insatser.py"), municipalities=["Södertälje", "Motala"])
    table = at.dataframe[0].value
    unfunded = table[table["Status"] == UNFUNDED]
    assert len(unfunded) == 13 and set(unfunded["Belopp per år"]) == {"Ofinansierat"}
    motala = table[table["Kommun"] == "Motala"]
    assert set(motala["Belopp per år"]) == {"belopp saknas"}


def test_labels_for_readings_and_unfunded_amounts():
    import pandas as pd

    from insatskollen.core import basis

    assert basis.allocated_text(None, UNFUNDED) == "Ofinansierat"
    assert basis.allocated_text(None, "planerad") == "belopp saknas"  # unknown stays unknown
    assert basis.allocated_text(3_700_000, "föreslagen") == "3\xa0700\xa0000\xa0kr"
    frames = pd.DataFrame(
        {
            "frame_id": ["f", "f", "g"],
            "year": [2018, 2019, 2022],
            "funding_source": ["Statsbidrag", "Statsbidrag", "Egna"],
            "basis": ["tolkning", "tolkning", "dokument"],
            "basis_note": ["Åren är lästa.", "Åren är lästa.", None],
        }
    )
    assert basis.frame_readings(frames) == ["Tolkning (Statsbidrag, 2018–2019): Åren är lästa."]
