"""The core journeys (issue 11: politician, official, presenter, import) walked with the keyboard only, in
Debian's Chromium (issue 16, item 6).

After the page has loaded, every action is page.keyboard: Tab and Shift+Tab to move, typing, Enter,
Space, Shift+Space, arrows, PageDown/PageUp. No mouse, no locator.click() or .fill(); locators only read
what the person sees. The one step outside the page is the operating system's file dialog, which Enter
on the uploader opens and which Playwright answers (expect_file_chooser), as a person would pick the file
there. At each step the test asserts what the person sees, and at several steps that the focused element
shows a focus indicator (an outline or a box-shadow on it or on its box). Screenshots go to
artifacts/journeys/tangentbord-*.png. The keyboard helpers (tab_to and its neighbours) are in
tests/browser_kit.py.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.browser.test_journey_presenter import save_plan_b
from tests.conftest import published_var

pytestmark = pytest.mark.browser
JOURNEY = "tangentbord"


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The bundled data plus a saved, edited Malmö 2022 KS scenario for the presenter; then the server."""
    kit.require_browser()
    path = tmp_path_factory.mktemp("keyboard") / "keyboard.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    saved = save_plan_b(db)
    db.close()
    base, process = kit.start_server(path)
    yield base, saved
    kit.stop_server(process)


def new_page(chromium, url: str):
    """A new window at url, in the module's shared context (browser_kit.shared_context: Streamlit's scripts
    come from its cache after the first page; downloads accepted)."""
    return kit.open_page(chromium, url)


def test_politician_filters_downloads_and_reads_a_source_by_keyboard(server, chromium, tmp_path):
    base, _ = server
    page = new_page(chromium, f"{base}/omraden")
    kit.wait_charts(page, 1)
    assert "6,62 mnkr" not in text(page)  # all municipalities: another figure

    kit.tab_to(page, "Kommun", "INPUT")
    kit.assert_focus_visible(page)
    kit.pick_by_typing(page, "Malmö", multiselect=True)
    kit.tab_to(page, "År", "INPUT")
    kit.pick_by_typing(page, "2022", multiselect=True)
    kit.tab_to(page, "Finansieringskälla", "INPUT")
    kit.pick_by_typing(page, "KS anslag", multiselect=True)
    kit.wait_charts(page, 1)
    assert "Malmö · 2022 · KS anslag till förfogande" in text(page)
    assert "6,62 mnkr" in text(page)  # Utbildning's bar in Malmö's KS decision (Bilaga 1, STK-2018-1233)
    kit.shot(page, JOURNEY, "politiker-1-filtrerat")

    # Belopp -> Andel av ramen: arrows move within the segmented control, Space chooses
    kit.tab_to(page, "Belopp", "BUTTON")
    kit.assert_focus_visible(page)
    page.keyboard.press("ArrowRight")
    kit.press(page, "Space")
    assert "visa=Andel+av+ramen" in page.url
    radio = page.get_by_role("radiogroup", name="Visa").get_by_role("radio", name="Andel av ramen")
    expect(radio).to_have_attribute("aria-checked", "true")

    # The table view: Enter opens the panel, Enter on its CSV button downloads it
    kit.tab_to(page, "Visa som tabell och ladda ner", "SUMMARY")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    kit.tab_to(page, "Ladda ner CSV", "BUTTON")
    kit.assert_focus_visible(page)
    shown = kit.download_with_enter(page, tmp_path).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(shown), delimiter=";"))
    assert sum(int(r["Belopp (kr)"]) for r in rows) == 15_000_000
    assert {r["Område"] for r in rows} == {
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
    }

    # Back to the menu (Shift+Tab), on to Insatser; search, choose the row in the grid, open its source
    kit.tab_to(page, "Insatser", "A", back=True)
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    page.wait_for_url(re.compile(r"/insatser"))
    assert page.locator("h1").first.inner_text() == "Insatser"
    assert "kommun=Malm" in page.url  # the filters came along
    kit.tab_to(page, "Sök insats, nämnd eller område", "INPUT")
    kit.assert_focus_visible(page)
    kit.type_and_commit(page, "musik i förskolan")
    # the page says how to choose a row without a mouse (the grid is a canvas: nothing hints at it)
    assert "Tab till tabellen, pilarna till raden, Skift+Mellanslag väljer den" in text(page)
    kit.tab_to(page, "Sortera", "INPUT")
    for _ in range(8):  # the grid's toolbar, then the grid itself
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-testid')") == "data-grid-canvas":
            break
    page.keyboard.press("ArrowDown")
    kit.press(page, "Shift+Space")  # selects the row
    page.wait_for_url(re.compile(r"insats=mal-05"))
    kit.wait_idle(page)
    assert (
        "Utvecklingsprojekt i musik i förskolan"
        in page.locator('[data-testid="stMain"] h2').first.inner_text()
    )
    kit.tab_to(page, "Visa texten i källdokumentet", "SUMMARY")
    kit.press(page, "Enter")
    source = page.locator(".ik-source").first
    expect(source).to_contain_text(
        "ansöker Regionalt resurscentrum Musik i förskola om ett bidrag om totalt 313 000 kr"
    )
    kit.shot(page, JOURNEY, "politiker-2-kalltext")
    kit.assert_no_error(page)
    page.close()
