"""Funding sources are the municipality's own (issue 23, item 1): an imported frame carries any name (at most
120 characters, no control characters, no formula), with a kind the file may give (else "okänd"); a near
miss of a bundled name is a finding ("Menade du …?"), never a refusal; the name reaches the read store's
funding_sources table, the sidebar filter, the URL, Datakvalitet (`check`) and the exports."""

from __future__ import annotations

import html
import io
import unicodedata

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from insatskollen.core import consistency, headline, headline_tables, text_findings
from insatskollen.core.errors import DataError
from insatskollen.core.filters import Filters
from insatskollen.export import deck_pptx, table_files
from insatskollen.ingest import committer, previewer, template
from insatskollen.store.db import Database
from tests import office_kit
from tests.app_kit import open_app
from tests.conftest import ROOT, published_var

QUOTED = 'Trygghets-"miljonen"'
COMMA = "Egna medel, KF budget 2025"
PIPE = "Socialstyrelsen | Sociala insatser 2023"
LONG = ("Särskilda medel för trygghet och delaktighet i Andersberg, Sätra och Nordost " * 2)[:100].strip()
HEAD = "Kommun;År;Finansieringskälla;Typ av finansiering;Ram (kr);Nämnd;Insats;Område;Belopp (kr)"


def _csv(*rows: str, head: str = HEAD) -> bytes:
    return ("\r\n".join([head, *rows]) + "\r\n").encode("utf-8")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


