"""Follow-up (issue 15): reports of spent (utfall), genomförande and results per measure and year,
imported through the import path, kept with who and when, superseded and undone without deleting, and
the `follow_up` view's numbers against the bundled data, computed by hand from data/*.csv."""

from __future__ import annotations

import datetime as dt
import html
import unicodedata

import pandas as pd
import pytest
from sqlalchemy import func, select

from insatskollen import cli
from insatskollen.core.errors import DataError
from insatskollen.core.roles import Actor
from insatskollen.ingest import committer, follow_up_file, previewer, template
from insatskollen.store.db import Database
from insatskollen.store.working.follow_up import FOLLOW_UP_STATUSES
from insatskollen.store.working.tables import follow_up_reports
from tests.app_kit import open_app
from tests.conftest import published_read, published_var

HEADER = "Kommun;Insats-id;Insats;År;Utfall (kr);Genomförande;Datum;Resultat\n"
# mal-05 granted 320 000 kr (Bilaga 1), a-sos-kn a pot to Kulturnämnden granted 3 100 000 kr,
# lkp-01 granted unknown (Linköping's Tabell 1 gives no amount per measure)
REPORT = (
    HEADER
    + "Malmö;mal-05;;2022;350 000;genomförd;2022-12-31;Musik i 12 förskolor\n"
    + "Malmö;a-sos-kn;;2022;;pågår;;\n"
    + "Linköping;;Modeller för samrådsmöten och medborgardialoger i fysisk planering;2018;90 000;pågår;;Två samråd\n"
)
ANNA = Actor("Anna Andersson", subject="sub-anna", email="anna@malmo.se")


def _open(tmp_path, url: str | None = None) -> Database:
    var = published_read(tmp_path / "var") if url else published_var(tmp_path / "var")
    db = Database.open(var, database_url=url)
    db.ensure_built()
    return db


def _row(db: Database, where: str, params: dict) -> dict:
    cols, rows = db.stores.current().select(
        "select * from main.follow_up where " + where.format(**{k: repr(v) for k, v in params.items()})
    )
    assert len(rows) == 1, rows
    return dict(zip(cols, rows[0], strict=True))


@pytest.fixture(scope="module")
def bundled():
    db = Database.open(":memory:")
    db.ensure_built()
    yield db
    db.close()


def test_the_view_has_one_row_per_funded_measure_and_year_with_the_headline_granted(bundled):
    """By hand from data/: Södertälje 4 measures × 2018–2020 (a line without a year applies to every year of
    its frame) = 12, Linköping 13 (2018), Motala 5 (2018), Malmö 19 KS measures + 9 Socialstyrelsen pots =
    28; Södertälje's 13 proposals the document does not fund are not granted and not listed. 58 rows."""
    assert bundled.scalar("select count(*) from main.follow_up") == 58
    assert (
        bundled.scalar("select count(distinct (measure_id, allocation_id, year)) from main.follow_up") == 58
    )
    # granted is Nyckeltal's fördelat (README): 66 300 000 kr = Södertälje 3 × 10 900 000 + Malmö KS
    # 15 000 000 + Malmö Socialstyrelsen 18 600 000 (the nine nämnd pots)
    assert bundled.scalar("select sum(granted_sek) from main.follow_up") == 66_300_000
    assert bundled.scalar(
        "select sum(granted_sek) from main.follow_up where municipality = 'Södertälje'"
    ) == (3 * (3_700_000 + 2_900_000 + 2_800_000 + 1_500_000))
    # unknown, never 0: Linköping's 13 and Motala's 5 measures have no amount in their documents
    assert bundled.scalar("select count(*) from main.follow_up where granted_sek is null") == 18
    assert bundled.scalar("select count(*) from main.follow_up where granted_sek = 0") == 0
    # no report yet: spent unknown and "ingen rapport" everywhere
    assert bundled.scalar("select count(*) from main.follow_up where status = 'ingen rapport'") == 58
    assert bundled.scalar("select count(spent_sek) + count(deviation_sek) from main.follow_up") == 0
    sod = _row(bundled, "measure_id = {m} and year = {y}", {"m": "sod-01", "y": 2019})
    assert sod["granted_sek"] == 3_700_000
    assert sod["granted_document"] == "000_35ce3f8902650d6a.txt"
    assert sod["granted_section"] == "2.3 Insatser – Preliminär budget"
    assert sod["granted_case_number"] == "KS 18/292"
    pot = _row(bundled, "allocation_id = {a}", {"a": "a-sos-kn"})
    assert (pot["measure"], pot["committee"], pot["granted_sek"]) == (
        "Kulturnämnden",
        "Kulturnämnden",
        3_100_000,
    )


