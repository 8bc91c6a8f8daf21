"""The official's journeys on Scenarier, in real Chromium, asserting what the person sees.

Malmö 2022 KS: edit the same line three times, move money between areas, lock a line, add a
measure, save, reopen by link (a full load: a new session), undo, duplicate, compare, delete,
restore. Södertälje: the document is already over its grant (said plainly), a larger grant funds
one of the unfunded proposals. Issue 23, item 6: a saved scenario's link is given whole and keeps the
sidebar's Kommun, so opened (a full load, as from a mail) it shows the scenario on the same kommun.
One server per module; a screenshot per step in artifacts/journeys/.
The four journeys share one page (the `scenarier` fixture): Malmö starts from its fresh load, each of the
others starts a new scenario, which replaces the open one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import browser_kit as kit
from tests.browser.test_journey_politician import chosen

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
MALMO_KS = re.compile(r"^Malmö 2022 · KS anslag till förfogande")
SODERTALJE = re.compile(r"^Södertälje 2018 · Statsbidrag Tillväxtverket")
LINKOPING = re.compile(r"^Linköping 2018 · Statsbidrag Tillväxtverket")


def kr(text: str) -> str:
    """'1 500 000 kr' as the page writes it (non-breaking spaces)."""
    return text.replace(" ", NBSP)


def number(text: str) -> int | None:
    """'1 500 000 kr' -> 1500000; '–' -> None."""
    digits = re.sub(r"[^\d−-]", "", text).replace("−", "-")
    return int(digits) if digits not in ("", "-") else None


def see(page, text: str) -> None:
    """Wait until the main area shows text (the rerun after a click has drawn it), then go on."""
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(text, timeout=30_000)


# Every row's cells as the page shows them (innerText), read in one call rather than one per cell.
CELLS = "t => [...t.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th, td')].map(c => c.innerText))"


def lines_table(page) -> dict[str, dict[str, str]]:
    """The lines table ("Raderna") as the person reads it: {Rad: {column: cell text}}."""
    see(page, "Raderna")
    lines = page.locator('[data-testid="stMain"] [data-testid="stTable"]').filter(has_text="Utgångsläge")
    expect(lines).to_have_count(1, timeout=30_000)
    for table in lines.locator("table").all():
        rows = [[cell.strip() for cell in r] for r in table.evaluate(CELLS)]
        rows = [r for r in rows if r]
        if not rows or rows[0][0] != "Rad" or "Scenario" not in rows[0]:
            continue
        header = rows[0]
        return {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    raise AssertionError("Tabellen med raderna syns inte")


def scenario_amounts(page) -> dict[str, int | None]:
    return {name: number(row["Scenario"]) for name, row in lines_table(page).items()}


def area_totals(page) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in lines_table(page).values():
        totals[row["Område"]] = totals.get(row["Område"], 0) + (number(row["Scenario"]) or 0)
    return totals


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{label}$"))
    )
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def pick(page, label: str, option: str) -> None:
    """Choose in a selectbox the way a person does: type the start of the name, then click it. The page is
    idle first: a late rerun once closed the list while the name was typed (no option after 30 s)."""
    kit.wait_idle(page)
    # Playwright writes the pattern between slashes: a "/" in the name (Linköping's "Bostad / Samhällsservice") must be escaped
    name = re.compile("^" + re.escape(option).replace("/", r"\/"))
    kit.choose(page, label, name, typed=option[:12], within=page.locator('[data-testid="stMain"]'))


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def set_line(page, line: str, amount: str, choose: bool = True) -> None:
    tab(page, "Ändra en rad")
    if choose:
        pick(page, "Rad", line)
    kit.fill(page, "Nytt belopp", amount)
    kit.click(page, "Sätt belopp")
    kit.assert_no_error(page)


def set_line_by_keyboard(page, line: str | None, amount: str, back: bool = True) -> None:
    """set_line by keyboard only, in the Ändra en rad tab: choose the line (None: keep the one chosen; Tab, or
    Shift+Tab when `back`, reaches it), type the amount, Enter on Sätt belopp."""
    if line is not None:
        kit.tab_to(page, "Rad", "INPUT", back=back)
        kit.assert_focus_visible(page)
        kit.pick_by_typing(page, line)
    kit.tab_to(page, "Nytt belopp", "INPUT", back=line is None)  # from Rad, or back from Sätt belopp
    kit.assert_focus_visible(page)
    kit.type_and_commit(page, amount)
    kit.tab_to(page, "Sätt belopp", "BUTTON")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    kit.assert_no_error(page)


def start(page, frame: re.Pattern) -> None:
    kit.choose(page, "Utgå från ram", frame)
    kit.click(page, "Starta nytt scenario")
    kit.assert_no_error(page)


@pytest.fixture(scope="module")
def scenarier(live_server, chromium):
    """Scenarier in one tab for the module's journeys, opened once (a full load costs Chromium about three
    moves by the sidebar's menu). Malmö, first, starts by keyboard from this fresh load; each of the others
    starts its own scenario (Starta nytt scenario sets every form and choice anew and drops the address's
    scenario), so the copy Malmö leaves open is replaced. The panels Malmö leaves open (change log, saved
    scenarios, comparison) stay open; the saved scenarios are the server's whatever the page, and nothing the
    others assert reads them. The last, the link's, saves and leaves the page on another session."""
    page = kit.open_page(chromium, f"{live_server}/scenarier")
    yield page
    page.close()


