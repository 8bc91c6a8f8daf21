"""The Scenarier page in AppTest: open a frame, edit, see the remaining amount and the rules (Linköping's
intervals on and 1 kr across their bounds), save, reload the app, reopen the saved scenario with identical
numbers."""

from __future__ import annotations

import html

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from insatskollen.core.fmt import NBSP
from tests.app_kit import open_app
from tests.conftest import ROOT, published_var

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def fresh(fresh_streamlit):
    return fresh_streamlit


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


def page(query_params: dict | None = None) -> AppTest:
    return open_app("pages/scenarier.py", query_params)


def start(at: AppTest, frame: tuple) -> AppTest:
    at.selectbox(key="scn_new_frame").set_value(frame).run()
    at = at.button(key="scn_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def set_amount(at: AppTest, line_id: str, text: str) -> AppTest:
    at.selectbox(key="scn_line").set_value(line_id)
    at.text_input(key="scn_amount").input(text)
    return at.button(key="scn_do_set").click().run()


def lines(at: AppTest):
    """The lines table ("Raderna") as shown: Rad, Nämnd, Område, Utgångsläge, Scenario, Ändring, Låst."""
    return next(t.value for t in at.table if "Utgångsläge" in t.value.columns)


def boxes(at: AppTest) -> list[str]:
    return [b.value for kind in (at.error, at.warning, at.info, at.success) for b in kind]


def errors(at: AppTest) -> list[str]:
    """The error texts as the person reads them (character references decoded)."""
    return [html.unescape(e.value) for e in at.error]


def test_edit_save_reload_reopen_identical():
    at = start(page(), ("mal-ks", 2022))
    assert metrics(at) == {
        "Ram": kr("15 000 000 kr"),
        "Fördelat": kr("15 000 000 kr"),
        "Ofördelat": kr("0 kr"),
    }
    at = set_amount(at, "a-mal-01", "1,5 mnkr")
    assert metrics(at)["Överfördelat"] == kr("500 000 kr")
    assert (
        f"Överfördelat med {kr('500 000 kr')} (raderna summerar till {kr('15 500 000 kr')}, "
        f"ramen är {kr('15 000 000 kr')})."
    ) in errors(at)
    at.radio(key="scn_move_by").set_value("Område").run()
    at.selectbox(key="scn_move_from").set_value("Utbildning")
    at.selectbox(key="scn_move_to").set_value("Boende")
    at.text_input(key="scn_move_amount").input("500 tkr")
    at = at.button(key="scn_do_move").click().run()
    assert metrics(at)["Överfördelat"] == kr("500 000 kr")  # a move conserves the total
    at = set_amount(at, "a-mal-02", "0")
    assert metrics(at)["Överfördelat"] == kr("200 000 kr")
    at.text_input(key="scn_author").input("Anna Andersson")
    at.text_input(key="scn_name").input("Förslag <b>KSAU</b>")
    at = at.button(key="scn_save_new").click().run()
    assert not at.exception
    scenario_id = at.query_params["scenario"]
    # the link, whole and copyable (issue 23, item 6); AppTest has no browser address, so the page's path
    assert [c.value for c in at.code] == [f"/scenarier?scenario={scenario_id}"]
    before = (metrics(at), lines(at).copy())

    st.cache_data.clear()
    st.cache_resource.clear()
    again = page({"scenario": scenario_id})
    assert (metrics(again),) == (before[0],)
    assert lines(again).equals(before[1])
    assert lines(again).loc[lines(again).Rad == "Thaiwise", "Scenario"].item() == kr("1 500 000 kr")
    heading = [m.value for m in again.markdown if "KSAU" in m.value][0]
    assert "&#60;b&#62;KSAU&#60;/b&#62;" in heading  # the name is shown as text, not HTML


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tusen",
            'Kan inte tolka "tusen" som ett belopp. Skriv t.ex. 1 500 000, 1 500 000 kr eller 1,5 mnkr.',
        ),
        ("-100", 'Beloppet får inte vara negativt ("-100").'),
        ("999 999 999 999", 'Beloppet "999 999 999 999" är orimligt stort (högst 100 miljarder kronor).'),
    ],
)
def test_bad_amounts_give_a_message_and_change_nothing(text, message):
    at = start(page(), ("mal-ks", 2022))
    at = set_amount(at, "a-mal-01", text)
    assert message in errors(at), errors(at)
    assert metrics(at)["Ofördelat"] == kr("0 kr")


