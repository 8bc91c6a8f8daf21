"""The headline figures for a set of filters (`Headline`): ram, fördelat, ofördelat, överfördelat, what is
unknown and how much rests on a reading, summed over frame-years (insatskollen.core.frame_year) by the one rule
(insatskollen.core.key_figures.Balance), with the sentences every page, slide and `check` print.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.filters import Filters
from insatskollen.core.frame_year import FrameYear, frame_years, names
from insatskollen.core.key_figures import PARTLY_KNOWN, UNKNOWN_ALLOCATION, known_sum

QUERY = "frame_year_figures"
# frame-years named one by one under the figures (a contradiction, or rows without amounts); the rest are counted.
# Nationally that was ~10 800 sentences on Översikt, ~3 s of every rerun.
SENTENCES_AT_MOST = 8
LINE_FILTERS = ("committees", "areas", "statuses", "search")


@dataclass(frozen=True)
class Headline:
    """The headline figures for one set of filters (the rules: insatskollen.core.key_figures). Frozen, so each
    figure over the frame-years is summed once (cached_property): a page asks some of them a dozen times."""

    frame_years: tuple[FrameYear, ...]
    line_filters: bool = False  # nämnd, område, status or sök is set: fördelat covers those lines only

    @cached_property
    def frame_sek(self) -> int | None:
        return known_sum(x.frame_sek for x in self.frame_years)

    @cached_property
    def allocated_sek(self) -> int | None:
        return known_sum(x.allocated_sek for x in self.frame_years)

    @cached_property
    def partly_known(self) -> tuple[FrameYear, ...]:
        """Frame-years with known and unknown line amounts: "minst X fördelat, högst Y kvar"."""
        return tuple(x for x in self.frame_years if x.balance.state == PARTLY_KNOWN)

    @cached_property
    def contradictions(self) -> tuple[FrameYear, ...]:
        """Frame-years whose rows sum to less than their document states as allocated."""
        return tuple(x for x in self.frame_years if x.balance.contradiction_sek)

    @property
    def contradiction_sek(self) -> int:
        return sum(x.balance.contradiction_sek for x in self.contradictions)

    @cached_property
    def unallocated_sek(self) -> int | None:
        """Ofördelat: exact over complete frame-years, plus "högst kvar" of partly known ones (then a bound,
        `unallocated_is_bound`); None when no frame-year has a known frame and a known line amount."""
        parts = [x.balance.free_sek for x in self.frame_years if x.balance.free_sek is not None]
        return sum(parts) if parts else None

    @property
    def unallocated_is_bound(self) -> bool:
        return any(x.balance.free_is_bound for x in self.frame_years)

    @cached_property
    def unallocated(self) -> tuple[FrameYear, ...]:
        """The frame-years ofördelat comes from."""
        return tuple(x for x in self.frame_years if x.balance.unallocated_sek or x.balance.at_most_left_sek)

    @cached_property
    def over_allocated_sek(self) -> int | None:
        """Överfördelat: rows − frame summed over the frame-years that overrun (never netted); None (okänt)
        when no frame-year has both a known frame and a known line amount, like ofördelat."""
        if self.unallocated_sek is None:
            return None
        return sum(x.balance.over_allocated_sek for x in self.frame_years)

    @property
    def over_allocated_is_bound(self) -> bool:
        return any(x.balance.over_is_bound for x in self.frame_years)

    @property
    def allocated_is_bound(self) -> bool:
        """Fördelat is "minst": a line in view has no amount, or a frame-year's allocation is unknown."""
        return self.allocated_sek is not None and (
            self.lines_without_amount > 0 or any(not x.allocation_known for x in self.frame_years)
        )

    @cached_property
    def complete(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.complete)

    @cached_property
    def frames_without_amount(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.frame_sek is None)

    @cached_property
    def allocation_unknown(self) -> tuple[FrameYear, ...]:
        """Frame-years with a known frame and no known line amount (no lines, or none with an amount)."""
        return tuple(x for x in self.frame_years if x.balance.state == UNKNOWN_ALLOCATION)

    @property
    def unknown_allocation_frame_sek(self) -> int:
        """Ram med okänd fördelning: the frames of `allocation_unknown`, summed."""
        return sum(x.frame_sek for x in self.allocation_unknown)

    @cached_property
    def over_allocated(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.balance.over_allocated_sek)

    @cached_property
    def lines_without_amount(self) -> int:
        return sum(x.view_lines_without_amount for x in self.frame_years)

    @property
    def unfunded(self) -> int:
        return sum(x.view_unfunded for x in self.frame_years)

    def allocated_value(self, amount=fmt.mnkr) -> str:
        """'66,3 mnkr', 'minst 66,3 mnkr' or 'okänt'."""
        if self.allocated_sek is None:
            return "okänt"
        return ("minst " if self.allocated_is_bound else "") + amount(self.allocated_sek)

    def unallocated_value(self, amount=fmt.mnkr) -> str:
        """'1,1 mnkr', 'högst 1,45 mnkr', '0 mnkr' or 'okänt'."""
        if self.unallocated_sek is None:
            return "okänt"
        return ("högst " if self.unallocated_is_bound else "") + amount(self.unallocated_sek)

    def over_allocated_value(self, amount=fmt.mnkr) -> str:
        if self.over_allocated_sek is None:
            return "okänt"
        return ("minst " if self.over_allocated_is_bound else "") + amount(self.over_allocated_sek)

    def balance_sentences(self, amount=fmt.mnkr) -> list[str]:
        """Ofördelat and överfördelat, each with the frame-years it comes from, then each frame-year whose
        document contradicts itself and each partly known one in the rule's own words."""
        out = []
        if self.unallocated_sek is None:
            out.append(
                "Ofördelat kan inte räknas: ingen ram har både känt belopp och kända belopp på raderna."
            )
        elif self.unallocated_sek:  # 0 is said by the key figure; a sentence would only lengthen the slide
            out.append(f"Ofördelat: {self.unallocated_value(amount)} ({names(self.unallocated)}).")
        if self.over_allocated_sek:
            out.append(f"Överfördelat: {self.over_allocated_value(amount)} ({names(self.over_allocated)}).")
        each = self.contradictions + self.partly_known
        out += [x.sentence(amount) for x in each[:SENTENCES_AT_MOST]]
        if len(each) > SENTENCES_AT_MOST:  # national data: thousands of frame-years, each in the tables
            out.append(
                f"Ytterligare {fmt.count_phrase(len(each) - SENTENCES_AT_MOST, 'ram och år', 'ramar och år')} "
                "har en motsägelse i dokumentet eller rader utan belopp; alla finns i tabellen Ram för ram och på "
                "Datakvalitet."
            )
        return out

    def unknown_text(self) -> str:
        """What is unknown, named: the sentence Översikt, the first slide and `check` all print."""
        parts = []
        if self.allocation_unknown:
            parts.append(
                f"Fördelningen av {fmt.mnkr(self.unknown_allocation_frame_sek)} är okänd "
                f"({names(self.allocation_unknown)})."
            )
        if self.frames_without_amount:
            parts.append(
                f"{fmt.count_phrase(len(self.frames_without_amount), 'ram', 'ramar')} saknar belopp "
                f"({names(self.frames_without_amount)})."
            )
        if self.lines_without_amount:
            n = self.lines_without_amount
            parts.append(
                f"{fmt.count_phrase(n, 'rad', 'rader')} saknar belopp och räknas som "
                f"{'okänd' if n == 1 else 'okända'}, inte som noll."
            )
        return " ".join(parts)

    def unallocated_text(self, amount=fmt.mnkr) -> str:
        """The balance sentences as one text (Översikt's caption, the first slide's note, `check`)."""
        return " ".join(self.balance_sentences(amount))

    def slide_message(self) -> str:
        """The first slide's message: the same figures and words as Översikt."""
        frame = self.frame_sek
        allocated = self.allocated_value()
        if frame is None:
            text = "Ramarna saknar belopp i källan"
            text += "." if self.allocated_sek is None else f"; {allocated} är fördelat."
        elif self.allocated_sek is None:
            text = f"Av {fmt.mnkr(frame)} i ramarna: fördelat är okänt."
        else:
            text = f"Av {fmt.mnkr(frame)} är {allocated} fördelat."
        if self.unallocated_sek is not None and (balance := self.unallocated_text()):
            text += " " + balance
        if self.allocation_unknown:
            text += (
                f" Fördelningen av {fmt.mnkr(self.unknown_allocation_frame_sek)} är okänd "
                f"({names(self.allocation_unknown)})."
            )
        return text

    # ---------------------------------------------------------------- varav enligt tolkning

    @property
    def frame_reading_sek(self) -> int:
        """How much of Ram is our reading."""
        return sum(x.frame_reading_sek for x in self.frame_years)

    @property
    def allocated_reading_sek(self) -> int:
        """How much of Fördelat is our reading."""
        return sum(x.allocated_reading_sek for x in self.frame_years)

    @property
    def unknown_allocation_reading_sek(self) -> int:
        """How much of Ram med okänd fördelning is our reading."""
        return sum(x.frame_sek for x in self.allocation_unknown if x.frame_is_reading)

    @property
    def unallocated_readings(self) -> tuple[FrameYear, ...]:
        """Frame-years whose ofördelat, överfördelat or contradiction rests on a reading."""
        return tuple(
            x
            for x in self.frame_years
            if x.rests_on_reading
            and (
                x.balance.unallocated_sek
                or x.balance.at_most_left_sek
                or x.balance.over_allocated_sek
                or x.balance.contradiction_sek
            )
        )

    @property
    def free_reading_sek(self) -> int:
        """How much of Ofördelat rests on a reading (exact or "högst" parts alike)."""
        return sum(
            (x.balance.unallocated_sek or 0) + (x.balance.at_most_left_sek or 0)
            for x in self.unallocated_readings
        )

    @property
    def unallocated_reading_sek(self) -> int | None:
        """How much of Ofördelat rests on a reading; None when ofördelat is unknown."""
        return None if self.unallocated_sek is None else self.free_reading_sek

    @property
    def over_reading_sek(self) -> int:
        """How much of Överfördelat rests on a reading."""
        return sum(x.balance.over_allocated_sek for x in self.unallocated_readings)

    @property
    def contradiction_reading_sek(self) -> int:
        return sum(x.balance.contradiction_sek for x in self.unallocated_readings)

    @property
    def reading_frame_years(self) -> tuple[FrameYear, ...]:
        """Frame-years whose ram or fördelat in view has an amount that is our reading, for naming them."""
        return tuple(x for x in self.frame_years if x.frame_reading_sek or x.allocated_reading_sek)

    def reading_part(self, figure: str) -> str:
        """'varav 32,7 mnkr enligt tolkning' for a headline box ('ram', 'fördelat', 'ofördelat',
        'överfördelat', 'motsägelse', 'okänd'); '' when nothing of the figure rests on a reading."""
        amount = {
            "ram": self.frame_reading_sek,
            "fördelat": self.allocated_reading_sek,
            "ofördelat": self.free_reading_sek,
            "överfördelat": self.over_reading_sek,
            "motsägelse": self.contradiction_reading_sek,
            "okänd": self.unknown_allocation_reading_sek,
        }.get(figure)
        if not amount:
            return ""
        if figure in ("ofördelat", "överfördelat", "motsägelse"):
            relevant = tuple(
                x
                for x in self.unallocated_readings
                if (
                    figure == "ofördelat"
                    and ((x.balance.unallocated_sek or 0) + (x.balance.at_most_left_sek or 0))
                    or figure == "överfördelat"
                    and x.balance.over_allocated_sek
                    or figure == "motsägelse"
                    and x.balance.contradiction_sek
                )
            )
            return f"varav {fmt.mnkr(amount)} enligt tolkning ({names(relevant)})"
        return f"varav {fmt.mnkr(amount)} enligt tolkning"

    def reading_text(self, named: bool = True) -> str:
        """One sentence for a slide and a document: 'Tolkning: varav 63,1 mnkr av ramen och 32,7 mnkr av det
        fördelade enligt tolkning (Linköping 2018–2020, Södertälje 2018–2020).' ('' when there is none);
        without the frame-years when not `named` (a slide: they are listed in its panel)."""
        parts = []
        if self.frame_reading_sek:
            parts.append(f"{fmt.mnkr(self.frame_reading_sek)} av ramen")
        if self.allocated_reading_sek:
            parts.append(f"{fmt.mnkr(self.allocated_reading_sek)} av det fördelade")
        if not parts:
            return ""
        where = f" ({names(self.reading_frame_years)})" if named else ""
        return f"Tolkning: varav {' och '.join(parts)} enligt tolkning{where}."


def headline(db, filters: Filters) -> Headline:
    """The headline figures for the filters, from the one query."""
    rows = db.query(QUERY, **filters.params())
    return from_rows(rows, filters)


def from_rows(rows: pd.DataFrame, filters: Filters) -> Headline:
    return Headline(frame_years(rows), any(getattr(filters, k) for k in LINE_FILTERS))
