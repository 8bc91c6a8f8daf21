"""The import journey in real Chromium: an official uploads Norrköping's own budget on Importera, reads
the preview and its totals, imports it (these three steps by keyboard only), finds Norrköping on Översikt
with the right amounts, sees the exact Swedish message for a broken file, and undoes the import.

Then, on the same server, one after the other:
- Malmö brings newer figures for 2022 (KS anslag), which the bundled documents already cover. The page asks before
  replacing; after confirming, Översikt shows the file's lines, Källor and Datakvalitet list the documents' lines as
  "Ersatt av import", and undo brings the documents' figures back. One page from start to end, moving by the
  sidebar's menu as the official does.
- Issue 23, item 3: the Gävle official downloads the Excel template on Importera, named insatskollen-mall.xlsx,
  with its drop-down lists. The template filled, imported without a word about other sheets and named by its file
  name, dnr and date on Källor and Kommuner with its eight measures counted as eight is
  tests/app/test_import_template.py's; in Chromium, an xlsx file uploaded and a file's dnr on Kommuner, Källor and
  Datakvalitet are test_journey_gavle.py's.

Each journey undoes what it imports, so the next starts from the bundled data. The three share one page,
opened once at Importera (a full load costs Chromium about three moves by the sidebar's menu): each ends with
the sidebar's filters cleared and no file left in the uploader (a file chosen is dropped when the page is left),
and each goes to Importera by the sidebar's menu.
"""

from __future__ import annotations

import openpyxl
import pytest
from playwright.sync_api import expect

from insatskollen.core import fmt
from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "import"
NORRKOPING = (
    "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Beskrivning;Område;Belopp (kr);Status\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;2 000 000;Utbildningsnämnden;Läxhjälp i Navestad;"
    "Läxhjälp tre kvällar i veckan;Utbildning;1 200 000;föreslagen\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;2 000 000;Arbetsmarknadsnämnden;Sommarjobb i Hageby;"
    "Feriejobb för unga;Arbetsmarknad;500 000 kr;föreslagen\n"
)
BROKEN = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Malmö;2025;KS anslag till förfogande;15 000 000;Kulturnämnden;Samtida cirkus;Utbildning;tusen;föreslagen\n"
)


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def pick_kommun(page, name: str) -> None:
    box = page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Kommun", exact=True)
    box.click()
    box.press_sequentially(name[:5])
    page.get_by_role("option", name=name, exact=True).first.click()
    page.keyboard.press("Escape")
    kit.wait_idle(page)


