"""Any of Sweden's 290 municipalities is recognised from what people write, and only real ones."""

from __future__ import annotations

import csv

import pytest

from insatskollen.core.municipality_names import Directory, Municipality, fold, normalise_code
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import DATA_DIR, Database
from tests.app.test_import import CORPUS
from tests.conftest import published_var


def _sweden() -> Directory:
    with (DATA_DIR / "sweden_municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Directory([Municipality(r["municipality_code"], r["municipality"]) for r in rows])


def test_the_reference_list_is_all_290_municipalities_in_21_counties():
    with (DATA_DIR / "sweden_municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 290 and len({r["municipality_code"] for r in rows}) == 290
    assert len({r["county"] for r in rows}) == 21
    named = {r["municipality_code"]: (r["municipality"], r["county"]) for r in rows}
    # the four municipalities of the bundled documents, as DOMAIN.md gives their codes
    assert named["0181"] == ("Södertälje", "Stockholms län")
    assert named["0580"] == ("Linköping", "Östergötlands län")
    assert named["0583"] == ("Motala", "Östergötlands län")
    assert named["1280"] == ("Malmö", "Skåne län")
    assert named["0581"] == ("Norrköping", "Östergötlands län")


@pytest.mark.parametrize(
    "written",
    ["Norrköping", "norrköping", "NORRKÖPING", "Norrkoping", "Norrköpings kommun", " Norrköping  kommun "],
)
def test_names_resolve_with_or_without_kommun_case_and_diacritics(written):
    assert _sweden().by_name_value(written).code == "0581"


@pytest.mark.parametrize(
    ("written", "code"),
    [("Malmö stad", "1280"), ("Stockholms stad", "0180"), ("Borås Stad", "1490"), ("Hofors kommun", "2104")],
)
def test_stad_and_genitive_forms(written, code):
    assert _sweden().by_name_value(written).code == code


@pytest.mark.parametrize(
    ("value", "code"), [("0581", "0581"), ("581", "0581"), (581, "0581"), (581.0, "0581")]
)
def test_codes_as_text_or_as_the_number_excel_stores(value, code):
    assert normalise_code(value) == code
    assert _sweden().by_code_value(value).name == "Norrköping"


@pytest.mark.parametrize("value", ["12a", "05812", "٠٥٨١", "０５８１", 581.5, True, "", "-581"])
def test_what_is_not_a_code(value):
    assert normalise_code(value) is None


def test_unknown_codes_and_names_are_not_guessed_but_suggested():
    sweden = _sweden()
    assert sweden.by_code_value("0999") is None
    assert sweden.by_name_value("Norrkåping") is None
    assert sweden.suggestion("Norrkåping") == "Norrköping"
    assert sweden.suggestion("Malmoe stad") == "Malmö"
    assert fold("Örnsköldsvik") == "ornskoldsvik"


def test_an_excel_file_with_only_the_code_581_imports_norrkoping_with_its_totals(tmp_path):
    db = Database.open(published_var(tmp_path / "norrkoping.duckdb"))
    db.ensure_built()
    data = (CORPUS / "files" / "v22_excel_code_as_number.xlsx").read_bytes()
    preview = previewer.preview(db, "norrkoping.xlsx", data)
    committer.commit(db, preview, author="Test")
    rows = (
        db.con.cursor()
        .execute(
            "select municipality, municipality_code, sum(amount_sek) from main.allocation "
            "where municipality_code = '0581' group by all"
        )
        .fetchall()
    )
    frame = db.scalar("select amount_sek from main.frame_year where municipality_code = '0581'")
    db.close()
    assert rows == [("Norrköping", "0581", 1_700_000)]
    assert frame == 2_000_000


def test_a_file_naming_norrkoping_imports_under_the_official_name(tmp_path):
    db = Database.open(published_var(tmp_path / "names.duckdb"))
    db.ensure_built()
    data = (CORPUS / "files" / "v21_municipality_name_variants.csv").read_bytes()
    committer.commit(db, previewer.preview(db, "namn.csv", data), author="Test")
    totals = dict(
        db.con.cursor()
        .execute("select municipality, sum(amount_sek) from main.allocation where year = 2025 group by all")
        .fetchall()
    )
    db.close()
    assert totals["Norrköping"] == 600_000
    assert totals["Malmö"] == 400_000
