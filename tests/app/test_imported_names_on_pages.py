"""Issue 23: an imported municipality (Gävle 2025, its own sources, a dnr in Källa) is shown by its measures'
titles, its file, row and dnr, never by an internal id ('imp-5c576651-a6'), and a page says in one line what
would fill a section it cannot draw. AppTest over a database of the test's own."""

from __future__ import annotations

import html
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from tests.app_kit import open_app, open_expanders
from tests.conftest import published_var

HEAD = (
    "Kommun;År;Finansieringskälla;Typ av finansiering;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status;Källa\n"
)
S1, S2 = "Statsbidrag mot segregation", "Egna medel KF budget 2025"
ROWS = [
    (S1, "statsbidrag", "Utbildningsnämnden", "Läxhjälp i Sätra", "Utbildning", "450 000"),
    (S1, "statsbidrag", "Socialnämnden", "Fältassistenter Nordost", "Brottslighet", "550 000"),
    (
        S1,
        "statsbidrag",
        "Kultur- och fritidsnämnden",
        "Föreningsstöd Sätra",
        "Demokrati och civilsamhälle",
        "",
    ),
    (S2, "egna medel", "Samhällsbyggnadsnämnden", "Trygghetsvandringar Andersberg", "Boende", "700 000"),
    (S2, "egna medel", "Utbildningsnämnden", "Språkförskola Nordost", "Utbildning", "500 000"),
]
GAVLE = HEAD + "".join(
    f"Gävle;2025;{s};{k};2 000 000;{n};{t};{a};{b};beslutad;dnr KS 2025/0123\n" for s, k, n, t, a, b in ROWS
)


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    var = tmp_path_factory.mktemp("gavle") / "var"
    db = Database.open(published_var(var))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "gavle_insatser_2025.csv", GAVLE.encode()))
    db.close()
    return var


@pytest.fixture
def app(var, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(var))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _page(page: str, **params) -> AppTest:
    return open_app(f"pages/{page}.py", {"kommun": "Gävle"} | params, timeout=90)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return html.unescape("\n".join(parts)).replace("\xa0", " ")


def _measure_id(var, title: str) -> str:
    db = Database.open(var)
    try:
        return db.scalar("select measure_id from main.measures where title = ?", [title])
    finally:
        db.close()


def test_datakvalitet_names_the_rows_and_links_by_the_measures_title_not_its_id(app, var):
    at = _page("datakvalitet")
    assert not [d for d in at.dataframe if "Namn" in d.value.columns], "rows made in a closed expander"
    at = open_expanders(at, "som berörs")
    tables = [d.value for d in at.dataframe if "Namn" in d.value.columns]
    assert tables, "no table of rows"
    shown = {str(v) for t in tables for v in t.to_numpy().ravel()}
    assert not any(v.startswith("imp-") for v in shown), sorted(shown)
    assert all("Id" not in t.columns for t in tables)
    links = [e.proto for e in at.get("page_link")]
    labels = [link.label for link in links]
    assert "Öppna insatsen Trygghetsvandringar Andersberg" in labels, labels
    assert "Öppna insatsen Språkförskola Nordost" in labels, labels
    assert not any("imp-" in label for label in labels), labels
    # the link still opens the measure by its id
    wanted = _measure_id(var, "Trygghetsvandringar Andersberg")
    link = next(x for x in links if x.label == "Öppna insatsen Trygghetsvandringar Andersberg")
    assert f"insats={wanted}" in link.query_string


def test_an_imported_measure_says_what_is_known_instead_of_a_dead_end_to_källor(app, var):
    at = _page("insatser", insats=_measure_id(var, "Fältassistenter Nordost"))
    assert "Visa texten i källdokumentet" not in [e.label for e in at.expander]
    text = _text(at)
    assert "Avsnittet kunde inte hittas" not in text
    assert re.search(
        r"Den importerade filens text sparas inte, så det finns inget avsnitt att visa\. Insatsen kommer från "
        r"gavle_insatser_2025\.csv rad 3\b.*dnr KS 2025/0123.*, importerad \d{4}-\d\d-\d\d\.",
        text,
    ), text


