"""National-scale amounts on a laptop projector (1366×768): totals over 1 000 mnkr are written in mdkr, and no
metric box cuts its number off.

The data: scripts/national.py's synthetic national set (290 municipalities, 10 years) with 3 000 lines, whose
totals are a few billion kronor. Pages are opened as a person would, in Chromium, at 1366×768."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import browser_kit as kit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

JOURNEY = "national-formats"
NBSP = "\u00a0"
TRUNCATED = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].flatMap(box =>
    [box, ...box.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(() => box.innerText.trim()))"""


@pytest.fixture(scope="module")
def national_server(tmp_path_factory):
    kit.require_browser()
    folder = tmp_path_factory.mktemp("national")
    made = subprocess.run(
        [sys.executable, "scripts/national.py", "--lines", "3000", "--out", str(folder / "national")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    base, process = kit.start_server(folder / "var", {"INSATSKOLLEN_DATA": str(folder / "national" / "data")})
    yield base
    kit.stop_server(process)


@pytest.fixture(scope="module")
def page(national_server, chromium):
    """One tab for the module's tests, opened once at Översikt (a full load of a page costs Chromium ~1.5 s);
    each test goes to its page by the sidebar's menu, as a person browsing does. The tests set no sidebar
    filter, except Källor's, which resets it before it ends."""
    tab = kit.open_page(chromium, f"{national_server}/", width=1366, height=768)
    yield tab
    tab.close()


def at(page, title: str) -> None:
    """The page called `title`, by the sidebar's menu, unless it is the one shown (national pages take longer)."""
    if not page.locator("h1").first.inner_text().startswith(title):
        kit.go_to(page, title, timeout=60_000)


def metric_values(page) -> dict[str, str]:
    boxes = page.locator('[data-testid="stMetric"]')
    return {
        boxes.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip(): boxes.nth(i)
        .locator('[data-testid="stMetricValue"]')
        .inner_text()
        .strip()
        for i in range(boxes.count())
    }


def test_national_totals_read_in_mdkr_and_no_metric_box_is_cut_off(page):
    at(page, "Översikt")
    kit.assert_no_error(page)
    values = metric_values(page)
    framed = values["Ramar att fördela"]
    assert re.fullmatch(rf"\d+(,\d+)?{NBSP}mdkr", framed), framed
    # "Fördelat, minst" where some line has no amount (the headline rule, README "Nyckeltal")
    allocated = values.get("Fördelat", values.get("Fördelat, minst"))
    assert re.fullmatch(rf"\d+(,\d+)?{NBSP}mdkr", allocated), allocated
    kit.shot(page, JOURNEY, "01-oversikt-1366")
    assert page.evaluate(TRUNCATED) == []

    for path, title in (("insatser", "Insatser"), ("datakvalitet", "Datakvalitet")):
        at(page, title)
        kit.assert_no_error(page)
        kit.shot(page, JOURNEY, f"02-{path}-1366")
        assert page.evaluate(TRUNCATED) == [], path


def test_a_national_chart_axis_is_in_billions_with_one_unit(page):
    at(page, "Prioriterade områden")
    kit.wait_charts(page, 1, timeout=60_000)
    kit.assert_no_error(page)
    layout = page.evaluate(
        "() => { const p = document.querySelector('.js-plotly-plot'); return JSON.stringify(p.layout); }"
    )
    axis = json.loads(layout)["xaxis"]
    assert axis["title"]["text"] == "Miljarder kronor"
    assert all(t == "0" or t.endswith(f"{NBSP}mdkr") for t in axis["ticktext"]), axis["ticktext"]
    kit.shot(page, JOURNEY, "03-omraden-1366")


def test_a_large_tables_excel_is_made_on_a_click_with_every_row(page, tmp_path):
    """Översikt's "Ram för ram" table has thousands of rows nationally: its Excel file is made on a click
    ("Skapa Excel (N rader)") instead of on every filter change, and then holds the same rows as the CSV."""
    at(page, "Översikt")
    kit.wait_charts(page, 2)
    kit.assert_no_error(page)
    make = page.get_by_role("button", name=re.compile(r"^Skapa Excel \(\d[\d\s]* rader\)$"))
    assert make.count() == 1
    rows = int(re.sub(r"\D", "", re.search(r"\(([\d\s]+) rader\)", make.inner_text()).group(1)))
    assert rows > 1_000
    shown = f"Visar de 500 första av {rows:,} ramar och år".replace(",", " ")  # the table shows 500 rows
    assert shown in kit.main_text(page).replace(NBSP, " ")
    csv_file = kit.download(page, page.get_by_role("button", name="Ladda ner CSV", exact=True).last, tmp_path)
    csv_rows = csv_file.read_text(encoding="utf-8-sig").splitlines()
    make.scroll_into_view_if_needed()
    make.click()
    kit.wait_idle(page)
    xlsx_file = kit.download(
        page, page.get_by_role("button", name="Ladda ner Excel", exact=True).last, tmp_path
    )
    kit.shot(page, JOURNEY, "4-stor-tabell-excel")
    sheet = load_workbook(xlsx_file).worksheets[0]
    assert sheet.max_row == 1 + rows == len(csv_rows)
    assert [c.value for c in sheet[1]] == csv_rows[0].split(";")


def test_sources_show_document_texts_for_a_chosen_municipality_only(page):
    """Källor nationally: the table lists every document, but the texts (sent with the page, open or not) are
    shown for at most 20 at a time; choosing a municipality shows its documents' texts."""
    at(page, "Källor")
    kit.assert_no_error(page)
    shown = kit.main_text(page).replace(NBSP, " ")
    assert "Texterna visas för högst 20 dokument åt gången; urvalet har 290." in shown
    assert page.locator('[data-testid="stExpander"]').count() == 0
    kit.shot(page, JOURNEY, "5-kallor-alla")
    kit.only_kommun(page, "Kommun 001")  # in the sidebar
    page.wait_for_selector('[data-testid="stExpander"]', timeout=60_000)
    kit.wait_idle(page)
    assert "Texterna visas för högst" not in kit.main_text(page)
    assert page.locator('[data-testid="stExpander"]').count() == 1
    kit.click(page, "Återställ filter")


def test_follow_up_asks_for_the_municipality_first_nationally(page):
    """Uppföljning with 290 kommuner in view: the kommun is chosen first (counting every frame-year's measures
    and reports nationally took ~0.6 s per change), then its frame-years are listed."""
    at(page, "Uppföljning")
    kit.assert_no_error(page)
    kommun = page.get_by_role("combobox", name="Kommun").last
    expect(kommun).to_have_value("Kommun 001")
    frame = page.get_by_role("combobox", name="Ram och år")
    assert frame.input_value().startswith("Kommun 001 ")
    kommun.click()
    page.get_by_role("option", name="Kommun 002", exact=True).click()
    kit.wait_idle(page)
    expect(page.get_by_role("combobox", name="Ram och år")).to_have_value(re.compile(r"^Kommun 002 "))
    kit.shot(page, JOURNEY, "6-uppfoljning-kommun")
    kit.assert_no_error(page)