GAVLE = _csv(
    f"Gävle;2025;{_quote(QUOTED)};egna medel;1 000 000;Kommunstyrelsen;Trygghetsvandring;Brottslighet;300 000",
    f"Gävle;2025;{_quote(COMMA)};annat;;Kultur- och fritidsnämnden;Föreningsstöd;Demokrati och civilsamhälle;",
    f"Gävle;2025;{PIPE};;;Socialnämnden;Familjecentral;Utbildning;250 000",
    f"Gävle;2025;{LONG};statsbidrag;2 000 000;Kommunstyrelsen;Läxhjälp;Utbildning;400 000",
    "Gävle;2025;Statsbidrag Delmo;;;Kommunstyrelsen;Kartläggning;Boende;150 000",
    "Gävle;2025;statsbidrag  delmos;;;Kommunstyrelsen;Behovsanalys;Boende;50 000",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A read store with the Gävle file imported."""
    db = Database.open(published_var(tmp_path_factory.mktemp("own-sources") / "own.duckdb"))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "gavle.csv", GAVLE), author="Per")
    yield db
    db.close()


def _problems(db, data: bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        previewer.preview(db, "egen.csv", data)
    return [str(p) for p in caught.value.problems]


def test_any_name_is_a_funding_source_with_the_kind_the_file_gives(db):
    preview = previewer.preview(db, "gavle.csv", GAVLE)
    assert list(preview.rows["Finansieringskälla"]) == [
        QUOTED,
        COMMA,
        PIPE,
        LONG,
        "Statsbidrag Delmo",  # a near miss is kept as typed
        "Statsbidrag Delmos",  # the same name after normalising is the bundled one
    ]
    sources = preview.tables["funding_sources"]
    assert list(zip(sources.funding_source, sources.kind, strict=True)) == [
        (QUOTED, "egna medel"),
        (COMMA, "annat"),
        (PIPE, "okänd"),
        (LONG, "statsbidrag"),
        ("Statsbidrag Delmo", "okänd"),
    ]
    assert set(sources.municipality_code) == {"2180"}
    assert len(LONG) == 100


def test_a_near_miss_of_a_bundled_name_is_a_finding_never_a_refusal(db):
    preview = previewer.preview(db, "gavle.csv", GAVLE)
    assert (
        "Rad 6, kolumn C (Finansieringskälla): ”Statsbidrag Delmo” är inte en av de kända finansieringskällorna "
        "och importeras som en egen källa. Menade du ”Statsbidrag Delmos”?"
    ) in preview.findings
    assert (
        f"Egna finansieringskällor i filen: ”{QUOTED}” (egna medel), ”{COMMA}” (annat), ”{PIPE}” (okänd), "
        f"”{LONG}” (statsbidrag), ”Statsbidrag Delmo” (okänd). Typen anges i kolumnen Typ av finansiering "
        "(statsbidrag, egna medel, annat); utan den är typen okänd."
    ) in preview.findings


def test_120_characters_are_a_name_and_121_are_refused_naming_row_and_column(db):
    name = "K" * 120
    preview = previewer.preview(db, "egen.csv", _csv(f"Gävle;2025;{name};;;;Läxhjälp;Utbildning;1 000"))
    assert list(preview.rows["Finansieringskälla"]) == [name]
    problems = _problems(db, _csv(f"Gävle;2025;{name}K;;;;Läxhjälp;Utbildning;1 000"))
    assert problems == [
        f'egen.csv, rad 2, kolumn Finansieringskälla: värdet "{"K" * 40}" – förväntat högst 120 tecken'
    ]


def test_an_empty_control_or_formula_name_is_refused(db):
    problems = _problems(
        db,
        _csv(
            "Gävle;2025;;;;;Läxhjälp;Utbildning;1 000",
            "Gävle;2025;Egna\x07medel;;;;Läxhjälp;Utbildning;1 000",
            "Gävle;2025;=HYPERLINK(1);;;;Läxhjälp;Utbildning;1 000",
        ),
    )
    assert problems == [
        "egen.csv, rad 2, kolumn Finansieringskälla: värdet saknas – förväntat finansieringskällans namn, "
        "t.ex. Statsbidrag Delmos eller Egna medel",
        'egen.csv, rad 3, kolumn Finansieringskälla: värdet "Egna\x07medel" – förväntat text utan styrtecken',
        'egen.csv, rad 4, kolumn Finansieringskälla: värdet "=HYPERLINK(1)" – förväntat text, inte en formel',
    ]


def test_a_kind_the_import_does_not_know_is_an_error_listing_the_allowed_kinds(db):
    problems = _problems(db, _csv("Gävle;2025;Egna medel;kommunalt;;;Läxhjälp;Utbildning;1 000"))
    assert problems == [
        'egen.csv, rad 2, kolumn Typ av finansiering: värdet "kommunalt" – förväntat en typ av finansiering: '
        "statsbidrag, egna medel, annat eller okänd (en tom cell är okänd)."
    ]


def test_the_kind_column_has_its_aliases_and_one_source_has_one_kind(db):
    head = HEAD.replace("Typ av finansiering", "Funding kind")
    problems = _problems(
        db,
        _csv(
            "Gävle;2025;Egna medel;Own funds;;;Läxhjälp;Utbildning;1 000",
            "Gävle;2025;egna medel;annat;;;Sommarjobb;Arbetsmarknad;1 000",
            head=head,
        ),
    )
    assert problems == [
        'egen.csv, rad 3, kolumn Funding kind: värdet "annat" – förväntat samma typ som för Egna medel på rad 2 '
        "(egna medel): en finansieringskälla har en typ"
    ]
    preview = previewer.preview(
        db,
        "egen.csv",
        _csv(
            "Gävle;2025;Egna medel;;;;Läxhjälp;Utbildning;1 000",
            head=head.replace("Funding kind", "Finansieringstyp"),
        ),
    )
    assert list(preview.tables["funding_sources"].kind) == ["okänd"]


def test_a_bundled_source_keeps_its_kind(db):
    preview = previewer.preview(
        db, "egen.csv", _csv("Gävle;2025;Statsbidrag Delmos;egna medel;;;Läxhjälp;Utbildning;1 000")
    )
    assert preview.tables["funding_sources"].empty
    assert (
        "Rad 2, kolumn D (Typ av finansiering): ”egna medel”, men Statsbidrag Delmos är statsbidrag i "
        "Insatskollens förteckning; den typen gäller."
    ) in preview.findings


def test_the_read_store_has_the_imported_sources_and_their_kinds(store):
    table = (
        store.con.cursor()
        .execute("select funding_source, kind from main.funding_sources order by funding_source")
        .fetchall()
    )
    assert table == sorted(
        [
            ("KS anslag till förfogande", "egna medel"),
            ("Statsbidrag Delmos", "statsbidrag"),
            ("Statsbidrag Socialstyrelsen", "statsbidrag"),
            ("Statsbidrag Tillväxtverket", "statsbidrag"),
            (QUOTED, "egna medel"),
            (COMMA, "annat"),
            (PIPE, "okänd"),
            (LONG, "statsbidrag"),
            ("Statsbidrag Delmo", "okänd"),
        ]
    )
    offered = store.query("filter_options", **Filters(municipalities=("Gävle",)).params())
    assert sorted(offered[offered["filter"] == "funding_sources"].value) == sorted(
        [QUOTED, COMMA, PIPE, LONG, "Statsbidrag Delmo", "Statsbidrag Delmos"]
    )


def test_a_second_import_naming_the_same_source_keeps_one_row_and_undo_takes_it_away(tmp_path):
    db = Database.open(published_var(tmp_path / "two.duckdb"))
    db.ensure_built()
    count = "select count(*) from main.funding_sources where funding_source = 'Egna medel'"
    kind = "select kind from main.funding_sources where funding_source = 'Egna medel'"
    committer.commit(db, previewer.preview(db, "a.csv", _csv("Gävle;2025;Egna medel;;;;A;Boende;1 000")))
    assert (db.scalar(count), db.scalar(kind)) == (1, "okänd")
    committer.commit(
        db, previewer.preview(db, "b.csv", _csv("Sandviken;2025;egna medel;egna medel;;;B;Boende;1"))
    )
    assert (db.scalar(count), db.scalar(kind)) == (1, "egna medel")  # one row; the kind a file gives
    both = db.query("check_funding_source_names")  # both municipalities' frames; not near a bundled name
    assert sorted(zip(both.municipality, both.funding_source, strict=True)) == [
        ("Gävle", "Egna medel"),
        ("Sandviken", "Egna medel"),
    ]
    assert not [f for f in consistency.run(db).findings if f.category == text_findings.SOURCE_NAME_CATEGORY]
    committer.undo_last(db)
    committer.undo_last(db)
    assert db.scalar(count) == 0
    db.close()


def test_datakvalitet_and_check_say_menade_du_for_a_near_miss(store):
    report = consistency.run(store, Filters(municipalities=("Gävle",)))
    found = [f for f in report.findings if f.category == text_findings.SOURCE_NAME_CATEGORY]
    assert [(f.municipality, f.years, f.subject, f.message) for f in found] == [
        (
            "Gävle",
            (2025,),
            "Statsbidrag Delmo",
            "”Statsbidrag Delmo” är inte en av de kända finansieringskällorna och visas som en egen källa. "
            "Menade du ”Statsbidrag Delmos”? Rätta namnet i filen och importera den igen om det är samma pengar.",
        )
    ]
    # the source names the cell the name stands in
    assert [f.sources[0].split(", ”", 1)[1] for f in found] == [
        "gavle.csv rad 6, kolumn C (Finansieringskälla)”"
    ]
    assert all(f.sources[0].startswith("Importerad fil gavle.csv, ") for f in found)  # never its internal id
    assert "Menade du ”Statsbidrag Delmos”?" in consistency.render(report)


def test_the_frame_table_export_carries_any_name(store):
    head = headline.headline(store, Filters(funding_sources=(COMMA, QUOTED, LONG)))
    table = headline_tables.frame_year_table(head)
    text = table_files.to_csv(table).decode("utf-8-sig")
    lines = text.splitlines()
    assert f"Gävle;2025;{COMMA};;;;;;;;1;ramens belopp okänt;Ramens belopp är okänt." in lines  # ; separates
    assert (
        f"Gävle;2025;{LONG};2000000;400000;;1600000;;0;;0;känd;1,6\xa0mnkr av ramen på 2\xa0mnkr är ofördelat."
        in lines
    )
    assert (
        'Gävle;2025;"Trygghets-""miljonen""";1000000;300000;;700000;;0;;0;känd;'
        "0,7\xa0mnkr av ramen på 1\xa0mnkr är ofördelat."
    ) in lines
    book = openpyxl.load_workbook(io.BytesIO(table_files.to_xlsx({"Ramar": table})))
    names = [row[2] for row in book["Ramar"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted([COMMA, QUOTED, LONG])


@pytest.fixture
def own_app(tmp_path, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(published_var(tmp_path / "var")))
    st.cache_data.clear()
    st.cache_resource.clear()
    db = Database.open()
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "gavle.csv", GAVLE), author="Per")
    db.close()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_link_with_comma_quote_and_bar_names_opens_the_same_filter(own_app):
    chosen = Filters(municipalities=("Gävle",), funding_sources=(COMMA, QUOTED, PIPE))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in chosen.to_query_params().items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    sources = at.multiselect(key="filter_funding_sources")
    assert list(sources.value) == [COMMA, QUOTED, PIPE]
    assert {COMMA, QUOTED, PIPE, LONG, "Statsbidrag Delmo", "Statsbidrag Delmos"} <= set(sources.options)
    assert at.query_params["kalla"] == chosen.to_query_params()["kalla"]
    # the line above the figures: a name with a comma among several is quoted, so it reads as one
    captions = [html.unescape(c.value) for c in at.caption if c.value.startswith("Visar:")]
    assert captions == [f"Visar: Gävle · ”{COMMA}”, {QUOTED}, {PIPE}"]


