"""Issue 15, item 6: an administrator imports a Kolada export file, with the command line while the
dashboard serves or on the Importera page; an official opening Kommuner for Malmö then sees Malmö's series, Riket's and another
imported municipality's beside what Malmö allocated to Brottslighet, the funded year shaded, the source
and the sentence that the chart shows no effect. Before the import only the documents' own indicators and
statistics show. Prioriterade områden shows the same series under Brottslighet. And a population file read the
same way gives kronor per invånare on Kommuner and Prioriterade områden (issue 26, item 2); what both pages say
without it is tests/app/test_per_capita_pages.py's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser
EXPORT = (
    kit.ROOT / "tests" / "fixtures" / "kolada" / "export_malmo.csv"
)  # made-up values, see fixtures/README
KOMMUNER = "/kommuner?vald_kommun=Malm%C3%B6"
KPI = "Anmälda våldsbrott, antal/100 000 inv"
POPULATION = kit.ROOT / "tests" / "fixtures" / "kolada" / "befolkning.csv"  # see fixtures/README
OMRADEN = "/omraden?valt_omrade=Brottslighet"
HOW_TO_GET = "Kronor per invånare visas när befolkningen är importerad"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    kit.require_browser()
    var = tmp_path_factory.mktemp("kolada") / "var"
    base, process = kit.start_server(published_var(var))
    yield base, var
    kit.stop_server(process)


@pytest.fixture(scope="module")
def page(served, chromium):
    """One tab for the module's tests, opened at Malmö's Kommuner: the later two go to Importera by the sidebar's
    menu instead of loading the app again (~1.5 s of Chromium's time)."""
    base, _var = served
    tab = kit.open_page(chromium, base + KOMMUNER)
    yield tab
    tab.close()


def cli(var, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"INSATSKOLLEN_VAR": str(var)}
    env.pop("INSATSKOLLEN_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "insatskollen", *args], cwd=kit.ROOT, env=env, capture_output=True, text=True
    )


def series(page, title: str) -> dict[str, dict[int, float | None]]:
    """The lines of the Plotly chart with this title, as the browser has them: name -> {year: value}."""
    return page.evaluate(
        """(title) => {
            const out = {};
            for (const el of document.querySelectorAll('.js-plotly-plot')) {
                const t = el.layout && el.layout.title && el.layout.title.text;
                if (!t || !t.includes(title)) continue;
                for (const trace of el.data) {
                    const line = {};
                    trace.x.forEach((x, i) => { line[x] = trace.y[i]; });
                    out[trace.name] = line;
                }
            }
            return out;
        }""",
        title,
    )


def text(page) -> str:
    return kit.main_text(page).replace("\u00a0", " ")


def test_an_imported_kolada_export_shows_beside_the_allocation_for_its_area(served, page):
    base, var = served
    assert "/kommuner?" in page.url  # as the tab was opened
    before = text(page)
    assert "Statistik i dokumenten" in before  # the documents' statistics show without any import
    assert KPI not in before and "Källa: Kolada" not in before
    kit.shot(page, "kolada", "1-before-import")

    done = cli(var, "kolada", "import", str(EXPORT), "--author", "Anna Admin")
    assert done.returncode == 0, done.stderr
    assert "12 värden importerade" in done.stdout

    page.goto(base + KOMMUNER)
    kit.wait_idle(page)
    kit.wait_charts(page, 1)
    kit.assert_no_error(page)
    lines = series(page, KPI)
    assert lines["Malmö"] == {"2019": 1512.3, "2020": 1498.6, "2021": None, "2022": 1431.9, "2023": 1402.4}
    assert lines["Riket"] == {"2019": 1044.4, "2020": 1060.0, "2021": 1071.8, "2022": 1069.2, "2023": 1055.5}
    assert lines["Stockholm"]["2022"] == 1198.7
    shaded = page.evaluate(
        """(title) => [...document.querySelectorAll('.js-plotly-plot')]
            .filter(el => (el.layout.title.text || '').includes(title))
            .flatMap(el => (el.layout.shapes || []).map(s => (s.x0 + s.x1) / 2))""",
        KPI,
    )
    assert shaded == [2022]  # Malmö's frames are for 2022
    after = text(page)
    assert "Malmö: Brottslighet" in after
    assert "Fördelat till Brottslighet: 2022: 2 170 000 kr." in after
    assert "Värde saknas (okänt, inte noll): Malmö 2021." in after
    assert "Källa: Kolada (exportfil export_malmo.csv)." in after
    assert "diagrammet visar inte att insatserna har orsakat någon förändring" in after
    assert "Tolkning: nyckeltalet visas under Brottslighet" in after
    assert "Statistik i dokumenten" in after
    page.get_by_text("Malmö: Brottslighet").scroll_into_view_if_needed()
    kit.shot(page, "kolada", "2-kommuner-malmo-series")

    page.goto(base + "/omraden?kommun=Malm%C3%B6&valt_omrade=Brottslighet")
    kit.wait_idle(page)
    kit.wait_charts(page, 2)
    kit.assert_no_error(page)
    assert series(page, KPI)["Malmö"]["2022"] == 1431.9
    assert "Nyckeltal bredvid pengarna: Brottslighet" in text(page)
    page.get_by_text("Nyckeltal bredvid pengarna: Brottslighet").scroll_into_view_if_needed()
    kit.shot(page, "kolada", "3-omraden-brottslighet")


def test_an_administrator_imports_a_kolada_export_on_the_importera_page(served, page):
    base, _var = served
    kit.go_to(page, "Importera")
    page.get_by_text("Nyckeltal från Kolada", exact=True).click()
    kit.wait_idle(page)
    kit.upload(
        page,
        kit.ROOT / "tests" / "fixtures" / "kolada" / "export_linkoping.csv",
        then=page.get_by_role("button", name="Importera nyckeltalen"),
    )
    preview = text(page)
    assert "Värden\n\n8\n\nOkända\n\n1" in preview
    assert "Rader för kvinnor eller män importeras inte, bara Totalt: 1 st." in preview
    kit.shot(page, "kolada", "4-importera-preview")
    kit.fill(page, "Ditt namn (loggas)", "Bo Handläggare")
    kit.click(page, "Importera nyckeltalen")
    page.get_by_text("8 värden från export_linkoping.csv är importerade").wait_for(timeout=30_000)

    # a server looks for newly imported rows at most once a second (README): a page opened sooner may still
    # show the data before the import, so open it again until the series is there, as a person would reload
    for _ in range(10):
        page.goto(base + "/kommuner?vald_kommun=Link%C3%B6ping")
        kit.wait_idle(page)
        kit.wait_charts(page, 2)
        kit.assert_no_error(page)
        lines = series(page, KPI)
        if "Linköping" in lines:
            break
    assert lines["Linköping"] == {  # the axis runs to Malmö's 2023; Linköping's file ends in 2020
        "2017": 1101.5,
        "2018": 1122.3,
        "2019": 1087.9,
        "2020": None,
        "2021": None,
        "2022": None,
        "2023": None,
    }
    assert lines["Malmö"]["2019"] == 1512.3  # imported earlier: another municipality beside Linköping
    after = text(page)
    assert "Linköping: Brottslighet" in after
    assert "Värde saknas (okänt, inte noll): Linköping 2020; Malmö 2021." in after  # no row: not named
    assert "Fördelat till Brottslighet: 2018: 1 rad utan belopp." in after  # unknown, never 0 kr
    assert "Källa: Kolada (exportfil export_linkoping.csv; exportfil export_malmo.csv)." in after
    page.get_by_text("Linköping: Brottslighet").scroll_into_view_if_needed()
    kit.shot(page, "kolada", "5-kommuner-linkoping")


def open_until(page, url: str, heading: str) -> None:
    """A server looks for newly imported rows at most once a second (README): open the page again until it
    shows the section `heading`, as a person would reload. A heading, not a text: the line saying how to get
    the population begins with the same words ("Kronor per invånare visas när …")."""
    for _ in range(10):
        page.goto(url)
        kit.wait_idle(page)
        kit.assert_no_error(page)
        if page.get_by_role("heading", name=heading, exact=True).count():
            return
    raise AssertionError(f"{heading!r} never showed on {url}")


def test_a_population_file_gives_kronor_per_invanare_on_kommuner_and_omraden(served, page):
    """Issue 26, item 2: an official reads a population file (Kommun, År, Invånare) on Importera → Kolada;
    Kommuner then shows Malmö's Ram and Fördelat per invånare beside its population and source, and the
    municipalities compared on it, and no longer the line on how to get the population; Prioriterade områden
    shows Brottslighet's Fördelat per invånare. axe finds nothing serious on either page, at 1366×768. The line
    both pages say before (the Kolada exports above hold no population) is
    tests/app/test_per_capita_pages.py's."""
    kit.require_axe()
    base, _var = served
    page.set_viewport_size({"width": 1366, "height": 768})
    kit.go_to(page, "Importera")  # in the same tab, by the sidebar's menu
    page.get_by_text("Nyckeltal från Kolada", exact=True).click()
    kit.wait_idle(page)
    # read in a child process
    kit.upload(
        page, POPULATION, then=page.get_by_role("button", name="Importera nyckeltalen"), timeout=90_000
    )
    assert "Värden\n\n6\n\nOkända\n\n1" in text(page)  # Södertälje 2020 is empty: unknown
    rows = kit.grid_rows(page, "Nyckeltal")
    assert rows[0][:5] == ["N01951 Invånare totalt, antal", "Malmö", "1280", "2022", "357 377"]
    kit.fill(page, "Ditt namn (loggas)", "Bo Handläggare")
    kit.click(page, "Importera nyckeltalen")
    page.get_by_text("6 värden från befolkning.csv är importerade").wait_for(timeout=30_000)

    open_until(page, base + KOMMUNER, "Kronor per invånare")
    kit.wait_charts(page, 1)
    own = kit.grid_rows(page, "Ram")
    # Malmö 2022 by hand: 34 700 000 kr / 357 377 invånare = 97,10 kr; 33 600 000 / 357 377 = 94,02 kr
    assert own == [
        [
            "2022",
            "34 700 000 kr",
            "97,10 kr",
            "33 600 000 kr",
            "94,02 kr",
            "357 377",
        ]
    ]
    assert (
        "Invånare den 31 december (N01951 Invånare totalt, antal): 2022 enligt Befolkningsfil befolkning.csv."
        in text(page)
    )
    compared = kit.grid_rows(page, "Kommun")
    # Södertälje 10 839 000 / 100 000 = 108,39 kr (2018) and 10 839 000 / 101 000 = 107,32 kr (2019)
    assert [row[:4] for row in compared[:4]] == [
        ["Södertälje", "2018", "108,39 kr", "109,00 kr"],
        ["Södertälje", "2019", "107,32 kr", "107,92 kr"],
        ["Malmö", "2022", "97,10 kr", "94,02 kr"],
        ["Linköping", "2018", "85,75 kr", "okänt"],
    ]
    assert ["Södertälje", "2020", "okänt", "okänt", "okänt"] in compared  # an empty Invånare: unknown, not 0
    assert HOW_TO_GET not in text(page)
    assert not kit.axe_serious(page, "kommuner-per-capita")
    page.get_by_text("Kronor per invånare", exact=True).scroll_into_view_if_needed()
    kit.shot(page, "per-capita", "1-kommuner-1366")
    if kit.SHOTS:  # the window resized only for the screenshot (each resize redraws the page's charts)
        page.set_viewport_size({"width": 1024, "height": 768})
        kit.shot(page, "per-capita", "2-kommuner-1024")
        page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(base + OMRADEN)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    page.get_by_text("Fördelat till Brottslighet per invånare").wait_for(timeout=30_000)
    area = kit.grid_rows(page, "Fördelat till Brottslighet")
    # 2 170 000 kr / 357 377 = 6,07 kr; Linköping's line without amount stays okänt
    assert area == [
        ["Linköping", "2018", "okänt", "okänt", "161 034"],
        ["Malmö", "2022", "2 170 000 kr", "6,07 kr", "357 377"],
    ]
    assert not kit.axe_serious(page, "omraden-per-capita")
    page.get_by_text("Fördelat till Brottslighet per invånare").scroll_into_view_if_needed()
    kit.shot(page, "per-capita", "3-omraden-1366")
    if kit.SHOTS:
        page.set_viewport_size({"width": 1024, "height": 768})
        kit.shot(page, "per-capita", "4-omraden-1024")
