"""The real server in headless Chromium: every page renders its charts with no error shown, and
axe-core finds no serious or critical WCAG violation on it (one page load for both).

Uses Debian's /usr/bin/chromium through Playwright (never a downloaded browser). Screenshots
go to artifacts/screenshots/. Without Chromium these tests skip, unless
INSATSKOLLEN_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser_kit
from tests.conftest import ROOT

SHOTS = ROOT / "artifacts" / "screenshots"
PAGES = {  # url path -> (title, minimum number of charts)
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

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(live_server):
    """The real server, one per module (tests/browser_kit.py, via conftest's live_server)."""
    return live_server


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def open_page(browser, url: str, width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_selector("h1", timeout=30_000)
    return page


def settle(page, charts: int) -> None:
    """Wait for the run to finish and the expected Plotly charts to be drawn."""
    if charts:
        browser_kit.wait_charts(page, charts)
    browser_kit.wait_idle(page)


def screenshot(page, name: str) -> Path:
    """A full-length screenshot: Streamlit scrolls an inner container, so grow the viewport to fit it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(max(height, 900), 8000)})
    browser_kit.next_frames(page)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def assert_no_error(page) -> None:
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()
    assert "Page not found" not in page.content()


@pytest.mark.parametrize("path", list(PAGES) + ["presentation"])
def test_page_renders_in_chromium_and_passes_axe_core(server, browser, path):
    """Each page opened once: it renders its charts with our navigation and filters and no error (a
    screenshot saved), and axe-core (WCAG 2.1 A/AA rules) finds no serious or critical violation (the
    report saved). Presentation is checked by axe only here; its rendering is test_presentation_page's
    and the slides journeys'."""
    page = open_page(browser, f"{server}/{path}")
    try:
        settle(page, PAGES.get(path, ("", 1))[1])
        if path in PAGES:
            title, _ = PAGES[path]
            assert page.locator("h1").first.inner_text() == title
            navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert navigation.count("\n") >= 6  # our navigation
            # the shared filters are there
            page.get_by_text("Återställ filter").first.wait_for(timeout=30_000)
            assert_no_error(page)
            # the accessibility statement is one click away from every page (issue 26)
            link = page.locator('[data-testid="stSidebar"]').get_by_role(
                "link", name="Tillgänglighetsredogörelse"
            )
            assert link.count() == 1
        browser_kit.require_axe()
        # axe first, at the window's own size; then the full-length screenshot grows the viewport
        serious = browser_kit.axe_serious(page, path or "oversikt")
        assert not serious, serious
        if path in PAGES:
            assert screenshot(page, path or "oversikt").stat().st_size > 10_000
    finally:
        page.close()


def test_phone_width_has_no_error(server, browser):
    page = open_page(browser, f"{server}/", width=390)
    try:
        settle(page, 2)
        assert_no_error(page)
        screenshot(page, "oversikt-mobil")
    finally:
        page.close()


def test_no_request_leaves_the_machine(server, browser):
    """The meeting laptop may have no network: every page loads without asking any other host
    (a :material/…: favicon used to be fetched from Google's font CDN)."""
    outside = []
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url),
    )
    for path in ("", "scenarier", "presentation?kommun=Malm%C3%B6"):
        page = context.new_page()
        page.goto(f"{server}/{path}")
        page.wait_for_selector("h1", timeout=30_000)
        settle(page, 0)
        page.close()
    context.close()
    assert outside == []
