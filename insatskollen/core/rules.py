"""The frame rules, evaluated once and exactly: integer kronor and `Fraction` percentages.

Used by the consistency check (Datakvalitet, `python -m insatskollen check`), the Kommuner page and
the what-if engine (Scenarier), so that a share exactly at a bound is judged the same everywhere:
5 500 000 kr of 10 000 000 kr is exactly 55 % and within a 5–55 % interval.

Bounds are inclusive: a share equal to the minimum or the maximum is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from insatskollen.core import na

OK = "ok"
UNDER = "under"
OVER = "över"
UNKNOWN = "okänd"


def percent(value) -> Fraction | None:
    """A percentage from the data (int, Decimal, float or text such as '12.5') as an exact Fraction.
    Floats are read through their shortest decimal text, so 12.5 and 0.1 stay what the file says."""
    if na.missing(value):
        return None
    if isinstance(value, Fraction | int | Decimal):
        return Fraction(value)
    return Fraction(str(value).replace(",", ".").strip())


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


@dataclass(frozen=True)
class IntervalResult:
    """One interval rule judged for one frame amount and one allocated sum."""

    status: str  # OK, UNDER, OVER or UNKNOWN
    allocated: int | None  # kronor allocated to the budget line (known amounts)
    frame: int | None
    share: Fraction | None  # percent of the frame, exact
    min_pct: Fraction | None
    max_pct: Fraction | None
    lowest: int | None  # the smallest allowed amount in kronor (min % of the frame, rounded up)
    highest: int | None  # the largest allowed amount in kronor (max % of the frame, rounded down)

    @property
    def missing(self) -> int:
        """Kronor needed to reach the minimum (0 unless UNDER)."""
        return self.lowest - self.allocated if self.status == UNDER else 0

    @property
    def excess(self) -> int:
        """Kronor above the maximum (0 unless OVER)."""
        return self.allocated - self.highest if self.status == OVER else 0


def interval(allocated: int | None, frame: int | None, min_pct, max_pct) -> IntervalResult:
    """Judge `allocated` kronor against min_pct–max_pct percent of `frame` kronor, exactly.
    Unknown when the frame or the allocation is unknown, or the frame is 0."""
    low, high = percent(min_pct), percent(max_pct)
    if frame is None or frame == 0 or allocated is None:
        return IntervalResult(UNKNOWN, allocated, frame, None, low, high, None, None)
    allocated, frame = int(allocated), int(frame)
    share = Fraction(allocated * 100, frame)
    lowest = None if low is None else _ceil(low * frame / 100)
    highest = None if high is None else _floor(high * frame / 100)
    if low is not None and share < low:
        status = UNDER
    elif high is not None and share > high:
        status = OVER
    else:
        status = OK
    return IntervalResult(status, allocated, frame, share, low, high, lowest, highest)


def required_co_financing(grant: int | None, min_pct) -> int | None:
    """The municipality's own money a grant requires: min_pct percent of the grant, in whole kronor,
    rounded up (the requirement is 'at least'). None when the grant or the share is unknown."""
    share = percent(min_pct)
    if grant is None or share is None:
        return None
    return _ceil(share * int(grant) / 100)


def co_financing(grant: int | None, own: int | None, min_pct) -> str:
    """OK when `own` kronor are at least min_pct percent of the grant (exactly at the bound is OK);
    UNDER below it; UNKNOWN when any amount is unknown."""
    share = percent(min_pct)
    if grant is None or own is None or share is None:
        return UNKNOWN
    return OK if Fraction(int(own) * 100) >= share * int(grant) else UNDER


def interval_rows(rows: pd.DataFrame) -> list[tuple[object, IntervalResult]]:
    """Each interval rule row of the `check_rules` query (one per rule and year) with its judgement."""
    out = []
    for r in rows[rows.rule_kind == "finansieringsintervall"].itertuples():
        allocated, frame = na.int_or_none(r.allocated_sek), na.int_or_none(r.frame_sek)
        out.append((r, interval(allocated, frame, r.min_pct, r.max_pct)))
    return out


def share_text(result: IntervalResult) -> str:
    """The share as people read it ('50 %'), but never rounded onto a bound it has crossed: 6 904 001 kr of
    13 808 000 kr is 'strax över 50 %', not '50 %' next to 'tillåtet 20–50 %'."""
    from insatskollen.core import fmt  # local: fmt is tiny, and rules stays importable on its own

    if result.share is None:
        return "–"
    text = fmt.pct(float(result.share) / 100)
    for bound, word in ((result.max_pct, "över"), (result.min_pct, "under")):
        if bound is not None and result.share != bound and text == fmt.pct(float(bound) / 100):
            return f"strax {word} {text}"
    return text


# A rounding is to the nearest hundred, thousand … kronor (half up), in Swedish "närmaste hundratal …".
ROUNDING_UNITS = {
    100: "hundratal",
    1_000: "tusental",
    10_000: "tiotusental",
    100_000: "hundratusental",
    1_000_000: "miljontal",
}


def rounding_unit(requested: int, allocated: int) -> int | None:
    """The smallest unit (100, 1 000 … kr) that `requested` rounded to the nearest multiple of gives
    `allocated`, or None when `allocated` is no such rounding: 2 029 600 -> 2 030 000 is a rounding to the
    nearest thousand; 313 000 -> 320 000 is not a rounding to the nearest anything."""
    for unit in ROUNDING_UNITS:
        if requested % unit and (requested + unit // 2) // unit * unit == allocated:
            return unit
    return None
