"""Issue 21, item 4, in real Chromium: a saved scenario at the caps (200 lines, 100 undo steps kept of 181)
opens by link with its numbers; the 201st line is refused with the Swedish message that says the cap and
what to do; the 101st undo step says that the oldest can no longer be undone; undo still works."""

from __future__ import annotations

import pytest

from tests import browser_kit as kit
from tests.app.test_scenario_page import LINE_CAP, UNDO_FULL, save_at_the_caps
from tests.browser.test_journey_official import kr, metric, see, set_line, tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def full_server(tmp_path_factory):
    """A server whose working store holds 'Fullt scenario', saved through the store before it starts."""
    kit.require_browser()
    var = tmp_path_factory.mktemp("caps") / "var"
    var.mkdir()
    scenario_id = save_at_the_caps(var)
    base, process = kit.start_server(var)
    yield base, scenario_id
    kit.stop_server(process)


def _line_rows(page) -> int:
    """How many lines the table "Raderna" shows."""
    table = page.locator('[data-testid="stMain"] [data-testid="stTable"]').filter(has_text="Utgångsläge")
    return table.locator("tbody tr").count()


def test_a_scenario_at_the_caps_opens_with_its_numbers_refuses_the_201st_line_and_says_why(
    full_server, chromium
):
    base, scenario_id = full_server
    journey = "scenario-caps"
    page = kit.open_page(chromium, f"{base}/scenarier?scenario={scenario_id}")
    kit.assert_no_error(page)
    see(page, "Raderna")
    assert "Fullt scenario" in page.locator("h2").first.inner_text()
    assert metric(page, "Ram") == kr("15 000 000 kr")
    assert metric(page, "Fördelat") == kr("15 181 000 kr")
    assert metric(page, "Överfördelat") == kr("181 000 kr")
    assert _line_rows(page) == 200
    kit.shot(page, journey, "01-opened-with-its-numbers")

    tab(page, "Ny insats")
    kit.fill(page, "Namn på insatsen", "Läxhjälp")
    kit.fill(page, "Belopp", "50 000")
    kit.click(page, "Lägg till insatsen")
    see(page, LINE_CAP)
    kit.assert_no_error(page)
    assert metric(page, "Överfördelat") == kr("181 000 kr") and _line_rows(page) == 200
    kit.shot(page, journey, "02-the-201st-line-refused")

    set_line(page, "Thaiwise", "0")
    see(page, f"Satte ”Thaiwise” till {kr('0 kr')}. {UNDO_FULL}")
    assert metric(page, "Fördelat") == kr("14 181 000 kr") and metric(page, "Ofördelat") == kr("0 kr")
    kit.shot(page, journey, "03-the-oldest-undo-step-dropped")

    kit.click(page, "Ångra senaste")
    see(page, "Ångrade senaste ändringen.")
    kit.assert_no_error(page)
    assert metric(page, "Överfördelat") == kr("181 000 kr")
    kit.shot(page, journey, "04-undo-still-works")
    page.context.close()
