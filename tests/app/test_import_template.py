"""Issue 23, item 3: the Excel templates guide as they are filled (a drop-down list on every column whose
values come from a list, a hint on every column), their own list sheets never make the import warn about
"other sheets", and a Dnr (its own column, or a Källa that is a diarienummer) goes with the imported file.
"""

from __future__ import annotations

import html
import io

import openpyxl
import pytest
import streamlit as st
from openpyxl.utils import column_index_from_string

from insatskollen.core.case_number import case_number_in
from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, follow_up_file, headers, previewer, template
from insatskollen.store.db import Database
from insatskollen.store.working.follow_up import FOLLOW_UP_STATUSES
from tests.app_kit import open_app, open_expanders
from tests.conftest import published_var

AREAS = ["Boende", "Utbildning", "Arbetsmarknad", "Demokrati och civilsamhälle", "Brottslighet"]
# Gävle (2180) is in no bundled document: the user of issue 23, with eight measures and one dnr.
GAVLE = [
    ("Läxhjälp i Sätra", "Utbildning", 350_000),
    ("Sommarjobb för unga", "Arbetsmarknad", 600_000),
    ("Trygghetsvandringar", "Brottslighet", 120_000),
    ("Föreningsbidrag Andersberg", "Demokrati och civilsamhälle", 200_000),
    ("Boendesociala insatser", "Boende", 450_000),
    ("Språkcafé", "Utbildning", 80_000),
    ("Fältassistenter", "Brottslighet", 900_000),
    ("Medborgardialog", "Demokrati och civilsamhälle", None),  # amount not known yet
]


@pytest.fixture(scope="module")
def bundled():
    db = Database.open(":memory:")
    db.ensure_built()
    yield db
    db.close()