def test_reports_land_in_the_view_with_deviation_and_their_source(tmp_path):
    db = _open(tmp_path)
    try:
        preview = previewer.preview(db, "uppfoljning-2022.csv", REPORT.encode())
        assert preview.kind == "follow_up"
        deviation = preview.rows["Avvikelse (kr)"]
        assert [None if pd.isna(v) else int(v) for v in deviation] == [
            30_000,
            None,
            None,
        ]
        findings = [f.replace("\xa0", " ") for f in preview.findings]
        # each names the file's own row and column (issue 23, item 4)
        assert findings == [
            "Rad 2, kolumn E (Utfall (kr)): Utvecklingsprojekt i musik i förskolan 2022 har använt 30 000 kr mer "
            "än beviljat.",
            "1 rad saknar utfall (okänt, inte noll): rad 3, kolumn E (Utfall (kr)).",
        ]
        assert not any("inget beviljat belopp" in f for f in findings)
        committer.commit(db, preview, author=ANNA)
        mal = _row(db, "measure_id = {m}", {"m": "mal-05"})
        assert (mal["granted_sek"], mal["spent_sek"], mal["deviation_sek"]) == (320_000, 350_000, 30_000)
        assert (mal["status"], mal["status_date"], mal["result"]) == (
            "genomförd",
            dt.date(2022, 12, 31),
            "Musik i 12 förskolor",
        )
        assert (mal["report_file"], mal["report_line"], mal["reported_by"], mal["reported_by_kind"]) == (
            "uppfoljning-2022.csv",
            2,
            "Anna Andersson",
            "oidc",
        )
        assert mal["reported_at"] is not None
        pot = _row(db, "allocation_id = {a}", {"a": "a-sos-kn"})
        assert (pot["spent_sek"], pot["deviation_sek"], pot["status"]) == (None, None, "pågår")
        lkp = _row(db, "measure_id = {m}", {"m": "lkp-01"})  # matched by title within Linköping
        assert (lkp["granted_sek"], lkp["spent_sek"], lkp["deviation_sek"]) == (None, 90_000, None)
        assert db.scalar("select count(*) from main.follow_up") == 58  # still one row per measure-year
        assert db.scalar("select count(*) from main.follow_up where status = 'ingen rapport'") == 55
    finally:
        db.close()


def test_a_newer_report_supersedes_and_undo_brings_it_back_on_both_backends(tmp_path, store_url):
    db = _open(tmp_path, store_url)
    spent = "select spent_sek from main.follow_up where measure_id = 'mal-05'"
    try:
        committer.commit(db, previewer.preview(db, "v1.csv", REPORT.encode()), author=ANNA)
        newer = HEADER + "Malmö;mal-05;;2022;310 000;genomförd;2023-01-15;Slutrapport\n"
        preview = previewer.preview(db, "v2.csv", newer.encode())
        assert any(
            "Ersätter tidigare rapporter för Utvecklingsprojekt i musik" in f for f in preview.findings
        )
        committer.commit(db, preview, author="Bo (skrivet namn)")
        assert db.scalar(spent) == 310_000
        history = db.work.follow_up_history("mal-05", None, 2022)
        assert list(history.spent_sek) == [350_000, 310_000]
        assert list(history.reported_by) == ["Anna Andersson", "Bo (skrivet namn)"]
        assert list(history.identity_kind) == ["oidc", "free_text"]
        assert history.superseded_by.iloc[0] == history.import_id.iloc[1]
        assert committer.undo_last(db, "Cia")["file"] == "v2.csv"
        assert db.scalar(spent) == 350_000  # the superseded report is back
        assert db.scalar("select status from main.follow_up where allocation_id = 'a-sos-kn'") == "pågår"
        assert committer.undo_last(db, "Cia")["file"] == "v1.csv"
        assert db.scalar(spent) is None
        assert db.scalar("select count(*) from main.follow_up where status = 'ingen rapport'") == 58
        log = db.work.import_log_rows()
        assert list(log.action) == [
            "import av uppföljning",
            "import av uppföljning",
            "ångrade senaste import",
            "ångrade senaste import",
        ]
        with db.work.engine.connect() as conn:  # nothing deleted
            kept = conn.execute(select(func.count()).select_from(follow_up_reports))
            assert kept.scalar_one() == 4
    finally:
        db.close()


def _problems(db: Database, text: str, name: str = "fel.csv") -> list[str]:
    with pytest.raises(DataError) as raised:
        previewer.preview(db, name, text.encode())
    return [str(p) for p in raised.value.problems]


