"""A Scenario: the baseline, the current state and an undo history; every edit (insatskollen.core.scenario) goes
through `apply`, and the current state is judged by insatskollen.core.scenario_evaluation. The undo history is saved
as steps back (insatskollen.core.scenario_history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from insatskollen.core import key_figures
from insatskollen.core import scenario_history as stored_history
from insatskollen.core.scenario import Line, Rule, State
from insatskollen.core.scenario_evaluation import Evaluation, balance, evaluate

# Undo keeps the newest 100 steps (issue 21); older ones are dropped (counted, and said on the page). Reset always
# reaches the baseline.
MAX_UNDO = 100


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
