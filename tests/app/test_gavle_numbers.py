"""Honest numbers for a municipality the bundled data never saw (issue 23, a new user's Gävle journey).

Gävle 2025 has two frames of 2 000 000 kr each: "Statsbidrag mot segregation" (four measures, one of them,
Föreningsstöd Sätra, without amount: 450 000 + 600 000 + 550 000 kr known) and "Egna medel, KF budget 2025"
(700 000 + 500 000 + 400 000 + 250 000 kr). The files are the user's own (tests/fixtures/gavle_*_2025.*):
the follow-up file has no Kommun column and no utfall for "Jobbcoacher för utrikes födda kvinnor".

By hand: Statsbidrag: minst 1 600 000 kr fördelat, högst 400 000 kr kvar, nothing over the frame.
Egna medel's utfall: 150 000 + 500 000 + 260 000 = 910 000 kr known, one unknown: "minst 0,91 mnkr".
"""

from __future__ import annotations

import html
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from insatskollen.core import consistency, headline, headline_tables, scenario_evaluation
from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_pptx, deck_xlsx, scenario_deck, table_files
from insatskollen.ingest import committer, previewer
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from tests.app_kit import open_app
from tests.conftest import ROOT, published_var

FIXTURES = ROOT / "tests" / "fixtures"
MEASURES = "gavle_insatser_2025.xlsx"
FOLLOW_UP = "gavle_uppfoljning_2025.csv"
GRANT = "Statsbidrag mot segregation"
OWN = "Egna medel, KF budget 2025"
GAVLE = Filters(municipalities=("Gävle",))
TODAY = date(2026, 12, 6)


def _plain(text: str) -> str:
    return html.unescape(text).replace("\xa0", " ")


def _import(db: Database, name: str) -> None:
    committer.commit(db, previewer.preview(db, name, (FIXTURES / name).read_bytes()), author="Kim")


def _frame_id(db: Database, source: str) -> str:
    return next(x.frame_id for x in headline.headline(db, GAVLE).frame_years if x.funding_source == source)


@pytest.fixture
def gavle(tmp_path):
    db = Database.open(published_var(tmp_path / "var"))
    db.ensure_built()
    _import(db, MEASURES)
    yield db
    db.close()


@pytest.fixture
def app(tmp_path, monkeypatch):
    """An AppTest on the database in tmp_path/var (the fixture `gavle` fills it first)."""
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(tmp_path / "var"))
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_page(page: str, **params) -> AppTest:
        return open_app(page, {"kommun": "Gävle"} | params, timeout=90)

    yield open_page
    st.cache_data.clear()
    st.cache_resource.clear()


# ------------------------------------------------------------------ 1. the scenario slide against an unknown


def _scenario(db: Database) -> Scenario:
    """The user's scenario: Föreningsstöd Sätra funded with 300 000 kr, 100 000 kr moved from Feriejobb
    Andersberg (Arbetsmarknad) to Läxhjälp i Sätra (Utbildning)."""
    scenario = Scenario.start(*store.baseline(db, _frame_id(db, GRANT), 2025))
    line = {x.label: x.line_id for x in scenario.current.lines}
    scenario.apply("Finansiera", sc.set_amount, line["Föreningsstöd Sätra"], 300_000)
    scenario.apply("Minska", sc.set_amount, line["Feriejobb Andersberg"], 500_000)
    scenario.apply("Öka", sc.set_amount, line["Läxhjälp i Sätra"], 550_000)
    return scenario


