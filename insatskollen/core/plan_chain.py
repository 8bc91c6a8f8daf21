"""The plan chain (issue 26) as data: per municipality and area, the lägesbild's problems, the goals with
the measures that answer them and their money, and the flags where the chain breaks: a goal without a
measure or money, a measure without a goal, money without an indicator. Built from the rows of the view
`plan_chain` (queries/model/08_plan_chain.sql); unknown money stays None, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from insatskollen.core import basis, fmt, key_figures, na

# One line, on the page and wherever the chain is shown: the chain puts things side by side, it does not
# say that a measure moved an indicator.
NO_CAUSAL_CLAIM = (
    "Kedjan ställer problem, mål, insatser, pengar och indikatorer bredvid varandra. Den säger inte att "
    "en insats har orsakat en förändring i en indikator."
)
GOAL_WITHOUT_MEASURE = "Mål utan insats"
GOAL_WITHOUT_MONEY = "Mål utan känt beviljat belopp"
MEASURE_WITHOUT_GOAL = "Insats utan mål"
MONEY_WITHOUT_INDICATOR = "Pengar utan indikator"
NO_AREA = "Utan område"


# what the chain covers, said where it is shown: the sidebar's year and area do not narrow it
SCOPE = (
    "Kedjan gäller den valda kommunen och alla dess områden. Varje insats belopp är summan över insatsens alla "
    "år (kolumnen År), inte ett årsbelopp; sidofältets val av år och område gäller inte kedjan."
)
UNFUNDED_STATUS = "övrigt förslag utan finansiering"  # a proposal the document does not fund
UNFUNDED = "ingen finansiering"


def amount_text(value: int | None, unfunded: bool = False) -> str:
    """Whole kronor as the chain shows them; an unknown amount is 'okänt', never 0; a proposal the document
    does not fund has 'ingen finansiering', neither unknown nor 0."""
    if unfunded and value is None:
        return UNFUNDED
    return "okänt" if value is None else fmt.sek(value)


@dataclass(frozen=True)
class Flag:
    kind: str  # one of the four constants above
    area: str
    text: str  # the whole sentence, in Swedish


@dataclass(frozen=True)
class ChainMeasure:
    measure_id: str
    title: str
    granted_sek: int | None  # every year's granted summed; None: unknown
    spent_sek: int | None  # every year's reported spent summed; None: unknown or not reported
    status: str
    years: str  # "2018–2020", "–" without a funded line
    granted_source: str | None
    spent_source: str | None
    indicator: str | None
    link_reading: str | None  # "Tolkning: …" when the link to the goal is our reading
    granted_readings: tuple[str, ...] = ()  # "Tolkning (beviljat): …" where the money rests on our reading
    unfunded: bool = False  # a proposal the document does not fund: no money, not unknown money

    @property
    def money_text(self) -> str:
        """'Beviljat: 11 100 000 kr (2018–2020); använt: okänt' in words; unknown said, never 0."""
        if self.unfunded and self.granted_sek is None:
            return f"Beviljat: {UNFUNDED} (förslag som dokumentet inte finansierar)"
        years = f" ({self.years})" if self.years != "–" else ""
        return f"Beviljat: {amount_text(self.granted_sek)}{years}; använt: {amount_text(self.spent_sek)}"


@dataclass(frozen=True)
class ChainGoal:
    goal_id: str
    goal: str
    source: str
    reading: str | None  # "Tolkning: …" when the goal's area is our reading
    indicator: str | None
    indicator_source: str | None
    measures: tuple[ChainMeasure, ...]


@dataclass
class ChainArea:
    area: str
    problem: str | None
    problem_source: str | None
    goals: list[ChainGoal] = field(default_factory=list)
    unlinked: list[ChainMeasure] = field(default_factory=list)  # measures answering no goal
    flags: list[Flag] = field(default_factory=list)


def _text(value) -> str | None:
    return None if na.missing(value) or value == "" else str(value)


def _notes(value) -> list[str]:
    """A list column's texts (DuckDB gives a numpy array); nothing for a missing value."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _measure(row) -> ChainMeasure:
    reading = (
        basis.tolkning_text(row.link_basis_note, "kopplingen till målet")
        if row.link_basis == basis.READING and _text(row.link_basis_note)
        else None
    )
    return ChainMeasure(
        measure_id=row.measure_id,
        title=_text(row.measure) or row.measure_id,
        granted_sek=na.int_or_none(row.granted_sek),
        spent_sek=na.int_or_none(row.spent_sek),
        status=_text(row.status) or "ingen rapport",
        years=fmt.years(na.int_or_none(row.year_from), na.int_or_none(row.year_to)),
        granted_source=_text(row.granted_source),
        spent_source=_text(row.spent_source),
        indicator=_text(row.indicator),
        link_reading=reading,
        granted_readings=tuple(
            basis.tolkning_text(note, "beviljat") for note in _notes(row.granted_basis_notes)
        )
        if not na.missing(row.granted_sek)
        else (),
        unfunded=_text(getattr(row, "measure_status", None)) == UNFUNDED_STATUS,
    )