def test_the_template_has_the_kind_column_with_its_drop_down_list(db):
    from tests.app.test_import_template import _list_values, _validations

    header = template.measures_csv().decode("utf-8-sig").splitlines()[0]
    assert "Finansieringskälla;Typ av finansiering;Ram (kr)" in header
    book = openpyxl.load_workbook(io.BytesIO(template.measures_xlsx(db)))
    kind = _validations(book["Insatser"])["Typ av finansiering"]
    assert (kind.type, _list_values(book, kind)) == ("list", ["statsbidrag", "egna medel", "annat"])
    assert kind.errorStyle == "warning"  # "okänd" and the English words are read too
    assert kind.prompt == (
        "Vilken sorts pengar källan är: statsbidrag, egna medel eller annat. Välj i listan. Tomt = okänd."
    )


@pytest.mark.skipif(not office_kit.available("pdftotext"), reason="no LibreOffice to lay the slides out")
def test_a_100_character_source_keeps_its_decision_slide_title_above_the_message(store, tmp_path):
    """LibreOffice lays the PowerPoint out: the title "Förslag till beslut – <100 characters> 2025" ended its
    third line over the slide's message at 24 pt; every word of it sits above the message now."""
    from insatskollen.export import deck

    path = tmp_path / "gavle.pptx"
    path.write_bytes(deck_pptx.to_pptx(deck.from_filters(store, Filters(municipalities=("Gävle",)))))
    pdf = office_kit.to_pdf(path)
    title = f"Förslag till beslut – {LONG} · 2025".split()
    for page in office_kit.bbox_pages(pdf):
        words = office_kit.WORD_BOX.findall(page)
        texts = [html.unescape(w) for _y0, _y1, w in words]
        start = texts.index("Förslag") if "Förslag" in texts else -1
        if start < 0 or texts[start : start + len(title)] != title:
            continue
        title_bottom = max(float(y1) for _y0, y1, _w in words[start : start + len(title)])
        message_top = float(words[start + len(title)][0])
        assert texts[start + len(title)] == "Gävle:"
        assert title_bottom <= message_top + 0.5
        return
    pytest.fail("no decision slide for the 100-character source")


