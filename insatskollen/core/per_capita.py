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

from insatskollen.core import fmt, lists

POPULATION_KPI = "N01951"
POPULATION_TITLE = "Invånare totalt, antal"
UNKNOWN = "okänt"  # no population that year, or no known amount
NOTHING = "inget fördelat"  # only proposals the document does not fund
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
    lines_without_amount, and frames_without_amount when known) beside the population, its source and kronor per
    invånare of the frame and of the allocation. A year without population keeps its row, with the per-invånare
    figures unknown. Each year is divided by its own population: years are never summed or netted."""
    people = {
        (r.municipality, int(r.year)): (int(r.population), getattr(r, "source", None))
        for r in population.itertuples(index=False)
    }
    rows = []
    for r in totals.itertuples(index=False):
        inhabitants, source = people.get((r.municipality, int(r.year)), (None, None))
        frame = rate(r.frame_sek, inhabitants)
        partial = bool(getattr(r, "frames_without_amount", 0)) and not pd.isna(r.frame_sek)
        allocated = rate(r.allocated_sek, inhabitants)
        rows.append(
            {
                "municipality": r.municipality,
                "year": int(r.year),
                "frame_sek": r.frame_sek,
                "allocated_sek": r.allocated_sek,
                "population": inhabitants,
                "population_source": source,
                "frame_per_inhabitant": frame,
                # a frame of unknown amount beside known ones: the known sum is a lower bound
                "frame_is_partial": partial,
                "frame_is_bound": partial and frame is not None,
                "allocated_per_inhabitant": allocated,
                # lines of unknown amount: the known sum is a lower bound ("minst", as Översikt says it)
                "allocated_is_partial": bool(r.lines_without_amount) and not pd.isna(r.allocated_sek),
                "allocated_is_bound": bool(r.lines_without_amount) and allocated is not None,
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["population"] = out["population"].astype("Int64")  # a year without population: <NA>, never 0
    return out


COLUMNS = [
    "municipality",
    "year",
    "frame_sek",
    "allocated_sek",
    "population",
    "population_source",
    "frame_per_inhabitant",
    "frame_is_partial",
    "frame_is_bound",
    "allocated_per_inhabitant",
    "allocated_is_partial",
    "allocated_is_bound",
]


def population_text(population) -> str:
    """'357 377' inhabitants, or 'okänt'."""
    return UNKNOWN if population is None or pd.isna(population) else fmt.number(int(population))


def municipality_table(rates: pd.DataFrame) -> pd.DataFrame:
    """One municipality's years as Kommuner shows them: the money, the population (its source: sources_text)
    and the two figures per invånare as text ("minst …" for a lower bound, "okänt")."""
    rows = rates.sort_values("year")
    return pd.DataFrame(
        {
            "År": rows.year.astype(str),
            "Ram": _amounts(rows.frame_sek, rows.frame_is_partial),
            "Ram per invånare": _texts(rows.frame_per_inhabitant, rows.frame_is_bound),
            "Fördelat": _amounts(rows.allocated_sek, rows.allocated_is_partial),
            "Fördelat per invånare": _texts(rows.allocated_per_inhabitant, rows.allocated_is_bound),
            "Invånare": rows.population.map(population_text),
        }
    )


def sources_text(rates: pd.DataFrame) -> str:
    """Under a municipality's table: where each year's population comes from, e.g. 'Invånare den 31 december
    (N01951 Invånare totalt, antal): 2022 enligt Kolada, exportfil a.csv.' ('' without population)."""
    years: dict[str, list[str]] = {}
    for source, year, people in zip(rates.population_source, rates.year, rates.population, strict=True):
        if not pd.isna(people):
            years.setdefault(source or "Kolada", []).append(str(int(year)))
    if not years:
        return ""
    parts = [f"{', '.join(sorted(y))} enligt {source}" for source, y in years.items()]
    return f"Invånare den 31 december ({POPULATION_KPI} {POPULATION_TITLE}): {'; '.join(parts)}."


def ranked(rates: pd.DataFrame) -> pd.DataFrame:
    """The rows highest Ram per invånare first, then by name and year; an unknown figure last."""
    order = sorted(
        range(len(rates)),
        key=lambda i: (
            rates.frame_per_inhabitant.iloc[i] is None,
            -(rates.frame_per_inhabitant.iloc[i] or 0),
            rates.municipality.iloc[i],
            int(rates.year.iloc[i]),
        ),
    )
    return rates.iloc[order].reset_index(drop=True)


