"""A plan file (issue 26): recognised by its headers through the import, every problem at once naming row
and column, previewed, written, replaced by a newer plan and undone. Gävle's own measures are imported
first, as a municipality does before its plan can name them."""

from __future__ import annotations

from datetime import date

import pytest

from insatskollen.core import plan_chain
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, plan_file, previewer
from insatskollen.store.db import Database
from tests.conftest import published_var

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
    "Gävle;Brottslighet;Otrygghet i Sätra efter mörkrets inbrott;N07403 Anmälda våldsbrott;"
    "Ökad trygghet i Sätra;Trygghetsvandringar i Sätra\n"
    "Gävle;Boende;Trångboddhet i Nordost;;Minskad trångboddhet;Kartläggning av Nordost\n"
    "Gävle;Demokrati och civilsamhälle;;;Högre valdeltagande i Andersberg;\n"
)
BAD = (
    "Kommun;Område;Problem;Indikator;Mål;Insats-id\n"
    "Gävle;Trygghet;Otrygghet;;Ökad trygghet;Trygghetsvandringar i Sätra\n"
    "Gävle;Boende;;;;\n"
    "Gävle;Boende;;;Minskad trångboddhet;Kartläggning av Nordöst\n"
    "Norrköping;Boende;;;Mål;\n"
    "Gävle;Boende;;;Minskad trångboddhet;Kartläggning av Nordost\n"
    "Gävle;Boende;;;Minskad trångboddhet;Kartläggning av Nordost\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = Database.open(published_var(tmp_path_factory.mktemp("plan") / "var"))
    database.ensure_built()
    committer.commit(
        database, previewer.preview(database, "gavle.csv", MEASURES.encode()), author="Test Testsson"
    )
    yield database
    database.close()


def test_a_bad_plan_file_names_every_problem_and_writes_nothing(db):
    before = db.work.generation()
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "plan.csv", BAD.encode())
    assert [str(p) for p in raised.value.problems] == [
        'plan.csv, rad 2, kolumn Område: värdet "Trygghet" – förväntat ett av de nationella områdena (Boende, '
        "Utbildning, Arbetsmarknad, Demokrati och civilsamhälle, Brottslighet) eller kommunens eget namn på ett. "
        "Menade du 'Brottslighet'?",
        "plan.csv, rad 3, kolumn Mål: värdet saknas – förväntat ett mål, eller ett problem i kolumnen Problem",
        'plan.csv, rad 4, kolumn Insats-id: värdet "Kartläggning av Nordöst" – förväntat en av kommunens insatser '
        "i datan (Gävle), med Insats-id eller insatsens namn. Menade du 'Kartläggning av Nordost'?",
        'plan.csv, rad 5, kolumn Kommun: värdet "Norrköping" – förväntat en kommun som finns i datan: importera '
        "kommunens insatser och budgetar först, så att målen har insatser att knytas till",
        'plan.csv, rad 7, kolumn Insats-id: värdet "Kartläggning av Nordost" – förväntat en rad per mål och '
        "insats; ”Kartläggning av Nordost” är knuten till målet på rad 6",
    ]
    assert db.work.generation() == before


def test_a_plan_header_with_a_wrong_name_says_what_the_template_has(db):
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "plan.csv", b"Kommun;Omrade;Mal;Insats-id\nG\xc3\xa4vle;Boende;M;\n")
    assert [str(p) for p in raised.value.problems] == [
        'plan.csv, rad 1, kolumn B: värdet "Omrade" – förväntat en rubrik i planmallen: Kommun, Område, Problem, '
        "Indikator, Mål, Insats-id. Menade du 'Område'?",
        'plan.csv, rad 1, kolumn C: värdet "Mal" – förväntat en rubrik i planmallen: Kommun, Område, Problem, '
        "Indikator, Mål, Insats-id. Menade du 'Mål'?",
        "plan.csv, rad 1: kolumnen ”Område” saknas",
        "plan.csv, rad 1: kolumnen ”Mål” saknas (den får vara tom på en rad som bara beskriver ett problem)",
    ]


