"""The politician's journey in real Chromium: filter to Malmö's KS anslag, check that the areas and the
nämnder each sum to the 15 000 000 kr frame, switch the view, and send the link to a colleague (a new
browser context) who must see exactly the same view; the filtering, the share view, the CSV and the way to
Nämnder are done by keyboard only (issue 16, item 6). Also: the sidebar lists offer only values that
exist for the chosen kommun, Enter in a list picks one value, /oversikt reaches Översikt, and
Streamlit's own texts are Swedish where Streamlit allows it.

And "where does this number come from?": Insatser, filter to Malmö, search and choose a measure in the grid,
open "Visa texten i källdokumentet" (both by keyboard only): the passage reaches the amount the document
states, the table row the allocated amount comes from is shown with its header, and the document's markdown
is formatting (no raw `**`). The detail view is linkable (?insats=mal-05): opened by a full load, a new session
with no cookies, in the module's page (its scripts cached, as a second visit's would be). And the open data
behind the numbers (issue 26, item 3): on Källor, with only Malmö chosen, a reader makes the open-data package
and downloads it; the zip holds a valid Frictionless Data Package of Malmö's rows only, whose 2022
lines sum to the Fördelat Översikt shows for Malmö 2022 (33,6 mnkr).

The tests share one page and move between pages by the sidebar's links, as a person does (a full load
costs Chromium a second or more of CPU); each test starts by clearing the filters it does not want. A page
is loaded from its address only where the address is what is tested: a link someone sent, a link with
values that exclude each other or do not exist, /oversikt, and a measure's detail view by its ?insats= link
(a new session, no cookies). Insatser and Källor for Malmö are reached by the menu, with only Malmö chosen.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest
from frictionless import Package, validate
from playwright.sync_api import expect

from insatskollen.core import fmt
from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "politiker"
KS_SOURCE = "KS anslag till förfogande"  # data/funding_sources.csv


def sidebar(page):
    return page.get_by_test_id("stSidebarUserContent")


def sidebar_box(page, label: str):
    return sidebar(page).get_by_role("combobox", name=label, exact=True)


def sidebar_choose(page, label: str, option: str) -> None:
    """Open a sidebar list, click one option, close the list: as a person picks a filter value."""
    sidebar_box(page, label).click()
    page.get_by_role("option", name=option, exact=True).first.click()
    close_list(page)
    kit.wait_idle(page)


def sidebar_options(page, label: str, typed: str = "") -> list[str]:
    """The values a sidebar list offers when opened (after typing `typed`). The list is virtualised,
    so a long list is narrowed by typing before it is read."""
    box = sidebar_box(page, label)
    box.scroll_into_view_if_needed()
    if typed:
        box.click()
        box.press_sequentially(typed)
    else:
        kit.open_list(page, box)
    page.wait_for_selector('[role="listbox"]')
    kit.next_frames(page)  # the options are drawn
    options = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    close_list(page)
    return options


def close_list(page) -> None:
    """Escape clears typed text first, then closes the list."""
    for _ in range(2):
        if page.locator('[role="listbox"]').count():
            page.keyboard.press("Escape")
            kit.next_frames(page)
    page.wait_for_selector('[role="listbox"]', state="detached")


def chosen(page, label: str) -> list[str]:
    """The values shown as chips in a sidebar list."""
    widget = (
        sidebar(page)
        .locator('[data-testid="stMultiSelect"]')
        .filter(has=page.get_by_role("combobox", name=label, exact=True))
    )
    return widget.locator("[data-tag]").evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")


@pytest.fixture(scope="module")
def page(live_server, chromium):
    """The politician's page for the whole module, opened once on Nämnder."""
    page = kit.open_page(chromium, f"{live_server}/namnder")
    yield page
    page.close()


@pytest.fixture(scope="module")
def colleague(chromium):
    """A colleague's browser: a context of their own (no cookies, no session), one for the module."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    yield context
    context.close()


def start(page, title: str) -> None:
    """A test's starting point: the page `title` with no filter chosen (as a fresh visit has none)."""
    if page.locator('[role="listbox"]').count():
        close_list(page)
    kit.go_to(page, title)
    kit.reset_filters(page)


def open_in_new_context(colleague, url: str):
    """The colleague opens the link in a new tab of their own browser."""
    page = colleague.new_page()
    kit.load(page, url)
    return page