def test_datakvalitet_shows_the_near_miss_with_its_suggestion(own_app):
    at = open_app("pages/datakvalitet.py", {"kommun": "Gävle"})
    assert not at.exception, [e.value for e in at.exception]
    shown = [html.unescape(m.value) for m in at.markdown]
    assert any(
        "Statsbidrag Delmo: ”Statsbidrag Delmo” är inte en av de kända finansieringskällorna och visas som en "
        "egen källa. Menade du ”Statsbidrag Delmos”?" in text
        for text in shown
    ), shown


def test_the_flow_chart_names_every_own_source_in_its_table_and_text(store):
    from insatskollen.export import committee_charts

    spec = committee_charts.flow_sankey(
        store.query("allocation_flow", **Filters(municipalities=("Gävle",)).params())
    )
    rows = set(zip(spec.table["Från"], spec.table["Till"], spec.table["Belopp (kr)"], strict=True))
    assert {
        (QUOTED, "Kommunstyrelsen", 300_000.0),
        (LONG, "Kommunstyrelsen", 400_000.0),
        (PIPE, "Socialnämnden", 250_000.0),
        ("Statsbidrag Delmo", "Kommunstyrelsen", 150_000.0),
    } <= rows
    assert f"{QUOTED} → Kommunstyrelsen: 300\xa0000\xa0kr" in spec.alt


