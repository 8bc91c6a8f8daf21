"""The what-if engine: pure Python, independent of Streamlit and of the database.

A State is a frame amount and its lines (whole kronor; None = unknown). Edits are functions
State -> State that either return a new state or raise EditError with a Swedish message and
change nothing. A Scenario keeps the baseline, the current state, and an undo history.
Rules are checked with exact fractions, so a share exactly at a bound is allowed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from fractions import Fraction

from insatskollen.core import fmt, key_figures, rules
from insatskollen.core import scenario_history as stored_history
from insatskollen.core.amounts import MAX_SEK
from insatskollen.core.errors import CONTROL_CHARS

# Caps (issue 21): a scenario is a plan for one frame, not a store. The largest frame in the documents has 19
# lines; 200 leaves room for a national-scale imported frame plus new measures. Undo keeps the newest 100
# steps; older ones are dropped (counted, and said on the page). Reset always reaches the baseline.
MAX_LINES = 200
MAX_UNDO = 100

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


# ------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: str  # "ok", "under", "över", "okänd"
    share: Fraction | None
    allocated: int | None
    message: str


@dataclass(frozen=True)
class Evaluation:
    frame_amount: int | None
    allocated: int
    unknown_lines: int
    remaining: int | None
    remaining_message: str
    rules: tuple[RuleResult, ...]

    @property
    def over_allocated(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def broken_rules(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if r.status in ("under", "över"))


def _rule_lines(state: State, rule: Rule) -> list[Line]:
    return [
        x
        for x in state.lines
        if (x.budget_line == rule.budget_line)
        or (
            x.budget_line is None and x.priority_area == rule.priority_area and rule.priority_area is not None
        )
    ]


def _pct(value: Fraction | None) -> str:
    return "–" if value is None else fmt.pct(float(value) / 100)


def _range(rule: Rule) -> str:
    return f"{_pct(rule.min_pct).removesuffix(chr(160) + '%')}–{_pct(rule.max_pct)}"


SCENARIO_ROWS = "scenariots rader"  # the rows of a changed scenario, in the one rule's sentence


def balance(state: State, stated_sek: int | None = None, own_lines: bool = True) -> key_figures.Balance:
    """The scenario's frame against its lines, by the one rule every headline figure uses. `stated_sek` is
    what the document states its rows allocate: it keeps holding in a changed scenario too, while the lines
    sum to at most it (insatskollen.core.key_figures.Balance); `own_lines` False (a changed scenario) names the rows
    "scenariots rader"."""
    unknown = sum(1 for x in state.lines if x.known_amount is None)
    rows = "raderna" if own_lines else SCENARIO_ROWS
    return key_figures.Balance(
        state.frame_amount, state.allocated, len(state.lines), unknown, stated_sek, rows
    )


def evaluate(
    state: State, rules: tuple[Rule, ...] = (), stated_sek: int | None = None, own_lines: bool = True
) -> Evaluation:
    """Remaining to allocate and every rule of the frame, for the current state."""
    frame = state.frame_amount
    allocated = state.allocated
    unknown = sum(1 for x in state.lines if x.known_amount is None)
    # `allocated` sums the known amounts only; an unknown amount is at least 0, so with unknown lines
    # what is left is an upper bound: the one rule (insatskollen.core.key_figures.Balance) words it.
    remaining = None if frame is None else frame - allocated
    message = balance(state, stated_sek, own_lines).text(fmt.sek)
    if frame is None:
        message += " Ange ett belopp för ramen för att räkna."
    results = tuple(_evaluate_rule(state, rule) for rule in rules)
    return Evaluation(frame, allocated, unknown, remaining, message, results)


def _evaluate_rule(state: State, rule: Rule) -> RuleResult:
    """One rule, judged by insatskollen.core.rules (the same evaluator as the check and Kommuner)."""
    frame = state.frame_amount
    if rule.kind == "medfinansiering":
        own = rules.required_co_financing(frame, rule.min_pct)
        text = (
            f"Medfinansiering minst {_pct(rule.min_pct)}: kommunen behöver skjuta till "
            f"{fmt.sek(own)} i egna medel."
        )
        return RuleResult(rule, "ok" if own is not None else "okänd", None, own, text)
    lines = _rule_lines(state, rule)
    name = rule.budget_line or rule.priority_area or "Budgetraden"
    known = [x.known_amount for x in lines if x.known_amount is not None]
    missing = len(lines) - len(known)
    result = rules.interval(sum(known) if known else None, frame, rule.min_pct, rule.max_pct)
    if result.status == rules.UNKNOWN:
        return RuleResult(
            rule, "okänd", None, None, f"{name}: kan inte prövas ännu (tillåtet {_range(rule)}); ange belopp."
        )
    allocated, share = result.allocated, result.share
    shown = f"{name}: {rules.share_text(result)} av ramen ({fmt.sek(allocated)}), tillåtet {_range(rule)}"
    if missing and result.status != rules.OVER:
        # Unknown amounts are at least 0: the known ones can prove "över", never "under" or "ok".
        return RuleResult(
            rule,
            "okänd",
            None,
            None,
            f"{name}: de kända beloppen ger {rules.share_text(result)} av ramen ({fmt.sek(allocated)}), men "
            f"{fmt.count_phrase(missing, 'rad', 'rader')} saknar belopp; tillåtet {_range(rule)}. "
            "Ange belopp för att pröva regeln.",
        )
    if missing:
        shown += f" – minst, eftersom {fmt.count_phrase(missing, 'rad', 'rader')} saknar belopp"
    if result.status == rules.UNDER:
        return RuleResult(
            rule,
            "under",
            share,
            allocated,
            f"{shown}. Under intervallet: {fmt.sek(result.missing)} till behövs.",
        )
    if result.status == rules.OVER:
        return RuleResult(
            rule, "över", share, allocated, f"{shown}. Över intervallet med {fmt.sek(result.excess)}."
        )
    return RuleResult(rule, "ok", share, allocated, f"{shown}. Inom intervallet.")


# ------------------------------------------------------------------ comparison


@dataclass(frozen=True)
class Difference:
    """One group's sums in two states, by the one rule (key_figures.total_text): the known amounts (None when no line
    of the group has one) and the lines without amount. The change is a number only where the same lines are
    unknown on both sides (they cancel); against an unknown it is None, never a difference with 0."""

    name: str
    baseline: int | None
    scenario: int | None
    baseline_unknown: int = 0  # the group's lines without amount in the baseline
    scenario_unknown: int = 0
    comparable: bool = True  # the same lines are unknown on both sides

    @property
    def change(self) -> int | None:
        if not self.comparable:
            return None
        return (self.scenario or 0) - (self.baseline or 0)

    @property
    def changed(self) -> bool:
        """A change of amount, or an unknown amount made known (or unknown): None counts as changed."""
        return self.change != 0

    def text(self) -> str:
        """'+100 000 kr'; where one side is unknown, both sides in words: 'okänt → 300 000 kr'."""
        if self.change is not None:
            return fmt.signed_sek(self.change)
        before = key_figures.total_text(self.baseline, self.baseline_unknown)
        return f"{before} → {key_figures.total_text(self.scenario, self.scenario_unknown)}"

    @property
    def note(self) -> str:
        """Beside the numbers in a table: what an empty or bounded cell means ('' when nothing is unknown)."""
        if self.change is None:
            return self.text()
        if self.baseline_unknown:
            return f"minst, {key_figures.unknown_amounts(self.baseline_unknown)} i båda"
        return ""


def compare_groups(base: State, scen: State, by: str) -> list[Difference]:
    """Per area or nämnd: baseline and scenario sums of the known amounts and the lines without amount."""
    # name -> [baseline, scenario], in order of first appearance; a side without lines in the group sums to 0
    known: dict[str, list[int | None]] = {}
    unknown: dict[str, list[set[str]]] = {}
    for index, state in enumerate((base, scen)):
        for line in state.lines:
            known.setdefault(group_of(line, by), [0, 0])[index] = None
    for index, state in enumerate((base, scen)):
        for line in state.lines:
            group = group_of(line, by)
            sums = known[group]
            missing = unknown.setdefault(group, [set(), set()])
            if line.amount is None:
                missing[index].add(line.line_id)
            else:
                sums[index] = (sums[index] or 0) + line.amount
    return [
        Difference(
            name, b, s, len(unknown[name][0]), len(unknown[name][1]), unknown[name][0] == unknown[name][1]
        )
        for name, (b, s) in known.items()
    ]


@dataclass(frozen=True)
class LineChange:
    line_id: str
    label: str
    before: int | None
    after: int | None
    what: str  # "ändrat", "ny", "ram"


FRAME_LINE = "__ram__"  # the pseudo line id of a change of the frame in changed_lines()


def changed_lines(base: State, scen: State) -> list[LineChange]:
    """What differs from the baseline: the frame first (label "Ram"), then new and changed lines."""
    before = {x.line_id: x for x in base.lines}
    out = []
    if base.frame_amount != scen.frame_amount:
        out.append(LineChange(FRAME_LINE, "Ram", base.frame_amount, scen.frame_amount, "ram"))
    for line in scen.lines:
        old = before.get(line.line_id)
        if old is None:
            out.append(LineChange(line.line_id, line.label, None, line.amount, "ny"))
        elif old.amount != line.amount:
            out.append(LineChange(line.line_id, line.label, old.amount, line.amount, "ändrat"))
    return out


# ------------------------------------------------------------------ scenario with undo


def utc_now() -> datetime:
    """Naive UTC, as the scenario store keeps its timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Edit:
    """One edit as the change log shows it: when it was made (naive UTC) and what it did, in Swedish."""

    at: datetime
    text: str


