"""The yearly report journey in real Chromium: an official imports Malmö's follow-up file, opens
Uppföljning, rewrites the drafted paragraph of the återrapportering, downloads it as Word and Excel, and
finds in both files the paragraph as edited, the measures' rows and the totals per area and nämnd. What a läsare
sees of it (read-only, marked as a draft in the Word file) is in test_journey_sign_in.py, on that module's server
with sign-in."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from insatskollen.ui.follow_up_report_view import EDITED_LABEL, TEXT_LABEL
from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "follow-up-report"
HEADER = "Kommun;Insats-id;Insats;År;Utfall (kr);Genomförande;Datum;Resultat\n"
# Malmö KS 2022 (Bilaga 1 to STK-2018-1233): mal-05 Förskolenämnden/Utbildning 320 000 kr,
# mal-08 Hemmasittare and mal-06 Trygga barnet Grundskolenämnden/Utbildning 1 500 000 and 500 000 kr
REPORT = (
    HEADER
    + "Malmö;mal-05;;2022;350 000;genomförd;2022-12-31;**Musik** i 12 förskolor\n"
    + "Malmö;;Hemmasittare;2022;300 000;pågår;2022-06-30;-Frånvaron minskade\n"
    + "Malmö;mal-06;;2022;;ej påbörjad;;\n"
)
EDITED = "Stadskontoret redovisar 2022: tre insatser har rapporterat, Musik i förskolan är genomförd."


def _plain(text) -> str:
    return str(text).replace("\xa0", " ")


def test_an_official_edits_and_downloads_the_yearly_report(live_server, chromium, tmp_path):
    good = tmp_path / "malmo-uppfoljning-2022.csv"
    good.write_text(REPORT, encoding="utf-8")
    page = kit.open_page(chromium, f"{live_server}/importera")
    kit.upload(page, good, then="Uppföljningsrapporter")
    kit.fill(page, "Ditt namn (loggas)", "Test Testsson")
    kit.click(page, "Importera")
    page.get_by_text("3 uppföljningsrapporter är importerade.").wait_for(timeout=30_000)

    page.goto(f"{live_server}/uppfoljning?kommun=Malmö&ram=mal-ks%7C2022")
    page.get_by_text("Återrapportering", exact=True).first.wait_for(timeout=30_000)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    box = page.get_by_label(TEXT_LABEL, exact=True)
    # the draft: facts from the rows only. By hand: 19 measures, 15 000 000 kr granted; spent 350 000 +
    # 300 000 with 17 unknown; 1 genomförd, 1 pågår, 1 ej påbörjad, 16 without report; deviation
    # +30 000 − 1 200 000 over the two measures where both are known
    assert _plain(box.input_value()) == (
        "Återrapporteringen för Malmö 2022 (KS anslag till förfogande) omfattar 19 insatser. Beviljat belopp "
        "är sammanlagt 15 000 000 kr. Ramen är 15 000 000 kr: hela ramen är fördelad. Utfallet enligt de inlästa uppföljningsrapporterna är minst 650 000 kr "
        "(17 insatser med okänt belopp). 1 insats är genomförd, 1 pågår, 1 har inte påbörjats och 0 har "
        "avbrutits; 16 insatser saknar rapport. För de 2 insatser där både beviljat och utfall är kända är "
        "utfallet 1 170 000 kr mindre än beviljat."
    )
    box.scroll_into_view_if_needed()
    kit.shot(page, JOURNEY, "01-utkast")
    box.fill(EDITED)
    box.press("Control+Enter")  # a text area commits on Ctrl+Enter (or when it loses focus)
    kit.wait_idle(page)
    # edited: the box no longer says "Utkast – redigera" (issue 23, item 5); the text stays
    expect(page.get_by_label(EDITED_LABEL, exact=True)).to_have_value(EDITED)
    assert page.get_by_label(TEXT_LABEL, exact=True).count() == 0
    assert "Utkast – redigera" not in kit.main_text(page)
    kit.shot(page, JOURNEY, "02-redigerad")

    word = Document(kit.make_and_download(page, "Word", tmp_path, make="Skapa återrapportering som Word"))
    text = _plain("\n".join(p.text for p in word.paragraphs))
    assert EDITED in text
    assert "Utkast – redigera" not in text  # edited: no longer marked as a draft
    area, committee, measures = ([[_plain(c.text) for c in r.cells] for r in t.rows] for t in word.tables)
    assert {r[0]: r for r in area}["Utbildning"][1:] == [
        "8",
        "6 620 000 kr",
        "minst 650 000 kr (6 insatser med okänt belopp)",
        "−1 170 000 kr",
    ]
    assert {r[0]: r for r in committee}["Grundskolenämnden"][1:4] == [
        "6",
        "5 050 000 kr",
        "minst 300 000 kr (5 insatser med okänt belopp)",
    ]
    rows = {r[0]: r for r in measures}
    assert len(measures) == 1 + 19
    assert rows["Utvecklingsprojekt i musik i förskolan"][4:10] == [
        "320 000 kr",
        "350 000 kr",
        "+30 000 kr",
        "genomförd",
        "2022-12-31",
        "**Musik** i 12 förskolor",  # as written, not rendered as markdown
    ]
    assert rows["Hemmasittare"][9] == "'-Frånvaron minskade"
    assert "malmo-uppfoljning-2022.csv rad 2, 3, 4, Test Testsson" in text

    path = kit.make_and_download(page, "Excel", tmp_path, make="Skapa återrapportering som Excel")
    assert path.name == "aterrapportering-malmo-2022.xlsx"
    book = load_workbook(io.BytesIO(path.read_bytes()))
    lead = {r[0]: r[1] for r in book["Återrapportering"].iter_rows(values_only=True)}
    assert lead["Sammanfattning"] == EDITED and "Status" not in lead
    sheet = list(book["Insatser"].iter_rows(values_only=True))
    header, by_title = sheet[0], {r[0]: r for r in sheet[1:]}
    musik = by_title["Utvecklingsprojekt i musik i förskolan"]
    assert [musik[header.index(c)] for c in ("Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)")] == [
        320_000,
        350_000,
        30_000,
    ]
    assert by_title["Trygga barnet"][header.index("Utfall (kr)")] is None  # unknown, not 0
    totals = list(book["Per område"].iter_rows(values_only=True))
    head = totals[0]
    total = {r[0]: r for r in totals[1:]}["Totalt"]
    assert [total[head.index(c)] for c in ("Insatser", "Beviljat (kr)", "Utfall (kr)")] == [
        19,
        15_000_000,
        650_000,
    ]
    assert _plain(total[head.index("Utfall")]) == "minst 650 000 kr (17 insatser med okänt belopp)"
    kit.assert_no_error(page)

    # Motala's 2018 grant: four measures have no nämnd and one has no area, beside others that do. The summary
    # per nämnd names their group in words; it said "–", as if the name were unknown rather than not given
    kit.load(page, f"{live_server}/uppfoljning?kommun=Motala&ram=mot-tvv%7C2018")
    page.get_by_role("tab", name="Per nämnd").click()
    grid = page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]').first
    grid.locator("th", has_text="Nämnd").first.wait_for(state="attached", timeout=30_000)
    per_committee = {row[0]: row for row in kit.grid_cells(grid)}
    assert set(per_committee) == {"Kommunstyrelsen", "Ingen nämnd angiven"}
    assert per_committee["Ingen nämnd angiven"][3] == "4"  # Nämnd, Beviljat, Utfall, Insatser