SKOLA = "Skola / Fritid Barn & unga"


def rule_said(at: AppTest, rule: str) -> str:
    """The rules table's "Vad det betyder" for one rule, as the person reads it (character references decoded,
    non-breaking spaces as spaces)."""
    table = next(t.value for t in at.table if "Regel" in t.value.columns)
    [said] = [
        html.unescape(m).replace(NBSP, " ")
        for r, m in zip(table.Regel, table["Vad det betyder"], strict=True)
        if html.unescape(r) == rule
    ]
    return said


def test_linkoping_works_at_area_level_with_interval_rules():
    at = start(page(), ("lkp-tvv", 2018))
    assert len(lines(at)) == 6  # the six budget lines
    at = set_amount(at, "budget-1", "1 mnkr")  # Bostad / Samhällsservice: 7,2 % of 13 808 000
    assert (
        "1 av 6 intervall uppfylls inte: Bostad / Samhällsservice. 5 intervall kan inte prövas ännu."
        in errors(at)
    )
    rules = next(t.value for t in at.table if "Regel" in t.value.columns)
    assert rules.Status.iloc[0] == "under intervallet"
    assert "Under intervallet" in rules["Vad det betyder"].iloc[0]
    at = set_amount(at, "budget-1", "1 380 800")  # exactly 10 %
    rules = next(t.value for t in at.table if "Regel" in t.value.columns)
    assert rules.Status.iloc[0] == "uppfylls"
    assert rules["Vad det betyder"].iloc[0].startswith(f"10{NBSP}% av ramen")
    # Skola / Fritid Barn & unga, 20–50 % of 13 808 000 kr: on each bound and 1 kr across it
    assert rule_said(at, SKOLA) == "kan inte prövas ännu (tillåtet 20–50 %); ange belopp."
    for amount, said in [
        ("6 904 000", "50 % av ramen (6 904 000 kr), tillåtet 20–50 %. Inom intervallet."),
        (
            "6 904 001",
            "strax över 50 % av ramen (6 904 001 kr), tillåtet 20–50 %. Över intervallet med 1 kr.",
        ),
        ("2 761 600", "20 % av ramen (2 761 600 kr), tillåtet 20–50 %. Inom intervallet."),
        (
            "2 761 599",
            "strax under 20 % av ramen (2 761 599 kr), tillåtet 20–50 %. Under intervallet: 1 kr till behövs.",
        ),
    ]:
        at = set_amount(at, "budget-2", amount)  # the Skola budget line
        assert rule_said(at, SKOLA) == said, amount


def test_linkoping_rules_are_one_summary_and_a_table_not_a_box_each():
    at = start(page(), ("lkp-tvv", 2018))
    assert len(boxes(at)) <= 2, boxes(at)  # what is left to allocate, and one line for the rules
    assert "Intervallen kan inte prövas ännu: ange belopp per budgetrad (6 intervall)." in [
        i.value for i in at.info
    ]


def test_a_new_scenario_starts_with_an_empty_form():
    at = start(page(), ("mal-ks", 2022))
    at.text_input(key="scn_amount").input("123 000")
    at.text_input(key="scn_name").input("Förra scenariot")
    at.text_area(key="scn_comment").input("Gammal kommentar")
    at.text_input(key="scn_move_amount").input("1 mnkr")
    at = at.run()
    at = start(at, ("sod-tvv", 2018))
    assert at.text_input(key="scn_amount").value == ""
    assert at.text_input(key="scn_name").value == ""
    assert at.text_area(key="scn_comment").value == ""
    assert at.text_input(key="scn_move_amount").value == ""


