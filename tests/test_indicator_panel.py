"""The outcome panel's pure parts: the allocation sentence, the chart spec of one KPI, and that the
bundled data holds no indicator values (they come only from imported Kolada files)."""

from __future__ import annotations

import pandas as pd

from insatskollen import charts, indicator_panel


def test_the_allocation_sentence_says_unknown_amounts_and_never_zero():
    alloc = pd.DataFrame(
        {
            "priority_area": ["Brottslighet", "Brottslighet", "Boende"],
            "year": [2018, 2019, 2018],
            "amount_sek": [None, 2_170_000, 5],
            "lines_without_amount": [1, 0, 0],
            "lines": [1, 3, 1],
        }
    )
    text = indicator_panel.allocation_text(alloc, "Brottslighet").replace("\u00a0", " ")
    assert text == "Fördelat till Brottslighet: 2018: 1 rad utan belopp; 2019: 2 170 000 kr."
    assert (
        indicator_panel.allocation_text(alloc, "Utbildning") == "Inget fördelat till Utbildning i underlaget."
    )


def test_the_chart_draws_unknown_as_a_gap_names_it_and_shades_the_funded_years():
    rows = pd.DataFrame(
        {
            "kpi_id": ["N07403"] * 4,
            "kpi_title": ["Anmälda <b>våldsbrott</b>"] * 4,
            "municipality_code": ["1280", "1280", "0000", "0000"],
            "municipality": ["Malmö", "Malmö", "Riket", "Riket"],
            "role": ["kommunen", "kommunen", "riket", "riket"],
            "year": [2021, 2022, 2021, 2022],
            "value": [None, 1431.9, 1071.8, 0.0],
            "status": ["Missing", None, None, None],
            "source": ["Kolada, exportfil a.csv"] * 4,
        }
    )
    spec = charts.indicator_lines(rows, (2022,), "Malmö")
    by_name = {t.name: dict(zip(t.x, t.y, strict=True)) for t in spec.figure.data}
    assert by_name == {"Malmö": {2021: None, 2022: 1431.9}, "Riket": {2021: 1071.8, 2022: 0.0}}
    assert [(s.x0, s.x1) for s in spec.figure.layout.shapes] == [(2021.5, 2022.5)]
    assert spec.note == "Värde saknas (okänt, inte noll): Malmö 2021."
    assert "&lt;b&gt;" in spec.figure.layout.title.text  # a title from a file is text, not markup
    assert list(spec.table["Värde"].isna()) == [True, False, False, False]


def test_the_bundled_data_holds_no_indicator_values(db):
    assert db.con.execute("select count(*) from main.indicator_values").fetchone()[0] == 0