UNDO_FULL = (
    f"Ångra minns de {MAX_UNDO} senaste ändringarna, så den äldsta kan inte längre ångras. Spara scenariot "
    "för att kunna komma tillbaka till läget nu; Återställ går alltid tillbaka till utgångsläget."
)
UNDO_OLDEST = (
    f"Äldre ändringar än de {MAX_UNDO} senaste kan inte ångras. Återställ går tillbaka till utgångsläget."
)


@dataclass
class Scenario:
    """Baseline, current state and undo history; every edit goes through apply(). The history keeps the
    newest `max_undo` states; `dropped` counts the older ones no longer kept (saved with the history)."""

    baseline: State
    current: State
    rules: tuple[Rule, ...] = ()
    history: list[State] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)  # made since the last save, for the change log
    clock: Callable[[], datetime] = field(default=utc_now, repr=False, compare=False)
    dropped: int = 0
    max_undo: int = field(default=MAX_UNDO, repr=False, compare=False)

    @classmethod
    def start(cls, baseline: State, rules: tuple[Rule, ...] = ()) -> Scenario:
        return cls(baseline, baseline, rules)

    def note(self, text: str) -> None:
        """Record an edit for the change log, stamped now."""
        self.edits.append(Edit(self.clock(), text))

    def _remember(self, state: State) -> None:
        """Push a state to undo to; beyond max_undo the oldest is dropped."""
        self.history.append(state)
        extra = len(self.history) - self.max_undo
        if extra > 0:
            del self.history[:extra]
            self.dropped += extra

    def apply(self, description: str, edit, *args, **kwargs) -> Evaluation:
        """Run an edit; on EditError nothing changes and the error propagates."""
        new = edit(self.current, *args, **kwargs)
        self._remember(self.current)
        self.current = new
        self.note(description)
        return self.evaluate()

    def undo(self) -> bool:
        if not self.history:
            return False
        self.current = self.history.pop()
        self.note("Ångrade senaste ändringen")
        return True

    def reset(self) -> None:
        if self.current != self.baseline:
            self._remember(self.current)
            self.current = self.baseline
            self.note("Återställde till utgångsläget")

    def evaluate(self, stated_sek: int | None = None) -> Evaluation:
        """`stated_sek`: what the document states its rows allocate (it holds in a changed scenario too)."""
        return evaluate(self.current, self.rules, stated_sek, self.is_baseline)

    def balance(self, stated_sek: int | None = None) -> key_figures.Balance:
        """The current lines against the frame and the document's statement, by the one rule."""
        return balance(self.current, stated_sek, self.is_baseline)

    @property
    def is_baseline(self) -> bool:
        return self.current == self.baseline

    def history_json(self) -> str:
        """The undo history to be saved with the scenario: steps back from the current state, so its size
        grows with the edits, not with the lines times the edits (see scenario_history)."""
        return stored_history.encode(
            _snapshot(self.current), [_snapshot(x) for x in self.history], self.dropped, _line_id, _plain
        )

    @staticmethod
    def history_from_json(
        text: str | None, current: State, limit: int | None = MAX_UNDO
    ) -> tuple[list[State], int]:
        """(the saved undo history oldest first, how many older steps are not kept) for a scenario whose
        saved current state is `current`. At most the newest `limit` steps are read back; a scenario saved
        before history was kept has none."""
        history, dropped = stored_history.decode(
            text, _snapshot(current), _line_id, _line, _state_snapshot, limit
        )
        return [State(frame, tuple(lines)) for frame, lines in history], dropped


LINE_FIELDS = tuple(f.name for f in fields(Line))


def _snapshot(state: State) -> tuple[int | None, tuple[Line, ...]]:
    return state.frame_amount, state.lines


def _line_id(line: Line) -> str:
    return line.line_id


def _plain(line: Line) -> dict:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def _line(data: dict) -> Line:
    return Line(**data)


def _state_snapshot(data: dict) -> tuple[int | None, tuple[Line, ...]]:
    return data["frame_amount"], tuple(Line(**x) for x in data["lines"])