def test_every_problem_is_named_at_once_with_line_column_value_and_what_was_expected(tmp_path):
    db = _open(tmp_path)
    try:
        bad = (
            HEADER
            + "Malmö;mal-99;;2022;100;pågår;;\n"  # unknown id
            + "Malmö;;Thaiwis;2022;100;pågår;;\n"  # unknown title, with a suggestion
            + 'Malmö;mal-05;;22;tusen;klar;31/12;=HYPERLINK("http://x")\n'
            + "Södertälje;mal-01;;2022;1;pågår;;\n"  # an id of another municipality
            + "Malmö;mal-02;;2022;1;pågår;;\n"
            + "Malmö;mal-02;;2022;2;pågår;;\n"  # the same measure-year twice
            + "Malmö;mal-03;;2022;1;pågår;;"
            + "x" * 2001
            + "\n"
        )
        problems = _problems(db, bad)
        expected = [
            'fel.csv, rad 2, kolumn Insats-id: värdet "mal-99" – förväntat ett Insats-id som finns',
            "fel.csv, rad 3, kolumn Insats: värdet \"Thaiwis\" – förväntat namnet på en insats i kommunens data. Menade du 'Thaiwise'?",
            'fel.csv, rad 4, kolumn År: värdet "22" – förväntat ett årtal med fyra siffror',
            'fel.csv, rad 4, kolumn Utfall (kr): värdet "tusen" – förväntat ett belopp i kronor, eller tomt',
            'fel.csv, rad 4, kolumn Genomförande: värdet "klar" – förväntat ett av ej påbörjad, pågår, genomförd, avbruten',
            'fel.csv, rad 4, kolumn Datum: värdet "31/12" – förväntat ett datum som 2025-12-31',
            'fel.csv, rad 4, kolumn Resultat: värdet "=HYPERLINK("http://x")" – förväntat text, inte en formel',
            'fel.csv, rad 5, kolumn Insats-id: värdet "mal-01" – förväntat en insats i kommunen på raden (Malmö har den)',
            'fel.csv, rad 7, kolumn Insats-id: värdet "Mammakraft" – förväntat en rapport per insats och år; Mammakraft 2022 finns redan på rad 6',
            'fel.csv, rad 8, kolumn Resultat: värdet "' + "x" * 40 + '" – förväntat högst 2000 tecken',
        ]
        for phrase in expected:
            assert any(p.startswith(phrase) for p in problems), (phrase, problems)
        assert len(problems) == len(expected)
        assert db.scalar("select count(*) from main.follow_up where status <> 'ingen rapport'") == 0
    finally:
        db.close()


def test_an_ambiguous_title_is_an_error_naming_the_candidates(tmp_path):
    db = _open(tmp_path)
    try:
        measures = (
            "Kommun;År;Finansieringskälla;Insats;Belopp (kr)\n"
            "Norrköping;2024;Statsbidrag Delmos;Läxhjälp;100 000\n"
            "Norrköping;2024;Statsbidrag Delmos;Läxhjälp;200 000\n"
        )
        committer.commit(db, previewer.preview(db, "nkpg.csv", measures.encode()), author="Anna")
        ids = sorted(db.query("follow_up", municipality_codes=["0581"], years=[]).measure_id)
        report = HEADER + "Norrköping;;Läxhjälp;2024;90 000;pågår;;\n"
        problems = _problems(db, report)
        assert problems == [
            'fel.csv, rad 2, kolumn Insats: värdet "Läxhjälp" – förväntat ett namn som bara en insats i '
            f"kommunen har; det finns flera ({', '.join(ids)}). Ange Insats-id"
        ]
        by_id = HEADER + f"Norrköping;{ids[1]};;2024;210 000;genomförd;;\n"
        committer.commit(db, previewer.preview(db, "nkpg-upp.csv", by_id.encode()), author="Anna")
        row = db.query("follow_up", municipality_codes=["0581"], years=[2024]).set_index("measure_id")
        assert int(row.loc[ids[1], "deviation_sek"]) == 10_000
        assert row.loc[ids[0], "status"] == "ingen rapport"
    finally:
        db.close()


# As a municipality writes its own follow-up (issue 23): no Kommun column, its own titles, Windows-1252
OWN_HEADER = "Insats;År;Utfall (kr);Genomförande;Resultat\r\n"
# Gävle (2180) is not in the bundled data; "Familjecentral" is also Södertälje's sod-01
GAVLE_MEASURES = (
    "Kommun;År;Finansieringskälla;Insats;Belopp (kr)\n"
    "Gävle;2025;Statsbidrag Delmos;Familjecentral;400 000\n"
    "Gävle;2025;Statsbidrag Delmos;Läxhjälp i Sätra;250 000\n"
)


def _problem_fields(db: Database, data: bytes, within: str | None = None) -> list[tuple]:
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "uppf.csv", data, within=within)
    return [(p.line, p.column, p.value, p.expected) for p in raised.value.problems]


@pytest.fixture(scope="module")
def with_gavle(tmp_path_factory):
    """The bundled data and Gävle's own measures, imported as the Importera page does."""
    db = _open(tmp_path_factory.mktemp("gavle"))
    committer.commit(db, previewer.preview(db, "gavle.csv", GAVLE_MEASURES.encode()), author="Gösta")
    yield db
    db.close()


