"""One rule for every headline figure (issue 22 item 3; README, "Nyckeltal"; insatskollen.core.key_figures.Balance).

Översikt (AppTest), Datakvalitet and `check`, Scenarier, Uppföljning and the yearly report, the decks and
their PowerPoint, Word and Excel files show the same figures in the same words, on the bundled data and on
an imported municipality with one unknown amount:

- ofördelat and överfördelat separately, each naming its frames, never netted (the old "Ofördelat
  0,92 mnkr" was Malmö's 1,1 mnkr minus Södertälje's 0,18 mnkr);
- Malmö's Socialstyrelsen frame is the document contradicting itself ("Dokumentet anger 19,7 mnkr; raderna
  summerar till 18,6 mnkr"), never "återstår" or "inte fördelat";
- a frame with known and unknown lines: "minst X fördelat, högst Y kvar";
- every share names its base.

The expected numbers are worked out by hand from the documents and the imported file below."""

from __future__ import annotations

import html
import io
import json
import os
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from insatskollen import cli
from insatskollen.core import (
    consistency,
    fmt,
    frame_year,
    headline,
    key_figures,
    scenario_undo,
    yearly_report,
)
from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.core.fmt import NBSP
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_docx, deck_pdf, deck_pptx, deck_xlsx
from insatskollen.export import scenario_deck as scenario_module
from insatskollen.store.db import Database
from insatskollen.ui.scenario_session import ActiveScenario
from tests.conftest import ROOT

TODAY = date(2026, 11, 23)
NEVER = ("återstår", "inte fördelat", "0,92")  # the old wordings of the 1,1 mnkr and of the netted sum

# Norrköping 2024 through the importer: a frame of 8 500 000 kr, three lines known (7 050 000 kr), one not.
NORRKOPING = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Norrköping;2024;Statsbidrag Delmos;8 500 000;Utbildningsnämnden;Läxhjälp i Navestad;Utbildning;"
    "3 000 000;beslutad\n"
    "Norrköping;2024;Statsbidrag Delmos;;Arbetsmarknadsnämnden;Sommarjobb;Arbetsmarknad;2 500 000;beslutad\n"
    "Norrköping;2024;Statsbidrag Delmos;;Kultur- och fritidsnämnden;Föreningsstöd;Demokrati och civilsamhälle;"
    "1 550 000;beslutad\n"
    "Norrköping;2024;Statsbidrag Delmos;;Socialnämnden;Trygghetsvandringar;Brottslighet;;beslutad\n"
)
PARTLY_MNKR = "minst 7,05 mnkr fördelat, högst 1,45 mnkr kvar (1 rad saknar belopp)"
PARTLY_KR = "minst 7 050 000 kr fördelat, högst 1 450 000 kr kvar (1 rad saknar belopp)"
CONTRADICTION_MNKR = "dokumentet anger 19,7 mnkr; raderna summerar till 18,6 mnkr."
CONTRADICTION_KR = "dokumentet anger 19 700 000 kr; raderna summerar till 18 600 000 kr."


def plain(text: str) -> str:
    """As a person reads it: character references decoded, no-break spaces as spaces."""
    return html.unescape(text).replace(NBSP, " ")


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


# filters -> (ram, fördelat, ofördelat, överfördelat, motsägelse, ram med okänd fördelning) as Översikt
# shows them. Ofördelat is 0: Malmö KS is fully allocated, Malmö Socialstyrelsen's 1,1 mnkr is the
# document's contradiction, Södertälje 2018–2020 overruns by 3 × 61 000 = 183 000 kr (överfördelat),
# Linköping's lines have no amounts (fördelat is "minst"), Motala's frames no amount.
CASES = {
    "alla": ((), ("108,64 mnkr", "minst 66,3 mnkr", "0 mnkr", "0,18 mnkr", 1_100_000, "41,42 mnkr")),
    "Malmö": (("Malmö",), ("34,7 mnkr", "33,6 mnkr", "0 mnkr", "0 mnkr", 1_100_000, "0 mnkr")),
    # Linköping: no line amount known, so neither ofördelat nor överfördelat can be computed (okänt, never 0)
    "Linköping": (("Linköping",), ("41,42 mnkr", "okänt", "okänt", "okänt", 0, "41,42 mnkr")),
}


# ------------------------------------------------------------------ the rule itself (pure)


