"""The what-if engine's plan and its edits: pure Python, independent of Streamlit and of the database.

A State is a frame amount and its lines (whole kronor; None = unknown). Edits are functions
State -> State that either return a new state or raise EditError with a Swedish message and
change nothing. insatskollen.core.scenario_evaluation judges a state (the one rule of the headline figures and
the frame's rules, in exact fractions, so a share exactly at a bound is allowed) and compares two;
insatskollen.core.scenario_undo keeps a Scenario: the baseline, the current state and an undo history.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from fractions import Fraction

from insatskollen.core import fmt
from insatskollen.core.amounts import MAX_SEK
from insatskollen.core.errors import CONTROL_CHARS

# Cap (issue 21): a scenario is a plan for one frame, not a store. The largest frame in the documents has 19
# lines; 200 leaves room for a national-scale imported frame plus new measures.
MAX_LINES = 200

AREA = "area"
COMMITTEE = "committee"
NO_GROUP = ""  # lines without area / nämnd


class EditError(ValueError):
    """An edit that cannot be made; the message is Swedish and says why."""


@dataclass(frozen=True)
class Line:
    line_id: str
    label: str
    committee: str | None = None
    priority_area: str | None = None
    amount: int | None = None
    locked: bool = False
    measure_id: str | None = None
    budget_line: str | None = None  # area-level frames: the municipality's budget line
    added: bool = False  # a new measure added in the scenario
    # an "övrigt förslag utan finansiering": no money given, which is not an unknown amount. As in the
    # headline figures (frame_year_figures) it never makes the allocation unknown; funded in a scenario,
    # it starts from 0.
    unfunded: bool = False

    @property
    def known_amount(self) -> int | None:
        """The amount, 0 for an unfunded proposal, None when the amount is unknown."""
        return 0 if self.amount is None and self.unfunded else self.amount


@dataclass(frozen=True)
class Rule:
    kind: str  # "finansieringsintervall" or "medfinansiering"
    budget_line: str | None = None
    priority_area: str | None = None
    min_pct: Fraction | None = None
    max_pct: Fraction | None = None


@dataclass(frozen=True)
class State:
    frame_amount: int | None
    lines: tuple[Line, ...]

    def line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise EditError(f"Raden {line_id} finns inte i scenariot.")

    @property
    def allocated(self) -> int:
        return sum(line.amount or 0 for line in self.lines)

    def to_json(self) -> str:
        return json.dumps(
            {"frame_amount": self.frame_amount, "lines": [asdict(x) for x in self.lines]},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        return cls(data["frame_amount"], tuple(Line(**x) for x in data["lines"]))


# ------------------------------------------------------------------ edits


def _amount(value: int, what: str = "Beloppet") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditError(f"{what} måste vara ett helt antal kronor.")
    if value < 0:
        raise EditError(f"{what} får inte vara negativt.")
    if value > MAX_SEK:
        raise EditError(f"{what} är orimligt stort (högst 100 miljarder kronor).")
    return value


def _with(state: State, changed: dict[str, Line]) -> State:
    return replace(state, lines=tuple(changed.get(x.line_id, x) for x in state.lines))


def set_amount(state: State, line_id: str, amount: int) -> State:
    """Set one line's amount (funding an unfunded proposal is the same edit). Locked lines refuse."""
    line = state.line(line_id)
    if line.locked:
        raise EditError(f"”{line.label}” är låst. Lås upp raden för att ändra beloppet.")
    return _with(state, {line_id: replace(line, amount=_amount(amount))})


def set_locked(state: State, line_id: str, locked: bool) -> State:
    line = state.line(line_id)
    return _with(state, {line_id: replace(line, locked=bool(locked))})


def set_frame(state: State, amount: int) -> State:
    """Change the frame itself ("bidraget utökas till 15 mnkr")."""
    return replace(state, frame_amount=_amount(amount, "Ramen"))


def add_line(
    state: State, label: str, committee: str | None, priority_area: str | None, amount: int
) -> State:
    """Add a new measure with nämnd and area; refused when the scenario already has MAX_LINES lines."""
    if len(state.lines) >= MAX_LINES:
        raise EditError(
            f"Ett scenario kan ha högst {fmt.number(MAX_LINES)} rader, och det här har redan "
            f"{fmt.number(len(state.lines))}. Ändra beloppet på en befintlig rad i stället, eller ångra "
            "en insats du har lagt till."
        )
    label = (label or "").strip()
    if not label:
        raise EditError("Ange ett namn på den nya insatsen.")
    if len(label) > 200:
        raise EditError("Namnet på insatsen är för långt (högst 200 tecken).")
    if CONTROL_CHARS.search(label):  # would break every Office export and can hide text
        raise EditError("Namnet på insatsen innehåller otillåtna tecken (styrtecken). Skriv om namnet.")
    if any(x.label.casefold() == label.casefold() for x in state.lines):
        raise EditError(f"Det finns redan en rad som heter ”{label}”.")
    number = 1 + sum(1 for x in state.lines if x.added)
    line_id = f"ny-{number}"
    while any(x.line_id == line_id for x in state.lines):
        number += 1
        line_id = f"ny-{number}"
    new = Line(line_id, label, committee or None, priority_area or None, _amount(amount), added=True)
    return replace(state, lines=state.lines + (new,))


