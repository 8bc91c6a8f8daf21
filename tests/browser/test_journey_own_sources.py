"""An official in Gävle, a municipality the bundled data has never seen, imports the year's frames under
the names Gävle uses for its money (issue 23, item 1): "Trygghetsmiljonen" (egna medel) and "Egna medel,
KF budget 2025", plus a near miss of a bundled name. The preview says "Menade du …?" instead of refusing;
after the import the names are in the sidebar's Finansieringskälla filter, Översikt shows the chosen
frame, and the copied link (a comma in the name) opens the same view.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "own-sources"
COMMA = "Egna medel, KF budget 2025"
GAVLE = (
    "Kommun;År;Finansieringskälla;Typ av finansiering;Ram (kr);Nämnd;Insats;Område;Belopp (kr)\n"
    "Gävle;2025;Trygghetsmiljonen;egna medel;1 000 000;Kommunstyrelsen;Trygghetsvandringar i Sätra;"
    "Brottslighet;600 000\n"
    f'Gävle;2025;"{COMMA}";egna medel;3 000 000;Kultur- och fritidsnämnden;Föreningsstöd i Andersberg;'
    "Demokrati och civilsamhälle;2 250 000\n"
    "Gävle;2025;Statsbidrag Delmo;;;Kommunstyrelsen;Kartläggning av Nordost;Boende;150 000\n"
)


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def sidebar_box(page, label: str):
    return page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name=label, exact=True)


def offers(page, label: str, name: str) -> bool:
    """Whether the sidebar list offers `name` once its first letters are typed, as a person looks for it."""
    box = sidebar_box(page, label)
    box.click()
    box.press_sequentially(name[:6])
    page.locator('[role="listbox"]').wait_for()
    kit.next_frames(page)  # the list is filtered by what was typed
    found = name in [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    kit.wait_idle(page)
    return found


def pick(page, label: str, option: str) -> None:
    box = sidebar_box(page, label)
    box.click()
    box.press_sequentially(option[:6])
    page.get_by_role("option", name=option, exact=True).first.click()
    page.keyboard.press("Escape")
    kit.wait_idle(page)


def test_gavle_imports_its_own_money_and_finds_it_in_the_filter_and_on_oversikt(
    live_server, chromium, tmp_path
):
    upload = tmp_path / "gavle-2025.csv"
    upload.write_text(GAVLE, encoding="utf-8")
    page = kit.open_page(chromium, f"{live_server}/importera", width=1366, height=768)
    kit.upload(page, upload, then="Menade du")
    shown = text(page)
    assert (
        "Rad 4, kolumn C (Finansieringskälla): ”Statsbidrag Delmo” är inte en av de kända finansieringskällorna "
        "och importeras som en egen källa. Menade du ”Statsbidrag Delmos”?"
    ) in shown
    assert (
        f"Egna finansieringskällor i filen: ”Trygghetsmiljonen” (egna medel), ”{COMMA}” (egna medel), "
        "”Statsbidrag Delmo” (okänd)."
    ) in shown
    assert "kan inte importeras" not in shown
    kit.shot(page, JOURNEY, "01-forhandsgranskning")
    page.get_by_label("Ditt namn (loggas)").fill("Per Persson")
    page.get_by_label("Ditt namn (loggas)").press("Enter")
    kit.wait_idle(page)
    kit.click(page, "Importera")
    page.get_by_text("3 rader är importerade och syns nu på alla sidor.").wait_for(timeout=30_000)

    page.get_by_role("link", name="Översikt").click()
    kit.wait_idle(page)
    pick(page, "Kommun", "Gävle")
    for name in ("Trygghetsmiljonen", COMMA, "Statsbidrag Delmo"):
        assert offers(page, "Finansieringskälla", name), name
    pick(page, "Finansieringskälla", COMMA)
    shown = text(page)
    assert f"Gävle\n2025\n{COMMA}" in shown.replace("\t", "\n") or COMMA in shown
    assert "3 mnkr" in shown and "2,25 mnkr" in shown and "0,75 mnkr" in shown  # ram, fördelat, ofördelat
    assert "Trygghetsmiljonen" not in shown
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query["kalla"] == [COMMA] and query["kommun"] == ["Gävle"]
    kit.shot(page, JOURNEY, "02-oversikt-egna-medel")
    kit.assert_no_error(page)

    # the copied link, in a page of its own, opens the same view
    kit.load(page, page.url)  # a full load, a new session: the view comes from the link alone
    again = page
    chosen = again.get_by_test_id("stSidebarUserContent").get_by_text(COMMA, exact=True)
    assert chosen.count() >= 1
    shown = text(again)
    assert "2,25 mnkr" in shown and "Trygghetsmiljonen" not in shown
    kit.assert_no_error(again)