def pick(page, label: str, option: str) -> None:
    """Pick in a main-area select box by typing part of the option (the list is virtualised)."""
    kit.choose(page, label, option, typed=option[:8])


def text(page) -> str:
    """The main area's text with non-breaking spaces (in amounts) as plain spaces."""
    return kit.main_text(page).replace("\xa0", " ")


def checked(page, group: str) -> str | None:
    """The checked option of a segmented control or pills group."""
    radios = page.get_by_role("radiogroup", name=group).get_by_role("radio")
    for i in range(radios.count()):
        if radios.nth(i).get_attribute("aria-checked") == "true":
            return radios.nth(i).inner_text().strip()
    return None


def csv_total(page, download_button) -> tuple[int, list[dict]]:
    """Download the table view's CSV (Swedish Excel format) and sum its 'Belopp (kr)' column."""
    return csv_rows_total(kit.download(page, download_button))


def csv_rows_total(path) -> tuple[int, list[dict]]:
    """A downloaded table view's CSV (Swedish Excel format): the sum of its 'Belopp (kr)' column, its rows."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    total = sum(int(round(float(r["Belopp (kr)"].replace(",", ".")))) for r in rows if r["Belopp (kr)"])
    return total, rows


def open_table_view(page, nth: int = 0):
    """Open the n-th 'Visa som tabell och ladda ner' expander and return its CSV button."""
    page.get_by_text("Visa som tabell och ladda ner").nth(nth).click()
    expander = page.locator('[data-testid="stExpander"]').nth(nth)
    button = expander.get_by_role("button", name="Ladda ner CSV")
    button.wait_for()
    return button


def test_lists_narrow_to_the_chosen_kommun_and_keep_a_choice(live_server, page):
    start(page, "Nämnder")
    assert "Utbildningskontoret" in sidebar_options(page, "Nämnd", "Utbildningskontoret")  # Södertälje's

    sidebar_choose(page, "Kommun", "Malmö")
    assert "Utbildningskontoret" not in sidebar_options(page, "Nämnd", "Utbildningskontoret")
    assert not [o for o in sidebar_options(page, "Nämnd", "kontoret") if "kontoret" in o]  # Södertälje's
    assert sidebar_options(page, "Nämnd", "Tekniska") == ["Tekniska nämnden"]
    assert sidebar_options(page, "Finansieringskälla") == [KS_SOURCE, "Statsbidrag Socialstyrelsen"]
    assert sidebar_options(page, "År") == ["2022"]
    assert sidebar_options(page, "Status") == ["föreslagen"]
    kit.shot(page, JOURNEY, "00-listor-malmo")

    # A link whose choices exclude each other (Södertälje's kontor under Malmö) keeps both choices
    # visible, says the view is empty, and the Kommun list shows where that nämnd does exist.
    kit.load(page, f"{live_server}/namnder?kommun=Malmö&namnd=Utbildningskontoret")
    assert chosen(page, "Kommun") == ["Malmö"]
    assert chosen(page, "Nämnd") == ["Utbildningskontoret"]
    assert "Inga fördelningsrader med de valda filtren" in text(page)
    assert sidebar_options(page, "Kommun") == ["Södertälje"]  # Malmö is already a chip
    kit.shot(page, JOURNEY, "00-tom-vy-behaller-val")
    kit.assert_no_error(page)


def test_enter_picks_only_the_highlighted_value(page):
    start(page, "Nämnder")
    box = sidebar_box(page, "Nämnd")
    box.click()
    box.press_sequentially("Tekn")
    page.wait_for_selector('[role="option"]')
    assert not any("Select" in o for o in page.get_by_role("option").all_inner_texts())
    box.press("Enter")
    page.keyboard.press("Escape")
    kit.wait_idle(page)
    assert chosen(page, "Nämnd") == ["Tekniska nämnden"]
    assert parse_qs(urlparse(page.url).query)["namnd"] == ["Tekniska nämnden"]
    kit.assert_no_error(page)


def test_politician_journey_sums_and_link(page, colleague, tmp_path):
    start(page, "Prioriterade områden")
    assert "6,62 mnkr" not in text(page)  # all municipalities: another figure
    # By keyboard only (issue 16, item 6) from here to the downloaded CSV: after start() the page is loaded and
    # every action is page.keyboard (Tab and Shift+Tab, typing, Enter, Space, arrows); locators only read.
    kit.tab_to(page, "Kommun", "INPUT", back=True)  # up from Återställ filter, which start() may have pressed
    kit.assert_focus_visible(page)
    kit.pick_by_typing(page, "Malmö", multiselect=True)
    kit.tab_to(page, "År", "INPUT")
    kit.pick_by_typing(page, "2022", multiselect=True)
    kit.tab_to(page, "Finansieringskälla", "INPUT")
    kit.pick_by_typing(page, "KS anslag", multiselect=True)
    kit.wait_charts(page, 1)
    kit.assert_no_error(page)
    assert chosen(page, "Kommun") == ["Malmö"] and chosen(page, "Finansieringskälla") == [KS_SOURCE]
    assert "Malmö · 2022 · KS anslag till förfogande" in text(page)
    assert "6,62 mnkr" in text(page)  # Utbildning's bar in Malmö's KS decision (Bilaga 1, STK-2018-1233)
    kit.shot(page, JOURNEY, "01-omraden-malmo-ks")

    # Belopp -> Andel av ramen: the arrow moves within the segmented control, Space chooses
    kit.tab_to(page, "Belopp", "BUTTON")
    kit.assert_focus_visible(page)
    page.keyboard.press("ArrowRight")
    kit.press(page, "Space")
    assert "visa=Andel+av+ramen" in page.url
    assert checked(page, "Visa") == "Andel av ramen"

    # The table view: Enter opens the panel, Enter on its CSV button downloads it
    kit.tab_to(page, "Visa som tabell och ladda ner", "SUMMARY")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    kit.tab_to(page, "Ladda ner CSV", "BUTTON")
    kit.assert_focus_visible(page)
    total, rows = csv_rows_total(kit.download_with_enter(page, tmp_path))
    assert total == 15_000_000
    assert {r["Område"] for r in rows} == {
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
    }

    page.get_by_role("radiogroup", name="Välj område").get_by_role("radio", name="Brottslighet").click()
    kit.wait_idle(page)
    assert "insatser med Brottslighet som primärt område" in text(page)
    kit.shot(page, JOURNEY, "02-omraden-andel-brottslighet")
    areas_link = page.url

    # To Nämnder by keyboard only: Tab on past the page's end to the menu, Enter on its link; the filters come
    # along.
    kit.tab_to(page, "Nämnder", "A", limit=200)
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    page.wait_for_url(re.compile(r"/namnder"))
    kit.wait_idle(page)
    assert "kommun=Malm" in page.url
    kit.wait_charts(page, 1)
    total, rows = csv_total(page, open_table_view(page))
    assert total == 15_000_000
    assert len(rows) == 11  # the nämnder in Malmö's KS decision
    pick(page, "Välj nämnd", "Tekniska nämnden")
    assert "Tekniska nämnden: 2 030 000 kr på 1 rad." in text(page)
    kit.shot(page, JOURNEY, "03-namnder-tekniska")
    committee_link = page.url

    # A colleague opens the links in a browser of their own: the same filters and every view control.
    other = open_in_new_context(colleague, areas_link)
    try:
        kit.wait_charts(other, 1)
        assert chosen(other, "Kommun") == ["Malmö"]
        assert chosen(other, "År") == ["2022"]
        assert chosen(other, "Finansieringskälla") == [KS_SOURCE]
        assert checked(other, "Visa") == "Andel av ramen"
        assert checked(other, "Välj område") == "Brottslighet"
        assert "insatser med Brottslighet som primärt område" in text(other)
        kit.shot(other, JOURNEY, "04-lanken-omraden")

        kit.load(other, committee_link)  # the second link, in the same tab
        assert chosen(other, "Finansieringskälla") == [KS_SOURCE]
        assert other.get_by_role("combobox", name="Välj nämnd").input_value() == "Tekniska nämnden"
        assert "Tekniska nämnden: 2 030 000 kr på 1 rad." in text(other)
        kit.shot(other, JOURNEY, "05-lanken-namnder")
        kit.assert_no_error(other)
    finally:
        other.close()


def test_unknown_view_values_in_a_link_are_dropped_quietly(live_server, page):
    kit.load(page, f"{live_server}/omraden?kommun=Malmö|Atlantis&visa=Allt&valt_omrade=Månen")
    kit.assert_no_error(page)
    assert chosen(page, "Kommun") == ["Malmö"]
    assert checked(page, "Visa") == "Belopp"
    assert checked(page, "Välj område") == "Boende"
    kit.load(page, f"{live_server}/namnder?kommun=Malmö&vald_namnd=Påhittade+nämnden")
    kit.assert_no_error(page)
    assert (
        page.get_by_role("combobox", name="Välj nämnd").input_value() == "Arbetsmarknads- och socialnämnden"
    )


def test_chosen_kommun_on_kommuner_lives_in_the_link(page, colleague):
    start(page, "Kommuner")
    pick(page, "Välj kommun", "Linköping")
    link = page.url
    other = open_in_new_context(colleague, link)
    try:
        assert other.get_by_role("combobox", name="Välj kommun").input_value() == "Linköping"
        kit.assert_no_error(other)
    finally:
        other.close()
    # the politician reads on: Linköping's own names of the areas and the table view, with its frame's rules
    kit.wait_charts(page, 1)
    for panel in ("Kommunens egna namn på områdena", "Visa som tabell och ladda ner"):
        kit.open_panel(page, panel)
    assert "Regler för ramen" in kit.main_text(page)
    kit.axe_check(page, "kommuner-regler-tabeller-oppna")


def test_oversikt_path_reaches_oversikt(live_server, page):
    kit.load(page, f"{live_server}/oversikt?kommun=Malmö")
    kit.assert_no_error(page)
    assert page.locator("h1").first.inner_text().strip() == "Översikt"
    assert chosen(page, "Kommun") == ["Malmö"]
    kit.shot(page, JOURNEY, "06-oversikt-adress")


def test_streamlit_texts_are_swedish(page):
    start(page, "Nämnder")
    placeholders = page.get_by_role("combobox").evaluate_all(
        "boxes => boxes.map(b => b.getAttribute('placeholder'))"
    )
    assert "Choose an option" not in placeholders
    box = sidebar_box(page, "Kommun")
    box.click()
    page.wait_for_selector('[role="option"]')
    assert "Select all" not in page.get_by_role("option").all_inner_texts()
    close_list(page)

    kit.go_to(page, "Importera")
    shown = text(page)
    assert "200MB" not in shown
    assert "5MB per file" in shown  # Streamlit's own line states our limit (its words stay English)
    kit.shot(page, JOURNEY, "07-importera-uppladdning")


# ------------------------------------------------------------------ "where does this number come from?"
# On the module's page, after the tests above: open_link clears the shared context's cookies, so these come
# last. Insatser and Källor are reached by the menu with only Malmö chosen; a measure's ?insats= link is loaded
# as a new session.

SOURCE_JOURNEY = "politiker-kalla"


def open_link(page, url: str) -> None:
    """The link opened as on another computer: no cookies, a full load and a new session (no filter, no choice
    of the session before). In the open page of the shared context: a new context would fetch and compile
    Streamlit's scripts again, which the link does not need to be tested."""
    page.context.clear_cookies()
    kit.load(page, url)


