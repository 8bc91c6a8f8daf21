"""Journey, Södertälje's presenter (issue 22, item 5): the decision slide says the 10 900 000 kr go to
"2 kontor", its table holds the two kontor and the totals only, and the 13 proposals without funding are a
slide of their own after the three decision slides, named one by one, paged to with the clicker's PageDown."""

from __future__ import annotations

import pytest

from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    path = tmp_path_factory.mktemp("unfunded") / "unfunded.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    db.close()
    base, process = kit.start_server(path)
    yield base
    kit.stop_server(process)


def _slide(page) -> dict:
    return page.evaluate(
        """() => ({
          count: document.querySelector('.ik-count')?.innerText,
          title: document.querySelector('h1.ik-title')?.innerText,
          message: document.querySelector('.ik-message')?.innerText,
          cells: [...document.querySelectorAll('.ik-table tr')].map(r => r.querySelector('th, td')?.innerText),
        })"""
    )


def _page_down(page, expected: str) -> None:
    page.keyboard.press("PageDown")
    page.wait_for_function(
        "(want) => document.querySelector('.ik-count')?.innerText === want", arg=expected, timeout=20_000
    )
    kit.wait_idle(page)


def test_decision_slide_says_two_kontor_and_the_unfunded_proposals_are_apart(server, chromium):
    page = kit.open_page(
        chromium, f"{server}/presentation?kommun=S%C3%B6dert%C3%A4lje", width=1366, height=768
    )
    page.wait_for_selector("h1.ik-title")
    kit.assert_no_error(page)
    # ram, områden, nämnder, the plan chain (issue 26), then the decisions
    assert _slide(page)["count"] == "Bild 1 av 10"
    for number in (2, 3, 4, 5):
        _page_down(page, f"Bild {number} av 10")
    decision = _slide(page)
    assert decision["title"] == "Förslag till beslut – Statsbidrag Tillväxtverket · 2018"
    assert decision["message"].replace(NBSP, " ") == (
        "Södertälje: 10 900 000 kr till 2 kontor ur Statsbidrag Tillväxtverket. Överfördelat med 0,06 mnkr "
        "(raderna summerar till 10,9 mnkr, ramen är 10,84 mnkr)."
    )
    assert decision["cells"] == [
        "Nämnd",
        "Socialkontoret och utbildningskontoret",
        "Utbildningskontoret",
        "Totalbelopp",
        "Att disponera",
    ]
    assert "Ingen nämnd angiven" not in kit.main_text(page)
    kit.shot(page, "utan-finansiering", "beslut-2018")
    for number in (6, 7, 8):
        _page_down(page, f"Bild {number} av 10")
    apart = _slide(page)
    assert apart["title"] == "Förslag utan finansiering (13) – Statsbidrag Tillväxtverket · 2018–2020"
    assert apart["message"] == (
        "Södertälje: under ”3. Övriga förslag” står 13 förslag utan finansiering och utan belopp. "
        "De ingår inte i beslutstabellen."
    )
    assert apart["cells"][0] == "Förslag" and len(apart["cells"]) == 14
    assert apart["cells"][1] == "Digidelcenter" and apart["cells"][-1].startswith(
        "Samverkan mellan SBK och AK"
    )
    fits = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return m.scrollHeight - m.clientHeight; }"""
    )
    assert fits <= 1  # the list fits the projector's window
    kit.shot(page, "utan-finansiering", "forslag-utan-finansiering")
    page.close()