def _validations(sheet) -> dict[str, object]:
    """Data-sheet header -> its data validation (each covers one column from row 2 down)."""
    header = [c.value for c in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            assert cells.min_row == 2 and cells.min_col == cells.max_col
            found[header[cells.min_col - 1]] = validation
    return found


def _list_values(book, validation) -> list[str]:
    """The values a list validation offers, read from the sheet and range its formula names."""
    sheet_part, cells = validation.formula1.lstrip("=").rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    column = column_index_from_string(first.rstrip("0123456789"))
    rows = range(
        int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    )
    sheet = book[sheet_part.strip("'")]
    return [sheet.cell(row=r, column=column).value for r in rows]


def test_the_excel_template_has_drop_down_lists_and_hints_on_its_data_sheet(bundled):
    book = openpyxl.load_workbook(io.BytesIO(template.measures_xlsx(bundled)))
    assert book.sheetnames[0] == "Insatser"  # the sheet the import reads comes first
    sheet = book["Insatser"]
    assert [c.value for c in sheet[1]] == headers.TEMPLATE_HEADERS
    found = _validations(sheet)
    assert set(found) == set(headers.TEMPLATE_HEADERS)  # a hint on every column

    area, status, source, kommun = (
        found["Område"],
        found["Status"],
        found["Finansieringskälla"],
        found["Kommun"],
    )
    assert (area.type, _list_values(book, area)) == ("list", AREAS)
    assert area.errorStyle == "warning"  # a municipality's own label may still be known to the import
    assert (status.type, _list_values(book, status)) == (
        "list",
        ["beslutad", "föreslagen", "planerad", "övrigt förslag utan finansiering"],
    )
    assert status.showErrorMessage and status.errorStyle in (None, "stop")
    # funding sources are suggestions: any other name is kept without a word
    assert source.type == "list" and not source.showErrorMessage
    assert _list_values(book, source) == [
        "Statsbidrag Tillväxtverket",
        "Statsbidrag Delmos",
        "Statsbidrag Socialstyrelsen",
        "KS anslag till förfogande",
    ]
    municipalities = _list_values(book, kommun)
    assert len(municipalities) == 290 and "Gävle" in municipalities and not kommun.showErrorMessage
    year = found["År"]
    assert (year.type, year.operator or "between", year.formula1, year.formula2) == (
        "whole",
        "between",  # the default operator, which openpyxl reads as None
        "1990",
        "2100",
    )
    assert found["Dnr"].promptTitle == "Dnr"
    assert (
        found["Dnr"].prompt
        == "Ärendets diarienummer, t.ex. KS 2025/0123. Får vara tomt när det står i Källa."
    )
    assert found["Belopp (kr)"].prompt == (
        "Beviljat eller föreslaget belopp för året: 350 000, 350 000 kr, 2,08 mnkr eller 300 tkr. "
        "Tomt = okänt belopp (inte noll)."
    )
    assert all(len(v.prompt) <= 255 and v.showInputMessage for v in found.values())


def test_the_follow_up_template_offers_the_statuses_and_the_measures_ids(bundled):
    book = openpyxl.load_workbook(io.BytesIO(template.follow_up_xlsx(bundled)))
    assert book.sheetnames == ["Uppföljning", "Mallens listor", "Mallens insatser"]
    found = _validations(book["Uppföljning"])
    assert set(found) == set(follow_up_file.TEMPLATE_HEADERS)
    assert _list_values(book, found["Genomförande"]) == list(FOLLOW_UP_STATUSES)
    assert found["Genomförande"].showErrorMessage
    ids = _list_values(book, found["Insats-id"])
    assert "mal-05" in ids and not found["Insats-id"].showErrorMessage
    measures = {r[1].value: (r[0].value, r[2].value) for r in book["Mallens insatser"].iter_rows(min_row=2)}
    assert measures["mal-05"] == ("Malmö", "Utvecklingsprojekt i musik i förskolan")


def _resaved(data: bytes, fill=None) -> bytes:
    """The workbook as Excel would save it after a person opened it (and filled it, `fill(book)`)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    if fill:
        fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("which", ["measures", "follow_up"])
def test_a_template_saved_as_it_is_reads_without_a_word_about_other_sheets(bundled, which):
    made = template.measures_xlsx(bundled) if which == "measures" else template.follow_up_xlsx(bundled)
    for data in (made, _resaved(made)):
        read = previewer.read_rows("mall.xlsx", data)
        assert read.sheet == ("Insatser" if which == "measures" else "Uppföljning")
        assert read.findings == []  # no "Bara bladet … läses. Filen har också …"


def test_a_template_downloaded_before_is_read_without_a_word_about_its_list_sheet(bundled):
    """The template of 2026-11 had its lists on the sheet "Tillåtna värden", which made the page warn."""

    def old_lists(book):
        book["Mallens listor"].title = "Tillåtna värden"

    read = previewer.read_rows("mall.xlsx", _resaved(template.measures_xlsx(bundled), old_lists))
    assert read.findings == []


def test_a_sheet_of_the_users_own_is_still_mentioned(bundled):
    def notes(book):
        book.create_sheet("Anteckningar")["A1"] = "egna anteckningar"

    read = previewer.read_rows("mall.xlsx", _resaved(template.measures_xlsx(bundled), notes))
    assert read.findings == ["Bara bladet ”Insatser” läses. Filen har också Anteckningar."]


def gavle_filled(book, source: str = "Kommunstyrelsen 2025-03-12, dnr KS 2025/0123", dnr: str | None = None):
    """The template filled as the Gävle official filled it: the example row replaced by eight measures."""
    sheet = book["Insatser"]
    column = {c.value: c.column for c in sheet[1]}
    for row, (title, area, amount) in enumerate(GAVLE, start=2):
        values = {
            "Kommun": "Gävle",
            "År": 2025,
            "Finansieringskälla": "Statsbidrag Delmos",
            "Ram (kr)": 3_000_000,
            "Nämnd": "Kommunstyrelsen",
            "Insats": title,
            "Beskrivning": None,
            "Område": area,
            "Belopp (kr)": amount,
            "Äskat (kr)": None,
            "Status": "beslutad",
            "Källa": source,
            "Dnr": dnr,
            "Kommunkod": None,
        }
        for header, value in values.items():
            sheet.cell(row=row, column=column[header]).value = value  # None empties the example's cell


def test_the_filled_template_imports_with_its_dnr_from_the_källa(bundled):
    data = _resaved(template.measures_xlsx(bundled), gavle_filled)
    preview = previewer.preview(bundled, "gavle-2025.xlsx", data)
    assert not [f for f in preview.findings if "blad" in f]
    assert list(preview.rows["Dnr"]) == ["KS 2025/0123"] * 8
    [document] = preview.tables["documents"].to_dict("records")
    assert (document["title"], document["case_number"]) == ("Importerad fil gavle-2025.xlsx", "KS 2025/0123")
    first = preview.tables["allocations"].source_section.iloc[0]
    assert (  # column K: the template has Typ av finansiering after Finansieringskälla (issue 23, item 1)
        first
        == "gavle-2025.xlsx rad 2, kolumn K (Belopp (kr)); källa: Kommunstyrelsen 2025-03-12, dnr KS 2025/0123"
    )


HEAD = "Kommun;År;Finansieringskälla;Insats;Belopp (kr);Källa"


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        ("", ["Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;KS 2025/0123"], "KS 2025/0123"),
        ("", ["Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;dnr KS 2025/0123"], "KS 2025/0123"),
        ("", ["Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;Budgetbeslut i KF"], None),
        (";Dnr", ["Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;Beslut;KS 2025/77"], "KS 2025/77"),
        (
            ";Diarienummer",
            ["Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;dnr KS 2025/1;KS 2025/2"],
            "KS 2025/2",
        ),
        (
            "",
            [
                "Gävle;2025;Statsbidrag Delmos;Läxhjälp;1 000;dnr KS 2025/1",
                "Gävle;2025;Statsbidrag Delmos;Fältarbete;1 000;dnr KS 2025/2",
            ],
            "KS 2025/1, KS 2025/2",
        ),
    ],
)
def test_a_dnr_column_or_a_källa_that_is_a_diarienummer_gives_the_files_dnr(bundled, header, rows, expected):
    text = "\n".join([HEAD + header, *rows]) + "\n"
    preview = previewer.preview(bundled, "gavle.csv", text.encode())
    assert preview.tables["documents"].case_number.iloc[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dnr KS 2025/0123", "KS 2025/0123"),
        ("KS 2025/0123", "KS 2025/0123"),
        ("Tjänsteskrivelse 2025-03-12, dnr KS 2025/0123", "KS 2025/0123"),
        ("Diarienummer: STK-2018-1233", "STK-2018-1233"),
        ("STK-2018-1233", "STK-2018-1233"),
        ("Beslut KS 18/292 (2018-09-17)", "KS 18/292"),
        ("Dnr. KS-2025-0123", "KS-2025-0123"),
        ("Protokoll 2025-03-12", None),  # a date is no dnr
        ("SFS 2018:151", None),  # nor a statute
        ("KF budget 2025", None),
        ("t.ex. Tjänsteskrivelse, dnr och datum", None),
        ("", None),
        # issue 23's attack (F5): what follows "dnr" must look like a case number
        ("Kontakta dnr-ansvarig på 070-123 45 67", None),
        ("Beslut dnr =1+2*3", None),
        ("Beslut dnr: =2+5", None),
        ('Beslut dnr =HYPERLINK("http://evil.example")', None),
        ("Kontakta dnr ansvarig på 070-123 45 67", None),
        ("Beslut dnr KS 2025/0123 i kommunstyrelsen", "KS 2025/0123"),
        ("dnr KS2025.0123", "KS2025.0123"),
        ("Diarienr: SN 2024/45-3", "SN 2024/45-3"),
    ],
)
def test_a_diarienummer_is_found_in_a_källa(text, expected):
    assert case_number_in(text) == expected


def test_kommuner_and_källor_name_an_imported_file_by_name_dnr_date_and_its_eight_rows(tmp_path, monkeypatch):
    """Issue 23: Kommuner showed "Dnr –" and "Källa import-e9f93bab-2180", Källor "Rader som citerar 17" for
    the eight-row file (8 measures + 8 allocation lines + 1 frame, counted together)."""
    var = tmp_path / "var"
    db = Database.open(published_var(var))
    db.ensure_built()
    text = "\n".join(
        ["Kommun;År;Finansieringskälla;Ram (kr);Insats;Område;Belopp (kr);Källa"]
        + [
            f"Gävle;2025;Statsbidrag Delmos;3 000 000;{title};{area};{amount or ''};dnr KS 2025/0123"
            for title, area, amount in GAVLE
        ]
    )
    committer.commit(db, previewer.preview(db, "gavle-2025.csv", text.encode()), author="Kim")
    today = db.query("documents").query("municipality == 'Gävle'").date.iloc[0]
    measure = db.scalar("select measure_id from main.measures where title = 'Läxhjälp i Sätra'")
    # Insatser's download names the file and its dnr, as its page does (it gave the internal id)
    listed = db.scalar(
        "select distinct source_title || ' | ' || case_number from main.measure_overview "
        "where municipality = 'Gävle'"
    )
    assert listed == "Importerad fil gavle-2025.csv | KS 2025/0123"
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(var))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/kommuner.py", {"kommun": "Gävle"})
        assert not at.exception, [e.value for e in at.exception]
        [frames] = [d.value for d in at.dataframe if "Finansieringskälla" in d.value.columns]
        assert frames[["Dnr", "Källa"]].to_dict("records") == [
            {"Dnr": "KS 2025/0123", "Källa": f"Importerad fil gavle-2025.csv, {today}"}
        ]
        at = at.switch_page("pages/kallor.py").run()
        assert not at.exception, [e.value for e in at.exception]
        [docs] = [d.value for d in at.dataframe if "Dokument" in d.value.columns]
        assert docs.to_dict("records") == [
            {
                "Kommun": "Gävle",
                "Datum": today,
                "Dnr": "KS 2025/0123",
                "Typ": "Importerad fil",
                "Dokument": "Importerad fil gavle-2025.csv",
                "Ramar": 1,
                "Insatser": 8,
                "Fördelningsrader": 8,
            }
        ]
        at = open_expanders(at, "Gävle")  # the file's own details, as the reader opens them
        shown = " ".join(m.value for m in at.markdown)
        assert "import-" not in shown  # no internal id anywhere on the page
        assert "**Dnr:** KS 2025/0123" in shown
        at.query_params["insats"] = measure
        at = at.switch_page("pages/insatser.py").run()
        assert not at.exception, [e.value for e in at.exception]
        [source] = [html.unescape(m.value) for m in at.markdown if m.value.startswith("**Källa:**")]
        assert source == (
            f"**Källa:** Importerad fil gavle-2025.csv, dnr KS 2025/0123, {today}  \n"
            "Avsnitt: gavle-2025.csv rad 2 (dnr KS 2025/0123)"
        )  # no "Fil: import-…"
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_dnr_column_and_a_dnr_from_the_källa_share_one_length_cap(bundled):
    head = "Kommun;År;Finansieringskälla;Insats;Belopp (kr);Källa;Dnr\n"
    long = "KS 2025/" + "1" * 53  # 61 characters
    with pytest.raises(DataError) as raised:
        previewer.preview(
            bundled, "gavle.csv", (head + f"Gävle;2025;Egna medel;Läxhjälp;1 000;;{long}\n").encode()
        )
    assert [str(p) for p in raised.value.problems] == [
        f'gavle.csv, rad 2, kolumn Dnr: värdet "{long[:40]}" – förväntat högst 60 tecken'
    ]
    preview = previewer.preview(
        bundled, "gavle.csv", (head + f"Gävle;2025;Egna medel;Läxhjälp;1 000;dnr {long};\n").encode()
    )
    assert list(preview.rows["Dnr"]) == [None]
    assert preview.tables["documents"].case_number.iloc[0] is None
