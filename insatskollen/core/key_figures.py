"""The one rule of the headline figures: a frame's money against its lines (`Balance`), and how a sum and a share
are said. Översikt, the decks (and so every export), Datakvalitet and `python -m insatskollen check`, Scenarier,
Uppföljning, the yearly report and the import preview take their figures and their words from here: the
headline sums it over frame-years (insatskollen.core.headline), the scenario engine judges a plan by it
(insatskollen.core.scenario_evaluation). The rule (README, "Nyckeltal"), per frame-year (one frame in one year; a
2018–2020 grant is three):

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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from insatskollen.core import fmt, na

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

    @cached_property
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
    def left_sek(self) -> int | None:
        """Kvar att fördela in a plan (Scenarier's third box): ofördelat by this rule (`free_sek`: exact, or
        "högst" kvar when some line has no amount); for a frame none of whose lines has an amount, at most the
        whole frame (amounts are never negative), the bound a plan starts from. The headline counts such a frame
        as "ram med okänd fördelning" instead, never as ofördelat. None when the frame is unknown."""
        if self.state == UNKNOWN_ALLOCATION and self.lines:
            return self.frame_sek
        return self.free_sek

    @property
    def left_is_bound(self) -> bool:
        """`left_sek` is "högst": the frame is known and some line has no amount."""
        return self.frame_sek is not None and self.lines_without_amount > 0

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


def known_sum(values) -> int | None:
    """The sum of the known values (whole kronor); None when none is known, never 0 for "nothing known"."""
    known = [int(v) for v in values if not na.missing(v)]
    return sum(known) if known else None


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
    if na.missing(amount):
        return "okänt"
    if not unknown:
        return amount_text(amount)
    return f"minst {amount_text(amount)} ({unknown_amounts(unknown)})"
