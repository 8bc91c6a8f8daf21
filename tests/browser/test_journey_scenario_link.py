"""Issue 23, item 6, in real Chromium: a saved scenario's link is given whole (scheme, host, port, page and
?scenario=<id>) in a box the official copies; opened (a full load, a new session, as from a mail) it opens that
scenario with its numbers and leaves the address as it was. One page for the module: the second test chooses Malmö in the sidebar, as the official
does, on the page the first left."""

from __future__ import annotations

import re

import pytest

from tests import browser_kit as kit
from tests.browser.test_journey_official import MALMO_KS, lines_table, see, set_line, start
from tests.browser.test_journey_politician import chosen

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(live_server, chromium):
    """Scenarier at 1366×768 for the whole module."""
    page = kit.open_page(chromium, f"{live_server}/scenarier", width=1366, height=768)
    yield page
    page.close()


def test_scenarier_gives_the_full_link_and_it_opens_the_saved_scenario(live_server, page):
    journey = "scenario-link"
    kit.reset_filters(page)
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

    kit.load(page, link)  # a full load and a new session, as from a mail
    kit.assert_no_error(page)
    assert page.url == link  # opening it adds nothing to the address
    see(page, "KSAU länk")
    assert lines_table(page) == saved
    trygga = next(r for r in lines_table(page).values() if "Trygga barnet" in " ".join(r.values()))
    assert trygga["Scenario"].replace("\u00a0", " ") == "650 000 kr"


def test_the_link_keeps_the_sidebar_filters_so_it_opens_on_the_same_kommun(live_server, page):
    """Issue 23: the copied link dropped the Kommun filter, so the page it opened showed "Alla"."""
    kit.go_to(page, "Scenarier")
    kit.only_kommun(page, "Malmö")  # in the sidebar, as the official narrows the view
    start(page, MALMO_KS)
    kit.fill(page, "Ditt namn (visas i ändringsloggen)", "Anna Andersson")
    kit.fill(page, "Scenariots namn", "KSAU länk Malmö")
    kit.click(page, "Spara som nytt scenario")
    see(page, "Scenariot är sparat.")
    scenario_id = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    code = page.locator('[data-testid="stMain"] [data-testid="stCode"]').filter(has_text="?scenario=")
    link = code.inner_text().strip()
    assert link == f"{live_server}/scenarier?scenario={scenario_id}&kommun=Malm%C3%B6"

    kit.load(page, link)  # a new session: the Kommun chosen comes from the link alone
    kit.assert_no_error(page)
    see(page, "KSAU länk Malmö")
    assert chosen(page, "Kommun") == ["Malmö"]  # the sidebar's Kommun, not "Alla"
    kit.shot(page, "scenario-link", "02-opened-with-kommun")