def areas(rows: pd.DataFrame) -> list[ChainArea]:
    """The view's rows of one municipality as areas in the national order of the rows (nulls last), each
    with its goals, the measures answering no goal and the flags."""
    out: dict[str, ChainArea] = {}
    goals: dict[str, dict] = {}
    for row in rows.itertuples():
        area_name = _text(row.priority_area) or NO_AREA
        area = out.get(area_name)
        if area is None:
            area = out[area_name] = ChainArea(area_name, _text(row.problem), _text(row.problem_source))
        goal_id = _text(row.goal_id)
        if goal_id is None:
            if _text(row.measure_id):
                area.unlinked.append(_measure(row))
            continue
        goal = goals.get(goal_id)
        if goal is None:
            reading = (
                basis.tolkning_text(row.goal_basis_note, "målets område")
                if row.goal_basis == basis.READING and _text(row.goal_basis_note)
                else None
            )
            goal = goals[goal_id] = {
                "area": area,
                "fields": (goal_id, row.goal, row.goal_source, reading),
                "indicator": (_text(row.goal_indicator), _text(row.indicator_source)),
                "measures": [],
            }
        if _text(row.measure_id):
            goal["measures"].append(_measure(row))
    for goal in goals.values():
        goal_id, text, source, reading = goal["fields"]
        indicator, indicator_source = goal["indicator"]
        goal["area"].goals.append(
            ChainGoal(goal_id, text, source, reading, indicator, indicator_source, tuple(goal["measures"]))
        )
    result = list(out.values())
    for area in result:
        area.flags = flags(area)
    return result


def flags(area: ChainArea) -> list[Flag]:
    """Where the chain of one area breaks, in the order goal, measure, money."""
    found: list[Flag] = []
    for goal in area.goals:
        if not goal.measures:
            found.append(
                Flag(
                    GOAL_WITHOUT_MEASURE,
                    area.area,
                    f"{GOAL_WITHOUT_MEASURE}: ingen insats svarar mot ”{goal.goal}”.",
                )
            )
        elif not any(m.granted_sek for m in goal.measures):
            found.append(
                Flag(
                    GOAL_WITHOUT_MONEY,
                    area.area,
                    f"{GOAL_WITHOUT_MONEY}: ingen av insatserna för ”{goal.goal}” har ett känt beviljat "
                    + (
                        "belopp (förslag utan finansiering)."
                        if all(m.unfunded for m in goal.measures)
                        else "belopp (okänt, inte noll)."
                    ),
                )
            )
    for measure in area.unlinked:
        found.append(
            Flag(
                MEASURE_WITHOUT_GOAL,
                area.area,
                f"{MEASURE_WITHOUT_GOAL}: ”{measure.title}” svarar inte mot något mål i planen.",
            )
        )
    for measure in [m for g in area.goals for m in g.measures] + area.unlinked:
        if measure.granted_sek and not measure.indicator:
            found.append(
                Flag(
                    MONEY_WITHOUT_INDICATOR,
                    area.area,
                    f"{MONEY_WITHOUT_INDICATOR}: ”{measure.title}” har {fmt.sek(measure.granted_sek)} "
                    "beviljat men ingen indikator att följa.",
                )
            )
    return found


def flag_summary(chain: list[ChainArea]) -> str:
    """'3 brister i kedjan: 1 mål utan insats, 1 insats utan mål, 1 pengar utan indikator.' or that none
    was found."""
    every = [f for area in chain for f in area.flags]
    if not every:
        return "Kedjan är hel: varje mål har insatser med pengar, varje insats ett mål och en indikator."
    counts = {kind: sum(1 for f in every if f.kind == kind) for kind in dict.fromkeys(f.kind for f in every)}
    parts = ", ".join(f"{n} × {kind.lower()}" for kind, n in counts.items())
    return f"{fmt.count_phrase(len(every), 'brist', 'brister')} i kedjan: {parts}."


TABLE_COLUMNS = ("Område", "Mål", "Insatser", "Beviljat", "Indikator")
WITHOUT_GOAL = "(insatser utan mål)"


def _granted(measures) -> str:
    """The measures' granted money by the one rule: a sum, 'minst …' when some is unknown, or okänt."""
    if not measures:
        return "–"
    funded = [m for m in measures if not (m.unfunded and m.granted_sek is None)]
    if not funded:
        return UNFUNDED
    known = [m.granted_sek for m in funded if m.granted_sek is not None]
    unknown = sum(1 for m in funded if m.granted_sek is None)
    read = known and any(m.granted_readings for m in measures if m.granted_sek is not None)
    return key_figures.total_text(sum(known) if known else None, unknown) + (" (tolkning)" if read else "")


def table(chain: list[ChainArea]) -> pd.DataFrame:
    """The chain as one table for the deck and the yearly report: a row per goal (and one per area for
    its measures without a goal), as text."""
    rows = []
    for area in chain:
        for goal in area.goals:
            rows.append(
                (
                    area.area,
                    goal.goal,
                    "; ".join(m.title for m in goal.measures) or "ingen",
                    _granted(goal.measures),
                    goal.indicator or "ingen",
                )
            )
        if area.unlinked:
            indicators = "; ".join(dict.fromkeys(m.indicator for m in area.unlinked if m.indicator))
            rows.append(
                (
                    area.area,
                    WITHOUT_GOAL,
                    "; ".join(m.title for m in area.unlinked),
                    _granted(area.unlinked),
                    indicators or "ingen",
                )
            )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def rows_for(query, municipalities) -> pd.DataFrame | None:
    """The plan_chains rows of those of `municipalities` that have a plan, in one query, or None when none has:
    `query(name, **params)` runs a named query (Database.query, or ui.session.query, cached). plan_municipalities
    is asked first because planning the chain's query costs ~40-80 ms even when it finds nothing (issue 25)."""
    with_plan = set(query("plan_municipalities").municipality)
    chosen = [m for m in municipalities if m in with_plan]
    return query("plan_chains", municipalities=chosen) if chosen else None