def test_the_rule_per_frame():
    B = key_figures.Balance
    assert plain(B(1_000, 600, 3).text(fmt.sek)) == "400 kr av ramen på 1 000 kr är ofördelat."
    assert plain(B(1_000, 1_061, 3).text(fmt.sek)) == (
        "Överfördelat med 61 kr (raderna summerar till 1 061 kr, ramen är 1 000 kr)."
    )
    assert B(1_000, 1_000, 3).text() == "Hela ramen är fördelad."
    # the document states 19,7 mnkr as allocated while its rows sum to 18,6: a contradiction, not free money
    malmo = B(19_700_000, 18_600_000, 9, 0, 19_700_000)
    assert malmo.state == key_figures.CONTRADICTION and malmo.unallocated_sek == 0
    assert plain(malmo.clause()) == CONTRADICTION_MNKR
    # a statement below the frame: the gap to the statement is the contradiction, the rest is ofördelat
    below = B(20_000_000, 18_600_000, 9, 0, 19_700_000)
    assert (below.contradiction_sek, below.unallocated_sek) == (1_100_000, 300_000)
    # rows that reach the statement: no contradiction
    assert B(19_700_000, 19_700_000, 9, 0, 19_700_000).state == key_figures.FULLY_ALLOCATED
    # known and unknown lines: an upper bound on what is left, a lower bound on what is allocated
    partly = B(8_500_000, 7_050_000, 4, 1)
    assert plain(partly.clause(fmt.sek)) == PARTLY_KR + "."
    assert (partly.unallocated_sek, partly.at_most_left_sek, plain(partly.allocated_text())) == (
        None,
        1_450_000,
        "minst 7,05 mnkr",
    )
    over = B(1_000, 1_200, 3, 1)
    assert over.over_allocated_sek == 200 and "överskrids med minst" in over.text()
    # no known line amount, no frame: unknown, never 0
    assert (
        B(1_000, 0, 2, 2).state == key_figures.UNKNOWN_ALLOCATION
        and B(1_000, 0, 2, 2).allocated_text() == "okänt"
    )
    assert B(None, 500, 1).unallocated_sek is None


def test_overrun_and_free_money_are_never_netted():
    def year(frame_id, municipality, frame, allocated):
        return frame_year.FrameYear(
            frame_id, municipality, 2022, "Statsbidrag", frame, 2, 0, allocated, 2, 0, 0, allocated
        )

    head = headline.Headline(
        (year("a", "Malmö", 1_000_000, 900_000), year("b", "Södertälje", 500_000, 560_000))
    )
    assert (head.unallocated_sek, head.over_allocated_sek) == (100_000, 60_000)  # not 40 000
    assert [plain(t) for t in head.balance_sentences()] == [
        "Ofördelat: 0,1 mnkr (Malmö 2022).",
        "Överfördelat: 0,06 mnkr (Södertälje 2022).",
    ]


def test_every_share_names_its_base():
    assert (
        plain(key_figures.share_text(6_620_000, 33_600_000, key_figures.OF_ALLOCATED))
        == "19,7 % av det fördelade"
    )
    assert plain(key_figures.share_text(6_620_000, 34_700_000, key_figures.OF_FRAME)) == "19,1 % av ramen"


# ------------------------------------------------------------------ bundled data


@pytest.fixture(scope="module")
def bundled_db():
    database = Database.open(":memory:")
    database.build(ROOT / "data")
    yield database
    database.close()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: plain(m.value) for m in at.metric}


def page_text(at: AppTest) -> str:
    parts = [c.value for c in at.caption] + [m.value for m in at.markdown] + [e.value for e in at.info]
    parts += [m.value for m in at.metric] + [t.value for t in at.text_area]
    return plain(" ".join(parts))


