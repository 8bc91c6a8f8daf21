"""The headline figures' rules on the bundled data and on an imported Norrköping without Ram: unknown is
unknown (Linköping 2019–2020), shares only against frames that exist, and lines without a frame shown."""

from __future__ import annotations

import html
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insatskollen import cli
from insatskollen.core import frame_year, headline, headline_tables
from insatskollen.core.filters import Filters
from insatskollen.core.fmt import NBSP
from insatskollen.export import deck as deck_module
from insatskollen.store.db import Database
from insatskollen.ui import widgets
from tests.app_kit import open_app
from tests.conftest import ROOT

# Norrköping (0581) through the importer: two lines, the Ram column left empty.
NORRKOPING = (
    "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Norrköping;0581;2022;KS anslag till förfogande;;Kulturnämnden;Läxhjälp i Navestad;Utbildning;"
    "1 500 000;beslutad\n"
    "Norrköping;0581;2022;KS anslag till förfogande;;Socialnämnden;Trygga Hageby;Brottslighet;"
    "3 500 000;beslutad\n"
)


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


@pytest.fixture(scope="module")
def imported_db_path(tmp_path_factory):
    """A database file with the bundled data and Norrköping's lines without Ram, imported by the CLI."""
    folder = tmp_path_factory.mktemp("norrkoping")
    source = folder / "norrkoping.csv"
    source.write_text(NORRKOPING, encoding="utf-8")
    path = folder / "norrkoping.duckdb"
    assert cli.main(["--var", str(path), "build"]) == 0
    assert cli.main(["--var", str(path), "import", str(source)]) == 0
    return path


def test_a_frame_year_without_lines_is_unknown_not_zero(db):
    head = headline.headline(db, Filters(municipalities=("Linköping",)))
    assert [(x.year, x.allocated_sek, x.unallocated_sek) for x in head.frame_years] == [
        (2018, None, None),
        (2019, None, None),
        (2020, None, None),
    ]
    assert head.allocated_sek is None and head.unallocated_sek is None
    assert head.unknown_allocation_frame_sek == 3 * 13_808_000


def test_linkoping_2019_and_2020_are_drawn_as_unknown_on_the_first_slide(db):
    """The first slide's chart drew Linköping 2019–2020 as '0 mnkr fördelat' while 2018 was unknown."""
    deck = deck_module.from_filters(db, Filters(municipalities=("Linköping",)))
    first = deck.slides[0]
    assert list(first.categories) == ["Linköping 2018", "Linköping 2019", "Linköping 2020"]
    allocated = dict(first.series)["Fördelat (kr)"]
    assert all(v is None or v != v for v in allocated), allocated  # None or NaN: never 0
    bars = first.chart.figure.to_dict()["data"][1]
    assert list(bars["text"]) == ["fördelning okänd"] * 3


def test_overview_chart_shows_linkoping_allocation_as_unknown(fresh_streamlit):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kommun"] = "Linköping"
    at.run()
    assert not at.exception
    frames = json.loads(at.get("plotly_chart")[-1].proto.spec)["data"]
    assert frames[1]["name"] == "Fördelat"
    assert frames[1]["text"] == ["fördelning okänd"] * 3
    assert frames[0]["text"] == [kr("13,81 mnkr")] * 3


def test_unfunded_proposals_are_not_lines_of_the_frame(db):
    """Södertälje's 13 'övrigt förslag utan finansiering' have no amount but do not make the frame unknown."""
    head = headline.headline(db, Filters(municipalities=("Södertälje",)))
    assert [x.balance.over_allocated_sek for x in head.frame_years] == [61_000] * 3
    assert [x.unallocated_sek for x in head.frame_years] == [0] * 3  # an overrun is not negative free money
    assert head.unfunded == 3 * 13 and head.lines_without_amount == 0
    assert head.unallocated_text() == "Överfördelat: 0,18\u00a0mnkr (Södertälje 2018–2020)."


def test_line_filters_narrow_fördelat_but_not_the_frame(db):
    head = headline.headline(db, Filters(municipalities=("Malmö",), areas=("Utbildning",)))
    assert head.frame_sek == 34_700_000 and head.unallocated_sek == 0
    assert head.contradiction_sek == 1_100_000  # Socialstyrelsen: the document's own 19,7 against 18,6 mnkr
    assert head.allocated_sek == 6_620_000 and head.line_filters