def test_a_title_without_kommun_is_matched_across_the_data_when_only_one_municipality_has_it(with_gavle):
    """Malmö's mal-05 and Gävle's imported measure, named as the file's writer spells them (case and
    spaces differ), in a cp1252 file with semicolons and no Kommun column."""
    data = (
        OWN_HEADER
        + "utvecklingsprojekt  i musik i Förskolan;2022;350 000;genomförd;Musik i 12 förskolor\r\n"
        + "Läxhjälp i  Sätra;2025;180 000;pågår;Tre grupper i gång\r\n"
    ).encode("cp1252")
    preview = previewer.preview(with_gavle, "uppf.csv", data)
    rows = preview.rows
    assert rows.Kommun.tolist() == ["Malmö", "Gävle"]
    assert rows.Insats.tolist() == ["Utvecklingsprojekt i musik i förskolan", "Läxhjälp i Sätra"]
    assert rows["Beviljat (kr)"].tolist() == [320_000, 250_000]
    assert rows["Avvikelse (kr)"].tolist() == [30_000, -70_000]
    assert [r["measure_id"] for r in preview.reports][0] == "mal-05"
    gavle_id = preview.reports[1]["measure_id"]
    assert gavle_id.startswith("imp-") and preview.reports[1]["municipality_code"] == "2180"
    committer.commit(with_gavle, preview, author="Gösta")
    row = with_gavle.query("follow_up", municipality_codes=["2180"], years=[2025]).set_index("measure_id")
    assert int(row.loc[gavle_id, "spent_sek"]) == 180_000 and row.loc[gavle_id, "status"] == "pågår"


def test_a_title_two_municipalities_have_is_an_error_naming_both(with_gavle):
    data = (OWN_HEADER + "Läxhjälp i Sätra;2025;1;pågår;\r\nFamiljecentral;2025;300 000;pågår;\r\n").encode(
        "cp1252"
    )
    assert _problem_fields(with_gavle, data) == [
        (
            3,
            "Insats",
            "Familjecentral",
            "ett namn som bara en kommun har; det finns i Gävle och Södertälje. Lägg till kolumnen Kommun, "
            "eller läs in filen under Uppföljning med kommunen vald",
        )
    ]
    with pytest.raises(DataError) as raised:
        previewer.preview(with_gavle, "uppf.csv", data)
    assert str(raised.value.problems[0]) == (
        'uppf.csv, rad 3, kolumn Insats: värdet "Familjecentral" – förväntat ett namn som bara en kommun '
        "har; det finns i Gävle och Södertälje. Lägg till kolumnen Kommun, eller läs in filen under "
        "Uppföljning med kommunen vald"
    )


def test_a_kommun_column_or_the_pages_kommun_narrows_the_match(with_gavle):
    with_column = (
        "Kommun;" + OWN_HEADER + "Gävle;Familjecentral;2025;300 000;pågår;\r\n"
        "Södertälje;Familjecentral;2019;;pågår;\r\n"
    ).encode("cp1252")
    preview = previewer.preview(with_gavle, "uppf.csv", with_column)
    assert preview.rows.Kommun.tolist() == ["Gävle", "Södertälje"]
    assert preview.rows["Beviljat (kr)"].tolist() == [400_000, 3_700_000]
    assert preview.reports[1]["measure_id"] == "sod-01"
    without = (OWN_HEADER + "Familjecentral;2025;300 000;pågår;\r\n").encode("cp1252")
    on_the_page = previewer.preview(with_gavle, "uppf.csv", without, within="2180")
    assert on_the_page.rows.Kommun.tolist() == ["Gävle"]
    assert on_the_page.rows["Avvikelse (kr)"].tolist() == [-100_000]
    assert (
        previewer.preview(with_gavle, "uppf.csv", without, within="0181").reports[0]["measure_id"] == "sod-01"
    )
    # a row's own Kommun wins over the page's
    assert previewer.preview(with_gavle, "uppf.csv", with_column, within="0181").rows.Kommun.tolist() == [
        "Gävle",
        "Södertälje",
    ]
    # the page's kommun lacks the title: said with its name, the closest of its titles suggested
    malmo_title = (OWN_HEADER + "Läxhjälp i Sätra;2025;1;pågår;\r\nThaiwis;2022;1;pågår;\r\n").encode()
    assert _problem_fields(with_gavle, malmo_title, within="1280") == [
        (
            2,
            "Insats",
            "Läxhjälp i Sätra",
            "namnet på en insats i Malmö (kommunen som är vald på sidan); namnet finns i Gävle. Välj den "
            "kommunens ram på sidan, eller lägg till kolumnen Kommun",
        ),
        (
            3,
            "Insats",
            "Thaiwis",
            "namnet på en insats i Malmö (kommunen som är vald på sidan). Menade du 'Thaiwise'?",
        ),
    ]


