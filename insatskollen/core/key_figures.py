"""The headline figures, defined once: ram, fördelat, ofördelat, överfördelat and what is unknown.

Översikt, the decks (and so every export), Datakvalitet and `python -m insatskollen check`, Scenarier,
Uppföljning, the yearly report and the import preview take their figures and their words from here. The
rule (README, "Nyckeltal"), per frame-year (one frame in one year; a 2018–2020 grant is three), in `Balance`:

- A frame-year's lines are its allocation lines, except proposals the document does not fund
  (status "övrigt förslag utan finansiering"), which are counted separately.
- **Ram** is the sum of the frame-years whose amount is known; the others are named, never added as 0.
- **Fördelat** is the sum of the known line amounts that every filter keeps; "minst" when some line in
  view has no amount; unknown (None), not 0, when nothing in view has an amount.
- Frame and every line known: **ofördelat** is frame − rows when positive, **överfördelat** rows − frame
  when positive. They are reported separately, each naming its frame-years: one frame's overrun is never
  netted against another frame's free money.
- When the rows sum to less than the document itself states as allocated (data/stated_totals.csv,
  scope ram_summa), the difference is a **contradiction in the document** ("Dokumentet anger 19,7 mnkr;
  raderna summerar till 18,6 mnkr"), not ofördelat. In a scenario the statement keeps holding while the
  scenario's rows sum to at most it ("… scenariots rader summerar till 18,6 mnkr"); only money beyond the
  stated amount, frame − max(stated, rows), is ofördelat; rows above the frame are överfördelat.
- Some lines known, some not: "minst X fördelat, högst Y kvar"; Y counts as ofördelat with "högst".
- No line amount known (or no lines): the frame is "ram med okänd fördelning", named.
- Every share names its base: "av ramen" or "av det fördelade" (`share_text`).

**Varav enligt tolkning**: how much of each figure rests on our reading of a document (data/README.md,
"Tolkning"): a frame-year whose basis is `tolkning` (its amount or its year is our reading) counts with its whole
ram and every line amount in it; otherwise a line counts when its own basis is `tolkning`. A frame-year's
ofördelat, överfördelat or contradiction rests on a reading when the frame-year or any of its lines does.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.filters import Filters

QUERY = "frame_year_figures"
READINGS_QUERY = "readings"
AREA_READINGS_QUERY = "area_readings"
READING = "tolkning"
LINE_FILTERS = ("committees", "areas", "statuses", "search")


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# The rule for one frame-year (or one scenario): its money against its lines. Used by every figure below,
# by `check`, the scenario engine, the decks, the import preview, Uppföljning and the yearly report.

UNKNOWN_FRAME = "ramens belopp okänt"
UNKNOWN_ALLOCATION = "fördelningen okänd"
PARTLY_KNOWN = "delvis känd"
CONTRADICTION = "motsägelse i dokumentet"
UNALLOCATED = "ofördelat"
OVER_ALLOCATED = "överfördelat"
FULLY_ALLOCATED = "fullt fördelad"

OF_FRAME = "av ramen"
OF_ALLOCATED = "av det fördelade"


def share_text(part: float, base: float, of: str) -> str:
    """'19,1 % av ramen' / '19,7 % av det fördelade': every share names its base."""
    return f"{fmt.pct(part / base)} {of}" if base else "–"


@dataclass(frozen=True)
class Balance:
    """One frame's money against its lines (whole kronor; None = unknown), judged by one rule:

    - frame unknown, or no line has an amount: nothing is computed, the unknown is named;
    - some lines known, some not: "minst X fördelat, högst Y kvar" (amounts are never negative);
    - every line known and the rows sum to less than the document itself states as allocated
      (`stated_sek`, data/stated_totals.csv scope ram_summa): a contradiction in the document
      ("Dokumentet anger 19,7 mnkr; raderna summerar till 18,6 mnkr"), never money left to allocate;
      only money beyond the stated amount, frame − max(stated, rows), is ofördelat;
    - otherwise ofördelat (frame − rows > 0), överfördelat (< 0) or fully allocated.

    A scenario passes the document's `stated_sek` whatever its lines are: the statement keeps holding while
    the scenario's rows sum to at most it (a move between lines, or a lowered line, leaves the gap a
    contradiction, never money to spend); `rows` then names them "scenariots rader" once they are changed.
    """

    frame_sek: int | None
    known_sek: int  # sum of the known line amounts
    lines: int
    lines_without_amount: int = 0
    stated_sek: int | None = None  # what the document states the rows allocate (ram_summa)
    rows: str = "raderna"  # how the sentence names the rows: "scenariots rader" for a changed scenario

    @property
    def state(self) -> str:
        if self.frame_sek is None:
            return UNKNOWN_FRAME
        if self.lines == 0 or self.lines_without_amount >= self.lines:
            return UNKNOWN_ALLOCATION
        if self.lines_without_amount:
            return PARTLY_KNOWN
        rest = self.frame_sek - self.known_sek
        if rest < 0:
            return OVER_ALLOCATED
        if self.contradiction_sek:
            return CONTRADICTION
        return UNALLOCATED if rest > 0 else FULLY_ALLOCATED

    @property
    def complete(self) -> bool:
        """Frame and every line amount known: ofördelat and överfördelat are exact."""
        return self.state in (CONTRADICTION, UNALLOCATED, OVER_ALLOCATED, FULLY_ALLOCATED)

    @property
    def contradiction_sek(self) -> int:
        """How much less the rows sum to than the document states (within the frame); 0 when none."""
        if self.frame_sek is None or self.stated_sek is None or self.lines_without_amount or not self.lines:
            return 0
        return max(min(self.stated_sek, self.frame_sek) - self.known_sek, 0)

    @property
    def unallocated_sek(self) -> int | None:
        """Exact ofördelat: the frame's money no row and no statement of the document accounts for.
        None unless `complete`; 0 when over-allocated."""
        if not self.complete:
            return None
        return max(self.frame_sek - self.known_sek - self.contradiction_sek, 0)

    @property
    def at_most_left_sek(self) -> int | None:
        """Högst kvar: frame − known amounts, for a frame with known and unknown lines (else None)."""
        if self.state != PARTLY_KNOWN:
            return None
        return max(self.frame_sek - self.known_sek, 0)

    @property
    def over_allocated_sek(self) -> int:
        """Rows − frame when positive (for a partly known frame: at least that); 0 otherwise."""
        if self.state not in (OVER_ALLOCATED, PARTLY_KNOWN):
            return 0
        return max(self.known_sek - self.frame_sek, 0)

    @property
    def free_sek(self) -> int | None:
        """Ofördelat as the headline sums it: exact when `complete`, "högst" kvar when partly known
        (`free_is_bound`); None (okänt) otherwise."""
        return self.unallocated_sek if self.complete else self.at_most_left_sek

    @property
    def free_is_bound(self) -> bool:
        return bool(self.at_most_left_sek)

    @property
    def over_sek(self) -> int | None:
        """Överfördelat as the headline sums it: exact when `complete`, "minst" when partly known and the known
        rows already overrun the frame (`over_is_bound`); None (okänt) otherwise."""
        return self.over_allocated_sek if self.complete or self.state == PARTLY_KNOWN else None

    @property
    def over_is_bound(self) -> bool:
        return self.state == PARTLY_KNOWN and self.over_allocated_sek > 0

    def text(self, amount=fmt.mnkr) -> str:
        """The sentence every page, slide, export, `check` and the scenario engine print for the frame."""
        state, known = self.state, amount(self.known_sek)
        missing = fmt.count_phrase(self.lines_without_amount, "rad", "rader") + " saknar belopp"
        if state == UNKNOWN_FRAME:
            return "Ramens belopp är okänt" + (f"; minst {known} är fördelat." if self.known_sek else ".")
        if state == UNKNOWN_ALLOCATION:
            return f"Fördelningen av ramen på {amount(self.frame_sek)} är okänd" + (
                f" ({missing})." if self.lines else " (inga rader)."
            )
        if state == PARTLY_KNOWN:
            if self.over_allocated_sek:
                return (
                    f"Minst {known} fördelat: ramen på {amount(self.frame_sek)} överskrids med minst "
                    f"{amount(self.over_allocated_sek)} ({missing})."
                )
            return f"Minst {known} fördelat, högst {amount(self.at_most_left_sek)} kvar ({missing})."
        if state == OVER_ALLOCATED:
            return (
                f"Överfördelat med {amount(self.over_allocated_sek)} (raderna summerar till {known}, "
                f"ramen är {amount(self.frame_sek)})."
            )
        if state == CONTRADICTION:
            text = f"Dokumentet anger {amount(self.stated_sek)}; {self.rows} summerar till {known}."
            if self.unallocated_sek:
                text += f" Dessutom är {amount(self.unallocated_sek)} av ramen ofördelat."
            return text
        if state == UNALLOCATED:
            return f"{amount(self.unallocated_sek)} av ramen på {amount(self.frame_sek)} är ofördelat."
        return "Hela ramen är fördelad."

    def clause(self, amount=fmt.mnkr) -> str:
        """`text` after a label and a colon: 'Malmö 2022, …: dokumentet anger 19,7 mnkr; …'."""
        text = self.text(amount)
        return text[:1].lower() + text[1:]

    @property
    def allocated_bound(self) -> str:
        """'minst' when some line amounts are known and some not; '' when all are known or none is."""
        return "minst" if 0 < self.lines_without_amount < self.lines else ""

    def allocated_text(self, amount=fmt.mnkr) -> str:
        """Fördelat as a value: '7,05 mnkr', 'minst 7,05 mnkr' or 'okänt'."""
        if self.lines == 0 or self.lines_without_amount >= self.lines:
            return "okänt"
        return (f"{self.allocated_bound} " if self.allocated_bound else "") + amount(self.known_sek)


def sum_of(amounts) -> Balance:
    """A sum of amounts (a preview's Belopp or Utfall, a frame-year's beviljat or utfall) by the one rule: its
    `allocated_text` is '4 784 567 kr', 'minst 4 784 567 kr' or 'okänt', its `allocated_bound` 'minst' or ''."""
    values = pd.Series(amounts)
    return Balance(None, int(values.dropna().sum()), len(values), int(values.isna().sum()))


def bounded_label(label: str, amounts) -> str:
    """A box's label with the sum's bound, as on Översikt ("minst 7,05 mnkr" does not fit a box): 'Utfall, minst'."""
    bound = sum_of(amounts).allocated_bound
    return f"{label}, {bound}" if bound else label


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

    @property
    def balance(self) -> Balance:
        """The whole frame-year's money against its rows, by the one rule."""
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
            _int(r.frame_sek),
            int(r.frame_lines),
            int(r.frame_lines_without_amount),
            _int(r.frame_allocated_sek),
            int(r.view_lines),
            int(r.view_lines_without_amount),
            int(r.view_unfunded),
            _int(r.view_allocated_sek),
            _int(getattr(r, "stated_sek", None)),
            getattr(r, "frame_basis", None) if isinstance(getattr(r, "frame_basis", None), str) else None,
            int(getattr(r, "frame_reading_lines", 0) or 0),
            _int(getattr(r, "view_reading_sek", None)),
        )
        for r in rows.itertuples()
    )