def test_malmo_same_line_three_times_save_reopen_undo_duplicate_compare(live_server, scenarier):
    journey = "official-malmo"
    page = scenarier
    # By keyboard only from the loaded page to the move between areas (issue 16, item 6): every action is
    # page.keyboard (Tab and Shift+Tab, typing, Enter, arrows); locators only read what the person sees.
    kit.tab_to(page, "Utgå från ram", "INPUT")
    kit.assert_focus_visible(page)
    kit.pick_by_typing(page, "Malmö 2022 · KS")
    assert MALMO_KS.match(page.get_by_role("combobox", name="Utgå från ram").input_value())
    kit.tab_to(page, "Starta nytt scenario", "BUTTON")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    kit.assert_no_error(page)
    baseline = scenario_amounts(page)
    assert len(baseline) == 19 and sum(baseline.values()) == 15_000_000
    assert baseline["Trygga barnet"] == 500_000
    kit.shot(page, journey, "01-start")

    # The same line three times: the first choice stays chosen, only that line changes.
    expected = dict(baseline)
    for step, amount in enumerate((600_000, 700_000, 800_000), start=1):
        set_line_by_keyboard(
            page, "Trygga barnet" if step == 1 else None, f"{amount:,}".replace(",", " "), back=False
        )
        expected["Trygga barnet"] = amount
        see(page, "Satte ”Trygga barnet” till " + kr(f"{amount:,} kr".replace(",", " ")))
        assert scenario_amounts(page) == expected, f"efter ändring {step}"
        assert lines_table(page)["Trygga barnet"]["Utgångsläge"] == kr("500 000 kr")
        assert page.get_by_role("combobox", name="Rad").input_value() == "Trygga barnet"
        assert kr(f"{amount:,} kr".replace(",", " ")) in kit.main_text(page)
    assert lines_table(page)["Trygga barnet"]["Ändring"] == "+" + kr("300 000 kr")
    kit.shot(page, journey, "02-same-line-three-times")

    # Then another line: only that one changes.
    set_line_by_keyboard(page, "Hemmasittare", "1 200 000")
    see(page, "Satte ”Hemmasittare” till " + kr("1 200 000 kr"))
    expected["Hemmasittare"] = 1_200_000
    assert scenario_amounts(page) == expected
    assert metric(page, "Ofördelat") == kr("0 kr")  # +300 000 and −300 000
    kit.shot(page, journey, "03-another-line")

    # Move 1 mnkr from Utbildning to Boende.
    before = area_totals(page)
    kit.tab_to(page, "Ändra en rad", back=True)  # up to the tabs; the arrow key opens the next one
    kit.assert_focus_visible(page)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Flytta pengar")).to_have_attribute("aria-selected", "true")
    kit.tab_to(page, "Från", "INPUT")
    kit.pick_by_typing(page, "Utbildning")
    kit.tab_to(page, "Till", "INPUT")
    kit.pick_by_typing(page, "Boende")
    kit.tab_to(page, "Belopp att flytta", "INPUT")
    kit.type_and_commit(page, "1 mnkr")
    kit.tab_to(page, "Flytta", "BUTTON")
    kit.press(page, "Enter")
    see(page, "Flyttade " + kr("1 000 000 kr") + " från Utbildning till Boende")
    kit.assert_no_error(page)
    after = area_totals(page)
    assert after["Utbildning"] == before["Utbildning"] - 1_000_000
    assert after["Boende"] == before["Boende"] + 1_000_000
    assert sum(after.values()) == sum(before.values())
    kit.shot(page, journey, "04-move-between-areas")

    # Lock Hållbara Rosengård; a proportional move out of Boende leaves it alone, in whole thousands.
    tab(page, "Ändra en rad")
    pick(page, "Rad", "Hållbara Rosengård")
    kit.click(page, "Lås/lås upp raden")
    see(page, "Låste ”Hållbara Rosengård”")
    locked_amount = scenario_amounts(page)["Hållbara Rosengård"]
    assert lines_table(page)["Hållbara Rosengård"]["Låst"] == "ja"
    before = area_totals(page)
    tab(page, "Flytta pengar")
    pick(page, "Från", "Boende")
    pick(page, "Till", "Arbetsmarknad")
    kit.fill(page, "Belopp att flytta", "777 000")
    kit.click(page, "Flytta")
    see(page, "Flyttade " + kr("777 000 kr") + " från Boende till Arbetsmarknad")
    kit.assert_no_error(page)
    amounts = scenario_amounts(page)
    assert amounts["Hållbara Rosengård"] == locked_amount
    after = area_totals(page)
    assert after["Boende"] == before["Boende"] - 777_000
    assert after["Arbetsmarknad"] == before["Arbetsmarknad"] + 777_000
    assert all(a % 1000 == 0 for a in amounts.values() if a is not None), amounts
    kit.shot(page, journey, "05-locked-line-untouched")

    # Add a measure.
    tab(page, "Ny insats")
    kit.fill(page, "Namn på insatsen", "Läxhjälp i Rosengård")
    pick(page, "Nämnd", "Grundskolenämnden")
    pick(page, "Område", "Utbildning")
    kit.fill(page, "Belopp", "250 000")
    kit.click(page, "Lägg till insatsen")
    see(page, "Lade till ”Läxhjälp i Rosengård” med " + kr("250 000 kr"))
    kit.assert_no_error(page)
    assert scenario_amounts(page)["Läxhjälp i Rosengård"] == 250_000
    assert metric(page, "Överfördelat") == kr("250 000 kr")
    kit.shot(page, journey, "06-added-measure")

    # Save, by keyboard only (the mouse added the measure); the message stands by the button.
    kit.tab_to(page, "Ditt namn (visas i ändringsloggen)", "INPUT", back=True)
    kit.assert_focus_visible(page)
    kit.type_and_commit(page, "Anna Andersson")
    kit.tab_to(page, "Spara som nytt scenario", "BUTTON")
    kit.press(page, "Enter")  # without a name: refused, said right under the button
    see(page, "Namnet saknas. Skriv namnet och försök igen.")
    button = page.get_by_role("button", name="Spara som nytt scenario").bounding_box()
    refusal = page.locator('[data-testid="stAlert"]', has_text="Namnet saknas").bounding_box()
    assert 0 <= refusal["y"] - (button["y"] + button["height"]) < 120, (button, refusal)
    kit.shot(page, journey, "07a-save-refused-by-the-button")
    kit.tab_to(page, "Scenariots namn", "INPUT", back=True)
    kit.type_and_commit(page, "KSAU förslag A")
    kit.tab_to(page, "Spara som nytt scenario", "BUTTON")
    kit.assert_focus_visible(page)
    kit.press(page, "Enter")
    see(page, "Scenariot är sparat.")
    kit.assert_no_error(page)
    assert "KSAU förslag A" in page.locator('[data-testid="stMain"] h2').first.inner_text()
    saved_note = page.locator(
        '[data-testid="stMain"] [data-testid="stAlert"]', has_text="Scenariot är sparat."
    )
    assert saved_note.count() == 1
    scenario_id = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    saved_table = lines_table(page)
    kit.shot(page, journey, "07-saved")

    # Reopen by link, a full load as from a mail (a new session: nothing of the old one is kept): identical
    # amounts; undo history survived.
    kit.load(page, f"{live_server}/scenarier?scenario={scenario_id}")
    kit.assert_no_error(page)
    assert "KSAU förslag A" in kit.main_text(page)
    assert lines_table(page) == saved_table
    kit.tab_to(
        page, "Ändringslogg (svensk tid)", "SUMMARY", limit=200
    )  # by keyboard only, in the loaded page
    kit.press(page, "Enter")
    log = page.locator('[data-testid="stExpander"]', has_text="Ändringslogg")
    expect(log).to_contain_text("Satte ”Trygga barnet” till " + kr("700 000 kr"))
    expect(log).to_contain_text("Satte ”Trygga barnet” till " + kr("800 000 kr"))
    text = log.inner_text()
    assert "Tid (UTC)" not in text and "Tid" in text
    assert "Anna Andersson" in text and "Sparade scenariot ”KSAU förslag A”" in text
    # without [auth] nobody is signed in: the typed name is logged, marked as typed (issue 14)
    assert "Anna Andersson (inskrivet namn)" in text.replace("\xa0", " ")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Ingen är inloggad" in sidebar and "Logga ut" not in sidebar
    kit.shot(page, journey, "08-reopened-by-link")
    kit.click(page, "Ångra senaste")
    see(page, "Ångrade senaste ändringen.")
    kit.assert_no_error(page)
    assert "Läxhjälp i Rosengård" not in scenario_amounts(page)
    assert metric(page, "Ofördelat") == kr("0 kr")
    kit.shot(page, journey, "09-undo-after-reopen")

    # Save the undone state as B; copy A; compare A and B.
    kit.fill(page, "Ditt namn (visas i ändringsloggen)", "Bo Berg")
    kit.fill(page, "Scenariots namn", "KSAU förslag B")
    kit.click(page, "Spara som nytt scenario")
    see(page, "Scenariot är sparat.")
    assert page.get_by_role("textbox", name="Scenariots namn").input_value() == ""
    id_b = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    page.get_by_text(re.compile(r"^Hantera sparade scenarier")).click()
    manage = page.locator('[data-testid="stExpander"]', has_text="Hantera sparade scenarier")
    kit.fill(page, "Nytt namn för KSAU förslag A", "Kopia av A")
    kit.shot(page, journey, "10a-copy-named")
    page.locator(f".st-key-scn_manage_duplicate_{scenario_id} button").click()
    kit.wait_idle(page)
    kit.assert_no_error(page)
    see(page, "Kopian är sparad och öppnad.")
    assert manage.get_by_text("Kopian är sparad och öppnad.").count() == 1
    assert "Kopia av A" in page.locator("h2").first.inner_text()
    id_copy = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    log_box = page.locator('[data-testid="stExpander"]', has_text="Ändringslogg")
    if log_box.locator("details").get_attribute("open") is None:  # still open from step 8 in some runs
        page.get_by_text("Ändringslogg (svensk tid)").click()
        kit.wait_idle(page)
    copy_log = log_box.inner_text()
    assert "Sparade scenariot ”Kopia av A” som kopia av ”KSAU förslag A”" in copy_log  # where it came from
    kit.shot(page, journey, "10-duplicated")

    page.get_by_text("Jämför två sparade scenarier").click()
    pick(page, "Scenario A", "KSAU förslag A")
    pick(page, "Scenario B", "KSAU förslag B")
    compare = page.locator('[data-testid="stExpander"]', has_text="Jämför två sparade scenarier")
    expect(compare).to_contain_text(kr("−250 000 kr"))
    text = compare.inner_text()
    assert re.search(
        "Utbildning\\s+[\\d\u00a0]+\\s*kr\\s+[\\d\u00a0]+\\s*kr\\s+−250\u00a0000\u00a0kr", text
    ), text
    # a filled-in scenario beside a comparison, the change log and the saved scenarios all open, for axe
    for panel in ("Jämför två sparade scenarier", "Ändringslogg (svensk tid)", "Hantera sparade scenarier"):
        kit.open_panel(page, panel)
    kit.axe_check(page, "scenarier-ifyllt-jamforelse")
    kit.shot(page, journey, "11-compared")

    # Rename B: the comparison keeps B chosen under its new name (a label change does not unselect it).
    kit.fill(page, "Nytt namn för KSAU förslag B", "KSAU förslag B2")
    page.locator(f".st-key-scn_manage_rename_{id_b} button").click()
    see(page, "Namnet är ändrat.")
    box_b = compare.get_by_role("combobox", name="Scenario B", exact=True)
    expect(box_b).to_have_value("KSAU förslag B2")
    expect(compare).to_contain_text(kr("−250 000 kr"))
    kit.wait_idle(
        page
    )  # the rename's rerun has finished drawing: no stale copy of the panel's buttons is left
    kit.shot(page, journey, "11a-renamed-still-compared")

    # Delete the copy, then restore it from the wastebasket.
    page.locator(f".st-key-scn_manage_delete_{id_copy} button").click()
    kit.wait_idle(page)
    deleted = "Scenariot ligger i papperskorgen. Det kan återställas under Papperskorgen här nedan."
    see(page, deleted)
    assert manage.get_by_text(deleted).count() == 1
    assert re.search(r"Kopia av A · borttaget [\d-]+ [\d:]+ · sparat av Bo Berg", manage.inner_text())
    kit.shot(page, journey, "12-deleted")
    page.locator(f".st-key-scn_restore_{id_copy} button").click()
    kit.wait_idle(page)
    kit.assert_no_error(page)
    see(page, "Scenariot är återställt.")
    assert manage.get_by_text("Scenariot är återställt.").count() == 1
    assert "borttaget" not in manage.inner_text()
    kit.shot(page, journey, "13-restored")