def test_a_plan_file_is_previewed_written_replaced_and_undone(db):
    preview = previewer.preview(db, "plan.csv", PLAN.encode())
    assert preview.kind == "plan"
    assert plan_file.summary(preview) == (
        "3 rader (plan): 2 problem, 3 mål, 2 insatser knutna till mål, 1 indikator."
    )
    assert list(preview.rows.Insats.fillna("")) == [
        "Trygghetsvandringar i Sätra",
        "Kartläggning av Nordost",
        "",
    ]
    committer.commit(db, preview, author="Test Testsson")

    rows = db.query("plan_chains", municipalities=["Gävle"])
    chain = plan_chain.areas(rows)
    assert [a.area for a in chain] == ["Boende", "Demokrati och civilsamhälle", "Brottslighet"]
    assert [f.text for a in chain for f in a.flags] == [
        "Pengar utan indikator: ”Kartläggning av Nordost” har 150\u00a0000\u00a0kr beviljat men ingen indikator "
        "att följa.",
        "Mål utan insats: ingen insats svarar mot ”Högre valdeltagande i Andersberg”.",
        "Insats utan mål: ”Föreningsstöd i Andersberg” svarar inte mot något mål i planen.",
        "Pengar utan indikator: ”Föreningsstöd i Andersberg” har 250\u00a0000\u00a0kr beviljat men ingen "
        "indikator att följa.",
    ]
    crime = chain[2]
    assert crime.problem == "Otrygghet i Sätra efter mörkrets inbrott"
    assert crime.goals[0].indicator == "N07403 Anmälda våldsbrott"
    assert crime.goals[0].source == "Importerad planfil plan.csv, rad 2"
    walk = crime.goals[0].measures[0]
    assert (walk.granted_sek, walk.spent_sek, walk.status) == (600_000, None, "ingen rapport")
    assert db.query("plan_indicators", municipality="Gävle").kpi_id.tolist() == ["N07403"]

    # a newer plan for Gävle replaces the earlier one, and says so before anything is written
    newer = previewer.preview(
        db, "plan-2.csv", PLAN.splitlines()[0].encode() + b"\n" + PLAN.splitlines()[3].encode()
    )
    assert newer.findings == [
        "Ersätter den tidigare importerade planen för Gävle. Den gamla sparas och kommer tillbaka med "
        "”Ångra senaste import”."
    ]
    committer.commit(db, newer, author="Test Testsson")
    assert db.query("plan_chains", municipalities=["Gävle"]).goal.dropna().tolist() == [
        "Högre valdeltagande i Andersberg"
    ]
    assert committer.undo_last(db, "Test Testsson")["file"] == "plan-2.csv"
    assert len(db.query("plan_chains", municipalities=["Gävle"]).goal.dropna()) == 3
    assert committer.undo_last(db, "Test Testsson")["file"] == "plan.csv"
    assert db.query("plan_chains", municipalities=["Gävle"]).empty


def test_the_form_links_a_measure_to_a_goal_the_municipality_already_has(db):
    """Motala's samordnare answers no goal and its delmål for Brottslighet has no measure: a handläggare links
    them on the page. The bundled goal is linked to, not added again; undo takes the link back."""
    from insatskollen.ui import plan_entry

    def flags():
        chain = plan_chain.areas(db.query("plan_chains", municipalities=["Motala"]))
        return sorted(f.kind for a in chain for f in a.flags if f.kind != plan_chain.GOAL_WITHOUT_MONEY)

    assert flags() == [plan_chain.MEASURE_WITHOUT_GOAL, plan_chain.GOAL_WITHOUT_MEASURE]
    goal = "Ökad trygghet och minskad brottslighet i områden med socioekonomiska utmaningar"
    with pytest.raises(DataError) as raised:
        plan_entry.add(
            db,
            municipality="Motala",
            area="Brottslighet",
            goal="",
            indicator="",
            measure_id="mot-05",
            author="T",
        )
    assert [str(p) for p in raised.value.problems] == [
        "Sidan Från lägesbild till resultat, rad 2, kolumn Mål: värdet saknas – förväntat ett mål, eller ett "
        "problem i kolumnen Problem"
    ]
    plan_entry.add(
        db,
        municipality="Motala",
        area="Brottslighet",
        goal=goal,
        indicator="",
        measure_id="mot-05",
        author="T",
    )
    rows = db.query("plan_chains", municipalities=["Motala"])
    linked = rows[rows.measure_id == "mot-05"].iloc[0]
    assert (linked.goal_id, linked.link_source) == (
        "mot-goal-05",
        f"Sidan Från lägesbild till resultat, formuläret {date.today().isoformat()}",
    )
    assert flags() == [] and len(db.query("plan_goal_ids").query("municipality_code == '0583'")) == 5
    assert committer.undo_last(db, "T")["file"] == "Sidan Från lägesbild till resultat"
    assert flags() == [plan_chain.MEASURE_WITHOUT_GOAL, plan_chain.GOAL_WITHOUT_MEASURE]


def test_the_plan_template_is_recognised_and_its_example_cannot_be_imported(db):
    from insatskollen.ingest import template

    data = template.plan_csv()
    assert data.decode("utf-8-sig").splitlines()[0] == "Kommun;Område;Problem;Indikator;Mål;Insats-id"
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "insatskollen-plan-mall.csv", data)
    assert [p.column for p in raised.value.problems] == ["Kommun"]


def _commit(db, text: str) -> None:
    committer.commit(db, previewer.preview(db, "plan.csv", text.encode()), author="Test Testsson")