def test_after_saving_the_rad_box_still_holds_the_line_being_edited_and_its_note_is_that_lines():
    """Seen in the Gävle journey: after "Spara som nytt scenario" the browser still showed the edited line
    in the Rad box while the page had dropped the choice and used the first line (its note read that
    line's amount, and "Sätt belopp" would have changed it)."""
    at = start(page(), ("mal-ks", 2022))
    at = set_amount(at, "a-mal-05", "400 000")
    at.text_input(key="scn_author").input("Anna")
    at.text_input(key="scn_name").input("Plan")
    at = at.button(key="scn_save_new").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="scn_line").value == "a-mal-05"
    assert f"Nu: {kr('400 000 kr')} · utgångsläge {kr('320 000 kr')}" in [c.value for c in at.caption]


def test_a_document_over_its_own_grant_is_said_plainly():
    at = start(page(), ("sod-tvv", 2018))
    assert (
        f"Ur källdokumentet: Överfördelat med {kr('61 000 kr')} (raderna summerar till {kr('10 900 000 kr')}, "
        f"ramen är {kr('10 839 000 kr')}). Se Datakvalitet."
    ) in [c.value for c in at.caption]


def test_cofinancing_is_shown_for_sodertalje():
    at = start(page(), ("sod-tvv", 2019))
    rules = next(t.value for t in at.table if "Regel" in t.value.columns)
    assert kr("1 083 900 kr") + " i egna medel" in rules["Vad det betyder"].iloc[0]
    assert metrics(at)["Överfördelat"] == kr("61 000 kr")


def test_save_without_name_is_refused_and_nothing_saved():
    at = start(page(), ("mal-ks", 2022))
    at.text_input(key="scn_author").input("Anna")
    at = at.button(key="scn_save_new").click().run()
    assert "Namnet saknas. Skriv namnet och försök igen." in errors(at)
    assert "scenario" not in at.query_params


def test_undo_and_reset_buttons():
    at = start(page(), ("mal-ks", 2022))
    at = set_amount(at, "a-mal-01", "0")
    # below the 15 000 000 kr the document states as allocated: not ofördelat (README, "Nyckeltal")
    assert metrics(at)["Fördelat"] == kr("14 000 000 kr") and metrics(at)["Ofördelat"] == kr("0 kr")
    at = at.button(key="scn_undo").click().run()
    assert metrics(at)["Fördelat"] == kr("15 000 000 kr")
    at = set_amount(at, "a-mal-01", "0")
    at = at.button(key="scn_reset").click().run()
    assert metrics(at)["Fördelat"] == kr("15 000 000 kr") and metrics(at)["Ofördelat"] == kr("0 kr")


def test_emptying_the_wastebasket_without_the_ticked_confirmation_is_refused_and_deletes_nothing():
    """The button is disabled until the box is ticked; a click that arrives anyway (replayed) is refused."""
    at = start(page(), ("mal-ks", 2022))
    at.text_input(key="scn_author").input("Anna")
    at.text_input(key="scn_name").input("Snart i papperskorgen")
    at = at.button(key="scn_save_new").click().run()
    scenario_id = (
        at.query_params["scenario"][0]
        if isinstance(at.query_params["scenario"], list)
        else at.query_params["scenario"]
    )
    at = at.button(key=f"scn_manage_delete_{scenario_id}").click().run()
    assert at.button(key="scn_empty_trash").disabled
    at = at.checkbox(key="scn_empty_confirm").check().run()
    at.session_state["scn_empty_confirm"] = False  # a click that arrives without the tick (replayed, stale)
    at = at.button(key="scn_empty_trash").click().run()
    assert "Kryssa först i rutan som bekräftar att scenarierna i papperskorgen raderas för gott." in errors(
        at
    )
    assert at.button(key=f"scn_restore_{scenario_id}")  # still in the wastebasket
    at.checkbox(key="scn_empty_confirm").check().run()
    at = at.button(key="scn_empty_trash").click().run()
    assert any("Papperskorgen är tömd: 1 scenario raderade för gott." in html.unescape(b) for b in boxes(at))


# ------------------------------------------------------------------ issue 21: caps on lines and undo steps

