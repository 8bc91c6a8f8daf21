"""Issue 26, item 2: an official reads a population file (Kommun, År, Invånare) on Importera → Kolada; Kommuner
then shows Malmö's Ram and Fördelat per invånare beside its population and source, and the municipalities
compared on it; Prioriterade områden shows Brottslighet's Fördelat per invånare. Before the import both pages say
in one line how to get the population. axe finds nothing serious on either page, at 1366×768."""

from __future__ import annotations

import pytest

from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser
POPULATION = kit.ROOT / "tests" / "fixtures" / "kolada" / "befolkning.csv"  # see fixtures/README
KOMMUNER = "/kommuner?vald_kommun=Malm%C3%B6"
OMRADEN = "/omraden?valt_omrade=Brottslighet"
HOW_TO_GET = "Kronor per invånare visas när befolkningen är importerad"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    kit.require_browser()
    kit.require_axe()
    base, process = kit.start_server(published_var(tmp_path_factory.mktemp("percapita") / "var"))
    yield base
    kit.stop_server(process)


def text(page) -> str:
    return kit.main_text(page).replace("\u00a0", " ")


def open_until(page, url: str, heading: str) -> None:
    """A server looks for newly imported rows at most once a second (README): open the page again until it
    shows the section `heading`, as a person would reload. A heading, not a text: the line saying how to get
    the population begins with the same words ("Kronor per invånare visas när …")."""
    for _ in range(10):
        page.goto(url)
        kit.wait_idle(page)
        kit.assert_no_error(page)
        if page.get_by_role("heading", name=heading, exact=True).count():
            return
    raise AssertionError(f"{heading!r} never showed on {url}")


def test_a_population_file_gives_kronor_per_invanare_on_kommuner_and_omraden(served, chromium):
    base = served
    page = kit.open_page(chromium, base + KOMMUNER, width=1366, height=768)
    assert HOW_TO_GET in text(page)  # before: one line on how to get it, no figures
    assert "Ram per invånare" not in text(page)

    kit.go_to(page, "Importera")  # in the same tab, by the sidebar's menu
    page.get_by_text("Nyckeltal från Kolada", exact=True).click()
    kit.wait_idle(page)
    # read in a child process
    kit.upload(
        page, POPULATION, then=page.get_by_role("button", name="Importera nyckeltalen"), timeout=90_000
    )
    assert "Värden\n\n6\n\nOkända\n\n1" in text(page)  # Södertälje 2020 is empty: unknown
    rows = kit.grid_rows(page, "Nyckeltal")
    assert rows[0][:5] == ["N01951 Invånare totalt, antal", "Malmö", "1280", "2022", "357 377"]
    page.get_by_label("Ditt namn (loggas)").fill("Bo Handläggare")
    page.get_by_label("Ditt namn (loggas)").press("Enter")
    kit.wait_idle(page)
    kit.click(page, "Importera nyckeltalen")
    page.get_by_text("6 värden från befolkning.csv är importerade").wait_for(timeout=30_000)

    open_until(page, base + KOMMUNER, "Kronor per invånare")
    kit.wait_charts(page, 1)
    own = kit.grid_rows(page, "Ram")
    # Malmö 2022 by hand: 34 700 000 kr / 357 377 invånare = 97,10 kr; 33 600 000 / 357 377 = 94,02 kr
    assert own == [
        [
            "2022",
            "34 700 000 kr",
            "97,10 kr",
            "33 600 000 kr",
            "94,02 kr",
            "357 377",
        ]
    ]
    assert (
        "Invånare den 31 december (N01951 Invånare totalt, antal): 2022 enligt Befolkningsfil befolkning.csv."
        in text(page)
    )
    compared = kit.grid_rows(page, "Kommun")
    # Södertälje 10 839 000 / 100 000 = 108,39 kr (2018) and 10 839 000 / 101 000 = 107,32 kr (2019)
    assert [row[:4] for row in compared[:4]] == [
        ["Södertälje", "2018", "108,39 kr", "109,00 kr"],
        ["Södertälje", "2019", "107,32 kr", "107,92 kr"],
        ["Malmö", "2022", "97,10 kr", "94,02 kr"],
        ["Linköping", "2018", "85,75 kr", "okänt"],
    ]
    assert ["Södertälje", "2020", "okänt", "okänt", "okänt"] in compared  # an empty Invånare: unknown, not 0
    assert HOW_TO_GET not in text(page)
    assert not kit.axe_serious(page, "kommuner-per-capita")
    page.get_by_text("Kronor per invånare", exact=True).scroll_into_view_if_needed()
    kit.shot(page, "per-capita", "1-kommuner-1366")
    if kit.SHOTS:  # the window resized only for the screenshot (each resize redraws the page's charts)
        page.set_viewport_size({"width": 1024, "height": 768})
        kit.shot(page, "per-capita", "2-kommuner-1024")
        page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(base + OMRADEN)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    page.get_by_text("Fördelat till Brottslighet per invånare").wait_for(timeout=30_000)
    area = kit.grid_rows(page, "Fördelat till Brottslighet")
    # 2 170 000 kr / 357 377 = 6,07 kr; Linköping's line without amount stays okänt
    assert area == [
        ["Linköping", "2018", "okänt", "okänt", "161 034"],
        ["Malmö", "2022", "2 170 000 kr", "6,07 kr", "357 377"],
    ]
    assert not kit.axe_serious(page, "omraden-per-capita")
    page.get_by_text("Fördelat till Brottslighet per invånare").scroll_into_view_if_needed()
    kit.shot(page, "per-capita", "3-omraden-1366")
    if kit.SHOTS:
        page.set_viewport_size({"width": 1024, "height": 768})
        kit.shot(page, "per-capita", "4-omraden-1024")
