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
    # Kommuner's table says the amount as Översikt does: "minst" beside "minst … kr per invånare" (an attack
    # found "400 000 kr" next to "minst 3,88 kr")
    shown = per_capita.municipality_table(out.assign(population_source="Kolada")).to_dict("records")
    assert [r["Fördelat"] for r in shown] == ["minst 33\xa0600\xa0000\xa0kr", "okänt"]
    assert shown[0]["Fördelat per invånare"] == "minst 94,02\xa0kr"


def test_an_area_with_only_unfunded_proposals_has_nothing_allocated_and_a_partly_known_one_is_minst():
    by_area = pd.DataFrame(
        {
            "municipality": ["Södertälje", "Malmö", "Malmö", "Motala"],
            "year": [2018, 2022, 2022, 2018],
            "priority_area": ["Arbetsmarknad"] * 4,
            "amount_sek": [None, 1_800_000, None, None],
            "lines_without_amount": [0, 0, 1, 1],  # Södertälje's line: a proposal without funding
        }
    )
    population = pd.DataFrame(
        {"municipality": ["Södertälje", "Malmö"], "year": [2018, 2022], "population": [100_000, 357_377]}
    )
    table = per_capita.area_table(by_area, "Arbetsmarknad", population)
    assert table.to_dict("records") == [
        {  # 1 800 000 / 357 377 = 5,0367… kr, and a line without amount: a lower bound
            "Kommun": "Malmö",
            "År": "2022",
            "Fördelat till Arbetsmarknad": "minst 1\xa0800\xa0000\xa0kr",
            "Fördelat per invånare": "minst 5,04\xa0kr",
            "Invånare": "357\xa0377",
        },
        {
            "Kommun": "Södertälje",
            "År": "2018",
            "Fördelat till Arbetsmarknad": "inget fördelat",
            "Fördelat per invånare": "inget fördelat",
            "Invånare": "100\xa0000",
        },
    ]
    assert per_capita.area_missing(by_area, "Arbetsmarknad", population) == ["Motala 2018"]


def test_a_frame_of_unknown_amount_makes_ram_per_invanare_a_lower_bound():
    totals = pd.DataFrame(
        {
            "municipality": ["Motala"],
            "year": [2018],
            "frame_sek": pd.array([1_000_000], dtype="Int64"),
            "frames_without_amount": [1],
            "allocated_sek": pd.array([pd.NA], dtype="Int64"),
            "lines_without_amount": [5],
        }
    )
    population = pd.DataFrame(
        {
            "municipality": ["Motala"],
            "year": [2018],
            "population": [43_000],
            "source": ["Befolkningsfil b.csv"],
        }
    )
    shown = per_capita.municipality_table(per_capita.table(totals, population)).to_dict("records")
    assert shown[0]["Ram"] == "minst 1\xa0000\xa0000\xa0kr"
    assert shown[0]["Ram per invånare"] == "minst 23,26\xa0kr"  # 1 000 000 / 43 000 = 23,255… kr
    assert shown[0]["Fördelat per invånare"] == "okänt"
    assert per_capita.sources_text(per_capita.table(totals, population)) == (
        "Invånare den 31 december (N01951 Invånare totalt, antal): 2018 enligt Befolkningsfil b.csv."
    )