def _sum(values) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


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


@dataclass(frozen=True)
class Headline:
    """The headline figures for one set of filters (see the module docstring for the rules)."""

    frame_years: tuple[FrameYear, ...]
    line_filters: bool = False  # nämnd, område, status or sök is set: fördelat covers those lines only

    @property
    def frame_sek(self) -> int | None:
        return _sum(x.frame_sek for x in self.frame_years)

    @property
    def allocated_sek(self) -> int | None:
        return _sum(x.allocated_sek for x in self.frame_years)

    @property
    def partly_known(self) -> tuple[FrameYear, ...]:
        """Frame-years with known and unknown line amounts: "minst X fördelat, högst Y kvar"."""
        return tuple(x for x in self.frame_years if x.balance.state == PARTLY_KNOWN)

    @property
    def contradictions(self) -> tuple[FrameYear, ...]:
        """Frame-years whose rows sum to less than their document states as allocated."""
        return tuple(x for x in self.frame_years if x.balance.contradiction_sek)

    @property
    def contradiction_sek(self) -> int:
        return sum(x.balance.contradiction_sek for x in self.contradictions)

    @property
    def unallocated_sek(self) -> int | None:
        """Ofördelat: exact over complete frame-years, plus "högst kvar" of partly known ones (then a bound,
        `unallocated_is_bound`); None when no frame-year has a known frame and a known line amount."""
        parts = [x.balance.free_sek for x in self.frame_years if x.balance.free_sek is not None]
        return sum(parts) if parts else None

    @property
    def unallocated_is_bound(self) -> bool:
        return any(x.balance.free_is_bound for x in self.frame_years)

    @property
    def unallocated(self) -> tuple[FrameYear, ...]:
        """The frame-years ofördelat comes from."""
        return tuple(x for x in self.frame_years if x.balance.unallocated_sek or x.balance.at_most_left_sek)

    @property
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

    @property
    def complete(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.complete)

    @property
    def frames_without_amount(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.frame_sek is None)

    @property
    def allocation_unknown(self) -> tuple[FrameYear, ...]:
        """Frame-years with a known frame and no known line amount (no lines, or none with an amount)."""
        return tuple(x for x in self.frame_years if x.balance.state == UNKNOWN_ALLOCATION)

    @property
    def unknown_allocation_frame_sek(self) -> int:
        """Ram med okänd fördelning: the frames of `allocation_unknown`, summed."""
        return sum(x.frame_sek for x in self.allocation_unknown)

    @property
    def over_allocated(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.balance.over_allocated_sek)

    @property
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
        out += [x.sentence(amount) for x in self.contradictions + self.partly_known]
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

    def key_figures(self) -> pd.DataFrame:
        """Nyckeltal as a table (numbers as numbers, empty where unknown; "Gräns" says "minst"/"högst"
        where the number is a bound) for Excel, Word and `check`."""
        over = (
            f"Fördelat utöver ramen i {names(self.over_allocated)}"
            + ("; minst, eftersom rader saknar belopp." if self.over_allocated_is_bound else ".")
            if self.over_allocated
            else "Ingen."
        )
        contradictions = " ".join(x.sentence() for x in self.contradictions) or "Ingen."
        unallocated = (
            f"Ram minus fördelat i {names(self.unallocated)}"
            + ("; högst, eftersom rader saknar belopp." if self.unallocated_is_bound else ".")
            if self.unallocated
            else "Ingen."
        )
        rows = [
            ("Ram", self.frame_sek, "Ramarnas belopp per år, summerat över ramar med känt belopp.", ""),
            (
                "Fördelat",
                self.allocated_sek,
                "Rader med känt belopp" + (" som filtren väljer." if self.line_filters else "."),
                "minst" if self.allocated_is_bound else "",
            ),
            ("Ofördelat", self.unallocated_sek, unallocated, "högst" if self.unallocated_is_bound else ""),
            (
                "Överfördelat",
                self.over_allocated_sek,
                over,
                "minst" if self.over_allocated_is_bound else "",
            ),
            ("Motsägelse i dokumenten", self.contradiction_sek, contradictions, ""),
            (
                "Ram med okänd fördelning",
                self.unknown_allocation_frame_sek,
                self.unknown_text() or "Ingen.",
                "",
            ),
        ]
        table = pd.DataFrame(rows, columns=["Nyckeltal", "Belopp (kr)", "Förklaring", "Gräns"])
        table["Belopp (kr)"] = table["Belopp (kr)"].astype("Int64")
        table["Varav enligt tolkning (kr)"] = pd.array(
            [
                self.frame_reading_sek,
                None if self.allocated_sek is None else self.allocated_reading_sek,
                self.unallocated_reading_sek,
                None if self.over_allocated_sek is None else self.over_reading_sek,
                self.contradiction_reading_sek,
                self.unknown_allocation_reading_sek,
            ],
            dtype="Int64",
        )
        return table

    def key_figure_lines(self) -> list[str]:
        """'Fördelat: minst 66 300 000 kr': the key figures as the Word report and `check` print them."""
        return [
            f"{row[0]}: {'okänt' if pd.isna(row[1]) else (row[3] + ' ' if row[3] else '') + fmt.sek(int(row[1]))}"
            for row in self.key_figures().itertuples(index=False)
        ]