def test_an_unknown_title_without_kommun_is_looked_for_in_every_municipalitys_data(with_gavle):
    data = (OWN_HEADER + "Läxhjälp i Sätr;2025;1;pågår;\r\nInget sådant;2025;1;pågår;\r\n").encode()
    assert _problem_fields(with_gavle, data) == [
        (
            2,
            "Insats",
            "Läxhjälp i Sätr",
            "namnet på en insats i någon kommuns data. Menade du 'Läxhjälp i Sätra'?",
        ),
        (3, "Insats", "Inget sådant", "namnet på en insats i någon kommuns data"),
    ]


def test_one_municipalitys_measures_of_the_same_name_are_told_apart_by_the_year_granted(with_gavle):
    """Sandviken's file of each year makes a measure of its own; a report names the title and the year."""
    measures = (
        "Kommun;År;Finansieringskälla;Insats;Belopp (kr)\n"
        "Sandviken;2024;Statsbidrag Delmos;Läxhjälp i Jäderfors;200 000\n"
        "Sandviken;2025;Statsbidrag Delmos;Läxhjälp i Jäderfors;300 000\n"
    )
    committer.commit(
        with_gavle, previewer.preview(with_gavle, "sandviken.csv", measures.encode()), author="Sara"
    )
    data = (OWN_HEADER + "Läxhjälp i Jäderfors;2025;280 000;genomförd;\r\n").encode("cp1252")
    preview = previewer.preview(with_gavle, "uppf.csv", data)
    assert preview.rows[["Kommun", "År", "Beviljat (kr)", "Avvikelse (kr)"]].values.tolist() == [
        ["Sandviken", 2025, 300_000, -20_000]
    ]
    ids = sorted(with_gavle.query("follow_up", municipality_codes=["2181"], years=[]).measure_id)
    none_granted = (OWN_HEADER + "Läxhjälp i Jäderfors;2023;1;pågår;\r\n").encode("cp1252")
    assert _problem_fields(with_gavle, none_granted) == [
        (
            2,
            "Insats",
            "Läxhjälp i Jäderfors",
            f"ett namn som bara en insats i kommunen har; det finns flera ({', '.join(ids)}). Ange Insats-id",
        )
    ]


def test_follow_up_headers_as_municipalities_write_them(with_gavle):
    data = "Åtgärd;År;Använt (kr);Genomförandestatus;Rapportdatum;Resultat och effekter\nThaiwise;2022;1 000;pågår;2022-06-30;Bra\n"
    preview = previewer.preview(with_gavle, "uppf.csv", data.encode())
    assert preview.kind == "follow_up"
    assert preview.rows[["Kommun", "Insats", "Utfall (kr)", "Datum", "Resultat"]].values.tolist() == [
        ["Malmö", "Thaiwise", 1_000, "2022-06-30", "Bra"]
    ]


def test_the_cli_recognises_a_follow_up_file_by_its_headers(tmp_path, capsys):
    var = tmp_path / "var"
    db = _open(tmp_path)
    db.close()
    path = tmp_path / "uppfoljning.csv"
    path.write_text(REPORT, encoding="utf-8")
    assert cli.main(["--var", str(var), "import", str(path), "--author", "Kim"]) == 0
    out = capsys.readouterr().out.replace("\xa0", " ")
    assert "uppfoljning.csv: 3 rapporter" in out
    assert "Utvecklingsprojekt i musik i förskolan 2022 har använt 30 000 kr mer än beviljat" in out
    db = Database.open(var)
    try:
        assert db.scalar("select spent_sek from main.follow_up where measure_id = 'mal-05'") == 350_000
        assert db.work.import_log_rows().author.tolist() == ["Kim"]
    finally:
        db.close()
    mall = tmp_path / "mall.csv"
    mall.write_bytes(template.follow_up_csv())
    assert cli.main(["--var", str(var), "import", str(mall)]) == 1  # the example row is refused
    assert "EXEMPEL (skriv er kommun)" in capsys.readouterr().err


def test_the_excel_template_lists_the_allowed_statuses_and_every_measure_with_its_id(bundled, tmp_path):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template.follow_up_xlsx(bundled)))
    assert book.sheetnames == ["Uppföljning", "Mallens listor", "Mallens insatser"]
    header = [c.value for c in book["Uppföljning"][1]]
    assert header == follow_up_file.TEMPLATE_HEADERS
    assert [r[0].value for r in book["Mallens listor"].iter_rows(min_row=2) if r[0].value] == list(
        FOLLOW_UP_STATUSES
    )
    measures = {r[1].value: (r[0].value, r[2].value) for r in book["Mallens insatser"].iter_rows(min_row=2)}
    assert measures["mal-05"] == ("Malmö", "Utvecklingsprojekt i musik i förskolan")
    assert measures["a-sos-kn"] == ("Malmö", "Kulturnämnden")  # a pot to a nämnd can be reported on too
    assert len(measures) == bundled.scalar("select count(*) from main.measures") + 9