def _open_source(page):
    page.get_by_text("Visa texten i källdokumentet").first.click()
    page.wait_for_selector(".ik-source", timeout=15_000)
    return page.locator(".ik-source").first


def test_a_measure_shows_its_amount_and_the_table_row_it_comes_from(live_server, page):
    if page.locator('[role="listbox"]').count():
        close_list(page)
    # Malmö before Insatser, so the grid is first drawn for Malmö (as the old ?kommun= load drew it). Drawn for
    # every kommun first and then narrowed to Malmö and the search, the grid's Shift+Space chose no row in one try.
    kit.only_kommun(page, "Malmö")
    kit.go_to(page, "Insatser")
    kit.assert_no_error(page)
    kit.shot(page, SOURCE_JOURNEY, "1-insatser-malmo")

    # By keyboard only (issue 16, item 6) once Insatser shows Malmö: every action is page.keyboard. Search, then
    # Tab to the grid, an arrow to the row and Shift+Space to choose it (the grid is a canvas: the page says how).
    kit.tab_to(page, "Sök insats, nämnd eller område", "INPUT")
    kit.assert_focus_visible(page)
    kit.type_and_commit(page, "musik i förskolan")
    assert "Tab till tabellen, pilarna till raden, Skift+Mellanslag väljer den" in kit.main_text(page)
    kit.tab_to(page, "Sortera", "INPUT")
    for _ in range(8):  # the grid's toolbar, then the grid itself
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-testid')") == "data-grid-canvas":
            break
    page.keyboard.press("ArrowDown")
    kit.press(page, "Shift+Space")  # selects the row
    page.wait_for_url(re.compile(r"insats=mal-05"))
    kit.wait_idle(page)
    heading = page.locator('[data-testid="stMain"] h2').first.inner_text()
    assert "Utvecklingsprojekt i musik i förskolan" in heading
    kit.shot(page, SOURCE_JOURNEY, "2-vald-insats")

    # The measure by link: Utvecklingsprojekt i musik i förskolan (requested 313 000, allocated 320 000).
    open_link(page, f"{live_server}/insatser?insats=mal-05")
    linked = page
    kit.assert_no_error(linked)
    assert "Utvecklingsprojekt i musik i förskolan" in kit.main_text(linked)
    kit.tab_to(linked, "Visa texten i källdokumentet", "SUMMARY")  # by keyboard only in the loaded page
    kit.assert_focus_visible(linked)
    kit.press(linked, "Enter")
    linked.wait_for_selector(".ik-source", timeout=15_000)
    source = linked.locator(".ik-source").first
    expect(source).to_contain_text(
        "ansöker Regionalt resurscentrum Musik i förskola om ett bidrag om totalt 313 000 kr"
    )
    text = source.inner_text()
    assert "ansöker Regionalt resurscentrum Musik i förskola om ett bidrag om totalt 313 000 kr" in text
    assert "**" not in text
    assert source.locator("strong", has_text="313 000 kr").count() == 1  # the document's bold, as bold
    table = linked.locator(".ik-source-row table").first
    assert table.locator("th").all_inner_texts()[-1].strip() == "Medel från Kommunstyrelsen"
    row = table.locator("tr").last.inner_text()
    assert "Utvecklingsprojekt kring musik i ett förskoleområde av socioekonomiskt sårbar karaktär" in row
    assert "320 000" in row
    citation = kit.main_text(linked)
    assert "Slutligt förslag på fördelning av kommunstyrelsens medel" in citation
    assert "STK-2018-1233" in citation
    kit.axe_check(linked, "insatser-kalltext-oppen")
    kit.shot(linked, SOURCE_JOURNEY, "3-kalltext-mal-05")


