"""Kronor per invånare (issue 26, item 2), the rule by hand: amount ÷ population that year, exact, rounded once
to öre; unknown amount or population gives no figure; a partly known Fördelat is a lower bound."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from insatskollen.core import per_capita


def test_kronor_per_invanare_by_hand():
    # Malmö 2022: Ram 34 700 000 kr, 357 377 invånare -> 97,0963… kr
    value = per_capita.rate(34_700_000, 357_377)
    assert value == Fraction(34_700_000, 357_377)
    assert per_capita.text(value) == "97,10\xa0kr"
    assert per_capita.text(per_capita.rate(600_000, 357_377), bound=True) == "minst 1,68\xa0kr"
    assert per_capita.text(per_capita.rate(2_000_000_000, 1_000)) == "2\xa0000\xa0000,00\xa0kr"


def test_unknown_stays_unknown():
    assert per_capita.rate(None, 357_377) is None
    assert per_capita.rate(pd.NA, 357_377) is None
    assert per_capita.rate(34_700_000, None) is None
    assert per_capita.rate(34_700_000, 0) is None
    assert per_capita.text(None) == "okänt"


def test_the_table_keeps_a_year_without_population():
    totals = pd.DataFrame(
        {
            "municipality": ["Malmö", "Malmö"],
            "year": [2022, 2023],
            "frame_sek": pd.array([34_700_000, 1_000_000], dtype="Int64"),
            "allocated_sek": pd.array([33_600_000, pd.NA], dtype="Int64"),
            "lines_without_amount": [1, 2],
        }
    )
    population = pd.DataFrame({"municipality": ["Malmö"], "year": [2022], "population": [357_377]})
    out = per_capita.table(totals, population)
    first, second = out.to_dict("records")
    assert first["population"] == 357_377
    assert per_capita.text(first["frame_per_inhabitant"]) == "97,10\xa0kr"
    assert (
        per_capita.text(first["allocated_per_inhabitant"], first["allocated_is_bound"]) == "minst 94,02\xa0kr"
    )
    assert pd.isna(second["population"]) and second["frame_per_inhabitant"] is None
    assert second["allocated_is_bound"] is False