def test_sodertalje_baseline_over_its_grant_and_a_larger_grant_funds_a_proposal(scenarier):
    journey = "official-sodertalje"
    page = scenarier
    start(page, SODERTALJE)
    text = kit.main_text(page)
    assert (
        f"Ur källdokumentet: Överfördelat med {kr('61 000 kr')} (raderna summerar till {kr('10 900 000 kr')}, "
        f"ramen är {kr('10 839 000 kr')}). Se Datakvalitet."
    ) in text
    assert metric(page, "Överfördelat") == kr("61 000 kr")
    # The 13 other proposals are unfunded, not of unknown amount: the overallocation is a figure, not a bound.
    assert (
        f"Överfördelat med {kr('61 000 kr')} (raderna summerar till {kr('10 900 000 kr')}, "
        f"ramen är {kr('10 839 000 kr')}).\n" in text + "\n"
    ) and "Överfördelat med minst" not in text
    assert "utan belopp räknas inte" not in text
    assert lines_table(page)["Digidelcenter"]["Utgångsläge"] == "Ofinansierat"
    kit.shot(page, journey, "01-baseline-over-its-grant")

    tab(page, "Ändra ramen")
    kit.fill(page, "Ny ram", "11 839 000")
    kit.click(page, "Ändra ramen")
    see(page, "Ändrade ramen från " + kr("10 839 000 kr till 11 839 000 kr"))
    kit.assert_no_error(page)
    assert metric(page, "Ofördelat") == kr("939 000 kr")
    set_line(page, "Digidelcenter", "500 000")
    see(page, "Satte ”Digidelcenter” till " + kr("500 000 kr"))
    assert metric(page, "Ofördelat") == kr("439 000 kr")
    assert f"{kr('439 000 kr')} av ramen på {kr('11 839 000 kr')} är ofördelat." in kit.main_text(page)
    assert "högst" not in kit.main_text(page)
    assert scenario_amounts(page)["Digidelcenter"] == 500_000
    assert lines_table(page)["Digidelcenter"]["Ändring"] == "+" + kr("500 000 kr")
    changes = page.locator('[data-testid="stMain"] table').filter(has_text="Före").inner_text()
    assert "Ram" in changes and kr("11 839 000 kr") in changes and "Digidelcenter" in changes
    kit.shot(page, journey, "02-larger-grant-funds-a-proposal")


