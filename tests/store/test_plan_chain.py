"""The plan chain (issue 26): the bundled lägesbild, goals and links against the documents, the view
`plan_chain` and its flags. Expected texts are typed here from the documents, not read from data/."""

from __future__ import annotations

import re

import pytest

from insatskollen.core import plan_chain
from tests.conftest import ROOT, seed_text


def _chain(db, municipality):
    return plan_chain.areas(db.query("plan_chains", municipalities=[municipality]))


@pytest.mark.parametrize("table", ["plan_problems", "plan_goals", "plan_goal_measures"])
def test_every_quote_is_written_in_its_document(db, table):
    rows = db.con.execute(
        f"select quote, source_document from main.{table} where quote is not null"
    ).fetchall()
    assert rows
    for quote, document in rows:
        assert quote in seed_text(document), (table, quote)


def test_every_bundled_link_is_labelled_tolkning_with_a_reason(db):
    rows = db.con.execute("select basis, basis_note from main.plan_goal_measures").fetchall()
    assert len(rows) == 21  # Linköping's 13 activities, Motala's 4 of 5 measures, Södertälje's 4
    assert {basis for basis, _ in rows} == {"tolkning"}
    assert all(note and len(note) > 40 for _, note in rows)


def test_linkoping_chain_shows_its_document_indicators_per_area(db):
    chain = _chain(db, "Linköping")
    assert [a.area for a in chain] == [
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
    ]
    goals = {a.area: a.goals[0] for a in chain}
    assert goals["Utbildning"].goal == "Goda villkor för ett jämlikt, meningsfullt och hälsosamt liv"
    assert goals["Utbildning"].indicator == (
        "Meritvärde i åk 9, kommunala skolor; Alla elever i gymnasieskolan ska nå gymnasieexamen"
    )
    assert goals["Brottslighet"].indicator == (
        "Vardagsbrott/synliga brott i hela kommunen (polisanmälda brott RAR); "
        "Anmälda våldsbrott, antal per 1 000 invånare"
    )
    assert goals["Demokrati och civilsamhälle"].indicator == "Delaktighetsindex, andel (%) av maxpoäng"
    assert [m.measure_id for m in goals["Boende"].measures] == ["lkp-05", "lkp-01", "lkp-06"]
    # the lägesbild: the document's two challenges, both under Etablering och arbetsmarknad
    area = next(a for a in chain if a.area == "Arbetsmarknad")
    assert area.problem.startswith("Andelen hushåll med ekonomiskt bistånd 10–12 månader under året")
    assert "Etableringstiden" in area.problem
    # the activities have no amounts in the draft: unknown, never 0, and the flag says so
    money = [m for a in chain for g in a.goals for m in g.measures]
    assert len(money) == 13 and all(m.granted_sek is None and m.spent_sek is None for m in money)
    assert money[0].money_text == "Beviljat: okänt (2018); använt: okänt"
    assert [f.kind for a in chain for f in a.flags] == [plan_chain.GOAL_WITHOUT_MONEY] * 5
    assert plan_chain.flag_summary(chain) == "5 brister i kedjan: 5 × mål utan känt beviljat belopp."


def test_linkoping_indicators_name_their_kolada_key_figures(db):
    rows = db.query("plan_indicators", municipality="Linköping")
    mapped = dict(zip(rows.indicator, rows.kpi_id, strict=True))
    assert mapped["Meritvärde i åk 9, kommunala skolor"] == "N15505"
    assert mapped["Anmälda våldsbrott, antal per 1 000 invånare"] == "N07403"
    assert len(rows) == 9 and rows.kpi_id.isna().sum() == 7


