"""Follow-up (issue 15), the rules: which measure-years are flagged (overspent, behind plan, no report)
and the sums per area and nämnd, over rows of the `follow_up` view. Pure functions in whole kronor and
exact fractions, used by the Uppföljning page and, later, the yearly report.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import pandas as pd

from insatskollen.core import fmt, key_figures, na, theme

PAGE_FILE = (
    "Uppföljningssidan"  # a report typed on the Uppföljning page: one "file" per report, no lines of ours
)
# A measure-year's columns, named and ordered as every list of them shows them (the Uppföljning page's table, the
# yearly report's measures in Word and Excel): the follow_up view's columns and their Swedish headers
AMOUNT_HEADERS = {
    "granted_sek": "Beviljat (kr)",
    "spent_sek": "Utfall (kr)",
    "deviation_sek": "Avvikelse (kr)",
}
HEADERS = {
    "measure": "Insats",
    **AMOUNT_HEADERS,
    "status": "Genomförande",
    "status_date": "Datum",
    "result": "Resultat",
}
MEASURE_COLUMNS = (
    "Insats",
    "Flaggor",
    "Nämnd",
    "Område",
    *AMOUNT_HEADERS.values(),
    "Genomförande",
    "Datum",
    "Resultat",
)
OVERSPENT, BEHIND, NO_REPORT = "Överskriden", "Efter plan", "Ingen rapport"
BEHIND_MARGIN = Fraction(1, 4)  # "well below": more than 25 percentage points
ONGOING = ("ej påbörjad", "pågår")
RULES = (
    f"**{OVERSPENT}**: utfallet är större än beviljat belopp. "
    f"**{BEHIND}**: insatsen pågår eller har inte påbörjats, och andelen av beviljat som har använts är mer "
    "än 25 procentenheter lägre än den andel av året som har gått vid rapportens datum (kolumnen Datum, "
    "annars dagen rapporten importerades). Exempel: en rapport den 30 juni (halva året) med mindre än 25 % "
    f"använt. **{NO_REPORT}**: ingen uppföljning är importerad för insatsen och året. "
    "Okända belopp flaggas aldrig som noll."
)


def elapsed_share(year: int, on: date) -> Fraction:
    """The share of `year` that has gone by at the end of day `on`: 0 before it, 1 after it."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if on < start:
        return Fraction(0)
    if on >= end:
        return Fraction(1)
    return Fraction((on - start).days + 1, (end - start).days + 1)


def reference_date(status_date, reported_at) -> date | None:
    """The day a report speaks of: its Datum, else the day it was imported."""
    for value in (status_date, reported_at):
        if na.missing(value):  # pandas' NaT is a datetime too: test for missing first
            continue
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return pd.Timestamp(value).date()
    return None


def flags(row) -> list[str]:
    """The flags of one follow_up row (granted_sek, spent_sek, status, status_date, reported_at, year)."""
    if row.status == "ingen rapport":
        return [NO_REPORT]
    granted, spent = na.int_or_none(row.granted_sek), na.int_or_none(row.spent_sek)
    out = []
    if granted is not None and spent is not None and spent > granted:
        out.append(OVERSPENT)
    on = reference_date(row.status_date, row.reported_at)
    ongoing = row.status in ONGOING and granted and spent is not None and on is not None
    if ongoing and Fraction(spent, granted) < elapsed_share(int(row.year), on) - BEHIND_MARGIN:
        out.append(BEHIND)
    return out


def with_flags(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with a `flag_names` column (a list per row)."""
    out = rows.copy()
    out["flag_names"] = [flags(r) for r in rows.itertuples()] if len(rows) else []
    return out


def summary(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per area (by='priority_area') or nämnd (by='committee'): granted and spent summed over the known
    amounts, with the measures whose amount is unknown counted beside them (never added as 0), and the
    flags counted. Swedish column names; amounts as whole kronor (None when nothing is known). Groups in the
    order they first appear, then by granted, largest first (unknown last). One pass over the rows in plain
    Python: a pandas group-by per group cost ~20 ms for 20 rows, run several times a rerun (issue 25)."""
    label = theme.area_label if by == "priority_area" else theme.committee_label
    groups: dict = {}
    missing_key = object()  # a group whose label is missing (NaN is not equal to itself as a dict key)
    missing_label = None  # shown as the group's label then, as pandas' group-by shows it
    keys = rows[by].map(label).tolist() if len(rows) else []
    for key, row in zip(keys, rows.itertuples(), strict=True):
        if na.missing(key):
            key, missing_label = missing_key, key
        groups.setdefault(key, []).append((row.granted_sek, row.spent_sek, flags(row)))
    out = []
    for key, part in groups.items():
        granted = [g for g, _, _ in part]
        spent = [s for _, s, _ in part]
        out.append(
            {
                "Område" if by == "priority_area" else "Nämnd": missing_label if key is missing_key else key,
                "Beviljat (kr)": key_figures.known_sum(granted),
                "Utfall (kr)": key_figures.known_sum(spent),
                "Insatser": len(part),
                "Beviljat okänt": sum(na.missing(g) for g in granted),
                "Utfall okänt": sum(na.missing(s) for s in spent),
                OVERSPENT: sum(OVERSPENT in f for _, _, f in part),
                BEHIND: sum(BEHIND in f for _, _, f in part),
                NO_REPORT: sum(NO_REPORT in f for _, _, f in part),
            }
        )
    table = pd.DataFrame(out)
    if len(table):
        table = table.sort_values("Beviljat (kr)", ascending=False, na_position="last", kind="stable")
    return table.reset_index(drop=True)


NO_DEVIATION = (
    "Avvikelsen räknas när en insats har både känt beviljat belopp och känt utfall; ingen har det än."
)


def _both_known(count: int) -> str:
    return "den insats" if count == 1 else f"de {count} insatser"


def deviation_note(count: int) -> str:
    """The caption under the boxes: which measures the deviation covers (`count` have granted and spent known)."""
    if not count:
        return NO_DEVIATION
    return (
        f"Avvikelsen räknas bara för {_both_known(count)} där både beviljat och utfall är kända; "
        "därför är den inte beviljat minus utfall i rutorna ovan."
    )


def deviation_help(deviation: int | None, count: int) -> str:
    """The Avvikelse box's help: its sum in kronor and what it covers."""
    if not count:
        return NO_DEVIATION
    return f"{fmt.sek(deviation)}: utfall − beviljat för {_both_known(count)} där båda är kända."


def flag_sentence(rows: pd.DataFrame) -> str:
    """'2 insatser har överskridit, 1 ligger efter plan, 25 saknar rapport.' for the page's lead."""
    flagged = with_flags(rows)
    counts = [sum(flag in f for f in flagged.flag_names) for flag in (OVERSPENT, BEHIND, NO_REPORT)]
    return (
        f"{fmt.count_phrase(counts[0], 'insats har', 'insatser har')} använt mer än beviljat, "
        f"{fmt.count_phrase(counts[1], 'ligger', 'ligger')} efter plan och "
        f"{fmt.count_phrase(counts[2], 'saknar', 'saknar')} rapport."
    )