def headline(db, filters: Filters) -> Headline:
    """The headline figures for the filters, from the one query."""
    rows = db.query(QUERY, **filters.params())
    return from_rows(rows, filters)


def from_rows(rows: pd.DataFrame, filters: Filters) -> Headline:
    return Headline(frame_years(rows), any(getattr(filters, k) for k in LINE_FILTERS))


def by_municipality_year(head: Headline) -> pd.DataFrame:
    """Per municipality and year, for the chart and table: frames (sum of known, NaN when none is
    known), allocated in view (NaN when unknown), unallocated (only when every frame-year is complete)."""
    groups: dict[tuple[str, int], list[FrameYear]] = {}
    for x in head.frame_years:
        groups.setdefault((x.municipality, x.year), []).append(x)
    rows = []
    for (municipality, year), items in groups.items():
        complete = all(x.complete for x in items)
        rows.append(
            {
                "municipality": municipality,
                "year": year,
                "frames": len(items),
                "frame_sek": _sum(x.frame_sek for x in items),
                "frames_without_amount": sum(x.frame_sek is None for x in items),
                "allocated_sek": _sum(x.allocated_sek for x in items),
                "unallocated_sek": _sum(x.unallocated_sek for x in items) if complete else None,
                "lines_without_amount": sum(x.view_lines_without_amount for x in items),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "municipality",
            "year",
            "frames",
            "frame_sek",
            "frames_without_amount",
            "allocated_sek",
            "unallocated_sek",
            "lines_without_amount",
        ],
    )
    for column in ("frame_sek", "allocated_sek", "unallocated_sek"):
        table[column] = table[column].astype("Int64")
    return table