@pytest.mark.parametrize("case", list(CASES))
def test_overview_shows_the_defined_figures(case, fresh_streamlit):
    municipalities, (frame, allocated, unallocated, over, contradiction, unknown) = CASES[case]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if municipalities:
        at.query_params["kommun"] = "|".join(municipalities)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert shown["Ramar att fördela"] == frame
    # the bound stands in the label ("Fördelat, minst"): "minst 66,3 mnkr" does not fit a box at 1366×768
    bound = {"minst": "Fördelat, minst"}.get(allocated.split()[0], "Fördelat")
    assert shown[bound] == allocated.removeprefix("minst ")
    assert shown["Ofördelat"] == unallocated
    assert shown["Överfördelat"] == over
    assert shown["Ram med okänd fördelning"] == unknown
    text = page_text(at)
    if contradiction:
        assert f"Malmö 2022, Statsbidrag Socialstyrelsen: {CONTRADICTION_MNKR}" in text
    if case == "alla":
        assert "Överfördelat: 0,18 mnkr (Södertälje 2018–2020)." in text
        assert "Fördelningen av 41,42 mnkr är okänd (Linköping 2018–2020)." in text
        assert "2 ramar saknar belopp (Motala 2018 (2 ramar))." in text
        # the counts beside the figures: Motala 2018's frames; Linköping's 13 and Motala's 5 lines (Södertälje's
        # unfunded proposals are not lines)
        counts = (shown["Insatser och förslag"], shown["Ramar utan belopp"], shown["Rader utan belopp"])
        assert counts == ("54", "2", "18")
        bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]  # the chart per national area
        assert bars["y"] == [
            "Boende",
            "Utbildning",
            "Arbetsmarknad",
            "Demokrati och civilsamhälle",
            "Brottslighet",
            "Inget område angivet",
        ]
        assert bars["x"] == [13_180_000, 28_220_000, 1_800_000, 2_330_000, 2_170_000, 18_600_000]
        assert bars["text"][0] == kr("13,18 mnkr")
        assert bars["customdata"][0][0] == kr("13 180 000 kr")
    assert not any(word in text for word in NEVER), text