def _report(**values):
    base = {
        "granted_sek": 1_500_000,
        "spent_sek": None,
        "status": "pågår",
        "status_date": None,
        "reported_at": None,
        "year": 2022,
    }
    return pd.DataFrame([{**base, **values}]).iloc[0]


def test_the_flag_rules_at_their_bounds():
    from fractions import Fraction

    from insatskollen.core import follow_up

    assert follow_up.elapsed_share(2022, dt.date(2022, 6, 30)) == Fraction(181, 365)
    assert follow_up.elapsed_share(2024, dt.date(2024, 6, 30)) == Fraction(182, 366)  # leap year
    assert follow_up.elapsed_share(2022, dt.date(2021, 12, 31)) == 0
    assert follow_up.elapsed_share(2022, dt.date(2023, 3, 1)) == 1
    june = dt.date(2022, 6, 30)
    # 181/365 of the year gone, less 25 points: 359/1460 of the granted 1 460 kr is the bound
    assert follow_up.flags(_report(granted_sek=1460, spent_sek=359, status_date=june)) == []
    assert follow_up.flags(_report(granted_sek=1460, spent_sek=358, status_date=june)) == ["Efter plan"]
    # Hemmasittare in the journey: 200 000 of 1 500 000 kr by 30 June
    assert follow_up.flags(_report(spent_sek=200_000, status_date=june)) == ["Efter plan"]
    assert follow_up.flags(_report(spent_sek=200_000, status="genomförd", status_date=june)) == []
    assert follow_up.flags(_report(spent_sek=200_000, status="ej påbörjad", status_date=june)) == [
        "Efter plan"
    ]
    # no Datum: the day the report was imported
    imported = pd.Timestamp("2022-03-01 09:00")
    assert follow_up.flags(_report(spent_sek=200_000, reported_at=imported)) == []
    assert follow_up.flags(_report(spent_sek=1_500_001, status="genomförd")) == ["Överskriden"]
    assert follow_up.flags(_report(spent_sek=1_500_000, status="genomförd")) == []
    assert follow_up.flags(_report(spent_sek=2_000_000, status_date=june)) == ["Överskriden"]
    # unknown is never 0: no flag from an unknown granted or spent
    assert follow_up.flags(_report(granted_sek=None, spent_sek=5, status_date=june)) == []
    assert follow_up.flags(_report(spent_sek=None, status_date=dt.date(2022, 12, 31))) == []
    assert follow_up.flags(_report(status="ingen rapport")) == ["Ingen rapport"]


