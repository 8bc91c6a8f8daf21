"""Judging a scenario's state: its frame against its lines by the one rule of the headline figures
(insatskollen.core.key_figures.Balance), every rule of the frame (insatskollen.core.rules, exact fractions), and
how two states differ per area, nämnd and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from insatskollen.core import fmt, key_figures, rules
from insatskollen.core.scenario import Line, Rule, State, group_of


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: str  # "ok", "under", "över", "okänd"
    share: Fraction | None
    allocated: int | None
    message: str


@dataclass(frozen=True)
class Evaluation:
    """A state judged: its frame against its lines by the one rule of the headline figures (`balance`; what is
    left, over or unknown is read from it, never computed here), the rule's sentence and every rule of the frame."""

    balance: key_figures.Balance
    remaining_message: str
    rules: tuple[RuleResult, ...]

    @property
    def frame_amount(self) -> int | None:
        return self.balance.frame_sek

    @property
    def allocated(self) -> int:
        """The sum of the known line amounts."""
        return self.balance.known_sek

    @property
    def unknown_lines(self) -> int:
        return self.balance.lines_without_amount

    @property
    def over_allocated(self) -> bool:
        """The known amounts already exceed the frame (exactly, or "minst" with lines without amount)."""
        return self.balance.over_allocated_sek > 0

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
    """What is left to allocate, by the one rule (insatskollen.core.key_figures.Balance: exact, "högst" with
    lines without amount, unknown without a frame), and every rule of the frame, for the current state."""
    judged = balance(state, stated_sek, own_lines)
    message = judged.text(fmt.sek)
    if judged.frame_sek is None:
        message += " Ange ett belopp för ramen för att räkna."
    return Evaluation(judged, message, tuple(_evaluate_rule(state, rule) for rule in rules))


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