@pytest.mark.parametrize("case", list(CASES))
def test_first_slide_and_every_export_show_the_same_figures(case, bundled_db):
    municipalities, (frame, allocated, unallocated, over, contradiction, unknown) = CASES[case]
    deck = deck_module.from_filters(bundled_db, Filters(municipalities=municipalities), TODAY)
    first = deck.slides[0]
    assert first.key == "ram"
    message = plain(first.message)
    assert f"Av {frame}" in message
    assert (f"är {allocated} fördelat" if allocated != "okänt" else "fördelat är okänt") in message
    if contradiction:
        assert f"Malmö 2022, Statsbidrag Socialstyrelsen: {CONTRADICTION_MNKR}" in message
    if over not in ("0 mnkr", "okänt"):
        assert f"Överfördelat: {over} (Södertälje 2018–2020)." in message
    assert not any(word in message for word in NEVER), message
    key = {r.Nyckeltal: r for r in deck.key_figures.itertuples(index=False)}
    assert key["Motsägelse i dokumenten"][1] == contradiction
    # PowerPoint: the first content slide carries the same message
    prs = Presentation(io.BytesIO(deck_pptx.to_pptx(deck)))
    assert first.message in [s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame]
    # Excel: "Nyckeltal" with numbers as numbers, "Gräns" saying minst/högst
    sheet = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))["Nyckeltal"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Motsägelse i dokumenten"][1] == contradiction
    assert (rows["Fördelat"][3] or "") == ("minst" if allocated.startswith("minst") else "")
    # Word: the same figures, in kronor, with their bounds
    paragraphs = [plain(p.text) for p in Document(io.BytesIO(deck_docx.to_docx(deck))).paragraphs]
    assert f"Motsägelse i dokumenten: {plain(fmt.sek(contradiction))}" in paragraphs
    assert not any(word in " ".join(paragraphs) for word in NEVER)


def test_malmo_2022_in_every_place(bundled_db):
    """Malmö's Socialstyrelsen frame: decision slide, Word, check, Scenarier, scenario deck, yearly report."""
    filters = Filters(municipalities=("Malmö",), years=(2022,))
    deck = deck_module.from_filters(bundled_db, filters, TODAY)
    decision = next(s for s in deck.slides if s.key == "beslut-Malmö-2022-Statsbidrag Socialstyrelsen")
    assert plain(decision.message).endswith(CONTRADICTION_MNKR.capitalize())
    areas = next(s for s in deck.slides if s.key == "omraden")
    assert "(19,7 % av det fördelade)" in plain(areas.message)
    word = " ".join(p.text for p in Document(io.BytesIO(deck_docx.to_docx(deck))).paragraphs)
    assert CONTRADICTION_KR.capitalize() in plain(word) and "lämnas ofördelat" not in word
    text = plain(consistency.render(consistency.run(bundled_db, filters)))
    assert f"Malmö 2022, Statsbidrag Socialstyrelsen: {CONTRADICTION_KR}" in text
    assert not any(word in text for word in NEVER)
    active = ActiveScenario.new(bundled_db, "mal-sos", 2022)
    # said once on Scenarier (the box under the figures); the third figure is Översikt's Ofördelat, 0
    assert plain(active.status()[1]) == CONTRADICTION_KR.capitalize() + " Se Datakvalitet."
    assert active.baseline_note() is None
    assert {label: plain(value) for label, value, _ in active.metrics()}["Ofördelat"] == "0 kr"
    scenario_deck = scenario_module.from_scenario(
        bundled_db,
        "Utgångsläge",
        "Malmö 2022",
        "Malmö",
        2022,
        active.scenario,
        (),
        TODAY,
        "Statsbidrag Socialstyrelsen",
    )
    assert (
        plain(scenario_deck.slides[0].message)
        == f"Av 19,7 mnkr är 18,6 mnkr fördelat. {CONTRADICTION_MNKR.capitalize()}"
    )
    # 500 000 kr moved between two lines (the total stays 18,6 mnkr): still the document's contradiction,
    # in the scenario's words, on Scenarier and in the scenario's deck; never money to spend
    moved = scenario_undo.Scenario.start(active.scenario.baseline)
    moved.apply("Från ASN", sc.set_amount, "a-sos-asn", 2_200_000)
    moved.apply("Till FUN", sc.set_amount, "a-sos-fun", 4_000_000)
    assert plain(moved.evaluate(19_700_000).remaining_message) == (
        "Dokumentet anger 19 700 000 kr; scenariots rader summerar till 18 600 000 kr."
    )
    moved_deck = scenario_module.from_scenario(
        bundled_db, "Flytt", "Malmö 2022", "Malmö", 2022, moved, (), TODAY, "Statsbidrag Socialstyrelsen"
    )
    assert plain(moved_deck.slides[0].message) == (
        "Av 19,7 mnkr är 18,6 mnkr fördelat. Dokumentet anger 19,7 mnkr; scenariots rader summerar till 18,6 mnkr."
    )
    # only money beyond the document's statement is ofördelat
    moved.apply("Ny ram", sc.set_frame, 20_000_000)
    assert plain(moved.evaluate(19_700_000).remaining_message) == (
        "Dokumentet anger 19 700 000 kr; scenariots rader summerar till 18 600 000 kr. "
        "Dessutom är 300 000 kr av ramen ofördelat."
    )
    rows = bundled_db.query("follow_up_frame_year", frame_id="mal-sos", year=2022)
    head = headline.headline(
        bundled_db, Filters(municipalities=("Malmö",), funding_sources=("Statsbidrag Socialstyrelsen",))
    )
    yearly = yearly_report.build(
        rows,
        bundled_db.query("indicators", municipality="Malmö"),
        bundled_db.query("documents"),
        TODAY,
        balance=head.frame_years[0].balance,
    )
    assert f"Ramen är 19 700 000 kr: {CONTRADICTION_KR}" in plain(yearly.draft)


# ------------------------------------------------------------------ an imported municipality


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("norrkoping-2024")
    source = folder / "norrkoping.csv"
    source.write_text(NORRKOPING, encoding="utf-8")
    path = folder / "norrkoping.duckdb"
    assert cli.main(["--var", str(path), "build"]) == 0
    assert cli.main(["--var", str(path), "import", str(source)]) == 0
    database = Database.open(path)
    frames = database.query("scenario_frames")
    frame_id = frames[frames.municipality == "Norrköping"].frame_id.iloc[0]
    yield path, database, frame_id
    database.close()


def test_import_preview_says_it_in_the_rule_s_words(imported, tmp_path):
    from insatskollen.ingest import previewer

    _, database, _ = imported
    preview = previewer.preview(database, "igen.csv", NORRKOPING.replace("2024", "2025").encode())
    # the rule's words, and the cells they are about (issue 23, item 4)
    assert [plain(f) for f in preview.findings] == [
        f"Norrköping 2025, Statsbidrag Delmos (ramen: rad 2, kolumn D (Ram (kr))): {PARTLY_KR}. "
        "Belopp saknas på rad 5 (Trygghetsvandringar), kolumn H (Belopp (kr))."
    ]


def test_imported_frame_in_check_decks_files_scenario_and_yearly_report(imported):
    _, database, frame_id = imported
    filters = Filters(municipalities=("Norrköping",))
    text = plain(consistency.render(consistency.run(database, filters)))
    assert "Fördelat: minst 7 050 000 kr" in text and "Ofördelat: högst 1 450 000 kr" in text
    assert f"Norrköping 2024, Statsbidrag Delmos: {PARTLY_KR}." in text
    [finding] = [
        f
        for f in consistency.run(database).findings
        if f.municipality == "Norrköping" and "Fördelningen" in f.category
    ]
    assert (finding.category, plain(finding.message)) == (
        "Fördelningen är delvis känd",
        PARTLY_KR.capitalize() + ".",
    )

    deck = deck_module.from_filters(database, filters, TODAY)
    assert plain(deck.slides[0].message) == (
        f"Av 8,5 mnkr är minst 7,05 mnkr fördelat. Ofördelat: högst 1,45 mnkr (Norrköping 2024). "
        f"Norrköping 2024, Statsbidrag Delmos: {PARTLY_MNKR}."
    )
    decision = next(s for s in deck.slides if s.key.startswith("beslut"))
    assert plain(decision.message).endswith(PARTLY_MNKR.capitalize() + ".")
    pptx_text = " ".join(
        s.text_frame.text
        for slide in Presentation(io.BytesIO(deck_pptx.to_pptx(deck))).slides
        for s in slide.shapes
        if s.has_text_frame
    )
    assert PARTLY_MNKR in plain(pptx_text)
    word = plain(" ".join(p.text for p in Document(io.BytesIO(deck_docx.to_docx(deck))).paragraphs))
    assert "Fördelat: minst 7 050 000 kr" in word and "Ofördelat: högst 1 450 000 kr" in word
    assert PARTLY_KR.capitalize() in word
    sheet = load_workbook(io.BytesIO(deck_xlsx.to_xlsx(deck)))["Nyckeltal"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Ofördelat"][1:][0] == 1_450_000 and rows["Ofördelat"][3] == "högst"

    active = ActiveScenario.new(database, frame_id, 2024)
    assert plain(active.status()[1]) == PARTLY_KR.capitalize() + "."
    shown = {label: plain(value) for label, value, _ in active.metrics()}
    assert (shown["Fördelat"], shown["Ofördelat, högst"]) == ("minst 7 050 000 kr", "1 450 000 kr")
    scenario_deck = scenario_module.from_scenario(
        database, "Utgångsläge", "Norrköping 2024", "Norrköping", 2024, active.scenario, (), TODAY
    )
    assert plain(scenario_deck.slides[0].message) == f"Av 8,5 mnkr: {PARTLY_MNKR}."
    assert not any(word in plain(s.message) for s in scenario_deck.slides for word in NEVER)

    rows = database.query("follow_up_frame_year", frame_id=frame_id, year=2024)
    head = headline.headline(database, filters)
    yearly = yearly_report.build(
        rows,
        database.query("indicators", municipality="Norrköping"),
        database.query("documents"),
        TODAY,
        balance=head.frame_years[0].balance,
    )
    assert f"Ramen är 8 500 000 kr: {PARTLY_KR}." in plain(yearly.draft)


def test_imported_frame_on_the_pages(imported, monkeypatch, fresh_streamlit):
    path, _, frame_id = imported
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kommun"] = "Norrköping"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert (shown["Fördelat, minst"], shown["Ofördelat, högst"], shown["Överfördelat"]) == (
        "7,05 mnkr",
        "1,45 mnkr",
        "0 mnkr",
    )
    assert f"Norrköping 2024, Statsbidrag Delmos: {PARTLY_MNKR}." in page_text(at)

    at = at.switch_page("pages/datakvalitet.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert PARTLY_KR.capitalize() in page_text(at)

    at.query_params["ram"] = f"{frame_id}|2024"
    at = at.switch_page("pages/uppfoljning.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Beviljat, minst"] == "7,05 mnkr"
    text = page_text(at)
    assert f"Ramen: {PARTLY_MNKR}." in text
    assert f"Ramen är 8 500 000 kr: {PARTLY_KR}." in text  # the yearly report's draft paragraph
    assert not any(word in text for word in NEVER)


def test_pdf_first_slide_shows_the_same_figures(bundled_db, tmp_path):
    import shutil
    import subprocess

    if not deck_pdf.static_export_available() or shutil.which("pdftotext") is None:
        if os.environ.get("INSATSKOLLEN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium eller pdftotext saknas")
        pytest.skip("PDF needs Chromium and poppler-utils")
    deck = deck_module.from_filters(bundled_db, Filters(), TODAY)
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(deck_pdf.to_pdf(deck))
    page2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(plain(page2).split())
    for part in (
        "Av 108,64 mnkr är minst 66,3 mnkr fördelat.",
        "Överfördelat: 0,18 mnkr (Södertälje 2018–",  # the PDF breaks the line after the dash
        "Socialstyrelsen: dokumentet anger 19,7 mnkr; raderna summerar till 18,6 mnkr.",
        "41,42 mnkr är okänd",
    ):
        assert part in flat, flat
    assert "återstår" not in flat
