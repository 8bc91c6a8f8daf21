"""Journey in real Chromium (issue 26, item 4): a reader on Insatser finds the accessibility statement in the
sidebar, opens it by keyboard, reads the organisation's contact and Digg's form as links, at 1024×768 and
1366×768. The link on every page and axe on the statement are in tests/browser/test_browser.py."""

from __future__ import annotations

import pytest

from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser

SECRETS = """
[insatskollen.organisation]
name = "Gävle kommun"
contact = "tillganglighet@gavle.se"
"""


@pytest.fixture(scope="module")
def gavle_server(tmp_path_factory):
    kit.require_browser()
    folder = tmp_path_factory.mktemp("statement")
    secrets = folder / "secrets.toml"
    secrets.write_text(SECRETS, encoding="utf-8")
    base, process = kit.start_server(published_var(folder / "var"), {"STREAMLIT_SECRETS_FILES": str(secrets)})
    yield base
    kit.stop_server(process)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=["1024x768", "1366x768"])
def test_a_reader_opens_the_statement_from_the_sidebar_by_keyboard(gavle_server, chromium, size):
    page = kit.open_page(chromium, f"{gavle_server}/insatser", width=size[0], height=size[1])
    try:
        link = page.locator('[data-testid="stSidebar"]').get_by_role(
            "link", name="Tillgänglighetsredogörelse"
        )
        link.focus()
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Tillgänglighetsredogörelse", level=1).wait_for(timeout=30_000)
        kit.wait_idle(page)
        assert page.url.endswith("/tillganglighet")
        kit.assert_no_error(page)
        text = kit.main_text(page)
        assert "Gävle kommun står bakom Insatskollen" in text
        assert (
            "Insatskollen är delvis förenlig med lagen om tillgänglighet till digital offentlig service."
            in text
        )
        assert "Bedömningen gjordes senast 2026-12-06." in text
        main = page.locator('[data-testid="stMain"]')
        contact = main.get_by_role("link", name="tillganglighet@gavle.se")
        assert contact.get_attribute("href") == "mailto:tillganglighet@gavle.se"
        digg = main.get_by_role("link", name="Anmäl bristande tillgänglighet till Digg")
        assert digg.get_attribute("href") == "https://www.digg.se/tdosanmalan"
        upstream = main.get_by_role("link", name="github.com/streamlit/streamlit/issues/1353")
        assert upstream.get_attribute("href") == "https://github.com/streamlit/streamlit/issues/1353"
        # the page is read from the top: the heading is in view without scrolling at this size
        assert page.get_by_role("heading", name="Tillgänglighetsredogörelse", level=1).is_visible()
        kit.shot(page, "statement", f"{size[0]}x{size[1]}")
    finally:
        page.close()
