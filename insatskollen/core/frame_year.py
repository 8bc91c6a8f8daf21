"""One frame in one year and its lines, as the query `frame_year_figures` gives them, and how frame-years are named.

**Varav enligt tolkning**: how much of each figure rests on our reading of a document (data/README.md,
"Tolkning"): a frame-year whose basis is `tolkning` (its amount or its year is our reading) counts with its whole
ram and every line amount in it; otherwise a line counts when its own basis is `tolkning`. A frame-year's
ofördelat, överfördelat or contradiction rests on a reading when the frame-year or any of its lines does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.key_figures import Balance
from insatskollen.core.na import int_or_none

READING = "tolkning"


@dataclass(frozen=True)
class FrameYear:
    """One frame in one year and its lines (amounts in whole kronor; None = unknown)."""

    frame_id: str
    municipality: str
    year: int
    funding_source: str
    frame_sek: int | None
    lines: int  # every funded line of the frame-year
    lines_without_amount: int
    allocated_all_sek: int | None  # sum of every known line amount of the frame-year
    view_lines: int  # funded lines that every filter keeps
    view_lines_without_amount: int
    view_unfunded: int  # proposals without funding that every filter keeps
    view_known_sek: int | None  # sum of known amounts of the lines in view
    stated_sek: int | None = None  # what the document states the frame-year's rows allocate (ram_summa)
    frame_basis: str | None = None  # the frame-year's basis: dokument, tolkning, or None (not stated)
    frame_reading_lines: int = 0  # funded lines of the frame-year that are our reading
    view_reading_sek: int | None = None  # known amounts of the lines in view that are our reading

    @property
    def frame_is_reading(self) -> bool:
        """The frame-year's amount or year is our reading (e.g. Linköping's years, Södertälje 2019–2020)."""
        return self.frame_basis == READING

    @property
    def rests_on_reading(self) -> bool:
        """The frame-year or one of its lines is our reading: its balance rests on a reading."""
        return self.frame_is_reading or self.frame_reading_lines > 0

    @property
    def frame_reading_sek(self) -> int:
        """The part of the ram that is our reading (0 when the frame-year is the document's or has no amount)."""
        return self.frame_sek if self.frame_is_reading and self.frame_sek is not None else 0

    @property
    def allocated_reading_sek(self) -> int:
        """The part of fördelat in view that is our reading."""
        if self.frame_is_reading:
            return self.view_known_sek or 0
        return self.view_reading_sek or 0

    @cached_property
    def balance(self) -> Balance:
        """The whole frame-year's money against its rows, by the one rule (made once: the record is frozen, and a
        national headline asks it ~140 times per frame-year a rerun)."""
        return Balance(
            self.frame_sek,
            self.allocated_all_sek or 0,
            self.lines,
            self.lines_without_amount,
            self.stated_sek,
        )

    @property
    def allocation_known(self) -> bool:
        """At least one line, and every line has an amount."""
        return self.lines > 0 and self.lines_without_amount == 0

    @property
    def complete(self) -> bool:
        """The frame and every line amount are known: ofördelat can be computed."""
        return self.balance.complete

    @property
    def allocated_sek(self) -> int | None:
        """Fördelat in view: exact (0 when no line is in view) when the allocation is known, otherwise
        the known part, or None when nothing in view has an amount."""
        if self.allocation_known:
            return self.view_known_sek or 0
        return self.view_known_sek

    @property
    def unallocated_sek(self) -> int | None:
        """Ofördelat for the whole frame-year (`Balance.unallocated_sek`); None unless complete."""
        return self.balance.unallocated_sek

    @property
    def allocated_is_bound(self) -> bool:
        """Fördelat in view is "minst": a line has no amount (as `Headline.allocated_is_bound`)."""
        return self.allocated_sek is not None and (
            self.view_lines_without_amount > 0 or not self.allocation_known
        )

    @property
    def label(self) -> str:
        return f"{self.municipality} {self.year}"

    def sentence(self, amount=fmt.mnkr) -> str:
        """'Malmö 2022, Statsbidrag Socialstyrelsen: Dokumentet anger 19,7 mnkr; …'."""
        return f"{self.label}, {self.funding_source}: {self.balance.clause(amount)}"


def frame_years(rows: pd.DataFrame) -> tuple[FrameYear, ...]:
    """FrameYear records from the `frame_year_figures` query."""
    return tuple(
        FrameYear(
            r.frame_id,
            r.municipality,
            int(r.year),
            r.funding_source,
            int_or_none(r.frame_sek),
            int(r.frame_lines),
            int(r.frame_lines_without_amount),
            int_or_none(r.frame_allocated_sek),
            int(r.view_lines),
            int(r.view_lines_without_amount),
            int(r.view_unfunded),
            int_or_none(r.view_allocated_sek),
            int_or_none(getattr(r, "stated_sek", None)),
            getattr(r, "frame_basis", None) if isinstance(getattr(r, "frame_basis", None), str) else None,
            int(getattr(r, "frame_reading_lines", 0) or 0),
            int_or_none(getattr(r, "view_reading_sek", None)),
        )
        for r in rows.itertuples()
    )


NAMED_AT_MOST = 8  # municipalities named in a sentence; national data would otherwise list all 290


def names(items: tuple[FrameYear, ...]) -> str:
    """'Linköping 2018–2020, Motala 2018 (2 ramar)': frame-years grouped by municipality, years merged.
    More than NAMED_AT_MOST municipalities: the first ones and how many more (each is in the tables)."""
    by_municipality: dict[str, list[FrameYear]] = {}
    for item in items:
        by_municipality.setdefault(item.municipality, []).append(item)
    parts = []
    for municipality, group in by_municipality.items():
        years = sorted({x.year for x in group})
        runs, start, prev = [], years[0], years[0]
        for year in years[1:]:
            if year != prev + 1:
                runs.append(fmt.years(start, prev))
                start = year
            prev = year
        runs.append(fmt.years(start, prev))
        frames = len({x.frame_id for x in group})
        tail = f" ({frames} ramar)" if frames > 1 else ""
        parts.append(f"{municipality} {', '.join(runs)}{tail}")
    if len(parts) > NAMED_AT_MOST:
        shown = NAMED_AT_MOST - 1
        return (
            ", ".join(parts[:shown])
            + f" och {fmt.count_phrase(len(parts) - shown, 'kommun', 'kommuner')} till"
        )
    return ", ".join(parts)
