"""The real server in headless Chromium: every page, reached the way a person goes there (the sidebar),
renders its charts with our navigation and filters and no error, axe-core finds no serious or critical
WCAG violation on it, and no page asks any host but ours.

Uses Debian's /usr/bin/chromium through Playwright (never a downloaded browser). Screenshots of each page
go to artifacts/journeys/sidor-<page>.png when INSATSKOLLEN_SHOTS=1 (docs/accessibility.md, "Looking at
the pages"). Without Chromium these tests skip, unless INSATSKOLLEN_REQUIRE_BROWSER=1 (as in CI), where a
missing browser fails.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests import browser_kit

PAGES = {  # url path -> (title, minimum number of charts), in the order the walk visits them
    "": ("Översikt", 2),
    "omraden": ("Prioriterade områden", 2),
    "namnder": ("Nämnder", 3),
    "kommuner": ("Kommuner", 2),
    "insatser": ("Insatser", 0),
    "kallor": ("Källor", 0),
    "datakvalitet": ("Datakvalitet", 0),
    "scenarier": ("Scenarier", 0),
    "uppfoljning": ("Uppföljning", 2),
    "importera": ("Importera", 0),
    "lagesbild": ("Från lägesbild till resultat", 0),
    "tillganglighet": ("Tillgänglighetsredogörelse", 0),
}
JOURNEY = "sidor"
# Every distinct text of the sidebar's menu, in order, from the page's first byte (icons are ligature text).
MENUS_SEEN = """
window.__ikMenus = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (!nav) return;
  const text = [...nav.querySelectorAll("a")].map((a) => a.innerText.split("\\n").pop().trim()).join("\\n");
  if (text && window.__ikMenus[window.__ikMenus.length - 1] !== text) window.__ikMenus.push(text);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(live_server):
    """The real server, one per module (tests/browser_kit.py, via conftest's live_server)."""
    return live_server


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def settle(page, charts: int) -> None:
    """Wait for the run to finish and the expected Plotly charts to be drawn."""
    browser_kit.wait_idle(page)
    if charts:
        browser_kit.wait_charts(page, charts)
        browser_kit.wait_idle(page)


def screenshot(page, name: str) -> None:
    """A full-length screenshot when INSATSKOLLEN_SHOTS=1 (browser_kit.shot); then it must hold a page."""
    path = browser_kit.shot(page, JOURNEY, name)
    if browser_kit.SHOTS:
        assert path.stat().st_size > 10_000, f"{path} is almost empty"


def assert_no_error(page) -> None:
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()
    assert "Page not found" not in page.content()


def go(page, path: str, title: str) -> None:
    """Follow the page's link in the sidebar, as a person does (the statement's link is below the filters and
    followed by keyboard), and wait for that page's run."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if path == "tillganglighet":  # by keyboard, as a reader who does not use a mouse (issue 26, item 4)
        sidebar.get_by_role("link", name="Tillgänglighetsredogörelse").focus()
        page.keyboard.press("Enter")
    else:
        sidebar.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(rf"/{path}(\?|$)"))
    browser_kit.wait_idle(page)


def check_page(page, path: str, title: str, charts: int) -> None:
    """What every page must show: its charts, its title, our navigation, the shared filters, no error, the
    accessibility statement's link (issue 26); then axe at the window's own size, then the screenshot."""
    expect(page.locator("h1").first).to_have_text(title, timeout=30_000)
    settle(page, charts)
    assert page.locator("h1").first.inner_text() == title
    navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert navigation.count("\n") >= 6  # our navigation
    # the shared filters are there
    page.get_by_text("Återställ filter").first.wait_for(timeout=30_000)
    assert_no_error(page)
    # the accessibility statement is one click away from every page (issue 26)
    link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Tillgänglighetsredogörelse")
    assert link.count() == 1
    if path == "tillganglighet":  # the way to complain is a link a person can follow
        digg = page.locator('[data-testid="stMain"]').get_by_role(
            "link", name="Anmäl bristande tillgänglighet till Digg"
        )
        assert digg.get_attribute("href") == "https://www.digg.se/tdosanmalan"
    serious = browser_kit.axe_serious(page, path or "oversikt")
    assert not serious, serious
    screenshot(page, path or "oversikt")


def test_every_page_renders_passes_axe_core_and_asks_no_other_host(server, browser):
    """One window walks every page by the sidebar (one full load, then in-app switches, as a person
    moves): each renders its charts with our navigation and filters and no error, and axe-core (WCAG 2.1
    A/AA rules) finds no serious or critical violation (reports in artifacts/axe/). Presentation, last in
    the menu, is checked by axe only here; its rendering is test_presentation_page's and the slides
    journeys'. A failing page does not stop the walk: every failed page is named at the end.

    All along, no request leaves the machine: the meeting laptop may have no network (a :material/…:
    favicon used to be fetched from Google's font CDN). The presenter's deep link (?kommun=) is opened
    too, as a real load, and last Översikt at a phone's width (390 px), loaded at that width: no error."""
    browser_kit.require_axe()
    outside = []
    # a context of its own, listened to from before its first request: nothing comes from a cache
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url),
    )
    page = context.new_page()
    # The server's very first request is a deep link, the case that ran a page script outside app.py: every
    # menu the browser ever shows is recorded from the first byte, and none is Streamlit's list of file names.
    page.add_init_script(MENUS_SEEN)
    page.goto(f"{server}/kallor")
    expect(page.locator("h1").first).to_have_text("Källor", timeout=30_000)
    page.get_by_text("Återställ filter").first.wait_for(timeout=30_000)
    browser_kit.wait_idle(page)
    menus = page.evaluate("window.__ikMenus")
    assert menus and all(menu.startswith("Översikt\nPrioriterade områden") for menu in menus), menus
    go(page, "", "Översikt")
    failures = {}
    for path, (title, charts) in PAGES.items():
        try:
            if path:  # the walk starts on Översikt
                go(page, path, title)
            check_page(page, path, title, charts)
        except (AssertionError, PlaywrightError) as error:
            failures[path or "oversikt"] = f"{type(error).__name__}: {error}"
    try:
        go(page, "presentation", "Presentation")
        settle(page, 1)
        serious = browser_kit.axe_serious(page, "presentation")
        assert not serious, serious
    except (AssertionError, PlaywrightError) as error:
        failures["presentation"] = f"{type(error).__name__}: {error}"
    page.goto(f"{server}/presentation?kommun=Malm%C3%B6")
    page.wait_for_selector("h1", timeout=30_000)
    settle(page, 0)
    # a phone's width: Översikt loaded at 390 px shows no error
    try:
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"{server}/")
        page.wait_for_selector("h1", timeout=30_000)
        settle(page, 2)
        assert_no_error(page)
        browser_kit.shot(page, JOURNEY, "oversikt-mobil")
    except (AssertionError, PlaywrightError) as error:
        failures["oversikt vid 390 px"] = f"{type(error).__name__}: {error}"
    context.close()
    assert not failures, "\n\n".join(f"{name}: {error}" for name, error in failures.items())
    assert outside == []