BOUND = ", gräns"  # "Ofördelat, gräns" beside "Ofördelat (kr)": "minst"/"högst" where the number is a bound


def frame_year_table(head: Headline) -> pd.DataFrame:
    """One row per frame-year with its figures, Swedish column names, numbers as numbers: the rows
    every headline figure is summed from, by the same rule (a partly known frame's ofördelat is "högst" kvar,
    its bound in the column beside it, as "Gräns" in the Nyckeltal sheet; empty where unknown)."""
    years = head.frame_years
    return pd.DataFrame(
        {
            "Kommun": [x.municipality for x in years],
            "År": [x.year for x in years],
            "Finansieringskälla": [x.funding_source for x in years],
            "Ram (kr)": pd.array([x.frame_sek for x in years], dtype="Int64"),
            "Fördelat (kr)": pd.array([x.allocated_sek for x in years], dtype="Int64"),
            f"Fördelat{BOUND}": ["minst" if x.allocated_is_bound else "" for x in years],
            "Ofördelat (kr)": pd.array([x.balance.free_sek for x in years], dtype="Int64"),
            f"Ofördelat{BOUND}": ["högst" if x.balance.free_is_bound else "" for x in years],
            "Överfördelat (kr)": pd.array([x.balance.over_sek for x in years], dtype="Int64"),
            f"Överfördelat{BOUND}": ["minst" if x.balance.over_is_bound else "" for x in years],
            "Rader utan belopp": [x.view_lines_without_amount for x in years],
            "Fördelning": [_state(x) for x in years],
            "Bedömning": [x.balance.text() for x in years],
        }
    )