def test_omraden_offers_no_area_only_when_a_measure_lacks_one(app):
    at = _page("omraden")
    labels = [o.content for o in at.get("button_group")[-1].proto.options]
    assert "Inget område angivet" not in labels, labels
    assert "Boende" in labels


def test_namnder_and_kommuner_say_in_one_line_why_a_promised_section_is_missing(app):
    namnder = _text(_page("namnder"))
    assert (
        "Äskat och föreslaget: inga rader med både äskat och föreslaget belopp med de valda filtren, så "
        "jämförelsen kan inte visas."
    ) in namnder
    kommuner = _text(_page("kommuner"))
    assert (
        "Områden och inriktningar: kommunens underlag anger inga inriktningar eller modelltabell, så "
        "fördelningen på inriktningar kan inte visas; fördelningen på områden finns under Prioriterade områden."
    ) in kommuner
    assert (
        "Mål, indikatorer och statistik: kommunens dokument anger inga som verktyget har läst in." in kommuner
    )


def _frame_id(var, source: str) -> str:
    db = Database.open(var)
    try:
        return db.scalar(
            "select frame_id from main.frame_year where municipality = 'Gävle' and funding_source = ?",
            [source],
        )
    finally:
        db.close()


def test_scenarier_does_not_call_an_imported_file_the_source_document_and_its_link_keeps_the_kommun(app, var):
    at = _page("scenarier")
    at.selectbox(key="scn_new_frame").set_value((_frame_id(var, S1), 2025)).run()
    at = at.button(key="scn_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    status = "Minst 1 000 000 kr fördelat, högst 1 000 000 kr kvar (1 rad saknar belopp)."
    assert status in [i.value.replace("\xa0", " ") for i in at.info]
    captions = [c.value.replace("\xa0", " ") for c in at.caption]
    assert not any(c.startswith("Ur källdokumentet") for c in captions), captions
    assert not any(status in c for c in captions), captions  # not the status line again
    # after a change, the starting point is the imported file's, said as such
    db = Database.open(var)
    line = db.scalar("select allocation_id from main.allocation where measure = 'Läxhjälp i Sätra'")
    db.close()
    at.selectbox(key="scn_line").set_value(line)
    at.text_input(key="scn_amount").input("100 000")
    at = at.button(key="scn_do_set").click().run()
    captions = [html.unescape(c.value).replace("\xa0", " ") for c in at.caption]  # escaped: shown as text
    assert not any(c.startswith("Ur källdokumentet") for c in captions), captions
    assert any(
        c.startswith("Utgångsläget i den importerade filen: Minst 1 000 000 kr fördelat") for c in captions
    )
    at.text_input(key="scn_author").input("Anna Andersson")
    at.text_input(key="scn_name").input("Gävle omfördelning")
    at = at.button(key="scn_save_new").click().run()
    assert not at.exception
    scenario_id = at.query_params["scenario"]
    # the sidebar's Kommun goes with the link, so the page it opens shows Gävle, not "Alla"
    assert [c.value for c in at.code] == [f"/scenarier?scenario={scenario_id}&kommun=G%C3%A4vle"]


def test_omraden_drops_a_no_area_choice_kept_from_a_wider_selection(app):
    at = open_app("pages/omraden.py", timeout=90)
    at.session_state["valt_omrade"] = ""  # "Inget område angivet" picked while all municipalities were shown
    at.session_state["filter_municipalities"] = ["Gävle"]  # then Gävle chosen in the sidebar
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 insats med Boende som primärt område" in _text(at)


def test_uppfoljning_names_the_granted_source_by_cell_and_dnr_once(app):
    at = _page("uppfoljning")
    table = next(d.value for d in at.dataframe if "Källa" in d.value.columns and "Flaggor" in d.value.columns)
    sources = set(table["Källa"])
    assert not any("import-" in s or "imp-" in s for s in sources), sources
    # the file's Källa column already says the dnr: "…; källa: dnr KS 2025/0123 (KS 2025/0123)" said it twice
    assert "gavle_insatser_2025.csv rad 5, kolumn I (Belopp (kr)); källa: dnr KS 2025/0123" in sources, (
        sources
    )
