"""Source passages: every measure's passage reaches its amount as the document writes it, a table amount
comes with its table's header row and the one row, and the documents' markdown is rendered safely."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from insatskollen.store import sources
from tests.app_kit import open_app, open_expanders
from tests.conftest import ROOT

MEASURES = pd.read_csv(ROOT / "data" / "measures.csv", dtype=str)
ALLOCATIONS = pd.read_csv(ROOT / "data" / "allocations.csv", dtype={"amount_sek": "Int64"})
WITH_AMOUNTS = [
    m.measure_id
    for m in MEASURES.itertuples()
    if isinstance(m.requested_sek, str)
    or ALLOCATIONS[ALLOCATIONS.measure_id == m.measure_id].amount_sek.notna().any()
]


def _source(measure_id: str) -> sources.MeasureSource:
    m = MEASURES.set_index("measure_id").loc[measure_id]
    lines = ALLOCATIONS[ALLOCATIONS.measure_id == measure_id]
    return sources.for_measure(
        m.source_document,
        m.source_section,
        m.title,
        m.description,
        m.requested_text if isinstance(m.requested_text, str) else None,
        int(m.requested_sek) if isinstance(m.requested_sek, str) else None,
        tuple(
            (a.source_document, a.source_section, None if pd.isna(a.amount_sek) else int(a.amount_sek))
            for a in lines.itertuples()
        ),
    )


def _digits(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def test_every_measure_with_an_amount_is_covered():
    assert [x for x in WITH_AMOUNTS if x.startswith("mal-")] == [f"mal-{i:02d}" for i in range(1, 20)]
    assert [x for x in WITH_AMOUNTS if x.startswith("sod-")] == ["sod-01", "sod-02", "sod-03", "sod-04"]


@pytest.mark.parametrize("measure_id", WITH_AMOUNTS)
def test_the_passage_shows_the_requested_amount_as_the_document_writes_it(measure_id):
    m = MEASURES.set_index("measure_id").loc[measure_id]
    shown = _source(measure_id)
    pattern = sources.amount_pattern(m.requested_text) if isinstance(m.requested_text, str) else None
    if pattern is None:  # mal-10: never requested as a sum; the passage states what was set aside
        assert "Avsatta medel för kompletterande professioner 1 400 000 kr" in shown.passage
    else:
        assert pattern.search(shown.passage + "\n" + shown.table), (measure_id, m.requested_text)


@pytest.mark.parametrize("measure_id", WITH_AMOUNTS)
def test_a_table_amount_comes_with_the_header_and_its_row(measure_id):
    line = ALLOCATIONS[ALLOCATIONS.measure_id == measure_id].iloc[0]
    shown = _source(measure_id)
    rows = shown.table.splitlines()
    assert shown.table_document == line.source_document and shown.table_section == line.source_section
    assert len(rows) >= 2 and "\t" in rows[-2] and "\t" in rows[-1]
    assert (
        rows[-1]
        .split("\t")[-1]
        .replace("<b>", "")
        .strip()
        .startswith(
            {"000_35ce3f8902650d6a.txt": f"{line.amount_sek / 1e6:.1f}".replace(".", ",")}.get(
                line.source_document, _digits(int(line.amount_sek))
            )
        )
    )


MALMO_ROWS = {  # 002, "Slutligt förslag på fördelning av kommunstyrelsens medel": the row that gives the amount
    "mal-01": "Thaiwise, minskad kriminalitet",
    "mal-05": "Utvecklingsprojekt kring musik i ett förskoleområde",
    "mal-06": "Trygga barnet",
    "mal-07": "Elever som lever i socioekonomisk utsatthet",
    "mal-09": "Studie- och yrkesvägledning",
    "mal-10": "Kompletterande professioner, ej begärt samlat",
    "mal-13": "Kompletterande professioner, pilotprojekt",
    "mal-15": 'Projekt "vart ska vi gå idag"',
    "mal-19": "Förstärkning sociala strategin",
}


@pytest.mark.parametrize(("measure_id", "row"), MALMO_ROWS.items())
def test_malmo_amounts_come_from_the_final_table(measure_id, row):
    shown = _source(measure_id)
    lines = shown.table.splitlines()
    assert lines[0] == "Slutligt förslag på fördelning av kommunstyrelsens medel"
    assert lines[-2] == "\tMedel från Kommunstyrelsen"
    assert lines[-1].startswith(row)


def test_the_passage_runs_from_the_heading_to_the_amount():
    thaiwise = _source("mal-01").passage.splitlines()
    assert thaiwise[0] == "Utvecklingsinsatser Arbetsmarknads- och socialförvaltningen 2022"
    assert thaiwise[1] == "Thaiwise"
    assert thaiwise[-1] == "Behov av tillskott för 2022 är: 1 000 000 SEK"
    mammakraft = _source("mal-02").passage.splitlines()
    assert mammakraft[:3] == [
        "Utvecklingsinsatser Arbetsmarknads- och socialförvaltningen 2022",
        "[…]",
        "Mammakraft",
    ]
    assert "Thaiwise" not in "\n".join(mammakraft)
    assert mammakraft[-1] == "Behov av tillskott för 2022 är: 300 000 SEK"
    long = _source("mal-19").passage
    assert len(long) <= sources.MAX_PASSAGE + 200 and "[…]" in long
    assert long.endswith("Totalkostnad 1 370 000 kr")


def test_sodertalje_text_stops_before_the_next_measure():
    passage = _source("sod-01").passage
    assert passage.startswith("#### 2.3.1 Familjecentral")
    assert "2.3.2" not in passage and "\t" not in passage


def test_amount_patterns_match_as_written_and_never_inside_a_larger_number():
    assert sources.amount_pattern("650 000 kr").search("Summa: 650 000kr")
    assert sources.amount_pattern("500 000").search("kostar 1 500 000 kr") is None
    assert sources.amount_pattern("500 000").search("kostar 500 000 kr")
    assert sources.amount_pattern("Ej äskat") is None


def test_markdown_renders_as_formatting_and_nothing_else():
    rendered = sources.to_html(
        "Totalkostnad **2 029 600 kr**\n- **Nattvandring** varje fredag\n- <script>alert(1)</script>\n"
        "Se [regeringen](http://example.org) ![bild](http://example.org/x.png) <https://example.org/a.pdf>\n"
        "<b>Totalt</b>\t<b>10,9 mkr</b>\n<img src=x onerror=alert(1)>"
    )
    assert "<strong>2 029 600 kr</strong>" in rendered and "**" not in rendered
    assert "<li><strong>Nattvandring</strong> varje fredag</li>" in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "&lt;img src=x" in rendered and "<img" not in rendered
    assert "http" not in rendered and "<a " not in rendered and "regeringen" in rendered
    assert "<th><strong>Totalt</strong></th>" in rendered
    assert re.search(r"<table[^>]*><tr><th>", sources.to_html("\tMedel\nThaiwise\t1 000 000"))
    assert sources.to_html("- ***El Sistema***") == "<ul><li><strong><em>El Sistema</em></strong></li></ul>"


def test_the_sources_page_shows_each_document_as_formatted_text(fresh_streamlit):

    at = open_app("pages/kallor.py")
    assert not at.exception
    assert not [m for m in at.markdown if "ik-document" in m.value], "a text made in a closed expander"
    at = open_expanders(at, "")  # the reader opens every document
    documents = [m.value for m in at.markdown if 'class="ik-source ik-document"' in m.value]
    assert len(documents) == 5
    malmo = next(d for d in documents if "Slutligt förslag på fördelning av kommunstyrelsens medel" in d)
    assert "<strong>2 029 600 kr</strong>" in malmo and "**" not in malmo
    assert "<td>Thaiwise, minskad kriminalitet" in malmo
    sodertalje = next(d for d in documents if "Familjecentral" in d)
    assert "&lt;b&gt;" not in sodertalje and "<td><strong>Totalt</strong></td>" in sodertalje
    assert "https://" not in sodertalje  # the footnote's link is not rendered as a link to fetch
