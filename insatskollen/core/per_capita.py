"""Kronor per invånare (issue 26, item 2): a municipality-year's money divided by its population that year,
when the population is imported (Kolada N01951 "Invånare totalt, antal", queries/population.sql).

The amounts are the headline figures' own (Ram and Fördelat per municipality and year, as Översikt sums them;
an area's Fördelat as Prioriterade områden sums it): this module only divides. Unknown stays unknown: an
unknown amount or a missing population gives no figure, and a Fördelat with lines of unknown amount is a lower
bound ("minst"). Computed in exact fractions and rounded once, to whole öre, for the text.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from insatskollen.core import fmt

POPULATION_KPI = "N01951"
POPULATION_TITLE = "Invånare totalt, antal"
UNKNOWN = "okänt"  # no population that year, or no known amount
HOW_TO_GET = (
    "Kronor per invånare visas när befolkningen är importerad: hämta Koladas nyckeltal N01951 (Invånare "
    "totalt, antal) för kommunen och åren, och läs in filen under Importera → Kolada."
)


def rate(amount_sek, population) -> Fraction | None:
    """amount / population, exactly; None when either is unknown (or the population is not positive)."""
    if amount_sek is None or population is None or pd.isna(amount_sek) or pd.isna(population):
        return None
    if int(population) <= 0:
        return None
    return Fraction(int(amount_sek), int(population))


def text(value: Fraction | None, bound: bool = False) -> str:
    """'97,10 kr' (whole öre), 'minst 12,40 kr' for a lower bound, 'okänt' when unknown."""
    if value is None:
        return UNKNOWN
    ore = round(value * 100)
    kronor, rest = divmod(ore, 100)
    shown = f"{fmt.number(kronor)},{rest:02d}\xa0kr"  # no break before kr, as fmt.sek
    return f"minst {shown}" if bound else shown


def table(totals: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and year: the headline totals (municipality, year, frame_sek, allocated_sek,
    lines_without_amount) beside the population and kronor per invånare of the frame and of the allocation.
    A year without population keeps its row, with the per-invånare figures unknown."""
    people = {(r.municipality, int(r.year)): int(r.population) for r in population.itertuples(index=False)}
    rows = []
    for r in totals.itertuples(index=False):
        inhabitants = people.get((r.municipality, int(r.year)))
        bound = bool(r.lines_without_amount)
        allocated = rate(r.allocated_sek, inhabitants)
        rows.append(
            {
                "municipality": r.municipality,
                "year": int(r.year),
                "frame_sek": r.frame_sek,
                "allocated_sek": r.allocated_sek,
                "population": inhabitants,
                "frame_per_inhabitant": rate(r.frame_sek, inhabitants),
                "allocated_per_inhabitant": allocated,
                "allocated_is_bound": bound and allocated is not None,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "municipality",
            "year",
            "frame_sek",
            "allocated_sek",
            "population",
            "frame_per_inhabitant",
            "allocated_per_inhabitant",
            "allocated_is_bound",
        ],
    )
    out["population"] = out["population"].astype("Int64")  # a year without population: <NA>, never 0
    return out