def _state(x: FrameYear) -> str:
    if x.frame_sek is None:
        return "ramens belopp okänt"
    if x.lines == 0:
        return "okänd: inga rader för året"
    if x.lines_without_amount:
        known = "delvis känd" if x.balance.state == PARTLY_KNOWN else "okänd"
        return f"{known}: {fmt.count_phrase(x.lines_without_amount, 'rad', 'rader')} utan belopp"
    return "känd"


def mnkr(value: int | None) -> str:
    """A headline amount in mnkr; 'okänt' when it is unknown (never 0)."""
    return "okänt" if value is None else fmt.mnkr(value)


def sek(value: int | None) -> str:
    return "okänt" if value is None else fmt.sek(value)


def unknown_amounts(count: int) -> str:
    """'1 insats med okänt belopp', '2 insatser med okänt belopp'."""
    return f"{fmt.count_phrase(count, 'insats', 'insatser')} med okänt belopp"


def total_text(amount: int | None, unknown: int, amount_text=fmt.sek) -> str:
    """A sum of amounts by the one rule, in words: 1 500 000 kr; minst 1 500 000 kr (2 insatser med okänt belopp)
    (amounts are never negative, so the known sum is a lower bound); okänt when none is known, never 0."""
    if amount is None or pd.isna(amount):
        return "okänt"
    if not unknown:
        return amount_text(amount)
    return f"minst {amount_text(amount)} ({unknown_amounts(unknown)})"


