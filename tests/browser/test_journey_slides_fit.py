"""Journey, presenter on a projector (issue 22): every slide of the Malmö 2022, Södertälje, Linköping and a
scenario deck, and of an imported municipality's deck (a frame and lines, one without an amount), fits the
window at 1366×768 and at 1024×768 (older projectors): the page does not scroll and
nothing inside the slide is cut off, the sources line included; a clicker's PageDown and a keyboard's →,
Space, Home and End page through it. And the way back: "Avsluta presentationen" returns to the page and
filters the presentation was opened from, and browser Back leaves the presentation in one press. An empty
selection says so on one slide and offers the way back. The "Underlag och export" panel with every file made is
measured at both sizes at the end of test_journey_presenter.py, where the presenter has made them all."""

from __future__ import annotations

from datetime import date

import pytest

from insatskollen.core.filters import Filters
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_layout, scenario_deck
from insatskollen.ingest import committer, previewer
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.browser.test_journey_presenter import save_plan_b
from tests.conftest import published_var

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1024, 768)]
MALMO = "kommun=Malm%C3%B6&ar=2022"
# link -> the filters of its deck; the number of slides is deck_layout.pages' (a long findings table continues on a
# slide of its own), counted in the fixture, so that a finding more does not break the walk
FILTERS = {
    MALMO: Filters(municipalities=("Malmö",), years=(2022,)),
    "kommun=S%C3%B6dert%C3%A4lje": Filters(municipalities=("Södertälje",)),
    "kommun=Link%C3%B6ping": Filters(municipalities=("Linköping",)),
    "scenario": None,
    "kommun=Norrk%C3%B6ping": Filters(municipalities=("Norrköping",)),  # imported in the fixture
}
DECKS: dict[str, int] = {}
# Norrköping's own budget: a frame of 8,5 mnkr and four lines, the Familjecentral's amount not yet known
IMPORTED = (
    "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;8 500 000;Utbildningsnämnden;Läxhjälp i Navestad;Utbildning;"
    "1 200 000;föreslagen\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;;Arbetsmarknadsnämnden;Sommarjobb i Hageby;Arbetsmarknad;"
    "500 000;föreslagen\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;;Socialnämnden;Familjecentral i Hageby;Boende;;föreslagen\n"
    "Norrköping;0581;2024;Statsbidrag Delmos;;Kultur- och fritidsnämnden;Fritidsgård i Navestad;"
    "Demokrati och civilsamhälle;350 000;föreslagen\n"
)
FITS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const slide = document.querySelector('.st-key-ik_slide');
  const sources = document.querySelector('.ik-sources').getBoundingClientRect();
  return {page: main.scrollHeight - main.clientHeight, inside: slide.scrollHeight - slide.clientHeight,
          sourcesBottom: sources.bottom, width: document.documentElement.scrollWidth - window.innerWidth,
          count: document.querySelector('.ik-count').innerText};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    path = tmp_path_factory.mktemp("slides") / "slides.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    scenario_id = save_plan_b(db)
    committer.commit(db, previewer.preview(db, "norrkoping.csv", IMPORTED.encode("utf-8")), author="Test")
    for link, filters in FILTERS.items():
        if filters is None:  # the saved scenario's deck, as the page makes it
            meta, scenario = store.load(db, scenario_id)
            deck = scenario_deck.from_saved_scenario(
                db, meta, scenario, db.query("scenario_frames"), date.today()
            )
        else:
            deck = deck_module.from_filters(db, filters, date.today())
        DECKS[link] = len(deck_layout.pages(deck))
    db.close()
    base, process = kit.start_server(path)
    yield base, scenario_id
    kit.stop_server(process)


def _fit(page, height: int) -> dict:
    """FITS as the slide settles. A chart is drawn again for the new width a moment after a resize (Streamlit's
    Plotly element follows its box), so a read two frames after it can catch the old chart in the new box (once:
    2 px too tall at 1024x768, under a loaded machine). A read that does not fit is read again, four frames
    later, up to ten times; one that fits is taken at once (reading every slide until two reads agreed cost
    the walk 20 s of the run)."""
    fit = page.evaluate(FITS)
    for _ in range(10):
        if fit["page"] <= 1 and fit["inside"] <= 1 and fit["sourcesBottom"] <= height and fit["width"] <= 0:
            break
        kit.next_frames(page, 4)
        fit = page.evaluate(FITS)
    return fit


def _count(page) -> str:
    return page.locator(".ik-count").inner_text()