def test_the_page_shows_a_frame_years_granted_spent_and_flags(tmp_path, monkeypatch):
    import streamlit as st

    var = tmp_path / "var"
    db = _open(tmp_path)
    journey = (
        HEADER
        + "Malmö;mal-05;;2022;350 000;genomförd;2022-12-31;Musik i 12 förskolor\n"
        + "Malmö;;Hemmasittare;2022;200 000;pågår;2022-06-30;\n"
    )
    committer.commit(db, previewer.preview(db, "upp.csv", journey.encode()), author="Kim")
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(var))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/uppfoljning.py", {"kommun": "Malmö", "ram": "mal-ks|2022"})
        shown = {m.label: m.value.replace("\xa0", " ") for m in at.metric}
        # by hand: KS 15 000 000 granted; spent 350 000 + 200 000; deviation +30 000 − 1 300 000
        assert shown == {
            "Beviljat": "15 mnkr",
            "Utfall, minst": "0,55 mnkr",  # 17 measures have no report: their spending is unknown, not 0
            "Avvikelse": "−1,27 mnkr",
            "Rapporterade": "2 av 19",
        }
        assert any(
            "1 insats har använt mer än beviljat, 1 ligger efter plan och 17 saknar rapport." in m.value
            for m in at.markdown
        )
        measures = next(d.value for d in at.dataframe if "Flaggor" in d.value.columns).set_index("Insats")
        assert measures.loc["Utvecklingsprojekt i musik i förskolan", "Flaggor"] == "Överskriden"
        assert measures.loc["Hemmasittare", "Flaggor"] == "Efter plan"
        assert measures.loc["Thaiwise", "Flaggor"] == "Ingen rapport"
        assert measures.loc["Thaiwise", "Utfall (kr)"] == "okänt"
        assert measures.loc["Hemmasittare", "Rapport"].startswith("upp.csv rad 3, Kim ")
        by_area = next(
            d.value for d in at.dataframe if "Område" in d.value.columns and "Insatser" in d.value.columns
        )
        utb = by_area.set_index("Område").loc["Utbildning"]
        # Utbildning in Malmö KS 2022: 8 measures, 6 620 000 kr granted; spent known for two: 550 000 kr
        assert (utb["Beviljat (kr)"], utb["Utfall (kr)"], utb["Insatser"], utb["Utfall okänt"]) == (
            "6\xa0620\xa0000\xa0kr",
            "550\xa0000\xa0kr",
            8,
            6,
        )
        # a link chooses the frame-year and the measure: Malmö's Socialstyrelsen money, its Kulturnämnden pot
        at = open_app(
            "pages/uppfoljning.py", {"kommun": "Malmö", "ram": "mal-sos|2022", "uppf_insats": "a-sos-kn"}
        )
        shown = {m.label: m.value.replace("\xa0", " ") for m in at.metric}
        assert (shown["Beviljat"], shown["Rapporterade"]) == ("18,6 mnkr", "0 av 9")
        captions = html.unescape(" ".join(c.value for c in at.caption)).replace("\xa0", " ")
        assert "Ramen: dokumentet anger 19,7 mnkr; raderna summerar till 18,6 mnkr." in captions
        assert next(b for b in at.selectbox if b.label == "Insats").value == "a-sos-kn"
        # Motala's 2018 grant: four measures without a nämnd and one without an area, beside others that have
        # one, are grouped under the words for it (a missing value in a partly filled column is NaN, which
        # `or` let through: the group was named "nan")
        at = open_app("pages/uppfoljning.py", {"kommun": "Motala", "ram": "mot-tvv|2018"})
        grouped = {
            column: dict(zip(d.value[column], d.value["Insatser"], strict=True))
            for d in at.dataframe
            for column in ("Område", "Nämnd")
            if column in d.value.columns and "Insatser" in d.value.columns
        }
        assert grouped["Nämnd"] == {"Kommunstyrelsen": 1, "Ingen nämnd angiven": 4}
        assert grouped["Område"]["Inget område angivet"] == 1
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_report_for_a_year_without_a_funded_line_is_listed_with_granted_unknown(tmp_path):
    db = _open(tmp_path)
    try:
        later = HEADER + "Malmö;mal-05;;2023;40 000;genomförd;2023-03-31;Avslutad\n"
        committer.commit(db, previewer.preview(db, "2023.csv", later.encode()), author="Kim")
        row = _row(db, "measure_id = {m} and year = {y}", {"m": "mal-05", "y": 2023})
        assert (row["measure"], row["committee"], row["priority_area"], row["municipality"]) == (
            "Utvecklingsprojekt i musik i förskolan",
            "Förskolenämnden",
            "Utbildning",
            "Malmö",
        )
        assert (row["frame_id"], row["granted_sek"], row["spent_sek"], row["deviation_sek"]) == (
            None,
            None,
            40_000,
            None,
        )
        assert db.scalar("select count(*) from main.follow_up") == 59
        # not in any frame-year: the frame's own rows are unchanged
        assert len(db.query("follow_up_frame_year", frame_id="mal-ks", year=2022)) == 19
        history = db.query("follow_up_measure_years", item_id="mal-05")
        assert list(history.year) == [2022, 2023]
        assert [None if pd.isna(v) else int(v) for v in history.granted_sek] == [320_000, None]
    finally:
        db.close()


def test_the_excel_template_filled_in_imports_with_a_real_excel_date(tmp_path):
    import io

    import openpyxl

    db = _open(tmp_path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(template.follow_up_xlsx(db)))
        sheet = book["Uppföljning"]
        for column, value in enumerate(
            ["Malmö", "mal-05", None, 2022, 350000, "genomförd", dt.datetime(2022, 12, 31), "Klar"], start=1
        ):
            sheet.cell(row=2, column=column, value=value)
        buffer = io.BytesIO()
        book.save(buffer)
        preview = previewer.preview(db, "ifylld.xlsx", buffer.getvalue())
        assert preview.sheet == "Uppföljning"
        committer.commit(db, preview, author="Kim")
        row = _row(db, "measure_id = {m}", {"m": "mal-05"})
        assert (row["spent_sek"], row["deviation_sek"], row["status_date"]) == (
            350_000,
            30_000,
            dt.date(2022, 12, 31),
        )
    finally:
        db.close()


def test_a_report_without_a_date_is_judged_on_the_day_it_was_reported():
    """A report with no Datum (NaT from the view, which pandas also counts as a datetime) falls back to
    the day it was reported, never compares NaT with a date."""
    from types import SimpleNamespace

    from insatskollen.core import follow_up as fu

    row = SimpleNamespace(
        status="ej påbörjad",
        granted_sek=2_300_000,
        spent_sek=100_000,
        status_date=pd.NaT,
        reported_at=pd.Timestamp("2022-09-30 10:00"),
        year=2022,
    )
    assert fu.reference_date(row.status_date, row.reported_at) == dt.date(2022, 9, 30)
    assert fu.flags(row) == [fu.BEHIND]  # 4 % spent when 75 % of the year has gone by
    assert fu.reference_date(pd.NaT, None) is None