def group_of(line: Line, by: str) -> str:
    value = line.priority_area if by == AREA else line.committee
    return value or NO_GROUP


def distribute(total: int, weights: list[int]) -> list[int]:
    """Split whole kronor in proportion to weights (largest remainder); equal split if all weights are 0.
    The parts always add up to total exactly."""
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    products = [total * w for w in weights]  # exact share = product / whole, in integers
    parts = [p // whole for p in products]
    remainders = [p % whole for p in products]
    leftover = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:leftover]:
        parts[i] += 1
    return parts


def distribute_rounded(total: int, weights: list[int], unit: int, caps: list[int] | None = None) -> list[int]:
    """Like distribute(), but in whole `unit`s (largest remainder); what is left below one unit goes to the
    line with the largest weight. Falls back to whole kronor when a part would exceed its cap (a giver
    cannot give more than it has). The parts always add up to total exactly."""
    if unit <= 1 or not weights:
        return distribute(total, weights)
    parts = [p * unit for p in distribute(total // unit, weights)]
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    parts[largest] += total % unit
    if caps is not None and any(p > c for p, c in zip(parts, caps, strict=True)):
        return distribute(total, weights)
    return parts


ROUND_TO = 1000  # proportional moves in whole thousands by default ("Avrunda till hela tusental")


def move(
    state: State,
    by: str,
    source: str,
    amount: int,
    target: str | None = None,
    target_line: str | None = None,
    round_to: int = ROUND_TO,
) -> State:
    """Move `amount` kronor from the unlocked lines of one area or nämnd (in proportion to their amounts)
    to another area or nämnd (in proportion, or equally when it has nothing yet) or onto one chosen line.
    Shares are whole `round_to` kronor (1 = exact kronor); the part of `amount` below one unit goes to the
    largest line. The total is conserved; locked lines are left alone."""
    amount = _amount(amount)
    if amount == 0:
        raise EditError("Ange ett belopp större än noll att flytta.")
    givers = [x for x in state.lines if group_of(x, by) == source and not x.locked and (x.amount or 0) > 0]
    available = sum(x.amount for x in givers)
    what = "området" if by == AREA else "nämnden"
    source_name = source or ("utan område" if by == AREA else "utan nämnd")
    if available < amount:
        raise EditError(
            f"Det går bara att flytta {fmt.sek(available)} från {what} {source_name} "
            f"(olåsta rader med belopp), inte {fmt.sek(amount)}."
        )
    if target_line is not None:
        receiver = state.line(target_line)
        if receiver.locked:
            raise EditError(f"”{receiver.label}” är låst och kan inte ta emot pengar.")
        if receiver.line_id in {x.line_id for x in givers} and len(givers) == 1:
            raise EditError("Källan och målet är samma rad.")
        if receiver.known_amount is None:  # money added to an unknown amount leaves it unknown
            raise EditError(
                f"”{receiver.label}” saknar belopp. Ange radens belopp först, sedan kan den ta emot pengar."
            )
        receivers = [receiver]
    else:
        if target is None or target == source:
            raise EditError(f"Välj ett annat {'område' if by == AREA else 'nämnd'} att flytta till.")
        unlocked = [x for x in state.lines if group_of(x, by) == target and not x.locked]
        if not unlocked:
            raise EditError(f"Det finns inga olåsta rader i {target or 'målet'} att flytta till.")
        # Lines with an unknown amount take no share: unknown plus a share is still unknown.
        receivers = [x for x in unlocked if x.known_amount is not None]
        if not receivers:
            raise EditError(
                f"Raderna i {target or 'målet'} saknar belopp. Ange deras belopp först, "
                "eller flytta till en rad med belopp."
            )
    weights = [x.amount for x in givers]
    taken = distribute_rounded(amount, weights, round_to, caps=weights)
    changed = {x.line_id: replace(x, amount=x.amount - t) for x, t in zip(givers, taken, strict=True)}
    current = [changed.get(x.line_id, x) for x in receivers]
    given = distribute_rounded(amount, [x.known_amount for x in current], round_to)
    for x, g in zip(current, given, strict=True):
        if g or x.amount is not None:  # an unfunded proposal given nothing stays unfunded
            changed[x.line_id] = replace(x, amount=x.known_amount + g)
    return _with(state, changed)
