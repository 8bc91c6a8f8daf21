"""data/kpi_areas.csv (issue 23, item 7): every Kolada id and title says whether it was checked against a
public source that quotes Kolada, and which; the build refuses a row that claims a check without a source."""

from __future__ import annotations

import csv

import pytest

from insatskollen.core.errors import DataError
from insatskollen.store.db import DATA_DIR, Database


def _rows(folder=DATA_DIR) -> list[dict[str, str]]:
    with open(folder / "kpi_areas.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_row_says_whether_it_was_verified_and_a_verified_row_cites_its_source():
    rows = _rows()
    assert rows, "kpi_areas.csv is empty"
    for row in rows:
        assert row["verified"] in {"yes", "no"}, row["kpi_id"]
        if row["verified"] == "yes":
            sources = row["verified_source"].split("; ")
            # a file at a fixed commit, so the cited text cannot change under the citation
            assert all(s.startswith("https://github.com/") and "/blob/" in s for s in sources), row["kpi_id"]
            assert row["verified_note"], row["kpi_id"]


def test_the_ids_and_titles_are_the_ones_the_sources_give():
    """N15507 (by residence, 'hemkommun') was shown for Linköping's indicator about municipal schools;
    N15505 is the municipal schools' merit value."""
    rows = {r["kpi_id"]: r for r in _rows()}
    assert {k: (r["kpi_title"], r["verified"], r["indicator_id"]) for k, r in rows.items()} == {
        "N07403": ("Anmälda våldsbrott, antal/100 000 inv", "yes", "lkp-ind-08"),
        "N15505": ("Elever i åk. 9, meritvärde kommunala skolor, genomsnitt (17 ämnen)", "yes", "lkp-ind-03"),
    }
    assert "duckduckquack/packagelab5" in rows["N07403"]["verified_source"]
    assert "SKRSthlm/KommunAnalys" in rows["N15505"]["verified_source"]


def _write(folder, rows: list[dict[str, str]]) -> None:
    with open(folder / "kpi_areas.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _problems(folder) -> list[str]:
    database = Database.open(":memory:")
    try:
        with pytest.raises(DataError) as info:
            database.build(folder)
    finally:
        database.close()
    return [str(p) for p in info.value.problems]


def test_the_build_refuses_a_verified_row_without_a_source_and_a_row_without_a_flag(data_copy):
    rows = _rows(data_copy)
    rows[0]["verified_source"] = ""
    rows[1]["verified"] = ""
    _write(data_copy, rows)
    assert _problems(data_copy) == [
        f"{data_copy}/kpi_areas.csv, rad 2, kolumn verified_source: källa saknas (en rad med verified yes "
        "anger adressen till filen som ger nyckeltalets namn)",
        f"{data_copy}/kpi_areas.csv, rad 3, kolumn verified: värde saknas (kolumnen är obligatorisk)",
    ]
