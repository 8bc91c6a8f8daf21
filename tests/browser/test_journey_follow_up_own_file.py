"""A municipality's own follow-up file in real Chromium (issue 23, item 2): written as municipalities write
it (`Insats;År;Utfall (kr);Genomförande;Resultat`, Windows-1252, no Kommun column), read on Uppföljning for
Malmö (bundled) and for Gävle (imported first), where Gävle's "Familjecentral" is Södertälje's title too:
the page's kommun settles it, while on Importera, without Kommun, the error names both municipalities."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "follow-up-own-file"
OWN_HEADER = "Insats;År;Utfall (kr);Genomförande;Resultat\r\n"
# Malmö's KS frame 2022 (Bilaga 1 to STK-2018-1233): Thaiwise granted 1 000 000 kr, Hemmasittare 1 500 000 kr
MALMO = (
    OWN_HEADER + "Thaiwise;2022;800 000;genomförd;Tolv fick arbete\r\nHemmasittare;2022;1,6 mnkr;pågår;\r\n"
)
GAVLE_MEASURES = (
    "Kommun;År;Finansieringskälla;Insats;Område;Belopp (kr)\n"
    "Gävle;2025;Statsbidrag Delmos;Familjecentral;Boende;400 000\n"
    "Gävle;2025;Statsbidrag Delmos;Läxhjälp i Sätra;Utbildning;250 000\n"
)
GAVLE = OWN_HEADER + "Familjecentral;2025;300 000;pågår;Öppnad i mars\r\n"


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def preview_rows(page, count: int) -> dict[str, list[str]]:
    """The preview table's rows by their file line ("2", "3" …), once the grid has drawn them."""
    # the grid writes its (hidden, accessible) header cells after the run is over: wait for the column
    page.locator('[data-testid="stDataFrame"] th', has_text=re.compile("^Rad$")).first.wait_for(
        state="attached", timeout=30_000
    )
    grid = next(
        g
        for g in page.locator('[data-testid="stDataFrame"]').all()
        if "Avvikelse (kr)" in g.locator("th").all_text_contents()
        and "Rad" in g.locator("th").all_text_contents()
    )
    expect(grid.locator("tbody tr")).to_have_count(count, timeout=30_000)
    return {r[0]: r for r in kit.grid_cells(grid)}