def readings_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Each reading behind the headline figures (query `readings`), one row per reading (lines that share a
    note are one row): what it is, where, the years, the amount per year (empty when unknown or when it differs
    between the years) and our note. Swedish column names, amounts as numbers."""
    columns = ["Vad", "Kommun", "År", "Gäller", "Belopp per år (kr)", "Tolkning"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    keys = ["kind", "municipality", "funding_source", "basis_note"]
    for (kind, municipality, source, note), group in rows.groupby(keys, sort=False, dropna=False):
        subjects = list(dict.fromkeys(group.subject))
        if kind == "Ram":
            what, about = "Ram", source
        else:
            what = "Fördelningsrad" if len(subjects) == 1 else "Fördelningsrader"
            about = subjects[0] if len(subjects) == 1 else f"{len(subjects)} rader: {_first(subjects)}"
        per_year = {
            int(year): (None if part.amount_sek.isna().any() else int(part.amount_sek.sum()))
            for year, part in group.groupby("year")
        }
        amounts = set(per_year.values())
        out.append(
            {
                "Vad": what,
                "Kommun": municipality,
                "År": fmt.years(min(per_year), max(per_year)),
                "Gäller": about,
                "Belopp per år (kr)": next(iter(amounts)) if len(amounts) == 1 else None,
                "Tolkning": note,
            }
        )
    table = pd.DataFrame(out, columns=columns)
    table["Belopp per år (kr)"] = table["Belopp per år (kr)"].astype("Int64")
    return table


def readings(db, filters: Filters) -> pd.DataFrame:
    """The readings behind the headline figures for the filters (see readings_table)."""
    return readings_table(db.query(READINGS_QUERY, **filters.params()))


def _first(items: list[str], shown: int = 4) -> str:
    """'a, b, c, d' or, for more, 'a, b, c och 10 till' (every line is in the Fördelningsrader sheet)."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[: shown - 1])} och {len(items) - shown + 1} till"


def area_reading_text(rows: pd.DataFrame) -> str:
    """'Tolkning: varav 32,7 mnkr har fått sitt område enligt tolkning (Boende 11,1 mnkr, Utbildning 21,6 mnkr).'
    from the query `area_readings`; '' when every area in view is the document's."""
    if rows.empty or not rows.amount_sek.notna().any():
        return ""
    total = int(rows.amount_sek.sum())
    parts = ", ".join(f"{r.priority_area} {fmt.mnkr(int(r.amount_sek))}" for r in rows.itertuples())
    return f"Tolkning: varav {fmt.mnkr(total)} har fått sitt område enligt tolkning ({parts})."
