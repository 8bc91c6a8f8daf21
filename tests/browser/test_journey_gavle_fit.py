"""A new user's Gävle (issue 23; /tmp/newuser's screenshots): at 1366×768 and 1024×768 every number in a metric
box is whole ("minst 3 450 000 kr", not "minst 3 450 00…"), every template button says its whole name, the
Nämnder flow's labels do not run into each other ("SamhällsbyggnadsnämBoende"), and the Uppföljning chart's
legend keeps clear of its title. Measured in the page: an element's text is cut when its scrollWidth exceeds
its clientWidth; two labels overlap when their boxes intersect."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "gavle-fit"
FIXTURES = Path(__file__).parents[1] / "fixtures"
SIZES = ((1366, 768), (1024, 768))

CUT = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.offsetParent !== null)
  .map((e) => [e.innerText.trim(), e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1])"""

SIDEWAYS = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const s = e.querySelector('.dvn-scroller'); return s ? s.scrollWidth > s.clientWidth + 1 : null; })"""

SLIDE_FITS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {page: main.scrollHeight - main.clientHeight,
          sourcesBottom: document.querySelector('.ik-sources').getBoundingClientRect().bottom};
}"""

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


def _metrics(page) -> dict[str, bool]:
    """Each metric value's text and whether it is cut."""
    return dict(page.evaluate(CUT, '[data-testid="stMetricValue"] > div'))


def _overlaps(boxes) -> list[tuple[str, str]]:
    out = []
    for i, (a, l1, t1, r1, b1) in enumerate(boxes):
        for b, l2, t2, r2, b2 in boxes[i + 1 :]:
            if min(r1, r2) - max(l1, l2) > 1 and min(b1, b2) - max(t1, t2) > 1:
                out.append((a, b))
    return out


def _at(page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    kit.next_frames(page, 4)


def _flow_labels_apart(page, width: int) -> None:
    """Nämnder's flow (Sankey) as drawn in the window now: its labels do not run into each other."""
    kit.wait_charts(page, 2)
    page.locator(".sankey .node-label").first.wait_for(state="attached")
    kit.next_frames(page, 4)
    labels = page.evaluate(BOXES, ".sankey .node-label")
    texts = [t for t, *_ in labels]
    assert "Samhällsbyggnadsnämnden" in texts and "Boende" in texts, texts
    assert _overlaps(labels) == [], width
    kit.shot(page, JOURNEY, f"02-namnder-{width}")


def test_gavle_numbers_buttons_and_labels_are_whole_at_both_sizes(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/importera", width=1366, height=768)
    kit.upload(page, FIXTURES / "gavle_insatser_2025.xlsx", then=kit.preview_heading(page))
    for width, height in SIZES:
        _at(page, width, height)
        metrics = _metrics(page)
        assert metrics == {"8": False, "minst 3\u00a0450\u00a0000\u00a0kr": False, "1": False}, width
        buttons = dict(page.evaluate(CUT, '[data-testid="stDownloadButton"] button p'))
        assert buttons == {
            "Mall (CSV)": False,
            "Mall (Excel, med tillåtna värden)": False,
            "Mall för uppföljning (CSV)": False,
            "Mall för uppföljning (Excel, med insatsernas id)": False,
            "Mall för lägesbild och mål (CSV)": False,
        }, width
        # "Per område" and "Per nämnd" show every column whole, without scrolling sideways ("minst 250 000 kr"
        # was cut to "minst 250 000" at 1024)
        grids = page.evaluate(SIDEWAYS, '[data-testid="stDataFrame"]')
        assert grids[1:] == [False, False], width
        kit.shot(page, JOURNEY, f"01-importera-{width}")
    kit.fill(page, "Ditt namn (loggas)", "Per Persson")
    kit.click(page, "Importera")
    page.get_by_text("8 rader är importerade").wait_for(timeout=30_000)

    # Nämnder, Gävle chosen in the sidebar (it stays chosen on the pages after it), at 1024×768 where Importera
    # left the window. Plotly lays a Sankey out once, for the window it is drawn in: the flow is measured at
    # 1366×768 where it is drawn again at that size, on the way back from the presentation.
    # (the sidebar was drawn before the import in Importera's last run: Gävle is offered once a page has run since)
    kit.go_to(page, "Nämnder")
    kit.only_kommun(page, "Gävle")
    _flow_labels_apart(page, 1024)

    # the deck's Egna medel decision slide cites its own rows, compactly, inside the window (the slide's layout
    # is CSS only: measured at both sizes by resizing the window)
    kit.go_to(page, "Presentation", drawn="h1.ik-title")
    assert page.locator(".ik-count").inner_text() == "Bild 1 av 6"
    for number in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(want) => document.querySelector('.ik-count')?.innerText === want",
            arg=f"Bild {number} av 6",
            timeout=20_000,
        )
        kit.wait_idle(page)
    title = page.locator("h1.ik-title").inner_text()
    assert title == "Förslag till beslut – Egna medel, KF budget 2025 · 2025"
    sources = page.locator(".ik-sources").inner_text()
    assert "– gavle_insatser_2025.xlsx rad 6–9 · Datum: " in sources and "rad 2" not in sources, sources
    for width, height in SIZES[::-1]:
        _at(page, width, height)
        fit = page.evaluate(SLIDE_FITS)
        assert fit["page"] <= 1 and fit["sourcesBottom"] <= height, (width, fit)
        kit.shot(page, JOURNEY, f"04-presentation-bild4-{width}")
    page.get_by_role("link", name="Avsluta presentationen").click()
    expect(page.locator("h1").first).to_contain_text("Nämnder")
    kit.wait_idle(page)
    assert "kommun=G%C3%A4vle" in page.url
    _flow_labels_apart(page, 1366)

    kit.go_to(page, "Uppföljning")
    kit.upload(
        page,
        FIXTURES / "gavle_uppfoljning_2025.csv",
        then="Utfall totalt",
        uploader=page.locator('input[type="file"]').last,
    )
    for width, height in SIZES:
        _at(page, width, height)
        metrics = _metrics(page)
        assert metrics.get("minst 2\u00a0352\u00a0500\u00a0kr") is False, (width, metrics)
        assert not any(metrics.values()), (width, metrics)
        # each chart's legend stays clear of its title
        checked = 0
        for chart in page.locator('[data-testid="stPlotlyChart"]').all():
            title = chart.locator(".gtitle")
            legend = chart.locator(".legend")
            if not title.count() or not legend.count():
                continue
            t, g = title.first.bounding_box(), legend.first.bounding_box()
            if t is None or g is None:  # a chart on a tab not shown
                continue
            checked += 1
            frame = chart.bounding_box()  # the title is whole: it ends inside the chart
            assert t["x"] + t["width"] <= frame["x"] + frame["width"] + 1, (width, title.first.text_content())
            apart = g["y"] >= t["y"] + t["height"] - 1 or g["x"] >= t["x"] + t["width"]
            assert apart, (width, title.first.text_content(), t, g)
        assert checked >= 2, width  # the granted/spent bars and a measure over the years
        kit.shot(page, JOURNEY, f"03-uppfoljning-{width}")
    kit.assert_no_error(page)