def test_linkoping_budget_lines_without_amounts_give_bounds_not_figures(scenarier):
    """Linköping's document gives the frame and the allowed share per budget line, but no amounts: what is
    left is at most the frame, and no interval rule can be judged yet."""
    journey = "official-linkoping-unknown"
    page = scenarier
    start(page, LINKOPING)
    text = kit.main_text(page)
    unknown = len(lines_table(page))
    assert unknown >= 2
    # the headline rule (README, "Nyckeltal"): no amount known is an unknown allocation, never "0 fördelat"
    assert f"Fördelningen av ramen på {kr('13 808 000 kr')} är okänd ({unknown} rader saknar belopp)." in text
    assert metric(page, "Ofördelat, högst") == kr("13 808 000 kr")
    assert "Hela ramen är fördelad" not in text
    kit.shot(page, journey, "01-bounds")

    rows = list(lines_table(page))
    set_line(page, rows[0], "5 000 000")
    see(
        page,
        f"Minst {kr('5 000 000 kr')} fördelat, högst {kr('8 808 000 kr')} kvar ({unknown - 1} rader saknar belopp).",
    )
    assert lines_table(page)[rows[1]]["Scenario"] == "saknas"  # nothing turned an unknown into 0
    # the frame's interval rules judged (a summary, the rules' table, the bands chart): Malmö's frame has none
    rules = page.locator('[data-testid="stMain"] table').filter(has_text="Vad det betyder")
    expect(rules).to_contain_text("Skola / Fritid Barn & unga")
    kit.wait_charts(page, 2)  # the interval bands beside the difference chart
    kit.axe_check(page, "scenarier-regler-provade")
    kit.shot(page, journey, "02-one-line-known")


def test_the_link_keeps_the_sidebar_filters_so_it_opens_on_the_same_kommun(live_server, scenarier):
    """Issue 23: the copied link dropped the Kommun filter, so the page it opened showed "Alla". The link is
    whole (scheme, host, port, page, ?scenario=<id>) and opens the saved scenario in a new session. Last in
    the module: it saves a scenario and leaves the page on another session."""
    page = scenarier
    kit.go_to(page, "Scenarier")
    kit.only_kommun(page, "Malmö")  # in the sidebar, as the official narrows the view
    start(page, MALMO_KS)
    scenario_id, link = kit.save_scenario(page, "Anna Andersson", "KSAU länk Malmö")
    assert link == f"{live_server}/scenarier?scenario={scenario_id}&kommun=Malm%C3%B6"

    kit.load(page, link)  # a new session: the Kommun chosen comes from the link alone
    kit.assert_no_error(page)
    see(page, "KSAU länk Malmö")
    assert page.url == link  # opening it adds nothing to the address and drops nothing
    assert chosen(page, "Kommun") == ["Malmö"]  # the sidebar's Kommun, not "Alla"
    kit.shot(page, "scenario-link", "02-opened-with-kommun")