def test_a_table_measure_shows_the_decision_row(live_server, page):
    open_link(page, f"{live_server}/insatser?insats=mal-07")  # in the module's page, not a tab of its own
    kit.assert_no_error(page)
    source = _open_source(page)
    text = source.inner_text()
    assert "Elever som lever i socioekonomisk utsatthet" in text and "500 000" in text
    assert "Trygga barnet" not in text  # the neighbouring row with the same amount is not shown
    row = page.locator(".ik-source-row table tr").last.inner_text()
    assert row.startswith("Elever som lever i socioekonomisk utsatthet") and row.rstrip().endswith("500 000")
    kit.shot(page, SOURCE_JOURNEY, "4-kalltext-mal-07")


def test_a_reader_downloads_malmos_open_data_from_kallor(page, tmp_path):
    """Källor reached by the menu with only Malmö chosen in the sidebar (reset_filters first, so nothing else
    narrows the package), at a laptop's 1366×768. The package's 2022 lines sum to the Fördelat Översikt shows
    for Malmö 2022, as the page writes it (Översikt's figure itself: tests/app/test_headline_consistency.py, and
    the package against it: tests/store/test_open_data.py)."""
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        kit.go_to(page, "Källor")
        kit.only_kommun(page, "Malmö")
        page.get_by_role("heading", name="Öppna data").wait_for(timeout=30_000)
        kit.wait_idle(page)
        assert "för Malmö som ett datapaket" in kit.main_text(page)
        path = kit.make_and_download(page, "datapaketet", tmp_path, make="Skapa datapaketet")
        assert path.name == "insatskollen-oppna-data-malmo.zip"
        kit.shot(page, "open-data", "kallor")
    finally:
        # back to the module page's size, as the fixture opened it
        page.set_viewport_size({"width": 1400, "height": 900})
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "allocations.csv",
            "datapackage.json",
            "frames.csv",
            "measures.csv",
            "sources.csv",
        ]
        archive.extractall(tmp_path / "paket")
    report = validate(str(tmp_path / "paket" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    rows = Package(str(tmp_path / "paket" / "datapackage.json")).get_resource("allocations").read_rows()
    assert {r["municipality"] for r in rows} == {"Malmö"}
    total = sum(r["amount_sek"] for r in rows if r["year"] == 2022 and r["amount_sek"] is not None)
    assert fmt.mnkr(total) == f"33,6{fmt.NBSP}mnkr"  # Fördelat on Översikt for Malmö 2022