LINE_CAP = (
    "Ett scenario kan ha högst 200 rader, och det här har redan 200. Ändra beloppet på en befintlig rad i "
    "stället, eller ångra en insats du har lagt till."
)
UNDO_FULL = (
    "Ångra minns de 100 senaste ändringarna, så den äldsta kan inte längre ångras. Spara scenariot för att "
    "kunna komma tillbaka till läget nu; Återställ går alltid tillbaka till utgångsläget."
)


def save_at_the_caps(var) -> str:
    """Malmö 2022 KS with 181 measures added (1 000 kr each): 200 lines, the newest 100 undo steps kept,
    saved through the store as 'Fullt scenario'. Returns its id. Shared with the browser journey."""
    from insatskollen.core import scenario as sc
    from insatskollen.core.scenario_undo import Scenario
    from insatskollen.store import scenario_store as store
    from insatskollen.store.db import Database

    db = Database.open(published_var(var))
    try:
        db.ensure_built()
        s = Scenario.start(*store.baseline(db, "mal-ks", 2022))
        for n in range(1, 182):
            s.apply(f"Lade till ”Tillägg {n}”", sc.add_line, f"Tillägg {n}", None, "Boende", 1_000)
        assert len(s.current.lines) == 200 and len(s.history) == 100
        return store.save_new(db, s, name="Fullt scenario", author="Anna", frame_id="mal-ks", year=2022)
    finally:
        db.close()


def test_at_the_line_cap_adding_says_what_the_cap_is_and_what_to_do_and_changes_nothing(fresh):
    scenario_id = save_at_the_caps(fresh)
    at = page({"scenario": scenario_id})
    assert metrics(at)["Överfördelat"] == kr("181 000 kr") and len(lines(at)) == 200
    at.text_input(key="scn_add_title").input("Läxhjälp")
    at.text_input(key="scn_add_amount").input("50 000")
    at = at.button(key="scn_do_add").click().run()
    assert len(errors(at)) == 2 and errors(at)[1] == LINE_CAP, errors(at)
    assert errors(at)[0].startswith(f"Överfördelat med {kr('181 000 kr')} (raderna summerar till"), errors(at)
    assert metrics(at)["Överfördelat"] == kr("181 000 kr") and len(lines(at)) == 200
    # the 101st undo step pushes out the oldest: said by the edit, with what to do
    at = set_amount(at, "a-mal-01", "0")
    assert [html.unescape(w.value) for w in at.warning] == [
        f"Satte ”Thaiwise” till {kr('0 kr')}. {UNDO_FULL}"
    ]
    assert metrics(at)["Fördelat"] == kr("14 181 000 kr") and metrics(at)["Ofördelat"] == kr("0 kr")
    at = at.button(key="scn_undo").click().run()
    assert metrics(at)["Överfördelat"] == kr("181 000 kr")
    assert [html.unescape(s.value) for s in at.success] == ["Ångrade senaste ändringen."]


def test_undoing_down_to_the_oldest_kept_step_says_that_older_ones_are_gone(fresh):
    from insatskollen.core import scenario as sc
    from insatskollen.core.scenario_undo import Scenario
    from insatskollen.store import scenario_store as store
    from insatskollen.store.db import Database

    db = Database.open(published_var(fresh))
    db.ensure_built()
    s = Scenario.start(*store.baseline(db, "mal-ks", 2022))
    s.max_undo = 2  # as after 100 steps, with two kept: the bottom is reached in two clicks
    for amount in (100_000, 200_000, 300_000, 400_000):
        s.apply("Satte Thaiwise", sc.set_amount, "a-mal-01", amount)
    scenario_id = store.save_new(db, s, name="Kort minne", author="Anna", frame_id="mal-ks", year=2022)
    db.close()
    at = page({"scenario": scenario_id})
    at = at.button(key="scn_undo").click().run()
    assert [html.unescape(s.value) for s in at.success] == ["Ångrade senaste ändringen."]
    at = at.button(key="scn_undo").click().run()
    assert [html.unescape(s.value) for s in at.success] == [
        "Ångrade senaste ändringen. Äldre ändringar än de 100 senaste kan inte ångras. Återställ går "
        "tillbaka till utgångsläget."
    ]
    assert at.button(key="scn_undo").disabled
    assert lines(at).loc[lines(at).Rad == "Thaiwise", "Scenario"].item() == kr("200 000 kr")