def test_a_plan_of_more_than_500_rows_is_refused_and_nothing_is_written(db):
    """3 000 rows of one area imported and then took the page down (the chain joins an area's problems onto each
    of its rows): a plan is tens of rows, so a file of more than 500 is refused before anything is read into it."""
    before = db.work.generation()
    head = "Kommun;Område;Problem;Indikator;Mål;Insats-id\n"
    rows = "".join(f"Gävle;Boende;Problem {i};;Mål {i};\n" for i in range(501))
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "stor.csv", (head + rows).encode())
    assert [str(p) for p in raised.value.problems] == [
        "stor.csv: högst 500 rader i en planfil, men filen har 501 rader"
    ]
    assert db.work.generation() == before


def test_a_link_given_twice_counts_its_money_once_and_a_goals_indicator_survives_case_and_area(db):
    """Found by an attack: Linköping's bundled link Attraktiv kommun → lkp-01 given again in a file counted the
    measure's money twice; "Fler behöriga" and "fler behöriga" are one goal to the import, but its indicator was
    lost; and "Ökad trygghet" in two areas got both areas' indicators."""
    bundled = db.query("plan_chains", municipalities=["Linköping"])
    attraktiv = bundled[bundled.goal == "Attraktiv kommun"].measure_id.tolist()
    _commit(
        db,
        "Kommun;Område;Problem;Indikator;Mål;Insats-id\n"
        "Linköping;Boende;;;Attraktiv kommun;lkp-01\n"
        "Gävle;Brottslighet;;N07403 Anmälda våldsbrott;Ökad trygghet;Trygghetsvandringar i Sätra\n"
        "Gävle;Boende;;Trångboddhet i procent;Ökad trygghet;Kartläggning av Nordost\n"
        "Gävle;Demokrati och civilsamhälle;;;Fler i föreningslivet;Föreningsstöd i Andersberg\n"
        "Gävle;Demokrati och civilsamhälle;;Medlemmar per 1 000 invånare;fler i Föreningslivet;\n",
    )
    try:
        again = db.query("plan_chains", municipalities=["Linköping"])
        assert again[again.goal == "Attraktiv kommun"].measure_id.tolist() == attraktiv  # once each
        gavle = db.query("plan_chains", municipalities=["Gävle"]).drop_duplicates("goal_id")
        indicators = dict(zip(gavle.priority_area + " " + gavle.goal, gavle.goal_indicator, strict=True))
        assert indicators == {
            "Brottslighet Ökad trygghet": "N07403 Anmälda våldsbrott",
            "Boende Ökad trygghet": "Trångboddhet i procent",
            "Demokrati och civilsamhälle Fler i föreningslivet": "Medlemmar per 1 000 invånare",
        }
    finally:
        committer.undo_last(db, author="Test Testsson")


def test_a_proposal_the_document_does_not_fund_has_no_money_not_unknown_money(db):
    """Södertälje's Digidelcenter (sod-p01) is an "övrigt förslag utan finansiering": linked to a goal beside
    sod-02 (2 900 000 kr a year), the goal's money is the funded sum, not "minst … (1 insats med okänt belopp)"."""
    rows = db.query("plan_chains", municipalities=["Södertälje"])
    goal = rows[rows.measure_id == "sod-02"].goal.iloc[0]
    _commit(
        db,
        f"Kommun;Område;Problem;Indikator;Mål;Insats-id\nSödertälje;Utbildning;;;{goal};sod-p01\n",
    )
    chain = plan_chain.areas(db.query("plan_chains", municipalities=["Södertälje"]))
    committer.undo_last(db, author="Test Testsson")
    [found] = [g for a in chain for g in a.goals if g.goal == goal]
    digidel = [m for m in found.measures if m.measure_id == "sod-p01"]
    assert (
        digidel and digidel[0].unfunded and digidel[0].money_text.startswith("Beviljat: ingen finansiering")
    )
    table = plan_chain.table(chain)
    granted = table[table["Mål"] == goal]["Beviljat"].iloc[0]
    assert "okänt" not in granted and "minst" not in granted, granted


def test_the_form_sent_twice_lists_the_measure_and_its_indicator_once(db):
    """A new user sent the form, typed their name and sent it again: the measure and its indicator were listed
    twice under the goal ("Antal deltagare; Antal deltagare"), which reads as money counted twice."""
    from insatskollen.ui import plan_entry

    goal = "Ökad trygghet och minskad brottslighet i områden med socioekonomiska utmaningar"
    for _ in range(2):
        plan_entry.add(
            db,
            municipality="Motala",
            area="Brottslighet",
            goal=goal,
            indicator="Antal deltagare i dialogmöten",
            measure_id="mot-05",
            author="T",
        )
    rows = db.query("plan_chains", municipalities=["Motala"])
    mine = rows[rows.goal == goal]
    assert mine.measure_id.tolist() == ["mot-05"]
    assert mine.goal_indicator.iloc[0].count("Antal deltagare i dialogmöten") == 1
    committer.undo_last(db, "T")
    committer.undo_last(db, "T")