def test_a_file_that_replaces_reported_measures_says_so_in_its_preview(tmp_path):
    """Found by the attack review: re-importing Malmö 2022 KS with --replace left its follow-up reports
    attached to measures no longer shown, without a word. The preview now says it before anything is written."""
    db = _open(tmp_path)
    committer.commit(db, previewer.preview(db, "uppfoljning.csv", REPORT.encode()), author=ANNA)
    newer = (
        "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
        "Malmö;2022;KS anslag till förfogande;15 000 000;Kulturnämnden;Samtida cirkus;Utbildning;15 000 000;beslutad\n"
    )
    preview = previewer.preview(db, "malmo-2022.csv", newer.encode())
    assert (
        "1 uppföljningsrapport för Malmö 2022 gäller insatser som ersätts om filen importeras. Rapporterna "
        "sparas men hör då inte längre till någon insats som visas: importera uppföljningen igen för de nya "
        "insatserna (Ångra senaste import återställer allt)."
    ) in preview.findings
    other = previewer.preview(db, "norrkoping.csv", newer.replace("Malmö", "Norrköping").encode())
    assert not [f for f in other.findings if "uppföljningsrapport" in f]
    db.close()


def test_the_report_form_validates_through_the_import_and_says_what_is_wrong(db):
    """The form's row goes through the import's validator; once the validator wanted the reader's delimiter the
    form crashed (AttributeError) instead of saying "Utfall (kr): värdet ”tusen” – förväntat ett belopp"."""
    from insatskollen.core.errors import DataError
    from insatskollen.ui import follow_up_entry

    with pytest.raises(DataError) as error:
        follow_up_entry.report(
            db,
            municipality="Malmö",
            item_id="mal-09",
            year=2022,
            spent="tusen",
            status="pågår",
            status_date=None,
            result="",
            author=None,
        )
    assert any(
        "värdet ”tusen” – förväntat ett belopp" in line for line in follow_up_entry.problems_text(error.value)
    )


def test_uppfoljning_reads_a_file_without_kommun_for_its_kommun_and_refuses_a_measures_file(
    tmp_path, monkeypatch
):
    """On Uppföljning, Södertälje's frame chosen, a file without Kommun is read among Södertälje's measures;
    a measures file (allocations, not follow-up) is refused there, with where it belongs."""
    import streamlit as st

    monkeypatch.setenv("INSATSKOLLEN_VAR", str(tmp_path / "var"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/uppfoljning.py", {"kommun": "Södertälje", "ram": "sod-tvv|2019"})
        own = (OWN_HEADER + "familjecentral;2019;3,5 mnkr;genomförd;Öppnad\r\n").encode("cp1252")
        at.file_uploader(key="uppf_file_0").set_value(("sod.csv", own, "text/csv")).run()
        assert not at.exception, [e.value for e in at.exception]
        preview = next(d.value for d in at.dataframe if "Rad" in d.value.columns)
        assert preview[
            ["Kommun", "Insats", "Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)"]
        ].values.tolist() == [
            [
                "Södertälje",
                "Familjecentral",
                "3\xa0700\xa0000\xa0kr",
                "3\xa0500\xa0000\xa0kr",
                "−200\xa0000\xa0kr",
            ]
        ]
        measures = GAVLE_MEASURES.encode()
        at.file_uploader(key="uppf_file_0").set_value(("gavle.csv", measures, "text/csv")).run()
        assert [html.unescape(e.value) for e in at.error] == [
            "gavle.csv är ingen uppföljningsfil: den saknar kolumnerna Utfall (kr) och Genomförande. Insatser "
            "och budgetar läses in under Importera."
        ]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_follow_up_title_is_one_line_of_visible_text_however_it_was_typed(with_gavle):
    """Issue 23's attack (F6, F7): a decomposed title (macOS) is the imported one; a title with an
    invisible character or a line break is refused, not matched to a look-alike."""
    nfd = unicodedata.normalize("NFD", "Läxhjälp i Sätra")
    preview = previewer.preview(
        with_gavle, "uppf.csv", (OWN_HEADER + f"{nfd};2025;1 000;pågår;\r\n").encode()
    )
    assert preview.rows.Insats.tolist() == ["Läxhjälp i Sätra"]
    data = (
        OWN_HEADER
        + "Läxhjälp i Sätra\u200b;2025;1 000;pågår;\r\n"
        + '"Läxhjälp\ni Sätra";2025;1 000;pågår;\r\n'
    )
    assert _problem_fields(with_gavle, data.encode()) == [
        (
            2,
            "Insats",
            "Läxhjälp i Sätra[U+200B]",
            "text utan osynliga tecken (t.ex. nollbreddsmellanslag)",
        ),
        (3, "Insats", "Läxhjälp[radbrytning]i Sätra", "text utan radbrytningar eller tabbar"),
    ]
