"""Open data (issue 26, item 3): `python -m insatskollen publish` writes a Frictionless Data Package that the
frictionless library validates (types, primary and foreign keys), whose Malmö 2022 rows sum to Översikt's
figures, where an unknown amount stays an empty cell, and every row names its source document."""

from __future__ import annotations

import json

import pytest
from frictionless import Package, validate

from insatskollen import cli
from insatskollen.core import headline
from insatskollen.core.filters import Filters
from insatskollen.store.db import Database


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The whole bundled data published once, with a licence and publisher from the options."""
    root = tmp_path_factory.mktemp("open-data")
    out = root / "paket"
    code = cli.main(
        ["--var", str(root / "var"), "publish", str(out), "--licens", "CC-BY-4.0", "--utgivare", "Malmö stad"]
    )
    assert code == 0
    db = Database.open(root / "var")
    yield out, db
    db.close()


def _rows(folder, resource: str) -> list[dict]:
    package = Package(str(folder / "datapackage.json"))
    return package.get_resource(resource).read_rows()


def test_the_package_is_valid_frictionless_data(published):
    folder, _ = published
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    assert [t.name for t in report.tasks] == ["allocations", "frames", "measures", "sources"]


def test_a_broken_reference_is_caught_by_the_validator(published, tmp_path):
    """The schema's foreign keys are real: a line pointing at a frame that is not there fails validation."""
    folder, _ = published
    for name in ("datapackage.json", "allocations.csv", "frames.csv", "measures.csv", "sources.csv"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    lines = (tmp_path / "allocations.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[1] = "finns-inte"  # frame_id
    lines[1] = ",".join(first)
    (tmp_path / "allocations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign key" in " ".join(e.message for t in report.tasks for e in t.errors)


def test_malmo_2022_sums_to_what_oversikt_shows(published):
    folder, db = published
    head = headline.headline(db, Filters(municipalities=("Malmö",), years=(2022,)))
    lines = [r for r in _rows(folder, "allocations") if r["municipality"] == "Malmö" and r["year"] == 2022]
    frames = [r for r in _rows(folder, "frames") if r["municipality"] == "Malmö" and r["year"] == 2022]
    assert sum(r["amount_sek"] for r in lines if r["amount_sek"] is not None) == head.allocated_sek
    assert sum(r["amount_sek"] for r in frames) == head.frame_sek
    # the documents' own figures, as Översikt shows them for Malmö 2022 (bundled data)
    assert head.frame_sek == 34_700_000


def test_an_unknown_amount_is_an_empty_cell_never_zero(published):
    folder, db = published
    head = headline.headline(db, Filters(municipalities=("Linköping",)))
    lines = [r for r in _rows(folder, "allocations") if r["municipality"] == "Linköping"]
    unknown = [r for r in lines if r["amount_sek"] is None]
    assert len(unknown) == sum(x.lines_without_amount for x in head.frame_years) > 0
    raw = (folder / "allocations.csv").read_text(encoding="utf-8")
    assert ",0,föreslagen," not in raw and ",0,beslutad," not in raw


def test_every_row_names_its_source_document_and_the_licence_and_publisher_are_stated(published):
    folder, _ = published
    documents = {r["document_id"] for r in _rows(folder, "sources")}
    for resource in ("allocations", "frames", "measures"):
        rows = _rows(folder, resource)
        assert rows and all(r["source_document"] in documents for r in rows), resource
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert meta["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    assert meta["contributors"] == [{"title": "Malmö stad", "role": "publisher"}]


def test_one_municipality_and_a_wrong_licence(tmp_path, capsys):
    var = ["--var", str(tmp_path / "var")]
    assert cli.main([*var, "publish", str(tmp_path / "p"), "--kommun", "Malmo"]) == 0
    out = capsys.readouterr()
    assert "Datapaketet är skrivet till" in out.out
    assert "Ingen licens angiven" in out.err
    assert {r["municipality"] for r in _rows(tmp_path / "p", "allocations")} == {"Malmö"}
    assert cli.main([*var, "publish", str(tmp_path / "q"), "--licens", "MIT"]) == cli.EXIT_INVALID
    assert capsys.readouterr().err.strip() == (
        "[insatskollen.organisation] licence ska vara en av CC0-1.0, CC-BY-4.0, ODC-By-1.0, ODbL-1.0, PDDL-1.0 "
        "– inte ”MIT”."
    )
    assert not (tmp_path / "q").exists()