def kommun_offers(page, name: str) -> bool:
    box = page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Kommun", exact=True)
    box.click()
    box.press_sequentially(name[:5])
    page.locator('[role="listbox"]').wait_for()
    kit.next_frames(page)  # the list is filtered by what was typed
    offered = name in [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    return offered


@pytest.fixture(scope="module")
def page(live_server, chromium):
    """One tab for the module's journeys, opened at Importera. The first starts from this fresh load (its
    first checks are of the page as a visit shows it); the others come back to Importera by the menu."""
    tab = kit.open_page(chromium, f"{live_server}/importera")
    yield tab
    tab.close()


def test_import_journey(page, tmp_path):
    good = tmp_path / "norrkoping-2024.csv"
    good.write_text(NORRKOPING, encoding="utf-8")
    broken = tmp_path / "trasig.csv"
    broken.write_text(BROKEN, encoding="utf-8")

    kit.go_to(page, "Importera")  # first in the module: the page as loaded, nothing chosen or imported yet
    assert "Högst 5 MB." in text(page)
    assert "5MB per file" in text(page)  # Streamlit's own line states our limit, not its 200MB
    assert not kommun_offers(page, "Norrköping")
    kit.shot(page, JOURNEY, "01-importera")

    # A broken file: the exact message, nothing saved.
    kit.upload(page, broken, "kan inte importeras")
    shown = text(page)
    assert "Filen trasig.csv kan inte importeras. Ingenting har sparats. 1 fel:" in shown
    assert (
        'trasig.csv, rad 2, kolumn Belopp (kr): värdet "tusen" – förväntat ett belopp (Kan inte tolka '
        '"tusen" som ett belopp. Skriv t.ex. 1 500 000, 1 500 000 kr eller 1,5 mnkr.)'
    ) in shown
    assert "Förhandsgranskning" not in shown
    kit.axe_check(page, "importera-fellista")  # the error and its list, as a screen reader meets them
    kit.shot(page, JOURNEY, "02-trasig-fil")
    kit.assert_no_error(page)

    # The good file: preview with its totals, then import, by keyboard only (issue 16, item 6): every action is
    # page.keyboard, Tab to the uploader's button and Enter to open the operating system's file dialog, which
    # Playwright answers as a person picks the file there.
    kit.tab_to(page, "Add files", "BUTTON")  # the uploader's button once a file is chosen ("Upload" before)
    kit.assert_focus_visible(page)
    kit.open_file_dialog(page, "Add files", "BUTTON").set_files(str(good))
    kit.preview_heading(page).wait_for(timeout=30_000)  # not the intro's word
    kit.wait_idle(page)
    page.get_by_text("är ofördelat").first.wait_for(timeout=30_000)
    shown = text(page)
    assert "Förhandsgranskning" in shown
    assert "Rader\n\n2" in shown or "Rader\n2" in shown
    rows = page.locator('[data-testid="stMetric"]').filter(has_text="Rader")
    assert rows.locator('[data-testid="stMetricValue"]').inner_text().strip() == "2"
    assert "1 700 000 kr" in shown
    assert (  # naming the cell the frame was read from (issue 23, item 4)
        "Norrköping 2024, Statsbidrag Delmos (ramen: rad 2, kolumn E (Ram (kr))): 300 000 kr av ramen på "
        "2 000 000 kr är ofördelat." in shown
    )
    kit.axe_check(page, "importera-forhandsgranskning")
    kit.shot(page, JOURNEY, "03-forhandsgranskning")
    kit.tab_to(page, "Ditt namn (loggas)", "INPUT")
    kit.type_and_commit(page, "Test Testsson")
    kit.tab_to(page, "Importera", "BUTTON")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    # the outcome itself, not only an idle page: under load the rerun after the click can start late
    page.get_by_text("2 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)
    kit.shot(page, JOURNEY, "04-importerad")

    # Översikt: Norrköping's frame, what is allocated and what is left.
    page.get_by_role("link", name="Översikt").click()
    kit.wait_idle(page)
    pick_kommun(page, "Norrköping")
    shown = text(page)
    assert "Norrköping" in shown
    assert fmt.mnkr(2_000_000).replace("\xa0", " ") in shown  # Ram
    assert fmt.mnkr(1_700_000).replace("\xa0", " ") in shown  # fördelat
    assert fmt.mnkr(300_000).replace("\xa0", " ") in shown  # ofördelat
    kit.shot(page, JOURNEY, "05-oversikt-norrkoping")
    kit.assert_no_error(page)

    # Undo: back on Importera by the sidebar, the filter cleared (no file chosen: the uploader was left with
    # the page) it offers "Ångra senaste import"; Norrköping is gone afterwards.
    kit.reset_filters(page)
    kit.go_to(page, "Importera")
    assert page.get_by_role("heading", name="Förhandsgranskning").count() == 0  # no file chosen, no preview
    # before acting, the page says which import the button undoes, and the log names who imported what
    shown = text(page)
    assert "Ångra senaste import gäller norrkoping-2024.csv (2 rader), importerad " in shown
    assert "av Test Testsson (inskrivet namn)." in shown
    page.get_by_text("Importloggen (1 händelse)").click()
    kit.wait_idle(page)
    kit.shot(page, JOURNEY, "06-importloggen")
    kit.click(page, "Ångra senaste import")
    page.get_by_text("Senaste importen är ångrad.").wait_for(timeout=30_000)  # shown after a rerun
    assert not kommun_offers(page, "Norrköping")
    shown = text(page)
    assert "Det finns ingen import att ångra." in shown  # and the button is gone
    assert page.get_by_role("button", name="Ångra senaste import").count() == 0
    kit.shot(page, JOURNEY, "07-angrad")
    kit.assert_no_error(page)


REPLACE_JOURNEY = "import-ersatt"
MALMO_2022 = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Malmö stad;2022;KS anslag till förfogande;15 000 000;Kulturnämnden;Samtida cirkus;Utbildning;"
    "9 000 000;beslutad\n"
    "Malmö stad;2022;KS anslag till förfogande;;Fritidsnämnden;Fritidsbanken;Demokrati och civilsamhälle;"
    "6 000 000;beslutad\n"
)


def test_replacing_a_bundled_year_asks_first_and_undo_restores_it(page, tmp_path):
    newer = tmp_path / "malmo-2022.csv"
    newer.write_text(MALMO_2022, encoding="utf-8")
    # the import journey left Importera with its import undone, no file chosen and no filter set
    kit.go_to(page, "Importera")
    kit.upload(page, newer, "som i dag kommer från källdokumenten")
    shown = text(page)
    assert "Filen har nyare siffror för Malmö 2022, som i dag kommer från källdokumenten." in shown
    assert page.get_by_role("button", name="Importera", exact=True).is_disabled()
    kit.shot(page, REPLACE_JOURNEY, "01-fraga-forst")

    page.get_by_text("Ja, ersätt den befintliga datan med filens rader").click()
    kit.wait_idle(page)
    kit.click(page, "Importera")
    page.get_by_text("2 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)

    kit.go_to(page, "Översikt")
    pick_kommun(page, "Malmö")
    shown = text(page)
    assert "Samtida cirkus" not in shown  # the overview shows sums, not titles
    kit.shot(page, REPLACE_JOURNEY, "02-oversikt")

    # Malmö alone (still chosen): with every municipality the 33 findings run over two pages and notices
    # come last
    kit.go_to(page, "Datakvalitet")
    assert "Ersatt av import" in text(page)
    kit.shot(page, REPLACE_JOURNEY, "04-datakvalitet")

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
        .filter(has_not=page.locator("summary", has_text="malmo-2022.csv"))
        .first
    )
    document.locator("summary").click()
    expect(document.locator(".ik-document")).to_be_visible()
    kit.axe_check(page, "kallor-dokument-oppet")
    kit.shot(page, REPLACE_JOURNEY, "03-kallor")

    kit.go_to(page, "Importera")
    kit.click(page, "Ångra senaste import")
    page.get_by_text("Senaste importen är ångrad.").wait_for(timeout=30_000)  # shown after a rerun
    kit.go_to(page, "Källor")
    assert "Ersatt av import" not in text(page)
    kit.assert_no_error(page)


def test_the_excel_template_downloads_with_its_name_and_drop_down_lists(page, tmp_path):
    """Issue 23, item 3: the button gives the template by its name, its lists in the file. Filled as the Gävle
    official filled it and imported, it names the file by its dnr: tests/app/test_import_template.py."""
    kit.go_to(page, "Importera")  # from Källor, where the replacing journey ended with its import undone
    template = kit.download(
        page, page.get_by_role("button", name="Mall (Excel, med tillåtna värden)"), target_dir=tmp_path
    )
    assert template.name == "insatskollen-mall.xlsx"
    book = openpyxl.load_workbook(template)
    assert book["Insatser"].data_validations.dataValidation  # the lists came with the download
    kit.assert_no_error(page)