def test_the_scenario_slide_says_the_baseline_was_unknown_in_every_export(gavle):
    scenario = _scenario(gavle)
    deck = scenario_deck.from_scenario(
        gavle, "S", f"Gävle 2025, {GRANT}", "Gävle", 2025, scenario, today=TODAY
    )
    slide = next(s for s in deck.slides if s.key == "scenario")
    assert _plain(slide.message) == (
        "Jämfört med utgångsläget: Arbetsmarknad −100 000 kr, Demokrati och civilsamhälle okänt → 300 000 kr, "
        "Utbildning +100 000 kr."
    )
    # the bar's label on screen, in PowerPoint and in the PDF's chart
    scenario_bars = slide.chart.figure.data[1]
    labels = dict(zip(scenario_bars.y, (_plain(t) for t in scenario_bars.text), strict=True))
    assert labels["Demokrati och civilsamhälle"] == "okänt → 300 000 kr"
    assert labels["Utbildning"] == "+100 000 kr"
    # the chart's table (Visa som tabell, its downloads): no difference computed against the unknown
    table = slide.chart.table.set_index("Namn")
    demokrati = table.loc["Demokrati och civilsamhälle"]
    assert pd.isna(demokrati["Utgångsläge (kr)"]) and pd.isna(demokrati["Ändring (kr)"])
    assert demokrati["Scenario (kr)"] == 300_000
    # PowerPoint: the message, and no bar of 0 for the unknown baseline (its bars are labelled with amounts)
    texts, charted = [], {}
    for pptx_slide in Presentation(io.BytesIO(deck_pptx.to_pptx(deck))).slides:
        for shape in pptx_slide.shapes:
            if shape.has_text_frame:
                texts.append(_plain(shape.text_frame.text))
            if shape.has_chart and "Utgångsläge" in [s.name for s in shape.chart.plots[0].series]:
                plot = shape.chart.plots[0]
                charted = {
                    series.name: dict(zip(plot.categories, series.values, strict=True))
                    for series in plot.series
                }
    joined = "\n".join(texts)
    assert "Demokrati och civilsamhälle okänt → 300 000 kr" in joined
    assert "+300 000 kr" not in joined
    assert charted["Utgångsläge"]["Demokrati och civilsamhälle"] is None
    assert charted["Scenario"]["Demokrati och civilsamhälle"] == 300_000
    # Excel: the slide's sheet leaves the unknown empty and says so
    book = openpyxl.load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))
    sheet = book["Scenario mot utgångsläget"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    body = {r[header.index("Kategori")]: r for r in rows[1:]}
    row = body["Demokrati och civilsamhälle"]
    assert row[header.index("Utgångsläge (kr)")] is None
    assert row[header.index("Scenario (kr)")] == 300_000
    assert row[header.index("Ändring (kr)")] is None
    assert _plain(row[header.index("Anmärkning")]) == "okänt → 300 000 kr"
    assert body["Utbildning"][header.index("Ändring (kr)")] == 100_000


def test_a_group_with_an_unknown_line_in_both_states_keeps_its_exact_change(gavle):
    """An unknown line the scenario leaves unknown is the same on both sides: the known change is exact."""
    base = Scenario.start(*store.baseline(gavle, _frame_id(gavle, GRANT), 2025)).current
    line = {x.label: x for x in base.lines}
    moved = sc.set_amount(base, line["Feriejobb Andersberg"].line_id, 500_000)
    diffs = {d.name: d for d in scenario_evaluation.compare_groups(base, moved, sc.AREA)}
    assert diffs["Arbetsmarknad"].change == -100_000
    demokrati = diffs["Demokrati och civilsamhälle"]
    assert (demokrati.baseline, demokrati.scenario, demokrati.change) == (None, None, 0)
    funded = sc.set_amount(base, line["Föreningsstöd Sätra"].line_id, 300_000)
    demokrati = {d.name: d for d in scenario_evaluation.compare_groups(base, funded, sc.AREA)}[
        "Demokrati och civilsamhälle"
    ]
    assert (demokrati.baseline, demokrati.scenario, demokrati.change) == (None, 300_000, None)


# ------------------------------------------------------------------ 2. Ram för ram: the bound of a partly known frame


def test_ram_for_ram_gives_the_partly_known_frames_bounds_as_the_boxes_do(gavle, app):
    head = headline.headline(gavle, GAVLE)
    table = headline_tables.frame_year_table(head).set_index("Finansieringskälla")
    grant = table.loc[GRANT]
    assert (grant["Ofördelat (kr)"], grant["Ofördelat, gräns"]) == (400_000, "högst")
    assert (grant["Överfördelat (kr)"], grant["Överfördelat, gräns"]) == (0, "")
    assert (grant["Fördelat (kr)"], grant["Fördelat, gräns"]) == (1_600_000, "minst")
    own = table.loc[OWN]
    assert (own["Ofördelat (kr)"], own["Ofördelat, gräns"], own["Överfördelat (kr)"]) == (150_000, "", 0)
    # the boxes above sum the same rows: högst 150 000 + 400 000 kr
    assert (head.unallocated_sek, head.unallocated_value()) == (550_000, "högst 0,55\xa0mnkr")
    # the Excel download writes the number and its bound, as the Nyckeltal sheet does
    book = openpyxl.load_workbook(
        io.BytesIO(table_files.to_xlsx({"Ram för ram": headline_tables.frame_year_table(head)}))
    )
    rows = list(book["Ram för ram"].iter_rows(values_only=True))
    header = rows[0]
    body = {r[header.index("Finansieringskälla")]: r for r in rows[1:]}
    assert body[GRANT][header.index("Ofördelat (kr)")] == 400_000
    assert body[GRANT][header.index("Ofördelat, gräns")] == "högst"
    assert body[GRANT][header.index("Överfördelat (kr)")] == 0
    # on Översikt the row reads as the boxes do
    at = app("pages/oversikt.py")
    shown = next(d.value for d in at.dataframe if "Finansieringskälla" in d.value.columns)
    row = shown.set_index("Finansieringskälla").loc[GRANT]
    assert _plain(row["Ofördelat (kr)"]) == "högst 400 000 kr"
    assert _plain(row["Överfördelat (kr)"]) == "0 kr"
    assert _plain(row["Fördelat (kr)"]) == "minst 1 600 000 kr"
    assert "Ofördelat, gräns" not in shown.columns
    captions = _plain(" ".join(c.value for c in at.caption))
    # 5. one row: singular
    assert "1 rad saknar belopp och räknas som okänd, inte som noll." in captions


# ------------------------------------------------------------------ 3. and 5. Uppföljning


def test_uppfoljning_says_minst_for_a_sum_with_an_unknown_utfall(gavle, app):
    own = _frame_id(gavle, OWN)
    # before any report: no "de 0 insatser"
    at = app("pages/uppfoljning.py", ram=f"{own}|2025")
    captions = _plain(" ".join(c.value for c in at.caption))
    assert "de 0 insatser" not in captions
    assert (
        "Avvikelsen räknas när en insats har både känt beviljat belopp och känt utfall; ingen har det än."
        in captions
    )
    _import(gavle, FOLLOW_UP)
    # a fresh process's view: the cached stores re-read the working store at once (it checks for new imports
    # at most once a second, and another module in this process may have left a store of the same version)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = app("pages/uppfoljning.py", ram=f"{own}|2025")
    shown = {m.label: _plain(m.value) for m in at.metric}
    assert shown["Utfall, minst"] == "0,91 mnkr"
    assert "Utfall" not in shown
    assert shown["Beviljat"] == "1,85 mnkr"
    help_text = _plain(next(m.help for m in at.metric if m.label == "Utfall, minst"))
    assert help_text == "910 000 kr; 1 insats utan känt utfall."
    captions = _plain(" ".join(c.value for c in at.caption))
    assert "Avvikelsen räknas bara för de 3 insatser där både beviljat och utfall är kända" in captions
    # the grant's frame: every utfall known, one beviljat unknown
    at = app("pages/uppfoljning.py", ram=f"{_frame_id(gavle, GRANT)}|2025")
    shown = {m.label: _plain(m.value) for m in at.metric}
    assert (shown["Beviljat, minst"], shown["Utfall"]) == ("1,6 mnkr", "1,44 mnkr")


# ------------------------------------------------------------------ 4. the decision slide's row without amount


def test_a_decision_row_without_amount_is_not_called_minst(gavle):
    deck = deck_module.from_filters(gavle, GAVLE, TODAY)
    slide = next(s for s in deck.slides if s.key.startswith("beslut") and GRANT in s.title)
    rows = {r[0]: [_plain(str(v)) for v in r[1:]] for r in slide.table.itertuples(index=False)}
    assert rows["Kultur- och fritidsnämnden"][1] == "1 insats med okänt belopp"
    assert rows["Totalbelopp"][1] == "minst (1 insats med okänt belopp)"
    assert rows["Socialnämnden"][1] == ""


# ------------------------------------------------------------------ 5. one row is singular


def test_one_row_without_amount_is_singular_everywhere(gavle):
    head = headline.headline(gavle, GAVLE)
    assert head.unknown_text() == "1 rad saknar belopp och räknas som okänd, inte som noll."
    finding = next(
        f for f in consistency.run(gavle).select(("Gävle",)).findings if f.category == "Rader utan belopp"
    )
    assert finding.message.startswith("1 rad saknar belopp i filen; den räknas som okänd, inte som noll.")
    deck = deck_module.from_filters(gavle, GAVLE, TODAY)
    key_figures = deck.key_figures.set_index("Nyckeltal")
    assert key_figures.loc["Ram med okänd fördelning", "Förklaring"] == (
        "1 rad saknar belopp och räknas som okänd, inte som noll."
    )
