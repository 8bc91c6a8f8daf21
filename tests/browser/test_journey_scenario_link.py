"""Issue 23, item 6, in real Chromium: a saved scenario's link is given whole (scheme, host, port, page and
?scenario=<id>) in a box the official copies; opened in a new page it opens that scenario with its numbers."""

from __future__ import annotations

import re

import pytest

from tests import browser_kit as kit
from tests.browser.test_journey_official import MALMO_KS, lines_table, see, set_line, start
from tests.browser.test_journey_politician import chosen

pytestmark = pytest.mark.browser


def test_scenarier_gives_the_full_link_and_it_opens_the_saved_scenario(live_server, chromium):
    journey = "scenario-link"
    page = kit.open_page(chromium, f"{live_server}/scenarier", width=1366, height=768)
    start(page, MALMO_KS)
    set_line(page, "Trygga barnet", "650 000")
    kit.fill(page, "Ditt namn (visas i ändringsloggen)", "Anna Andersson")
    kit.fill(page, "Scenariots namn", "KSAU länk")
    kit.click(page, "Spara som nytt scenario")
    see(page, "Scenariot är sparat.")
    scenario_id = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    see(page, "Länk till scenariot")
    code = page.locator('[data-testid="stMain"] [data-testid="stCode"]').filter(has_text="?scenario=")
    link = code.inner_text().strip()
    assert link == f"{live_server}/scenarier?scenario={scenario_id}"
    assert "efter sidans adress" not in kit.main_text(page)
    saved = lines_table(page)
    code.scroll_into_view_if_needed()
    kit.shot(page, journey, "01-link")

    opened = kit.open_page(chromium, link, width=1366, height=768)  # a new page, as from a mail
    kit.assert_no_error(opened)
    see(opened, "KSAU länk")
    assert lines_table(opened) == saved
    trygga = next(r for r in lines_table(opened).values() if "Trygga barnet" in " ".join(r.values()))
    assert trygga["Scenario"].replace("\u00a0", " ") == "650 000 kr"
    opened.close()
    page.close()


def test_the_link_keeps_the_sidebar_filters_so_it_opens_on_the_same_kommun(live_server, chromium):
    """Issue 23: the copied link dropped the Kommun filter, so the page it opened showed "Alla"."""
    page = kit.open_page(chromium, f"{live_server}/scenarier?kommun=Malm%C3%B6", width=1366, height=768)
    start(page, MALMO_KS)
    kit.fill(page, "Ditt namn (visas i ändringsloggen)", "Anna Andersson")
    kit.fill(page, "Scenariots namn", "KSAU länk Malmö")
    kit.click(page, "Spara som nytt scenario")
    see(page, "Scenariot är sparat.")
    scenario_id = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    code = page.locator('[data-testid="stMain"] [data-testid="stCode"]').filter(has_text="?scenario=")
    link = code.inner_text().strip()
    assert link == f"{live_server}/scenarier?scenario={scenario_id}&kommun=Malm%C3%B6"
    page.close()

    opened = kit.open_page(chromium, link, width=1366, height=768)
    kit.assert_no_error(opened)
    see(opened, "KSAU länk Malmö")
    assert chosen(opened, "Kommun") == ["Malmö"]  # the sidebar's Kommun, not "Alla"
    kit.shot(opened, "scenario-link", "02-opened-with-kommun")
    opened.close()
