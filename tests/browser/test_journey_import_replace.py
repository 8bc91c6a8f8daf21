"""Journey in real Chromium: Malmö brings newer figures for 2022 (KS anslag), which the bundled documents
already cover. The page asks before replacing; after confirming, Översikt shows the file's lines, Källor and
Datakvalitet list the documents' lines as "Ersatt av import", and undo brings the documents' figures back.
One page from start to end, moving by the sidebar's menu as the official does.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import browser_kit as kit
from tests.browser.test_journey_import import pick_kommun, text

pytestmark = pytest.mark.browser

JOURNEY = "import-ersatt"
MALMO_2022 = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Malmö stad;2022;KS anslag till förfogande;15 000 000;Kulturnämnden;Samtida cirkus;Utbildning;"
    "9 000 000;beslutad\n"
    "Malmö stad;2022;KS anslag till förfogande;;Fritidsnämnden;Fritidsbanken;Demokrati och civilsamhälle;"
    "6 000 000;beslutad\n"
)


def test_replacing_a_bundled_year_asks_first_and_undo_restores_it(live_server, chromium, tmp_path):
    newer = tmp_path / "malmo-2022.csv"
    newer.write_text(MALMO_2022, encoding="utf-8")
    page = kit.open_page(chromium, f"{live_server}/importera")
    kit.upload(page, newer, "som i dag kommer från källdokumenten")
    shown = text(page)
    assert "Filen har nyare siffror för Malmö 2022, som i dag kommer från källdokumenten." in shown
    assert page.get_by_role("button", name="Importera", exact=True).is_disabled()
    kit.shot(page, JOURNEY, "01-fraga-forst")

    page.get_by_text("Ja, ersätt den befintliga datan med filens rader").click()
    kit.wait_idle(page)
    kit.click(page, "Importera")
    page.get_by_text("2 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)

    kit.go_to(page, "Översikt")
    pick_kommun(page, "Malmö")
    shown = text(page)
    assert "Samtida cirkus" not in shown  # the overview shows sums, not titles
    kit.shot(page, JOURNEY, "02-oversikt")

    # Malmö alone (still chosen): with every municipality the 33 findings run over two pages and notices
    # come last
    kit.go_to(page, "Datakvalitet")
    assert "Ersatt av import" in text(page)
    kit.shot(page, JOURNEY, "04-datakvalitet")

    kit.reset_filters(page)  # Källor with every municipality
    kit.go_to(page, "Källor")
    shown = text(page)
    assert "Ersatt av import" in shown and "malmo-2022.csv" in shown
    imported = page.locator('[data-testid="stExpander"]').filter(has_text="malmo-2022.csv").last
    imported.locator("summary").click()
    kit.wait_idle(page)
    details = imported.inner_text()
    assert "Dnr: anges inte" in details and "nan" not in details.split()  # an imported file has no Dnr
    # a source document's panel too, its text in our own scrolling box: axe on Källor with a document open
    document = (
        page.locator('[data-testid="stExpander"]')
        .filter(has=page.locator("summary", has_text="Malmö"))
        .filter(has=page.locator(".ik-document"))
        .first
    )
    document.locator("summary").click()
    expect(document.locator(".ik-document")).to_be_visible()
    kit.axe_check(page, "kallor-dokument-oppet")
    kit.shot(page, JOURNEY, "03-kallor")

    kit.go_to(page, "Importera")
    kit.click(page, "Ångra senaste import")
    page.get_by_text("Senaste importen är ångrad.").wait_for(timeout=30_000)  # shown after a rerun
    kit.go_to(page, "Källor")
    assert "Ersatt av import" not in text(page)
    kit.assert_no_error(page)
