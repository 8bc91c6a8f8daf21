"""Any of Sweden's municipalities is known: a link to one without data shows it as known but empty (not
dropped as unknown), and a hand-edited slide number such as ?bild=² opens the first slide, not a traceback.
In AppTest and in real Chromium."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from tests import browser_kit as kit
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
EMPTY = "Norrköping finns bland Sveriges 290 kommuner men har inga ramar eller insatser i datan ännu."


def test_a_link_to_a_municipality_without_data_keeps_it_and_says_so(fresh_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommun"] = "Norrköping|Påhittstad"
    at.run()
    assert not at.exception
    assert any(EMPTY in html.unescape(i.value) for i in at.info)
    assert at.query_params["kommun"] == "Norrköping"  # real: kept; invented: dropped


def test_a_slide_number_that_is_not_ascii_opens_the_first_slide(fresh_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params["kommun"] = "Malmö"
    at.query_params["bild"] = "²"
    at.switch_page("pages/presentation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "bild" not in at.query_params
    assert any("Bild 1 av " in m.value for m in at.markdown)


@pytest.mark.browser
def test_in_chromium(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/?kommun=Norrk%C3%B6ping")
    page.get_by_text(EMPTY).wait_for(timeout=30_000)
    kit.assert_no_error(page)
    kit.shot(page, "kand-kommun", "norrkoping")
    kit.load(
        page, f"{live_server}/presentation?kommun=Malm%C3%B6&bild=%C2%B2"
    )  # a typed link, in the same tab
    page.wait_for_selector("h1.ik-title", timeout=30_000)
    kit.assert_no_error(page)
    assert page.locator(".ik-count").inner_text().startswith("Bild 1 av ")
    assert "bild" not in page.url  # the slide is not kept in the URL (Back leaves the presentation)