def test_a_file_of_many_own_sources_names_ten_and_counts_the_rest(db):
    rows = [f"Gävle;2025;Källa {i:02d};;;;Insats {i};Boende;1 000" for i in range(25)]
    preview = previewer.preview(db, "många.csv", _csv(*rows))
    listing = [f for f in preview.findings if f.startswith("Egna finansieringskällor i filen")]
    named = ", ".join(f"”Källa {i:02d}” (okänd)" for i in range(10))
    assert listing == [
        f"Egna finansieringskällor i filen: {named} och 15 källor till. Typen anges i kolumnen Typ av "
        "finansiering (statsbidrag, egna medel, annat); utan den är typen okänd."
    ]


# Issue 23's attack (F3, F6, F7): a name is one line of visible text, the same text however it was typed.
FULL_HEAD = HEAD + ";Beskrivning;Status;Källa;Dnr"


def test_a_line_break_or_tab_in_a_one_line_field_is_refused_naming_row_and_column(db):
    spoof = "Egna medel\nInga avvikelser. Allt stämmer."
    data = _csv(
        f"Gävle;2025;{_quote(spoof)};egna medel;;;Trygghetsvandring;Brottslighet;400 000;;;;",
        'Gävle;2025;Egna medel;;;"Kommun\rstyrelsen";Läxhjälp;Utbildning;1 000;;;;',
        'Gävle;2025;Egna medel;;;;"Läx\thjälp";Utbildning;1 000;;;;',
        "Gävle;2025;Egna medel;;;;Läxhjälp;Utbild\u2028ning;1 000;;;;",
        "Gävle;2025;Egna medel;;;;Läxhjälp;Utbildning;1 000;;;;KS\u20292025/1",
        'Gävle;2025;Egna medel;;;;Läxhjälp;Utbildning;1 000;;"på\ngår";;',
        head=FULL_HEAD,
    )
    # a row is named by its first line in the file: row 2's name and row 4's Nämnd take two lines each
    expected = "förväntat text utan radbrytningar eller tabbar"
    assert _problems(db, data) == [
        f'egen.csv, rad 2, kolumn Finansieringskälla: värdet "Egna medel[radbrytning]Inga avvikelser. Allt stämmer." – {expected}',
        f'egen.csv, rad 4, kolumn Nämnd: värdet "Kommun[radbrytning]styrelsen" – {expected}',
        f'egen.csv, rad 6, kolumn Insats: värdet "Läx[tabb]hjälp" – {expected}',
        f'egen.csv, rad 7, kolumn Område: värdet "Utbild[radbrytning]ning" – {expected}',
        f'egen.csv, rad 8, kolumn Dnr: värdet "KS[radbrytning]2025/1" – {expected}',
        f'egen.csv, rad 9, kolumn Status: värdet "på[radbrytning]går" – {expected}',
    ]
    # a description may keep its line breaks
    kept = previewer.preview(
        db,
        "egen.csv",
        _csv(
            'Gävle;2025;Egna medel;;;;Läxhjälp;Utbildning;1 000;"Två rader:\nläxor och språk";;;',
            head=FULL_HEAD,
        ),
    )
    assert list(kept.tables["measures"].description) == ["Två rader:\nläxor och språk"]


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\ufeff", "\u00ad", "\u200d", "\u200c", "\u2060"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_an_invisible_character_in_a_name_is_refused(db, invisible):
    data = _csv(
        f"Gävle;2025;Statsbidrag{invisible} Delmos;;;;Läxhjälp;Utbildning;1 000",
        f"Gävle;2025;{invisible}=1+1;;;;Läxhjälp;Utbildning;1 000",
        f"Gävle;2025;Egna medel;;;;Läxhjälp{invisible};Utbildning;1 000",
    )
    expected = "förväntat text utan osynliga tecken (t.ex. nollbreddsmellanslag)"
    shown = f"[U+{ord(invisible):04X}]"  # the message names the character where it is
    assert _problems(db, data) == [
        f'egen.csv, rad 2, kolumn Finansieringskälla: värdet "Statsbidrag{shown} Delmos" – {expected}',
        f'egen.csv, rad 3, kolumn Finansieringskälla: värdet "{shown}=1+1" – {expected}',
        f'egen.csv, rad 4, kolumn Insats: värdet "Läxhjälp{shown}" – {expected}',
    ]


def test_a_formula_behind_an_invisible_character_in_a_description_is_refused(db):
    data = _csv("Gävle;2025;Egna medel;;;;Läxhjälp;Utbildning;1 000;\u200b=1+1;;;", head=FULL_HEAD)
    assert _problems(db, data) == [
        'egen.csv, rad 2, kolumn Beskrivning: värdet "[U+200B]=1+1" – förväntat text, inte en formel'
    ]