def test_names_merge_years_and_count_frames(db):
    head = headline.headline(db, Filters())
    assert frame_year.names(head.frames_without_amount) == "Motala 2018 (2 ramar)"
    assert frame_year.names(head.allocation_unknown) == "Linköping 2018–2020"


def test_imported_lines_without_ram_are_in_the_per_municipality_chart(imported_db_path):
    database = Database.open(imported_db_path)
    try:
        head = headline.headline(database, Filters(municipalities=("Malmö", "Norrköping")))
        table = headline_tables.by_municipality_year(head)
    finally:
        database.close()
    row = table[table.municipality == "Norrköping"].iloc[0]
    assert row.allocated_sek == 5_000_000 and row.frame_sek is pd.NA
    assert head.frame_sek == 34_700_000 and head.allocated_sek == 38_600_000
    assert head.unallocated_sek == 0 and head.contradiction_sek == 1_100_000  # Norrköping has no frame


def _open(db_path, monkeypatch, page: str, query: dict) -> AppTest:
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(db_path))
    return open_app(page, query)


def test_overview_draws_norrkoping_without_ram(imported_db_path, monkeypatch, fresh_streamlit):
    """Imported lines without a Ram vanished from the per-kommun chart."""
    at = _open(imported_db_path, monkeypatch, "", {"kommun": "Malmö|Norrköping"})
    frames = json.loads(at.get("plotly_chart")[-1].proto.spec)["data"]
    assert frames[0]["y"] == ["Malmö 2022", "Norrköping 2022"]
    assert frames[0]["text"] == [kr("34,7 mnkr"), "ram okänd"]
    assert frames[1]["text"] == [kr("33,6 mnkr"), kr("5 mnkr")]


def test_share_of_frame_counts_only_frames_that_exist(imported_db_path, monkeypatch, fresh_streamlit):
    """With Malmö and Norrköping (no Ram) 'Andel av ramen' summed to more than 100 %."""
    at = _open(imported_db_path, monkeypatch, "pages/omraden.py", {"kommun": "Malmö|Norrköping"})
    at = at.segmented_control(key=widgets.VIEW_KEYS["area_mode"]).set_value("Andel av ramen").run()
    assert not at.exception
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert sum(bars["x"]) == pytest.approx(33_600_000 / 34_700_000)
    captions = html.unescape(" ".join(c.value for c in at.caption))
    assert (
        f"{kr('5 mnkr')} fördelat i ramar utan känt belopp (Norrköping 2022) ingår inte i andelarna."
        in captions
    )


def test_a_sentence_names_at_most_eight_municipalities_and_counts_the_rest():
    from insatskollen.core.frame_year import FrameYear

    many = tuple(
        FrameYear(f"f{i}", f"Kommun {i:03d}", 2020, "Statsbidrag", 1_000_000, 0, 0, 0, 0, 0, 0, None)
        for i in range(290)
    )
    text = frame_year.names(many)
    assert text.startswith("Kommun 000 2020, Kommun 001 2020") and "Kommun 006 2020" in text
    assert "Kommun 007" not in text and text.endswith(" och 283 kommuner till")
    assert frame_year.names(many[:8]).count("Kommun") == 8  # eight are all named


def test_at_most_eight_frame_years_get_a_sentence_of_their_own_and_the_rest_are_counted():
    """Nationally thousands of frame-years have lines without amounts: Översikt, the first slide and `check`
    name eight one by one and count the rest, instead of ~10 800 sentences (issue 25)."""
    from insatskollen.core.frame_year import FrameYear

    def partly_known(i: int) -> FrameYear:  # ram 1 mnkr, two lines of which one has no amount
        return FrameYear(
            f"f{i}", f"Kommun {i:03d}", 2020, "Statsbidrag", 1_000_000, 2, 1, 400_000, 2, 1, 0, 400_000
        )

    sentences = headline.Headline(tuple(partly_known(i) for i in range(10))).balance_sentences()
    per_frame = [s for s in sentences if s.startswith("Kommun ")]
    assert len(per_frame) == 8 and per_frame[0].startswith("Kommun 000 2020, Statsbidrag: ")
    assert sentences[-1] == (
        "Ytterligare 2 ramar och år har en motsägelse i dokumentet eller rader utan belopp; alla finns i tabellen "
        "Ram för ram och på Datakvalitet."
    )
    eight = headline.Headline(tuple(partly_known(i) for i in range(8))).balance_sentences()
    assert len([s for s in eight if s.startswith("Kommun ")]) == 8 and not eight[-1].startswith("Ytterligare")
