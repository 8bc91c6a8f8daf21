"""The follow-up journey in real Chromium: an official downloads nothing new to learn, uploads Malmö's
follow-up file on Importera, reads granted, spent and deviation per measure in the preview, and imports the
reports. On Uppföljning she reads the flags, rewrites the drafted paragraph of the återrapportering, downloads
it as Word and Excel and finds in both files the paragraph as edited, the measures' rows and the totals per area
and nämnd; then reports a measure through the page's form.
What a läsare sees of the report (read-only, marked as a draft in the Word file) is in test_journey_sign_in.py,
on that module's server with sign-in. Elsewhere too: a follow-up file's every problem named at once ("Menade du
…?", a Genomförande not in the list) and Motala's measures without a nämnd grouped as "Ingen nämnd angiven" in
tests/app/test_follow_up.py; the page's refusal of a file ("… kan inte importeras. Ingenting har sparats.") in
Chromium in test_journey_import.py."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from insatskollen.ui.follow_up_report_view import EDITED_LABEL, TEXT_LABEL
from tests import browser_kit as kit

pytestmark = pytest.mark.browser

JOURNEY = "follow-up"
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


def text(page) -> str:
    return kit.main_text(page).replace("\xa0", " ")


def _plain(value) -> str:
    return str(value).replace("\xa0", " ")


def _edit_and_download_the_yearly_report(page, tmp_path) -> None:
    """Uppföljning's återrapportering for Malmö 2022 with the three reports imported: the draft, edited, and
    the Word and Excel files that carry it."""
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
    kit.shot(page, "follow-up-report", "01-utkast")
    box.fill(EDITED)
    box.press("Control+Enter")  # a text area commits on Ctrl+Enter (or when it loses focus)
    kit.wait_idle(page)
    # edited: the box no longer says "Utkast – redigera" (issue 23, item 5); the text stays
    expect(page.get_by_label(EDITED_LABEL, exact=True)).to_have_value(EDITED)
    assert page.get_by_label(TEXT_LABEL, exact=True).count() == 0
    assert "Utkast – redigera" not in kit.main_text(page)
    kit.shot(page, "follow-up-report", "02-redigerad")

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


def test_follow_up_import_journey(live_server, chromium, tmp_path):
    good = tmp_path / "malmo-uppfoljning-2022.csv"
    good.write_text(REPORT, encoding="utf-8")

    page = kit.open_page(chromium, f"{live_server}/importera")
    shown = text(page)
    assert "Mall för uppföljning (CSV)" in shown
    assert "Kommun, Insats-id, Insats, År, Utfall (kr), Genomförande, Datum, Resultat" in shown

    kit.upload(page, good, "Uppföljningsrapporter")
    shown = text(page)
    assert "Utfall totalt" in shown and "650 000 kr" in shown
    assert "Utvecklingsprojekt i musik i förskolan" in shown
    # the table: granted, spent and deviation as the person reads them
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator("canvas").first.wait_for(timeout=30_000)
    expect(grid.locator("tbody tr")).to_have_count(3, timeout=30_000)  # drawn, not only mounted
    # the grid's own accessible table (hidden from view, read by screen readers) holds the cells as text
    rows = {r[0]: r for r in kit.grid_cells(grid)}
    assert rows["2"] == [
        "2",
        "Malmö",
        "Utvecklingsprojekt i musik i förskolan",
        "2022",
        "320 000 kr",
        "350 000 kr",
        "30 000 kr",
        "genomförd",
        "2022-12-31",
        "**Musik** i 12 förskolor",  # the file's text as written, not rendered as markdown
    ]
    assert rows["3"][4:7] == ["1 500 000 kr", "300 000 kr", "−1 200 000 kr"]
    assert rows["4"][4:8] == ["500 000 kr", "okänt", "okänt", "ej påbörjad"]
    assert (
        "Rad 2, kolumn E (Utfall (kr)): Utvecklingsprojekt i musik i förskolan 2022 har använt 30 000 kr mer "
        "än beviljat." in shown
    )
    assert "1 rad saknar utfall (okänt, inte noll): rad 4, kolumn E (Utfall (kr))." in shown
    kit.shot(page, JOURNEY, "02-forhandsgranskning")
    kit.fill(page, "Ditt namn (loggas)", "Test Testsson")
    kit.click(page, "Importera")
    page.get_by_text("3 uppföljningsrapporter är importerade.").wait_for(timeout=30_000)
    kit.assert_no_error(page)
    kit.shot(page, JOURNEY, "03-importerad")

    # Uppföljning: Malmö's KS frame for 2022, the spent amounts and the flags as the politician sees them
    page.goto(f"{live_server}/uppfoljning?kommun=Malmö&ram=mal-ks%7C2022")
    page.get_by_text("Beviljat och utfall per område").first.wait_for(timeout=30_000)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    shown = text(page)
    chosen = page.get_by_role("combobox", name="Ram och år").input_value()
    assert chosen == "Malmö 2022, KS anslag till förfogande (3 av 19 insatser rapporterade)"
    # by hand: spent 350 000 + 300 000 (Trygga barnet unknown); deviation +30 000 − 1 200 000; Hemmasittare
    # has used 20 % of its grant by 30 June, when 181/365 of the year less 25 points is 24.6 %: behind plan
    assert "Utfall, minst\n\n0,65 mnkr" in shown or "Utfall, minst\n0,65 mnkr" in shown
    assert "−1,17 mnkr" in shown
    assert "1 insats har använt mer än beviljat, 1 ligger efter plan och 16 saknar rapport." in shown
    assert "Efter plan: insatsen pågår eller har inte påbörjats" in shown  # the rule is stated
    # the grid writes its (hidden, accessible) header cells after the run is over: wait for the column
    page.locator('[data-testid="stDataFrame"] th', has_text="Flaggor").first.wait_for(
        state="attached", timeout=30_000
    )
    measures = next(
        g
        for g in page.locator('[data-testid="stDataFrame"]').all()
        if "Flaggor" in g.locator("th").all_text_contents()
    )
    rows = {r[0]: r for r in kit.grid_cells(measures)}
    assert rows["Utvecklingsprojekt i musik i förskolan"][1:2] == ["Överskriden"]
    assert rows["Hemmasittare"][1] == "Efter plan"
    assert rows["Trygga barnet"][1] == ""  # reported (ej påbörjad), spent unknown: no flag
    assert rows["Thaiwise"][1] == "Ingen rapport"
    kit.shot(page, JOURNEY, "04-uppfoljning")
    _edit_and_download_the_yearly_report(page, tmp_path)

    # Reporting on the page: Thaiwise (granted 1 000 000 kr) gets a report through the form, logged like an import
    form = page.locator('[data-testid="stForm"]')
    box = page.locator('[data-testid="stMain"]').get_by_role(
        "combobox", name="Insats att rapportera", exact=True
    )
    box.click()
    box.press_sequentially("Thaiwise")
    page.get_by_role("option", name="Thaiwise", exact=True).click()
    # the choice reruns the page and draws Thaiwise's own form: type only once that run is over (CI once
    # typed into the previous measure's form, which the rerun then replaced)
    kit.wait_idle(page)
    expect(box).to_have_value("Thaiwise")
    form.get_by_role("textbox", name="Utfall (kr)").fill("tusen")
    kit.click(page, "Spara rapporten")
    page.get_by_text("Rapporten sparades inte:").wait_for(timeout=30_000)
    shown = text(page)
    assert "Utfall (kr): värdet ”tusen” – förväntat ett belopp" in shown  # the import's rule, said for a form
    kit.open_panel(page, "Visa som tabell och ladda ner")  # a table view beside the refused form, for axe
    kit.axe_check(page, "uppfoljning-rapportformular")
    kit.shot(page, JOURNEY, "05-rapport-fel")

    form.get_by_role("textbox", name="Utfall (kr)").fill("2 500 000")
    form.get_by_role("textbox", name="Resultat").fill('=HYPERLINK("http://x") 40 deltagare')
    form.get_by_role("textbox", name="Ditt namn (loggas)").fill("Eva Ek")
    kit.click(page, "Spara rapporten")
    page.get_by_text("Rapporten sparades inte:").wait_for(timeout=30_000)
    assert 'Resultat: värdet ”=HYPERLINK("http://x") 40 deltagare” – förväntat text, inte en formel' in text(
        page
    )

    form.get_by_role("textbox", name="Resultat").fill("**40** deltagare")
    kit.click(page, "Spara rapporten")
    page.get_by_text("Rapporten för Thaiwise 2022 är sparad. Den kan ångras under Importera.").wait_for(
        timeout=30_000
    )
    kit.wait_idle(page)
    kit.assert_no_error(page)
    # the grid writes its (hidden, accessible) header cells after the run is over: wait for the column
    page.locator('[data-testid="stDataFrame"] th', has_text="Flaggor").first.wait_for(
        state="attached", timeout=30_000
    )
    measures = next(
        g
        for g in page.locator('[data-testid="stDataFrame"]').all()
        if "Flaggor" in g.locator("th").all_text_contents()
    )
    rows = {r[0]: r for r in kit.grid_cells(measures)}
    assert rows["Thaiwise"][1] == "Överskriden"
    # the grid's own "Download as CSV" would hand out file text unneutralised (a result "+cmd|…" became a
    # formula in Excel): only our own, neutralised download buttons are offered
    measures.hover()
    expect(
        measures.locator('[data-testid="stElementToolbarButton"]').first
    ).to_be_attached()  # its toolbar is drawn
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    # the form now says the report in force (a new save replaces it) and starts from its values
    assert "Insatsen har redan en rapport: utfall 2 500 000 kr, ej påbörjad, från Uppföljningssidan." in text(
        page
    )
    assert form.get_by_role("textbox", name="Utfall (kr)").input_value().replace("\xa0", " ") == "2 500 000"
    shown = text(page)
    # by hand: spent 650 000 + 2 500 000; deviation −1 170 000 + (2 500 000 − 1 000 000); 4 of 19 reported
    assert "Utfall, minst\n\n3,15 mnkr" in shown or "Utfall, minst\n3,15 mnkr" in shown
    assert "0,33 mnkr" in shown and "4 av 19" in shown
    assert "2 insatser har använt mer än beviljat" in shown
    kit.shot(page, JOURNEY, "06-rapport-sparad")

    shown = kit.go_to(page, "Importera")  # in the same tab, by the sidebar's menu
    assert "Ångra senaste import gäller Uppföljningssidan (1 rad), importerad " in shown
    assert "av Eva Ek (inskrivet namn)." in shown