def _key(page, key: str, expected: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(
        "(want) => document.querySelector('.ik-count')?.innerText === want", arg=expected, timeout=20_000
    )
    kit.wait_idle(page)


@pytest.fixture(scope="module")
def malmo_deck(server, chromium):
    """Malmö 2022's deck, opened once for the walk and the keys (a load of the deck is ~1.5 s of Chromium's time)."""
    base, _scenario_id = server
    page = kit.open_page(chromium, f"{base}/presentation?{MALMO}", width=SIZES[0][0], height=SIZES[0][1])
    yield page
    page.close()


def test_every_slide_fits_the_window(server, chromium, malmo_deck):
    """Each slide is measured at both sizes where it is shown: the window is resized in place (the slide's
    layout is CSS only, no rerun), so every slide is drawn once per deck instead of once per size."""
    base, scenario_id = server
    for link, count in DECKS.items():
        query = f"scenario={scenario_id}" if link == "scenario" else link
        if link == MALMO:
            page = malmo_deck  # at its first slide (the keys' test, if it ran first, ends there), at 1366x768
        else:
            page = kit.open_page(
                chromium, f"{base}/presentation?{query}", width=SIZES[0][0], height=SIZES[0][1]
            )
        page.wait_for_selector("h1.ik-title")
        kit.assert_no_error(page)
        assert _count(page) == f"Bild 1 av {count}", link
        for number in range(1, count + 1):
            for width, height in SIZES if number % 2 else SIZES[::-1]:  # resize once per slide, not twice
                if page.viewport_size != {"width": width, "height": height}:
                    page.set_viewport_size({"width": width, "height": height})
                    kit.next_frames(page)
                fit = _fit(page, height)
                where = (link, number, f"{width}x{height}", fit)
                assert fit["count"] == f"Bild {number} av {count}"
                assert fit["page"] <= 1, where  # the page does not scroll
                assert fit["inside"] <= 1, where  # nothing in the slide is cut off
                assert fit["sourcesBottom"] <= height, where
                assert fit["width"] <= 0, where
                if number in (1, count):
                    kit.shot(page, "bildspel", f"{width}-{link[:12].replace('%', '')}-{number}")
            if number < count:
                _key(page, "PageDown" if number % 2 else "ArrowRight", f"Bild {number + 1} av {count}")
        if page is not malmo_deck:
            page.close()


def test_keys_home_end_space_and_arrows(malmo_deck):
    """On the Malmö deck the walk above left at its last slide (or a fresh one): Home first, then each key;
    it ends on the first slide, where a fresh deck starts."""
    page = malmo_deck
    if page.viewport_size != {"width": 1366, "height": 768}:
        page.set_viewport_size({"width": 1366, "height": 768})
    last = DECKS[MALMO]
    _key(page, "Home", f"Bild 1 av {last}")
    _key(page, "End", f"Bild {last} av {last}")
    _key(page, "ArrowLeft", f"Bild {last - 1} av {last}")
    _key(page, "Home", f"Bild 1 av {DECKS[MALMO]}")
    _key(page, " ", f"Bild 2 av {DECKS[MALMO]}")
    _key(page, "PageUp", f"Bild 1 av {DECKS[MALMO]}")


def test_the_way_back_from_the_presentation(server, chromium):
    base, _scenario_id = server
    page = kit.open_page(chromium, f"{base}/omraden?kommun=Malm%C3%B6&ar=2022", width=1366, height=768)
    page.locator('[data-testid="stSidebarNav"] a[href$="presentation"]').click()
    page.wait_for_selector("h1.ik-title")
    kit.wait_idle(page)
    _key(page, "PageDown", f"Bild 2 av {DECKS[MALMO]}")
    _key(page, "PageDown", f"Bild 3 av {DECKS[MALMO]}")
    # "Avsluta presentationen" goes back to Prioriterade områden with Malmö 2022 still chosen
    page.get_by_role("link", name="Avsluta presentationen").click()
    page.wait_for_url("**/omraden?**")
    kit.wait_idle(page)
    assert "kommun=Malm%C3%B6" in page.url and "ar=2022" in page.url
    assert page.locator("h1").first.inner_text().startswith("Prioriterade områden")
    # into the presentation again (it opens at the slide it was left on), on two slides, then one press of
    # Back leaves it
    page.locator('[data-testid="stSidebarNav"] a[href$="presentation"]').click()
    page.wait_for_selector("h1.ik-title")
    kit.wait_idle(page)
    assert _count(page) == f"Bild 3 av {DECKS[MALMO]}"
    _key(page, "PageDown", f"Bild 4 av {DECKS[MALMO]}")
    _key(page, "PageDown", f"Bild 5 av {DECKS[MALMO]}")
    page.go_back()
    page.wait_for_url("**/omraden?**")
    kit.wait_idle(page)
    assert page.locator(".ik-title").count() == 0
    page.close()


def test_an_empty_selection_says_so_on_one_slide_and_offers_the_way_back(server, chromium):
    """Södertälje 2022 has nothing: the presentation said "Ramen och vad som är fördelat – inget urval" and
    "Ramarna saknar belopp i källan" (as if there were frames without amounts) on two slides. Now one slide says
    that the selection holds nothing, which years Södertälje has, and leads back to change the filters."""
    base, _scenario_id = server
    page = kit.open_page(
        chromium, f"{base}/omraden?kommun=S%C3%B6dert%C3%A4lje&ar=2022", width=1366, height=768
    )
    page.locator('[data-testid="stSidebarNav"] a[href$="presentation"]').click()
    page.wait_for_selector("h1.ik-title")
    kit.wait_idle(page)
    kit.shot(page, "bildspel", "tomt-urval")
    assert page.locator("h1.ik-title").inner_text() == "Inget att visa för urvalet"
    message = page.locator(".ik-message").inner_text().replace("\xa0", " ")
    assert message == (
        "Urvalet Södertälje · 2022 har inga ramar eller fördelningar i underlaget. "
        "Södertälje har underlag för 2018–2020."
    )
    assert _count(page) == "Bild 1 av 1"
    assert "inget urval" not in kit.main_text(page) and "saknar belopp i källan" not in kit.main_text(page)
    page.get_by_role("button", name="Underlag och export").click()
    kit.wait_idle(page)
    body = page.locator('[data-testid="stPopoverBody"]')
    assert body.get_by_text("Ett tomt urval har inget att exportera.").count() == 1
    assert page.get_by_role("button", name="Skapa PowerPoint").count() == 0
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Ändra urvalet").click()
    page.wait_for_url("**/omraden?**")
    kit.wait_idle(page)
    assert "ar=2022" in page.url and page.locator("h1").first.inner_text().startswith("Prioriterade områden")
    page.close()