def test_a_decomposed_name_from_a_mac_is_the_same_name(db):
    nfd = unicodedata.normalize("NFD", "Statsbidrag Tillväxtverket")
    own_nfd, own_nfc = unicodedata.normalize("NFD", "Trygghetsmiljönen"), "Trygghetsmiljönen"
    preview = previewer.preview(
        db,
        "mac.csv",
        _csv(
            f"Gävle;2019;{nfd};statsbidrag;1 000 000;Kommunstyrelsen;NFD;Brottslighet;400 000",
            f"Gävle;2018;{own_nfd};egna medel;;Kommunstyrelsen;{unicodedata.normalize('NFD', 'Läxhjälp')};Boende;1",
            f"Gävle;2018;{own_nfc};egna medel;;Kommunstyrelsen;Språkcafé;Boende;1",
        ),
    )
    assert list(preview.rows["Finansieringskälla"]) == [
        "Statsbidrag Tillväxtverket",
        "Trygghetsmiljönen",
        "Trygghetsmiljönen",
    ]
    assert all(unicodedata.is_normalized("NFC", s) for s in preview.rows["Finansieringskälla"])
    assert list(preview.tables["funding_sources"].funding_source) == ["Trygghetsmiljönen"]  # one own source
    assert list(preview.tables["measures"].title) == ["NFD", "Läxhjälp", "Språkcafé"]
    assert unicodedata.is_normalized("NFC", preview.tables["measures"].title.iloc[1])


@pytest.mark.parametrize("text", ["＝1+1", "＋SUM(1)", "－1+2", "＠SUM(1)", " ＝1"])
def test_an_export_neutralises_a_fullwidth_formula_start_as_the_import_refuses_it(text):
    assert table_files.neutralise(text) == "'" + text


# Issue 23's attack (F4): one own source has one kind; a second municipality's file does not flip it.
def test_a_second_file_giving_another_kind_keeps_the_first_and_says_so(tmp_path):
    db = Database.open(published_var(tmp_path / "kinds.duckdb"))
    db.ensure_built()
    kind = "select kind from main.funding_sources where funding_source = 'Trygghetsmiljonen'"
    first = previewer.preview(
        db, "s11.csv", _csv("Gävle;2021;Trygghetsmiljonen;egna medel;1 000 000;;T1;Brottslighet;400 000")
    )
    committer.commit(db, first)
    assert db.scalar(kind) == "egna medel"
    second = previewer.preview(
        db, "s12.csv", _csv('Sandviken;2021;"trygghetsmiljonen ";statsbidrag;1 000 000;;T2;Brottslighet;1')
    )
    assert list(second.rows["Finansieringskälla"]) == ["Trygghetsmiljonen"]
    assert (
        "Rad 2, kolumn D (Typ av finansiering): ”Trygghetsmiljonen” finns redan som egna medel (Gävle); "
        "filen anger statsbidrag. En finansieringskälla har en typ: egna medel gäller."
    ) in second.findings
    committer.commit(db, second)
    assert db.scalar(kind) == "egna medel"  # Gävle's kind stands
    db.close()


def test_a_municipality_may_correct_the_kind_of_its_own_source(tmp_path):
    db = Database.open(published_var(tmp_path / "own-kind.duckdb"))
    db.ensure_built()
    kind = "select kind from main.funding_sources where funding_source = 'Trygghetsmiljonen'"
    committer.commit(
        db, previewer.preview(db, "a.csv", _csv("Gävle;2021;Trygghetsmiljonen;egna medel;;;T1;Boende;1"))
    )
    again = previewer.preview(db, "b.csv", _csv("Gävle;2022;Trygghetsmiljonen;statsbidrag;;;T1;Boende;1"))
    assert not [f for f in again.findings if "finns redan som" in f]
    committer.commit(db, again)
    assert db.scalar(kind) == "statsbidrag"
    db.close()


def test_the_invisible_character_class_is_every_format_character_unicode_knows():
    import sys

    from insatskollen.ingest.cells import INVISIBLE_CHARS

    chars = (chr(c) for c in range(sys.maxunicode + 1))
    assert [c for c in chars if unicodedata.category(c) == "Cf" and not INVISIBLE_CHARS.match(c)] == []
