"""Journey in real Chromium, a politician asking "is this number the document's or your reading?":
Översikt says under each box how much rests on a reading, labelled "Tolkning", and one click on the
expander shows the reading and the document's words; the presentation's first slide says it too, and its
"Underlag och export" panel lists the readings. Figures: tests/app/test_readings.py.

One page for the module, loaded once; each test chooses its kommun in the sidebar and goes to its page by
the sidebar's menu, as a person does (a full load costs Chromium a second or more of CPU)."""

from __future__ import annotations

import re

import pytest

from insatskollen.core.fmt import NBSP
from tests import browser_kit as kit

pytestmark = pytest.mark.browser
JOURNEY = "tolkning"


def _text(locator) -> str:
    return locator.inner_text().replace(NBSP, " ")


@pytest.fixture(scope="module")
def page(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/", width=1366, height=768)
    yield page
    page.close()


def _box(page, label: str):
    """The column of a metric box: the box and the line under it."""
    return page.locator('[data-testid="stColumn"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )


def test_overview_labels_the_reading_under_the_number_and_opens_it(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    kit.go_to(page, "Översikt")
    kit.only_kommun(page, "Södertälje")
    kit.assert_no_error(page)
    frame = _text(_box(page, "Ramar att fördela"))
    assert "32,52 mnkr" in frame and "Tolkning" in frame and "varav 21,68 mnkr enligt tolkning" in frame
    allocated = _text(_box(page, "Fördelat"))
    assert "32,7 mnkr" in allocated and "varav 32,7 mnkr enligt tolkning" in allocated
    over = _text(_box(page, "Överfördelat"))
    assert "0,18 mnkr" in over and "varav 0,18 mnkr enligt tolkning (Södertälje 2018–2020)" in over
    assert "Tolkning" not in _text(_box(page, "Ofördelat"))  # 0 mnkr: nothing to label
    assert "enligt tolkning" not in _text(_box(page, "Ram med okänd fördelning"))
    kit.shot(page, JOURNEY, "1-oversikt-sodertalje")

    # one click: the readings behind the figures, with the document's words
    expander = page.locator('[data-testid="stExpander"]').filter(has_text="Tolkning: vad siffrorna vilar på")
    note = expander.get_by_text("inte är beslutat om hur mycket medel kommunerna kan ansöka om", exact=False)
    assert not note.is_visible()  # closed until asked for
    expander.locator("summary").click()
    note.wait_for(state="visible", timeout=20_000)
    opened = _text(expander)
    assert "Ram · Södertälje 2019–2020 · Statsbidrag Tillväxtverket · 10 839 000 kr per år" in opened
    assert "Fördelningsrader · Södertälje 2018–2020 · 4 rader: Familjecentral" in opened
    assert "Tolkning: Den preliminära budgeten anger beloppen utan år." in opened
    if kit.SHOTS:  # for people to look at, as kit.shot's (the window's own size here)
        expander.scroll_into_view_if_needed()
        page.screenshot(path=str(kit.JOURNEY_SHOTS / f"{JOURNEY}-2-oversikt-tolkningar-1366.png"))


def test_malmo_has_no_reading_label(page):
    kit.go_to(page, "Översikt")
    kit.only_kommun(page, "Malmö")
    kit.assert_no_error(page)
    text = _text(page.locator('[data-testid="stMain"]'))
    assert "34,7 mnkr" in text and "enligt tolkning" not in text
    assert page.locator('[data-testid="stExpander"]').filter(has_text="Tolkning: vad siffrorna").count() == 0


def test_the_first_slide_says_it_and_the_panel_lists_the_readings(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    kit.go_to(page, "Översikt")  # the sidebar is hidden on Presentation
    kit.only_kommun(page, "Linköping")
    kit.go_to(page, "Presentation")
    kit.assert_no_error(page)
    message = _text(page.locator(".ik-message"))
    assert message.endswith("Tolkning: varav 41,42 mnkr av ramen enligt tolkning.")
    page.get_by_role("button", name="Underlag och export").click()
    page.get_by_text("Utkastet anger ”13 808 000 kr per år i tre år”", exact=False).first.wait_for(
        timeout=20_000
    )
    kit.shot(page, JOURNEY, "3-presentation-linkoping-panel")