def page_texts(at: AppTest) -> list[str]:
    """Every sentence the page shows in text, boxes, captions and figures."""
    shown = [
        x.value for kind in (at.markdown, at.caption, at.info, at.success, at.warning, at.error) for x in kind
    ]
    return [html.unescape(str(x)) for x in shown] + [f"{m.label} {m.value}" for m in at.metric]


def test_malmo_socialstyrelsen_scenario_says_the_contradiction_once_and_ofordelat_0():
    # decision point 3 grants (and states as allocated) 19 700 000 kr; the table's rows sum to 18 600 000 kr
    at = start(page(), ("mal-sos", 2022))
    assert metrics(at) == {
        "Ram": kr("19 700 000 kr"),
        "Fördelat": kr("18 600 000 kr"),
        "Ofördelat": kr("0 kr"),
    }
    said = f"Dokumentet anger {kr('19 700 000 kr')}; raderna summerar till {kr('18 600 000 kr')}. Se Datakvalitet."
    assert [x.value for x in at.info] == [said]
    assert sum(text.count("Dokumentet anger") for text in page_texts(at)) == 1
    at = set_amount(at, "a-sos-asn", "2 200 000")  # lowers the total to 18 100 000: a wider contradiction
    assert metrics(at)["Ofördelat"] == kr("0 kr")
    assert (
        f"Dokumentet anger {kr('19 700 000 kr')}; scenariots rader summerar till {kr('18 100 000 kr')}. "
        "Se Datakvalitet."
    ) in [x.value for x in at.info]
    at = set_amount(
        at, "a-sos-fun", "4 000 000"
    )  # 500 000 kr moved between two lines: the total is unchanged
    assert metrics(at) == {
        "Ram": kr("19 700 000 kr"),
        "Fördelat": kr("18 600 000 kr"),
        "Ofördelat": kr("0 kr"),
    }
    texts = page_texts(at)
    assert sum(text.count("Dokumentet anger") for text in texts) == 1
    assert not any("ofördelat" in text for text in texts if "av ramen på" in text)
    assert (
        f"Dokumentet anger {kr('19 700 000 kr')}; scenariots rader summerar till {kr('18 600 000 kr')}. "
        "Se Datakvalitet."
    ) in [x.value for x in at.info]


def filtered_page(query_params: dict) -> AppTest:
    """Scenarier opened from a link with the sidebar's filters (?kommun=Malmö&ar=2022)."""
    return open_app("pages/scenarier.py", query_params)


def test_the_frame_to_start_from_defaults_to_the_filtered_kommun_and_year():
    at = filtered_page({"kommun": "Malmö", "ar": "2022"})
    assert at.multiselect(key="filter_municipalities").value == ["Malmö"]
    assert at.selectbox(key="scn_new_frame").value == ("mal-ks", 2022)
    at = filtered_page({"kommun": "Södertälje"})
    assert at.selectbox(key="scn_new_frame").value[0] == "sod-tvv"
    at = page()  # no filter: the first frame of the list, as before
    assert at.selectbox(key="scn_new_frame").value == ("lkp-tvv", 2018)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        # the browser's address as st.context.url gives it: the proxy's prefix and the page are kept
        (
            "https://kommun.se/insatskollen/scenarier",
            "",
            "https://kommun.se/insatskollen/scenarier?scenario=ab12",
        ),
        ("http://127.0.0.1:8501/scenarier/", "", "http://127.0.0.1:8501/scenarier?scenario=ab12"),
        ("https://kommun.se/insatskollen", "", "https://kommun.se/insatskollen/scenarier?scenario=ab12"),
        # no address from the browser: the page under the server's baseUrlPath
        (None, "", "/scenarier?scenario=ab12"),
        (None, "/insatskollen/", "/insatskollen/scenarier?scenario=ab12"),
    ],
)
def test_the_scenario_link_is_the_pages_full_address(url, base, expected):
    from insatskollen.ui.scenario_view import scenario_link

    assert scenario_link(url, "ab12", base) == expected
