"""Journey in real Chromium (issue 26, item 1): an official in Gävle, a municipality the bundled documents
have never seen, imports the year's measures and then the plan (lägesbild, mål, insats-id) on Importera,
opens Från lägesbild till resultat and reads the chain with its flags: money without an indicator, a goal
without a measure, a measure without a goal; links the measure to the goal in the form, and two flags go. Then the bundled Linköping chain, with the indicators its
application names per area. axe finds nothing serious on the page; screenshots at 1366×768 and 1024×768.
"""

from __future__ import annotations

import pytest

from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "plan-chain"
MEASURES = (
    "Kommun;År;Finansieringskälla;Typ av finansiering;Ram (kr);Nämnd;Insats;Område;Belopp (kr)\n"
    "Gävle;2025;Trygghetsmiljonen;egna medel;1 000 000;Kommunstyrelsen;Trygghetsvandringar i Sätra;"
    "Brottslighet;600 000\n"
    "Gävle;2025;Trygghetsmiljonen;egna medel;1 000 000;Kultur- och fritidsnämnden;Föreningsstöd i Andersberg;"
    "Demokrati och civilsamhälle;250 000\n"
    "Gävle;2025;Trygghetsmiljonen;egna medel;1 000 000;Kommunstyrelsen;Kartläggning av Nordost;Boende;150 000\n"
)
PLAN = (
    "Kommun;Område;Problem;Indikator;Mål;Insats-id\n"
    "Gävle;Trygghet / Brottslighet;Otrygghet i Sätra efter mörkrets inbrott;N07403 Anmälda våldsbrott;"
    "Ökad trygghet i Sätra;Trygghetsvandringar i Sätra\n"
    "Gävle;Boende;Trångboddhet i Nordost;;Minskad trångboddhet;Kartläggning av Nordost\n"
    "Gävle;Demokrati och civilsamhälle;;;Högre valdeltagande i Andersberg;\n"
)


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def test_gavle_imports_its_plan_and_reads_where_the_chain_breaks(live_server, chromium, tmp_path):
    measures, plan = tmp_path / "gavle-2025.csv", tmp_path / "gavle-plan.csv"
    measures.write_text(MEASURES, encoding="utf-8")
    plan.write_text(PLAN, encoding="utf-8")
    page = kit.open_page(chromium, f"{live_server}/importera", width=1366, height=768)
    try:
        kit.upload(page, measures, then=kit.preview_heading(page))
        kit.fill(page, "Ditt namn (loggas)", "Per Persson")
        kit.click(page, "Importera")
        page.get_by_text("3 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)

        # the plan file: recognised by its headers, previewed as a plan
        kit.upload(page, plan, then="3 rader (plan)")
        assert "3 rader (plan): 2 problem, 3 mål, 2 insatser knutna till mål, 1 indikator." in text(page)
        rows = kit.grid_rows(page, "Mål")
        # the grid draws the columns in view: Kommun, Område (the label read as its national area), Mål
        assert [r[1:3] + r[5:6] for r in rows] == [
            ["Gävle", "Brottslighet", "Ökad trygghet i Sätra"],
            ["Gävle", "Boende", "Minskad trångboddhet"],
            ["Gävle", "Demokrati och civilsamhälle", "Högre valdeltagande i Andersberg"],
        ]
        kit.click(page, "Importera")
        page.get_by_text("Planen är importerad (3 rader)").wait_for(timeout=30_000)

        page.locator('[data-testid="stSidebar"]').get_by_role(
            "link", name="Från lägesbild till resultat"
        ).click()
        page.get_by_role("heading", name="Från lägesbild till resultat", level=1).wait_for(timeout=30_000)
        kit.wait_idle(page)
        kit.choose(page, "Välj kommun", "Gävle")
        shown = text(page)
        assert (
            "4 brister i kedjan: 2 × pengar utan indikator, 1 × mål utan insats, 1 × insats utan mål."
            in shown
        )
        assert (
            "Kedjan ställer problem, mål, insatser, pengar och indikatorer bredvid varandra. Den säger inte "
            "att en insats har orsakat en förändring i en indikator."
        ) in shown
        for flag in (
            "Pengar utan indikator: ”Kartläggning av Nordost” har 150 000 kr beviljat men ingen indikator att följa.",
            "Mål utan insats: ingen insats svarar mot ”Högre valdeltagande i Andersberg”.",
            "Insats utan mål: ”Föreningsstöd i Andersberg” svarar inte mot något mål i planen.",
            "Pengar utan indikator: ”Föreningsstöd i Andersberg” har 250 000 kr beviljat men ingen indikator att "
            "följa.",
        ):
            assert flag in shown, flag
        assert "Problem: Otrygghet i Sätra efter mörkrets inbrott" in shown
        assert (
            "Indikator: N07403 Anmälda våldsbrott. Källa: Importerad planfil gavle-plan.csv, rad 2." in shown
        )
        assert "Indikatorn har nyckeltalet N07403 i Kolada, men inga värden är importerade" in shown
        walk = next(r for r in kit.grid_rows(page, "Beviljat") if r[0] == "Kartläggning av Nordost")
        assert walk[:5] == ["Kartläggning av Nordost", "2025", "150 000 kr", "okänt", "ingen rapport"]
        assert "kan inte" not in shown
        kit.assert_no_error(page)
        kit.require_axe()
        serious = kit.axe_serious(page, "lagesbild-gavle")
        assert not serious, serious
        kit.shot(page, JOURNEY, "gavle-1366x768")

        # a handläggare links Andersberg's föreningsstöd to the goal no measure answered, in the form
        kit.choose(page, "Område", "Demokrati och civilsamhälle")
        kit.choose(page, "Insats som svarar mot målet", "Föreningsstöd i Andersberg")
        page.get_by_label("Mål", exact=True).fill("Högre valdeltagande i Andersberg")
        page.get_by_label("Ditt namn (loggas)", exact=True).fill("Per Persson")
        kit.click(page, "Spara målet")
        page.get_by_text(
            "Målet ”Högre valdeltagande i Andersberg” i Demokrati och civilsamhälle är sparat med insatsen "
            "Föreningsstöd i Andersberg. Det kan ångras under Importera."
        ).wait_for(timeout=30_000)
        shown = text(page)
        assert "2 brister i kedjan: 2 × pengar utan indikator." in shown
        assert "Mål utan insats" not in shown and "Insats utan mål" not in shown
        assert "Insatser utan mål" not in shown
        kit.shot(page, JOURNEY, "gavle-form-1366x768")

        # the bundled Linköping chain: its application's indicators per area, no money known
        kit.choose(page, "Välj kommun", "Linköping")
        shown = text(page)
        assert "5 brister i kedjan: 5 × mål utan känt beviljat belopp." in shown
        assert (
            "Indikator: Meritvärde i åk 9, kommunala skolor; Alla elever i gymnasieskolan ska nå gymnasieexamen. "
            "Källa: Minska segregation i Linköpings kommun – ansökan till Tillväxtverket avseende särskilt "
            "statsbidrag (utkast), Mål och indikatorer – Skola."
        ) in shown
        assert "Indikator: Delaktighetsindex, andel (%) av maxpoäng." in shown
        assert (
            "Problem: Andelen hushåll med ekonomiskt bistånd 10–12 månader under året ligger över riket"
            in shown
        )
        assert page.url.endswith("plan_kommun=Link%C3%B6ping")
        kit.shot(page, JOURNEY, "linkoping-1366x768")
        page.set_viewport_size({"width": 1024, "height": 768})
        kit.wait_idle(page)
        kit.shot(page, JOURNEY, "linkoping-1024x768")
        kit.assert_no_error(page)
    finally:
        page.close()
