"""Journey, presenter on a projector (issue 22): every slide of the Malmö 2022, Södertälje, Linköping and a
scenario deck fits the window at 1366×768 and at 1024×768 (older projectors): the page does not scroll and
nothing inside the slide is cut off, the sources line included; a clicker's PageDown and a keyboard's →,
Space, Home and End page through it. And the way back: "Avsluta presentationen" returns to the page and
filters the presentation was opened from, and browser Back leaves the presentation in one press."""

from __future__ import annotations

import pytest

from insatskollen.db import Database
from tests import browser_kit as kit
from tests.test_journey_presenter import save_plan_b

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1024, 768)]
DECKS = {  # link -> number of slides (a long findings table continues on a slide of its own)
    "kommun=Malm%C3%B6&ar=2022": 9,  # the findings continue over four slides (item 6)
    "kommun=S%C3%B6dert%C3%A4lje": 9,  # the 13 unfunded proposals are a slide of their own; findings go on
    "kommun=Link%C3%B6ping": 2,
    "scenario": 8,
}
FITS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const slide = document.querySelector('.st-key-ik_slide');
  const sources = document.querySelector('.ik-sources').getBoundingClientRect();
  return {page: main.scrollHeight - main.clientHeight, inside: slide.scrollHeight - slide.clientHeight,
          sourcesBottom: sources.bottom, width: document.documentElement.scrollWidth - window.innerWidth,
          count: document.querySelector('.ik-count').innerText};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    path = tmp_path_factory.mktemp("slides") / "slides.duckdb"
    db = Database.open(path)
    db.ensure_built()
    scenario_id = save_plan_b(db)
    db.close()
    base, process = kit.start_server(path)
    yield base, scenario_id
    kit.stop_server(process)


def _count(page) -> str:
    return page.locator(".ik-count").inner_text()


def _key(page, key: str, expected: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(
        "(want) => document.querySelector('.ik-count')?.innerText === want", arg=expected, timeout=20_000
    )
    kit.wait_idle(page)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1366x768", "1024x768"])
def test_every_slide_fits_the_window(server, chromium, width, height):
    base, scenario_id = server
    for link, count in DECKS.items():
        query = f"scenario={scenario_id}" if link == "scenario" else link
        page = kit.open_page(chromium, f"{base}/presentation?{query}", width=width, height=height)
        page.wait_for_selector("h1.ik-title")
        kit.assert_no_error(page)
        assert _count(page) == f"Bild 1 av {count}", link
        for number in range(1, count + 1):
            fit = page.evaluate(FITS)
            assert fit["count"] == f"Bild {number} av {count}"
            assert fit["page"] <= 1, (link, number, fit)  # the page does not scroll
            assert fit["inside"] <= 1, (link, number, fit)  # nothing in the slide is cut off
            assert fit["sourcesBottom"] <= height, (link, number, fit)
            assert fit["width"] <= 0, (link, number, fit)
            if number in (1, count):
                kit.shot(page, "bildspel", f"{width}-{link[:12].replace('%', '')}-{number}")
            if number < count:
                _key(page, "PageDown" if number % 2 else "ArrowRight", f"Bild {number + 1} av {count}")
        page.close()


def test_keys_home_end_space_and_arrows(server, chromium):
    base, _scenario_id = server
    page = kit.open_page(chromium, f"{base}/presentation?kommun=Malm%C3%B6&ar=2022", width=1366, height=768)
    _key(page, "End", "Bild 9 av 9")
    _key(page, "ArrowLeft", "Bild 8 av 9")
    _key(page, "Home", "Bild 1 av 9")
    _key(page, " ", "Bild 2 av 9")
    _key(page, "PageUp", "Bild 1 av 9")
    page.close()


def test_the_way_back_from_the_presentation(server, chromium):
    base, _scenario_id = server
    page = kit.open_page(chromium, f"{base}/omraden?kommun=Malm%C3%B6&ar=2022", width=1366, height=768)
    page.locator('[data-testid="stSidebarNav"] a[href$="presentation"]').click()
    page.wait_for_selector("h1.ik-title")
    kit.wait_idle(page)
    _key(page, "PageDown", "Bild 2 av 9")
    _key(page, "PageDown", "Bild 3 av 9")
    # "Avsluta presentationen" goes back to Prioriterade områden with Malmö 2022 still chosen
    page.get_by_role("link", name="Avsluta presentationen").click()
    page.wait_for_url("**/omraden?**")
    kit.wait_idle(page)
    assert "kommun=Malm%C3%B6" in page.url and "ar=2022" in page.url
    assert page.locator("h1").first.inner_text().startswith("Prioriterade områden")
    # into the presentation again (it opens at the slide it was left on), on two slides, then one press of
    # Back leaves it
    page.locator('[data-testid="stSidebarNav"] a[href$="presentation"]').click()
    page.wait_for_selector("h1.ik-title")
    kit.wait_idle(page)
    assert _count(page) == "Bild 3 av 9"
    _key(page, "PageDown", "Bild 4 av 9")
    _key(page, "PageDown", "Bild 5 av 9")
    page.go_back()
    page.wait_for_url("**/omraden?**")
    kit.wait_idle(page)
    assert page.locator(".ik-title").count() == 0
    page.close()