def comparison_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The municipalities side by side, highest Ram per invånare first; unknown last, as "okänt", never 0."""
    rows = ranked(rates)
    return pd.DataFrame(
        {
            "Kommun": rows.municipality,
            "År": rows.year.astype(str),
            "Ram per invånare": _texts(rows.frame_per_inhabitant, rows.frame_is_bound),
            "Fördelat per invånare": _texts(rows.allocated_per_inhabitant, rows.allocated_is_bound),
            "Invånare": rows.population.map(population_text),
        }
    )


def _texts(values, bounds) -> list[str]:
    return [text(v, b) for v, b in zip(values, bounds, strict=True)]


def _amounts(values, partial) -> list[str]:
    """Whole kronor, "minst …" where lines or frames of unknown amount make the sum a lower bound, "okänt"."""
    return [
        UNKNOWN if pd.isna(v) else ("minst " if b else "") + fmt.sek(v)
        for v, b in zip(values, partial, strict=True)
    ]


def without_population(rates: pd.DataFrame) -> str:
    """'Befolkning saknas för Motala 2018 och Linköping 2021: …' or '' when every year has one."""
    missing = [
        f"{m} {int(y)}"
        for m, y, p in zip(rates.municipality, rates.year, rates.population, strict=True)
        if pd.isna(p)
    ]
    if not missing:
        return ""
    return (
        f"Befolkning saknas för {lists.named(missing, 8, lambda n: fmt.count_phrase(n, 'år', 'år'))}: där är "
        "kronor per invånare okänt. " + HOW_TO_GET
    )


def area_table(by_area: pd.DataFrame, area: str, population: pd.DataFrame) -> pd.DataFrame:
    """An area's Fördelat per invånare for the municipality-years with population, as Prioriterade områden
    sums it (allocation_by_area: known amounts summed, lines without amount make it a lower bound). A
    municipality-year with lines but no money (only proposals without funding) has nothing allocated."""
    people = {(r.municipality, int(r.year)): int(r.population) for r in population.itertuples(index=False)}
    rows = by_area[by_area.priority_area.fillna("") == area]
    out = []
    for (municipality, year), group in rows.groupby(["municipality", "year"], sort=True):
        inhabitants = people.get((municipality, int(year)))
        if inhabitants is None:
            continue
        unknown_lines = int(group.lines_without_amount.sum())
        known = group.amount_sek.dropna()
        amount = int(known.sum()) if len(known) else None
        value = rate(amount, inhabitants)
        bound = "minst " if unknown_lines and amount is not None else ""
        nothing = (
            amount is None and not unknown_lines
        )  # only proposals without funding: no money, not unknown
        out.append(
            {
                "Kommun": municipality,
                "År": str(int(year)),
                f"Fördelat till {area}": NOTHING
                if nothing
                else bound + fmt.sek(amount)
                if amount is not None
                else UNKNOWN,
                "Fördelat per invånare": NOTHING if nothing else text(value, bool(bound)),
                "Invånare": fmt.number(inhabitants),
            }
        )
    return pd.DataFrame(
        out, columns=["Kommun", "År", f"Fördelat till {area}", "Fördelat per invånare", "Invånare"]
    )


def area_missing(by_area: pd.DataFrame, area: str, population: pd.DataFrame) -> list[str]:
    """The municipality-years of the area without population ('Motala 2018')."""
    people = {(r.municipality, int(r.year)) for r in population.itertuples(index=False)}
    rows = by_area[by_area.priority_area.fillna("") == area][["municipality", "year"]].drop_duplicates()
    return [f"{m} {int(y)}" for m, y in rows.itertuples(index=False) if (m, int(y)) not in people]


def chart_rows(rates: pd.DataFrame) -> pd.DataFrame:
    """The comparison as the chart draws it, in the comparison table's order: a label per municipality-year,
    the two figures in kronor (float, rounded to öre; None when unknown) and their texts."""
    rows = ranked(rates)

    def kronor(values) -> list:
        return [None if v is None else round(float(v), 2) for v in values]

    return pd.DataFrame(
        {
            "label": [f"{m} {int(y)}" for m, y in zip(rows.municipality, rows.year, strict=True)],
            "frame": kronor(rows.frame_per_inhabitant),
            "frame_text": _texts(rows.frame_per_inhabitant, rows.frame_is_bound),
            "allocated": kronor(rows.allocated_per_inhabitant),
            "allocated_text": _texts(rows.allocated_per_inhabitant, rows.allocated_is_bound),
        }
    )
