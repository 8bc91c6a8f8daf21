"""Moving about the app in one tab, as a person does: by the sidebar's menu and its filters.

A full load of a page (page.goto, kit.open_page) costs Chromium ~1.3–1.8 s (Streamlit's scripts are parsed and
evaluated again); following the menu's link costs ~0.3–0.9 s. The session goes along: the sidebar's filters stay
as they were (a fresh load resets them), so a test that changes them says so, or resets them. Keep goto where the
link itself is tested (a shared link, a URL parameter)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import browser_kit as kit


def menu(page, title: str, drawn: str | None = None, timeout: int = 30_000) -> str:
    """Follow the sidebar menu's link to the page called `title`; wait until it is drawn (its h1 starts with
    the title, or the selector `drawn` is there) and idle. Returns the main area's text."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    if drawn is None:
        expect(page.locator("h1").first).to_contain_text(title, timeout=timeout)
    else:
        page.wait_for_selector(drawn, timeout=timeout)
    kit.wait_idle(page, timeout=timeout)
    kit.assert_no_error(page)
    return kit.main_text(page).replace("\xa0", " ")


def only_kommun(page, name: str, reset: bool = True) -> None:
    """Set the sidebar's Kommun filter to this one municipality, the other filters reset first (as a link
    ?kommun=<name> would on a fresh load); reset=False where no filter is set yet."""
    if reset:
        kit.click(page, "Återställ filter")
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Kommun", exact=True)
    box.click()
    page.get_by_role("option", name=name, exact=True).first.click()
    page.keyboard.press("Escape")
    kit.wait_idle(page)
