"""Decision slides hold decided money only, and counts name what they count (issue 22, item 5).

Södertälje's tjänsteskrivelse funds two kontor (3,7 + 7,2 mnkr a year) and lists 13 "övriga förslag" without
funding or amount: those are a list of their own ("Förslag utan finansiering (13)"), not a decision row
"Ingen nämnd angiven — belopp saknas", and the 10 900 000 kr go to 2 kontor, not to "3 nämnder"."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_undo
from insatskollen.core.filters import Filters
from insatskollen.core.fmt import NBSP
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_texts, scenario_deck
from insatskollen.store import scenario_store as store

TODAY = date(2026, 12, 6)
SOURCE = "Statsbidrag Tillväxtverket"
DECIDED = [
    ("Socialkontoret och utbildningskontoret", 3_700_000),
    ("Utbildningskontoret", 7_200_000),
    ("Totalbelopp", 10_900_000),
    ("Att disponera", 10_839_000),
]
# the 13 proposals under "3. Övriga förslag", in the document's order
UNFUNDED = [
    "Digidelcenter",
    "Ökad digital delaktighet",
    "Möta, läsa, växa",
    "Pop-up bibliotek",
    "Konceptbibliotek",
    "Riktad arbetsmarknadsinsats för långtidsarbetslösa 29+",
    "Hovsjö Forum",
    "Läsfrämjande institutet",
    "Södertälje has a dream",
    "Södertälje-orkesterstad",
    "Medborgardialog genom konst och stadsplanering för trygga gemensamma rum",
    "Hållbar avfallshantering i socioekonomiskt svaga områden",
    "Samverkan mellan SBK och AK för att främja integration",
]
AREAS = ["Utbildning"] * 5 + ["Arbetsmarknad"] + ["Demokrati och civilsamhälle"] * 5 + ["Boende"] * 2
# the frame's balance (insatskollen.core.key_figures, issue 22 item 3)
OVER = f"Överfördelat med 0,06{NBSP}mnkr (raderna summerar till 10,9{NBSP}mnkr, ramen är 10,84{NBSP}mnkr)."
UNFUNDED_MESSAGE = (
    "Södertälje: under ”3. Övriga förslag” står 13 förslag utan finansiering och utan belopp. De ingår inte i "
    "beslutstabellen."
)


def _rows(slide) -> list[tuple]:
    return [
        (name, None if amount != amount else int(amount))
        for name, amount in slide.table.itertuples(index=False)
    ]


@pytest.fixture(scope="module")
def sodertalje(db):
    return deck_module.from_filters(db, Filters(municipalities=("Södertälje",)), TODAY)


def test_sodertaljes_decision_slides_hold_the_two_kontor_only(sodertalje):
    decisions = [s for s in sodertalje.slides if s.key.startswith("beslut")]
    assert [s.title for s in decisions] == [
        f"Förslag till beslut – {SOURCE} · {y}" for y in (2018, 2019, 2020)
    ]
    for slide in decisions:
        assert _rows(slide) == DECIDED
        assert slide.message == (
            f"Södertälje: 10{NBSP}900{NBSP}000{NBSP}kr till 2 kontor ur {SOURCE}. {OVER}"
        )


def test_sodertaljes_unfunded_proposals_are_one_list_after_the_decisions(sodertalje):
    keys = [s.key for s in sodertalje.slides]
    assert keys[-2:] == [f"utan-finansiering-Södertälje-{SOURCE}", "iakttagelser"]
    assert keys[-3] == f"beslut-Södertälje-2020-{SOURCE}"
    unfunded = sodertalje.slides[-2]
    assert unfunded.title == f"Förslag utan finansiering (13) – {SOURCE} · 2018–2020"
    assert unfunded.message == UNFUNDED_MESSAGE
    assert list(unfunded.table.columns) == ["Förslag", "Område"]
    assert list(unfunded.table["Förslag"]) == UNFUNDED
    assert list(unfunded.table["Område"]) == AREAS


def test_the_committee_slide_counts_kontor(sodertalje):
    [slide] = [s for s in sodertalje.slides if s.key == "namnder"]
    assert slide.message == f"Utbildningskontoret får mest: 21,6{NBSP}mnkr; 2 kontor får medel."


def test_malmos_nämnder_are_still_counted_as_nämnder(db):
    malmo = deck_module.from_filters(db, Filters(municipalities=("Malmö",), years=(2022,)), TODAY)
    [ks] = [s for s in malmo.slides if s.key == "beslut-Malmö-2022-KS anslag till förfogande"]
    assert "till 11 nämnder (12 rader i beslutstabellen) ur KS anslag" in ks.message
    assert not [s for s in malmo.slides if s.key.startswith("utan-finansiering")]


def test_a_scenario_deck_lists_the_unfunded_apart_and_a_funded_one_in_the_decision(db):
    scenario = scenario_undo.Scenario.start(*store.baseline(db, "sod-tvv", 2018))
    deck = scenario_deck.from_scenario(db, "S", "Södertälje 2018", "Södertälje", 2018, scenario, today=TODAY)
    [decision] = [s for s in deck.slides if s.key == "beslut"]
    assert _rows(decision) == DECIDED
    assert decision.message == (
        f"10{NBSP}900{NBSP}000{NBSP}kr till 2 kontor, att disponera 10{NBSP}839{NBSP}000{NBSP}kr. {OVER}"
    )
    [unfunded] = [s for s in deck.slides if s.key == "utan-finansiering"]
    assert unfunded.title == "Förslag utan finansiering (13) – Södertälje 2018"
    assert sorted(unfunded.table["Förslag"]) == sorted(UNFUNDED)

    digidel = next(x for x in scenario.current.lines if x.label == "Digidelcenter")
    scenario.apply("Finansiera", sc.set_amount, digidel.line_id, 500_000)
    deck = scenario_deck.from_scenario(db, "S", "Södertälje 2018", "Södertälje", 2018, scenario, today=TODAY)
    [decision] = [s for s in deck.slides if s.key == "beslut"]
    assert ("Digidelcenter", 500_000) in _rows(decision)
    assert decision.message.startswith(
        f"11{NBSP}400{NBSP}000{NBSP}kr till 2 kontor och 1 rad utan angiven nämnd, att disponera"
    )
    [unfunded] = [s for s in deck.slides if s.key == "utan-finansiering"]
    assert unfunded.title == "Förslag utan finansiering (12) – Södertälje 2018"


def test_the_word_file_lists_the_unfunded_proposals_after_the_decision_tables(sodertalje):
    document = Document(io.BytesIO(deck_docx.to_docx(sodertalje)))
    texts = [p.text for p in document.paragraphs]
    heading = f"Förslag utan finansiering (13) – {SOURCE} · 2018–2020"
    assert heading in texts
    start = texts.index(heading)
    assert texts[start + 1] == UNFUNDED_MESSAGE
    assert texts[start + 2 : start + 15] == [f"{t} ({a})" for t, a in zip(UNFUNDED, AREAS, strict=True)]
    for table in document.tables:
        assert "Ingen nämnd angiven" not in [row.cells[0].text for row in table.rows]


def test_recipients_of_unrecorded_or_mixed_kinds_are_mottagare():
    # imported committees carry no kind: a file's "Nämnd" column may hold a förvaltning
    assert deck_texts.recipients([None, None]) == "2 mottagare"
    assert deck_texts.recipients(["nämnd", "kontor"]) == "2 mottagare"
    assert deck_texts.recipients(["nämnd"]) == "1 nämnd"
    assert deck_texts.recipients([], 1) == "1 rad utan angiven nämnd"