def test_a_follow_up_file_without_kommun_on_uppfoljning(live_server, chromium, tmp_path):
    malmo = tmp_path / "uppfoljning-malmo.csv"
    malmo.write_bytes(MALMO.encode("cp1252"))
    measures = tmp_path / "gavle-insatser-2025.csv"
    measures.write_text(GAVLE_MEASURES, encoding="utf-8")
    gavle = tmp_path / "uppfoljning-gavle.csv"
    gavle.write_bytes(GAVLE.encode("cp1252"))

    # Malmö, bundled: the file names its own measures only, the page's kommun is Malmö
    page = kit.open_page(chromium, f"{live_server}/uppfoljning?kommun=Malmö&ram=mal-ks%7C2022", 1366, 768)
    page.get_by_text("Läs in en uppföljningsfil").first.wait_for(timeout=30_000)
    assert "Utan kolumnen Kommun söks namnen i kolumnen Insats bland insatserna i Malmö" in text(page)
    kit.upload(page, malmo, "Uppföljningsrapporter")
    kit.assert_no_error(page)
    rows = preview_rows(page, 2)
    assert rows["2"][:7] == ["2", "Malmö", "Thaiwise", "2022", "1 000 000 kr", "800 000 kr", "−200 000 kr"]
    assert rows["3"][:7] == [
        "3",
        "Malmö",
        "Hemmasittare",
        "2022",
        "1 500 000 kr",
        "1 600 000 kr",
        "100 000 kr",
    ]
    shown = text(page)
    assert "Utfall totalt\n\n2 400 000 kr" in shown or "Utfall totalt\n2 400 000 kr" in shown
    assert "Rad 3, kolumn C (Utfall (kr)): Hemmasittare 2022 har använt 100 000 kr mer än beviljat." in shown
    page.get_by_text("Uppföljningsrapporter").first.scroll_into_view_if_needed()
    kit.shot(page, JOURNEY, "01-malmo-forhandsgranskning")
    kit.fill(page, "Ditt namn (loggas med filen)", "Mona Malm")
    kit.click(page, "Importera uppföljningen")
    page.get_by_text("2 uppföljningsrapporter från uppfoljning-malmo.csv är importerade.").wait_for(
        timeout=30_000
    )
    kit.wait_idle(page)
    kit.assert_no_error(page)
    chosen = page.get_by_role("combobox", name="Ram och år").input_value()
    assert chosen == "Malmö 2022, KS anslag till förfogande (2 av 19 insatser rapporterade)"
    shown = text(page)
    assert "Utfall, minst\n\n2,4 mnkr" in shown or "Utfall, minst\n2,4 mnkr" in shown
    assert "1 insats har använt mer än beviljat" in shown
    # the uploader is empty again: the imported file is not offered a second time
    assert "Importera uppföljningen" not in shown

    # Gävle, a municipality the data has never seen, imports its measures on Importera
    # (in the same tab, by the sidebar's menu; Malmö stays chosen in the sidebar, which Importera does not use)
    assert (
        "Utan kolumnen Kommun söks insatsernas namn i all data (under Uppföljning: i den valda kommunen)."
        in kit.go_to(page, "Importera")
    )
    kit.upload(page, measures, then=kit.preview_heading(page))
    kit.fill(page, "Ditt namn (loggas)", "Gösta Gävle")
    kit.click(page, "Importera")
    page.get_by_text("2 rader är importerade").wait_for(timeout=30_000)
    # its follow-up file on Importera, without Kommun: "Familjecentral" is Södertälje's title too
    kit.upload(page, gavle, "kan inte importeras")
    shown = text(page)
    assert (
        'uppfoljning-gavle.csv, rad 2, kolumn Insats: värdet "Familjecentral" – förväntat ett namn som bara en '
        "kommun har; det finns i Gävle och Södertälje. Lägg till kolumnen Kommun, eller läs in filen under "
        "Uppföljning med kommunen vald"
    ) in shown
    kit.shot(page, JOURNEY, "02-importera-tvetydigt-namn")

    # on Uppföljning with Gävle's frame chosen, the same file finds Gävle's Familjecentral
    # Gävle alone in the sidebar (Importera's run since the import offers it), then Uppföljning by the menu
    kit.only_kommun(page, "Gävle")
    kit.go_to(page, "Uppföljning")
    chosen = page.get_by_role("combobox", name="Ram och år").input_value()
    assert chosen == "Gävle 2025, Statsbidrag Delmos (0 av 2 insatser rapporterade)"
    kit.upload(page, gavle, "Uppföljningsrapporter")
    kit.assert_no_error(page)
    rows = preview_rows(page, 1)
    assert rows["2"][:7] == [
        "2",
        "Gävle",
        "Familjecentral",
        "2025",
        "400 000 kr",
        "300 000 kr",
        "−100 000 kr",
    ]
    page.get_by_text("Uppföljningsrapporter").first.scroll_into_view_if_needed()
    kit.shot(page, JOURNEY, "03-gavle-forhandsgranskning")
    kit.fill(page, "Ditt namn (loggas med filen)", "Gösta Gävle")
    kit.click(page, "Importera uppföljningen")
    page.get_by_text("1 uppföljningsrapport från uppfoljning-gavle.csv är importerad.").wait_for(
        timeout=30_000
    )
    kit.wait_idle(page)
    chosen = page.get_by_role("combobox", name="Ram och år").input_value()
    assert chosen == "Gävle 2025, Statsbidrag Delmos (1 av 2 insatser rapporterade)"
    shown = text(page)
    assert "Utfall, minst\n\n0,3 mnkr" in shown or "Utfall, minst\n0,3 mnkr" in shown
    kit.shot(page, JOURNEY, "04-gavle-importerad")
