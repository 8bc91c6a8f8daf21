"""The Presentation page in AppTest: slides follow the filters, navigation works, drafts are marked."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from insatskollen.core import scenario as sc
from insatskollen.core.scenario_undo import Scenario
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from tests.app_kit import open_app
from tests.conftest import published_var


@pytest.fixture(autouse=True)
def fresh(fresh_streamlit):
    return fresh_streamlit


def open_presentation(query: dict) -> AppTest:
    return open_app("pages/presentation.py", query)


def title(at: AppTest) -> str:
    return html.unescape(next(m.value for m in at.markdown if '<h1 class="ik-title">' in m.value))


def test_slides_follow_the_filters_and_navigate():
    at = open_presentation({"kommun": "Malmö", "kalla": "KS anslag till förfogande"})
    assert "Ramen och vad som är fördelat – Malmö 2022" in title(at)
    options = next(b for b in at.selectbox if b.label == "Bildlista").options
    # the findings continue over slides 6–7 "(forts.)", as in the PowerPoint and the PDF
    assert len(options) == 7 and options[3].startswith("4/7 · Förslag till beslut")
    assert options[5] == "6/7 · Att känna till inför beslutet (forts.)"
    assert options[6] == "7/7 · Att känna till inför beslutet (forts.)"
    at = at.button(key="slide_next").click().run()
    assert "Fördelning per prioriterat område" in title(at)
    assert "bild" not in at.query_params  # a slide change is no browser history entry (Back leaves)
    at = next(b for b in at.selectbox if b.label == "Bildlista").set_value(3).run()
    assert "Förslag till beslut – KS anslag till förfogande · 2022" in title(at)
    table = next(m.value for m in at.markdown if 'class="ik-table"' in m.value)
    assert (
        '<tr class="total"><td class="">Totalbelopp</td><td class="num">15\u00a0000\u00a0000\u00a0kr</td></tr>'
        in table
    )
    assert not any("UTKAST" in m.value for m in at.markdown)


def test_a_scenario_deck_is_marked_as_draft(fresh):
    db = Database.open(published_var(fresh))
    db.ensure_built()
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Flytta", sc.move, sc.AREA, "Boende", 1_000_000, target="Utbildning")
    store.save_new(db, scenario, name="Plan B", author="Anna", frame_id="mal-ks", year=2022)
    db.close()
    at = open_presentation({})
    at = at.radio(key="deck_basis").set_value("Sparat scenario").run()
    assert any("UTKAST" in m.value for m in at.markdown)
    assert any("Scenario: Plan B" in html.unescape(m.value) for m in at.markdown if "ik-sources" in m.value)


def test_a_link_opens_the_saved_scenario_at_the_slide(fresh):
    db = Database.open(published_var(fresh))
    db.ensure_built()
    scenario = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    scenario.apply("Thaiwise", sc.set_amount, "a-mal-01", 1_250_000)
    scenario_id = store.save_new(db, scenario, name="Plan C", author="Anna", frame_id="mal-ks", year=2022)
    db.close()
    at = open_presentation({"scenario": scenario_id, "bild": "4"})
    assert "Förslag till beslut – Malmö 2022 · KS anslag till förfogande" in title(at)
    assert any("UTKAST" in m.value for m in at.markdown)
    assert at.query_params["scenario"] == scenario_id and "bild" not in at.query_params
    at = at.radio(key="deck_basis").set_value("Aktuella filter").run()
    assert "scenario" not in at.query_params
    assert not any("UTKAST" in m.value for m in at.markdown)


def test_a_link_to_a_missing_scenario_says_so():
    at = open_presentation({"scenario": "finnsinte", "kommun": "Malmö"})
    assert any("Scenariot i länken finns inte" in w.value for w in at.warning)
    assert "Ramen och vad som är fördelat – Malmö" in title(at)
