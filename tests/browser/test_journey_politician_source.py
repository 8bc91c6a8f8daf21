"""Journey, politician: "where does this number come from?" In real Chromium: Insatser, filter to Malmö,
search and choose a measure in the grid, open "Visa texten i källdokumentet" (both by keyboard only): the
passage reaches the amount the document states, the table row the allocated amount comes from is shown
with its header, and the document's markdown is formatting (no raw `**`). The detail view is linkable (?insats=mal-05): opened by a full load, a new session
with no cookies, in the module's shared context (its scripts cached, as a second visit's would be).

And the open data behind the numbers (issue 26, item 3): on Källor, with Malmö chosen in the sidebar, a reader makes
the open-data package and downloads it; the zip holds a valid Frictionless Data Package of Malmö's rows only, whose
2022 lines sum to the Fördelat Översikt shows for Malmö 2022."""

from __future__ import annotations

import re
import zipfile

import pytest
from frictionless import Package, validate
from playwright.sync_api import expect

from insatskollen.core import fmt
from tests import browser_kit as kit

pytestmark = pytest.mark.browser
JOURNEY = "politiker-kalla"


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


def test_a_measure_shows_its_amount_and_the_table_row_it_comes_from(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/insatser?kommun=Malmö")
    kit.assert_no_error(page)
    kit.shot(page, JOURNEY, "1-insatser-malmo")

    # By keyboard only (issue 16, item 6) in the loaded page: every action is page.keyboard. Search, then Tab to
    # the grid, an arrow to the row and Shift+Space to choose it (the grid is a canvas: the page says how).
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
    kit.shot(page, JOURNEY, "2-vald-insats")

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
    kit.shot(linked, JOURNEY, "3-kalltext-mal-05")
    page.close()


def test_a_table_measure_shows_the_decision_row(live_server, chromium):
    page = kit.shared_context(chromium).new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    open_link(page, f"{live_server}/insatser?insats=mal-07")
    kit.assert_no_error(page)
    source = _open_source(page)
    text = source.inner_text()
    assert "Elever som lever i socioekonomisk utsatthet" in text and "500 000" in text
    assert "Trygga barnet" not in text  # the neighbouring row with the same amount is not shown
    row = page.locator(".ik-source-row table tr").last.inner_text()
    assert row.startswith("Elever som lever i socioekonomisk utsatthet") and row.rstrip().endswith("500 000")
    kit.shot(page, JOURNEY, "4-kalltext-mal-07")
    page.close()


def test_a_reader_downloads_malmos_open_data_from_kallor(live_server, chromium, tmp_path):
    page = kit.open_page(chromium, f"{live_server}/?kommun=Malm%C3%B6&ar=2022", width=1366, height=768)
    try:
        fordelat = page.locator('[data-testid="stMetric"]').filter(has_text="Fördelat").first
        shown = fordelat.locator('[data-testid="stMetricValue"]').inner_text()
        page.goto(f"{live_server}/kallor?kommun=Malm%C3%B6")
        page.get_by_role("heading", name="Öppna data").wait_for(timeout=30_000)
        kit.wait_idle(page)
        assert "för Malmö som ett datapaket" in kit.main_text(page)
        path = kit.make_and_download(page, "datapaketet", tmp_path, make="Skapa datapaketet")
        assert path.name == "insatskollen-oppna-data-malmo.zip"
        kit.shot(page, "open-data", "kallor")
    finally:
        page.close()
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
    assert fmt.mnkr(total) == shown  # "33,6 mnkr" on Översikt
