"""Journey, official checking the data: "what does the document actually say, and what is your reading?"
In real Chromium: Datakvalitet quotes where the documents' own text contradicts itself; Insatser shows
"Tolkning: …" beside sod-01's per-year amount and kontor; an unfunded Södertälje proposal says it has no
funding instead of an unknown amount; Kommuner says Linköping's years are an interpretation. And a politician
asking "is this number the document's or your reading?": Översikt says under each box how much rests on a
reading, labelled "Tolkning", and one click on the expander shows the reading and the document's words; the
presentation's first slide says it too, and its "Underlag och export" panel lists the readings. Figures:
tests/app/test_readings.py. And at 1024×768 (an older projector) with the sidebar open, no headline box on
Översikt is cut off, for all kommuner and for Södertälje.

One page for the module, loaded once; the tests set the window they need, choose their kommun in the sidebar
and go to their page by the sidebar's menu, as a person does (a full load costs Chromium a second or more of
CPU). A measure is opened by its link (/insatser?insats=<id>), as from Datakvalitet or a mail."""

from __future__ import annotations

import re

import pytest

from insatskollen.core.fmt import NBSP
from tests import browser_kit as kit

pytestmark = pytest.mark.browser
JOURNEY = "tjansteperson-tolkning"
READINGS = "tolkning"

# Each textual finding: its subject and the exact quotes a person would look for in the document.
TEXTUAL = {
    "Fem områden eller fem inriktningar": ("de fem områden som regeringen pekat ut", "Fem inriktningar"),
    "Fem områden men sex budgetrader": ("prioritera insatser inom fem områden", "”Samordning / Lärande”"),
    "Namnet på Tekniska nämnden": ("”Tekniska nämnde / Fastighets- och gatukontoret”", "”Tekniska nämnden”"),
    "Förstudie LFM eller LMF": ("”Förstudie LFM: Bostad”", "”Förstudie LMF: Bostad, öka kvalitén"),
    "Är 2019–2020 beslutat?": ("inte är beslutat om hur mycket medel", "10,839 mkr/år mellan 2018-2020"),
}


@pytest.fixture(scope="module")
def page(live_server, chromium):
    page = kit.open_page(chromium, f"{live_server}/datakvalitet")
    yield page
    page.close()


def _card(page, text: str):
    """The bordered card on Datakvalitet that contains `text`."""
    return page.locator('[data-testid="stVerticalBlock"]').filter(has_text=text).last


def test_datakvalitet_quotes_the_documents_contradicting_themselves(page):
    kit.go_to(page, "Datakvalitet")
    kit.reset_filters(page)
    kit.assert_no_error(page)
    text = kit.main_text(page)
    # all 25 deviations fill the first page of cards, the 19 textual ones among them (issue 22, item 6)
    assert text.count("Dokumentets text är motsägelsefull") == 19
    for subject, quotes in TEXTUAL.items():
        card = _card(page, subject).inner_text()
        for quote in quotes:
            assert quote in card, (subject, quote)
    assert (
        "001_dcbad8946a6a631b.txt, ”Sammanfattande projektbeskrivning”"
        in _card(page, "Fem inriktningar").inner_text()
    )
    assert (
        "004_653f0594ef9bb87d.txt, ”Stadskontorets förslag”" in _card(page, "Tekniska nämnde /").inner_text()
    )
    kit.shot(page, JOURNEY, "1-datakvalitet")


def test_datakvalitet_shows_a_meaning_that_flips_between_two_tables(page):
    """Found by the fresh read of the documents: the förvaltning's table says "oproblematiskt frånvaro", the
    KS tables "problematisk frånvaro". Datakvalitet for Malmö quotes both, names both places and the id,
    and links to the measure."""
    kit.go_to(page, "Datakvalitet")
    kit.only_kommun(page, "Malmö")
    kit.assert_no_error(page)
    assert kit.main_text(page).count("Dokumentets text är motsägelsefull") == 11
    card = _card(page, "Hemmasittare: oproblematisk eller problematisk frånvaro")
    text = card.inner_text()
    assert "står ”utöka vårt arbete kring elever med oproblematiskt frånvaro”" in text
    assert "står ”utöka vårt arbete kring elever med problematisk frånvaro”" in text
    assert "002_6537151171d9247a.txt, ”Utvecklingsinsatser Grundskoleförvaltningen 2022”" in text
    assert "Id: mal-hemmasittare-franvaro" in text
    card.get_by_text("Visa 1 rad som berörs").click()
    kit.wait_idle(page)
    assert card.get_by_text("Öppna insatsen Hemmasittare").is_visible()  # by title, not id
    kit.axe_check(page, "datakvalitet-rader-oppna")
    card.scroll_into_view_if_needed()
    kit.shot(page, JOURNEY, "1b-datakvalitet-hemmasittare")


def test_sod_01_shows_what_is_our_reading(live_server, page):
    kit.load(page, f"{live_server}/insatser?insats=sod-01")
    kit.assert_no_error(page)
    text = kit.main_text(page)
    amount = (
        page.locator('[data-testid="stMetric"]').filter(has_text="Föreslaget/beviljat per år").inner_text()
    )
    assert "3 700 000" in amount.replace("\xa0", " ")
    # beside the amount: the per-year reading of the preliminary budget, as plain text
    assert "Tolkning: Den preliminära budgeten anger beloppen utan år." in text
    assert "”för åren 2018-2020”" in text
    # the kontor is our reading too, and the measure's interpretation says why
    assert "Socialkontoret och utbildningskontoret (vår tolkning)" in text
    assert "anger inte vilket kontor som ska driva den nya" in text
    kit.shot(page, JOURNEY, "2-insats-sod-01")