def test_sodertalje_money_without_an_indicator_is_the_familjecentral(db):
    chain = _chain(db, "Södertälje")
    flags = [f.text for a in chain for f in a.flags]
    assert flags == [
        "Pengar utan indikator: ”Familjecentral” har 11\u00a0100\u00a0000\u00a0kr beviljat men ingen "
        "indikator att följa."
    ]
    utbildning = next(a for a in chain if a.area == "Utbildning")
    prao = next(m for g in utbildning.goals for m in g.measures if m.measure_id == "sod-04")
    assert prao.granted_sek == 3 * 1_500_000  # 1,5 mkr per year 2018–2020 (tolkning, allocations.csv)
    assert prao.indicator == "Antal praoplatser, elevenkät, antal avhopp och byten av gymnasieprogram"
    # the money per year 2018–2020 is our reading of an undated preliminary budget, and says so
    assert prao.granted_readings[0].startswith(
        "Tolkning (beviljat): Den preliminära budgeten anger beloppen utan år."
    )
    assert utbildning.goals[0].indicator is None  # the goal's own: the measures' follow-up is theirs
    assert prao.link_reading.startswith(
        "Tolkning (kopplingen till målet): Dokumentet knyter satsningen som helhet till delmål 1 och 2"
    )


def test_motala_goal_without_measure_and_measure_without_goal(db):
    chain = _chain(db, "Motala")
    flags = {f.kind: f.text for a in chain for f in a.flags if f.kind != plan_chain.GOAL_WITHOUT_MONEY}
    assert flags == {
        plan_chain.GOAL_WITHOUT_MEASURE: "Mål utan insats: ingen insats svarar mot ”Ökad trygghet och minskad "
        "brottslighet i områden med socioekonomiska utmaningar”.",
        plan_chain.MEASURE_WITHOUT_GOAL: "Insats utan mål: ”Samordnare/processledare på "
        "kommunledningsförvaltningen” svarar inte mot något mål i planen.",
    }
    assert chain[-1].area == plan_chain.NO_AREA
    problems = db.query("plan_problems", municipality="Motala")
    row = problems[problems.problem_id == "mot-prob-03"].iloc[0]
    assert (row.stat_value, row.stat_unit, row.stat_region) == (48, "%", "Motala")


def test_the_view_documents_every_column(db):
    text = re.sub(r"\s+", " ", (ROOT / "docs" / "data.md").read_text(encoding="utf-8"))
    columns = db.con.execute("select * from main.plan_chain limit 0").description
    for name, *_ in columns:
        assert f"`{name}`" in text, name


def test_no_causal_claim_is_one_line():
    assert "\n" not in plan_chain.NO_CAUSAL_CLAIM
    assert "inte att en insats har orsakat" in plan_chain.NO_CAUSAL_CLAIM


def test_one_municipality_s_chain_is_the_view_s_rows_for_it(db):
    """The named query narrows the chain before summing the money (plan_chain_rows, issue 25); its rows
    are the documented view's rows for that municipality, for every municipality with a plan."""
    view = db.con.execute("select * from main.plan_chain").df()
    with_plan = sorted(set(view.municipality))
    assert with_plan == ["Linköping", "Motala", "Södertälje"]
    # the deck asks plan_municipalities first and the chain only for those: the two must name the same ones
    assert list(db.query("plan_municipalities").municipality) == with_plan
    key = ["priority_area", "goal_id", "measure_id"]
    for municipality in with_plan:
        narrowed = db.query("plan_chains", municipalities=[municipality])
        expected = view[view.municipality == municipality]
        assert len(narrowed) == len(expected) > 0, municipality
        left = narrowed.sort_values(key, na_position="last").reset_index(drop=True).astype(str)
        right = expected.sort_values(key, na_position="last").reset_index(drop=True).astype(str)
        assert left[list(view.columns)].equals(right[list(view.columns)]), municipality
    assert db.query("plan_chains", municipalities=["Gävle"]).empty
    # a deck's plan slides ask for their municipalities' chains in one query: each one's rows, in the order it
    # gets asked alone (as Uppföljning and the plan page ask)
    together = db.query("plan_chains", municipalities=[*with_plan, "Gävle", "Ingen sådan"])
    assert sorted(set(together.municipality)) == with_plan
    for municipality in with_plan:
        one = together[together.municipality == municipality].reset_index(drop=True).astype(str)
        assert one.equals(db.query("plan_chains", municipalities=[municipality]).astype(str)), municipality
