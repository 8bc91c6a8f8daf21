"""axe-core on the states a person reaches by using the app, not only on each page as it opens
(issue 16, item 6): open panels, a file's list of errors, a filled-in scenario with its rules and a
comparison, the import preview, Uppföljning with a frame-year and its report form, and the sign-in page.

The same WCAG 2.0/2.1 A and AA rules as tests/browser/test_browser.py, in Debian's Chromium; each report is
saved under artifacts/axe/<state>.json and a screenshot under artifacts/journeys/axe-<state>.png. A
test fails on any serious or critical violation in our content; findings in Streamlit's own widgets
that our code cannot change are excluded narrowly in browser_kit.AXE_EXCLUDED, each with its reason.
"""

from __future__ import annotations

import pytest

from tests import auth_kit
from tests import browser_kit as kit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _axe():
    kit.require_axe()


def test_follow_up_with_a_frame_year_and_the_report_form(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/uppfoljning?ram=mal-ks%7C2022")
    kit.wait_charts(page, 1)
    kit.choose(page, "Insats att rapportera", "Trygga barnet")
    page.get_by_label("Utfall (kr)", exact=True).fill("mycket")
    page.get_by_role("button", name="Spara rapporten").click()
    page.get_by_text("Rapporten sparades inte:").wait_for(timeout=30_000)
    kit.wait_idle(page)
    kit.open_panel(page, "Visa som tabell och ladda ner")
    kit.axe_check(page, "uppfoljning-rapportformular")
    page.close()


def test_sign_in_page(tmp_path_factory, chromium):
    """The sign-in page, then the same window signs in as someone with no role. A context of its own: the
    sign-in is a cookie, and the module's shared context serves the other tests."""
    with auth_kit.server_with_sign_in(tmp_path_factory.mktemp("axe-signin")) as (base, _var):
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(base + "/scenarier")
        page.get_by_role("button", name="Logga in").wait_for(timeout=30_000)
        kit.wait_idle(page)
        kit.axe_check(page, "inloggning")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("button", name="okand", exact=True).click()
        page.get_by_text("har ingen roll i Insatskollen").wait_for(timeout=30_000)
        kit.axe_check(page, "inloggad-utan-roll")
        context.close()