def test_an_unfunded_proposal_has_no_funding_rather_than_an_unknown_amount(live_server, page):
    kit.load(page, f"{live_server}/insatser?insats=sod-p01")
    kit.assert_no_error(page)
    amount = (
        page.locator('[data-testid="stMetric"]').filter(has_text="Föreslaget/beviljat per år").inner_text()
    )
    assert "Ofinansierat" in amount and "belopp saknas" not in amount
    assert "utan finansiering och utan belopp" in kit.main_text(page)
    kit.shot(page, JOURNEY, "3-ofinansierat-forslag")


def test_kommuner_says_linkopings_years_are_an_interpretation(page):
    kit.go_to(page, "Kommuner")
    kit.only_kommun(page, "Linköping")
    kit.assert_no_error(page)
    text = kit.main_text(page)
    assert (
        "Tolkning (Statsbidrag Tillväxtverket, 2018–2020): Utkastet anger ”13 808 000 kr per år i tre år”"
        in text
    )
    kit.shot(page, JOURNEY, "4-kommuner-linkoping")


def _text(locator) -> str:
    return locator.inner_text().replace(NBSP, " ")


def _box(page, label: str):
    """The column of a metric box: the box and the line under it."""
    return page.locator('[data-testid="stColumn"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )


def test_overview_labels_the_reading_under_the_number_and_opens_it(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    kit.go_to(page, "Översikt")
    kit.only_kommun(page, "Södertälje")
    kit.assert_no_error(page)
    frame = _text(_box(page, "Ramar att fördela"))
    assert "32,52 mnkr" in frame and "Tolkning" in frame and "varav 21,68 mnkr enligt tolkning" in frame
    allocated = _text(_box(page, "Fördelat"))
    assert "32,7 mnkr" in allocated and "varav 32,7 mnkr enligt tolkning" in allocated
    over = _text(_box(page, "Överfördelat"))
    assert "0,18 mnkr" in over and "varav 0,18 mnkr enligt tolkning (Södertälje 2018–2020)" in over
    assert "Tolkning" not in _text(_box(page, "Ofördelat"))  # 0 mnkr: nothing to label
    assert "enligt tolkning" not in _text(_box(page, "Ram med okänd fördelning"))
    kit.shot(page, READINGS, "1-oversikt-sodertalje")

    # one click: the readings behind the figures, with the document's words
    expander = page.locator('[data-testid="stExpander"]').filter(has_text="Tolkning: vad siffrorna vilar på")
    note = expander.get_by_text("inte är beslutat om hur mycket medel kommunerna kan ansöka om", exact=False)
    assert not note.is_visible()  # closed until asked for
    expander.locator("summary").click()
    note.wait_for(state="visible", timeout=20_000)
    opened = _text(expander)
    assert "Ram · Södertälje 2019–2020 · Statsbidrag Tillväxtverket · 10 839 000 kr per år" in opened
    assert "Fördelningsrader · Södertälje 2018–2020 · 4 rader: Familjecentral" in opened
    assert "Tolkning: Den preliminära budgeten anger beloppen utan år." in opened
    if kit.SHOTS:  # for people to look at, as kit.shot's (the window's own size here)
        expander.scroll_into_view_if_needed()
        page.screenshot(path=str(kit.JOURNEY_SHOTS / f"{READINGS}-2-oversikt-tolkningar-1366.png"))


def test_malmo_has_no_reading_label(page):
    kit.go_to(page, "Översikt")
    kit.only_kommun(page, "Malmö")
    kit.assert_no_error(page)
    text = _text(page.locator('[data-testid="stMain"]'))
    assert "34,7 mnkr" in text and "enligt tolkning" not in text
    assert page.locator('[data-testid="stExpander"]').filter(has_text="Tolkning: vad siffrorna").count() == 0


CUT_OFF = """() => {
    const parts = '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, '
        + '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *';
    return [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(box =>
        [...box.querySelectorAll(parts)].filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(() => box.innerText.trim()));
}"""


@pytest.mark.parametrize("kommun", ["alla", "Södertälje"])
def test_no_headline_box_is_cut_off_beside_the_sidebar_at_1024(page, kommun):
    """A new user saw '108,64 …' and 'Ramar att …' at 1024×768 (an older projector) with the sidebar open."""
    page.set_viewport_size({"width": 1024, "height": 768})
    kit.go_to(page, "Översikt")
    if kommun == "alla":
        kit.reset_filters(page)
    else:
        kit.only_kommun(page, kommun)
    kit.next_frames(page)  # laid out at the new width
    kit.assert_no_error(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stMetric"]').count() >= 8
    assert page.evaluate(CUT_OFF) == []


# last: the sidebar is hidden on Presentation, so no test after it can use the menu; it sets the window
# back to 1366×768 after the 1024 tests above
def test_the_first_slide_says_it_and_the_panel_lists_the_readings(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    kit.go_to(page, "Översikt")  # the sidebar is hidden on Presentation
    kit.only_kommun(page, "Linköping")
    kit.go_to(page, "Presentation")
    kit.assert_no_error(page)
    message = _text(page.locator(".ik-message"))
    assert message.endswith("Tolkning: varav 41,42 mnkr av ramen enligt tolkning.")
    page.get_by_role("button", name="Underlag och export").click()
    page.get_by_text("Utkastet anger ”13 808 000 kr per år i tre år”", exact=False).first.wait_for(
        timeout=20_000
    )
    kit.shot(page, READINGS, "3-presentation-linkoping-panel")
