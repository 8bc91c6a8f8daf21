"""Från lägesbild till resultat in AppTest: the bundled chains as a person reads them, per area, with the
documents' indicators, the figures the documents quote, unknown money as okänt and the flags."""

from __future__ import annotations

import html
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app_kit import open_app
from tests.conftest import ROOT, published_var


@pytest.fixture(autouse=True)
def fresh_app_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(published_var(tmp_path_factory.getbasetemp() / "plan.duckdb")))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _page(municipality: str) -> AppTest:
    at = open_app("pages/lagesbild.py", {"plan_kommun": municipality})
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    shown = [*at.markdown, *at.caption, *at.warning, *at.subheader]
    return [html.unescape(e.value).replace("\u2060", "").replace("\\", "") for e in shown]


def test_linkoping_chain_shows_its_document_indicators_per_area():
    at = _page("Linköping")
    assert at.title[0].value == "Från lägesbild till resultat"
    assert at.selectbox(key="plan_kommun").value == "Linköping"
    texts = _texts(at)
    assert "5 brister i kedjan: 5 × mål utan känt beviljat belopp." in texts
    assert (
        "Indikator: Meritvärde i åk 9, kommunala skolor; Alla elever i gymnasieskolan ska nå gymnasieexamen. "
        "Källa: Minska segregation i Linköpings kommun – ansökan till Tillväxtverket avseende särskilt statsbidrag "
        "(utkast), Mål och indikatorer – Skola."
    ) in texts
    assert "**Mål:** Trygg och sammanhållen kommun" in texts
    assert any(t.startswith("Kedjan ställer problem, mål, insatser") for t in texts)
    assert any(
        t.startswith("Tolkning (kopplingen till målet): Dokumentet säger att målen gäller") for t in texts
    )
    # the indicators name Kolada key figures; without imported values the page says how to get them
    assert any(
        t.startswith("Indikatorn har nyckeltalet N15505 i Kolada, men inga värden är importerade")
        for t in texts
    )
    tables = [d.value for d in at.dataframe]
    assert len(tables) == 5 and sum(len(t) for t in tables) == 13
    assert set(tables[0]["Beviljat"]) == {"okänt"} and set(tables[0]["År"]) == {"2018"}


def test_motala_shows_the_documents_figure_and_where_the_chain_breaks():
    texts = _texts(_page("Motala"))
    assert (
        "Dokumentets siffra: Andel långtidsarbetslösa bland de arbetslösa, Motala, 2018-08-31: 48 %"
    ) in texts
    assert (
        "Mål utan insats: ingen insats svarar mot ”Ökad trygghet och minskad brottslighet i områden med socioekonomiska utmaningar”."
        in texts
    )
    assert (
        "Insats utan mål: ”Samordnare/processledare på kommunledningsförvaltningen” svarar inte mot något mål i planen."
        in texts
    )


def test_sodertalje_says_the_granted_money_rests_on_our_reading():
    at = _page("Södertälje")
    texts = _texts(at)
    assert any(
        t.startswith("Tolkning (beviljat): Den preliminära budgeten anger beloppen utan år.")
        and t.endswith("(gäller Familjecentral)")
        for t in texts
    )
    assert (
        "Pengar utan indikator: ”Familjecentral” har 11\u00a0100\u00a0000\u00a0kr beviljat men ingen indikator "
        "att följa."
    ) in texts
    first = at.dataframe[0].value
    assert first[["Insats", "År", "Beviljat", "Använt"]].values.tolist() == [
        ["Familjecentral", "2018–2020", "11\u00a0100\u00a0000\u00a0kr", "okänt"]
    ]


def test_linkoping_shows_the_kolada_series_of_its_indicator_once_imported(tmp_path, monkeypatch):
    """Anmälda våldsbrott (N07403, Linköping's indicator under Trygghet och brottslighet, kpi_areas) drawn
    from an imported Kolada export beside the chain; the indicator without values still says how to get them."""
    from insatskollen.ingest import kolada_file
    from insatskollen.store.db import Database

    var = published_var(tmp_path / "var")
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(var))
    export = ROOT / "tests" / "fixtures" / "kolada" / "export_linkoping.csv"
    db = Database.open(var)
    try:
        kolada_file.commit(db.work, kolada_file.read_export(export.name, export.read_bytes()), "Bo")
    finally:
        db.close()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = _page("Linköping")
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    linkoping = next(t for t in spec["data"] if t.get("name") == "Linköping")
    assert linkoping["y"][:3] == [1101.5, 1122.3, 1087.9]
    texts = _texts(at)
    assert not any(t.startswith("Indikatorn har nyckeltalet N07403") for t in texts)
    assert any(t.startswith("Indikatorn har nyckeltalet N15505 i Kolada, men inga värden") for t in texts)
