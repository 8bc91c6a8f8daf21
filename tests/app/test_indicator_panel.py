"""The outcome panel's pure parts: the allocation sentence, the chart spec of one KPI, and that the
bundled data holds no indicator values (they come only from imported Kolada files)."""

from __future__ import annotations

import csv
import html

import pandas as pd
import pytest
import streamlit as st

from insatskollen.core.roles import Actor
from insatskollen.export import indicator_charts
from insatskollen.ingest import committer, kolada_file, previewer
from insatskollen.store.db import DATA_DIR, Database
from insatskollen.ui import indicator_panel, widgets
from tests.app_kit import open_app
from tests.conftest import ROOT


def test_the_allocation_sentence_says_unknown_amounts_and_never_zero():
    alloc = pd.DataFrame(
        {
            "priority_area": ["Brottslighet", "Brottslighet", "Boende"],
            "year": [2018, 2019, 2018],
            "amount_sek": [None, 2_170_000, 5],
            "lines_without_amount": [1, 0, 0],
            "lines": [1, 3, 1],
        }
    )
    text = indicator_panel.allocation_text(alloc, "Brottslighet").replace("\u00a0", " ")
    assert text == "Fördelat till Brottslighet: 2018: 1 rad utan belopp; 2019: 2 170 000 kr."
    assert (
        indicator_panel.allocation_text(alloc, "Utbildning") == "Inget fördelat till Utbildning i underlaget."
    )


def test_the_chart_draws_unknown_as_a_gap_names_it_and_shades_the_funded_years():
    rows = pd.DataFrame(
        {
            "kpi_id": ["N07403"] * 4,
            "kpi_title": ["Anmälda <b>våldsbrott</b>"] * 4,
            "municipality_code": ["1280", "1280", "0000", "0000"],
            "municipality": ["Malmö", "Malmö", "Riket", "Riket"],
            "role": ["kommunen", "kommunen", "riket", "riket"],
            "year": [2021, 2022, 2021, 2022],
            "value": [None, 1431.9, 1071.8, 0.0],
            "status": ["Missing", None, None, None],
            "source": ["Kolada, exportfil a.csv"] * 4,
        }
    )
    spec = indicator_charts.indicator_lines(rows, (2022,), "Malmö")
    by_name = {t.name: dict(zip(t.x, t.y, strict=True)) for t in spec.figure.data}
    assert by_name == {"Malmö": {2021: None, 2022: 1431.9}, "Riket": {2021: 1071.8, 2022: 0.0}}
    assert [(s.x0, s.x1) for s in spec.figure.layout.shapes] == [(2021.5, 2022.5)]
    assert spec.note == "Värde saknas (okänt, inte noll): Malmö 2021."
    assert "&lt;b&gt;" in spec.figure.layout.title.text  # a title from a file is text, not markup
    assert list(spec.table["Värde"].isna()) == [True, False, False, False]


def test_the_bundled_data_holds_no_indicator_values(db):
    assert db.con.execute("select count(*) from main.indicator_values").fetchone()[0] == 0


# ---------------------------------------------------------------- on the Kommuner page (AppTest)

ANNA = Actor("Anna Andersson", subject="sub-anna", email="anna@kommun.se")
# An official in Gävle, a municipality the bundled data has never seen, imports one frame and one measure.
GAVLE = (
    "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Beskrivning;Område;Belopp (kr);"
    "Äskat (kr);Status;Källa\n"
    "Gävle;2180;2025;Statsbidrag Delmos;2 000 000;Kommunstyrelsen;Läxhjälp i Sätra;Läxhjälp två kvällar "
    "i veckan;Utbildning;350 000;350 000;föreslagen;dnr KS 2025/0123\n"
)


def _kommuner(tmp_path, monkeypatch, municipality, data_dir=DATA_DIR, kolada=None, imports=()):
    """Kommuner for one municipality, on a database of the test's own built from `data_dir`, after the
    given imports (plan files and a Kolada export)."""
    var = tmp_path / "var"
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(var))
    monkeypatch.setenv("INSATSKOLLEN_DATA", str(data_dir))
    local = Database.open(var)
    local.ensure_built(data_dir)
    for name, text in imports:
        committer.commit(local, previewer.preview(local, name, text.encode()), author=ANNA)
    if kolada is not None:
        kolada_file.commit(local.work, kolada_file.read_file(kolada), ANNA)
    local.close()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_app("pages/kommuner.py")
    at = at.selectbox(key=widgets.VIEW_KEYS["municipality_pick"]).select(municipality).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def clean_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _captions(at) -> list[str]:
    return [html.unescape(c.value) for c in at.caption]  # text.plain writes text as entities


def test_a_kpi_whose_id_was_not_checked_against_kolada_says_so_beside_its_reading(
    tmp_path, monkeypatch, data_copy, clean_caches
):
    with open(data_copy / "kpi_areas.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # N07403 as if nobody had checked it: not verified, no source
        if row["kpi_id"] == "N07403":
            row.update(verified="no", verified_source="", verified_note="")
    with open(data_copy / "kpi_areas.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    export = ROOT / "tests" / "fixtures" / "kolada" / "export_malmo.csv"
    at = _kommuner(tmp_path, monkeypatch, "Malmö", data_dir=data_copy, kolada=export)
    shown = [c for c in _captions(at) if "Tolkning: nyckeltalet visas under Brottslighet" in c]
    assert len(shown) == 1
    assert "N07403 Anmälda våldsbrott, antal/100 000 inv: ej kontrollerad mot Kolada" in shown[0]


def test_a_checked_kpi_carries_no_unverified_label(tmp_path, monkeypatch, clean_caches):
    export = ROOT / "tests" / "fixtures" / "kolada" / "export_malmo.csv"
    at = _kommuner(tmp_path, monkeypatch, "Malmö", kolada=export)
    shown = [c for c in _captions(at) if "Tolkning: nyckeltalet visas under Brottslighet" in c]
    assert len(shown) == 1 and "ej kontrollerad" not in shown[0]


def test_an_imported_municipality_without_kolada_values_says_what_would_fill_the_section(
    tmp_path, monkeypatch, clean_caches
):
    at = _kommuner(tmp_path, monkeypatch, "Gävle", imports=[("gavle-2025.csv", GAVLE)])
    assert "Nyckeltal bredvid pengarna" in [s.value for s in at.subheader]
    assert (
        "Inga nyckeltal från Kolada för Gävle ännu – hämta en export från kolada.se och läs in den under "
        "Importera, Nyckeltal från Kolada." in _captions(at)
    )
