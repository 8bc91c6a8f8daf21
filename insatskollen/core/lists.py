"""Long lists in Swedish prose: the first few named, the rest counted. A file of 9 999 rows gives one line
that names ten and counts the others, never 9 999 lines.

- `named`: one phrase, 'Rad 3, 5 och 7', 'Gävle, Malmö och 3 till', '2, 4, 6 och 12 rader till';
- `capped`: a list of findings (or problems), the first few kept and one last line for the rest;
- `further`: that last line's usual words, 'Ytterligare 12 rader … (visas bara för de första 10).'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")


def named(
    items: Sequence[T],
    limit: int,
    rest: Callable[[int], str] = str,
    show: Callable[[T], str] = str,
    separator: str = ", ",
    last: str | None = " och ",
) -> str:
    """The first `limit` items (each as `show` writes it), then ' och {rest(n)} till' for the n left over:
    'Gävle, Malmö och 3 till', '3, 5 och 12 rader till' (rest: a count phrase). With none left over the
    last two are joined by `last` ('3, 5 och 7'), or by the separator when `last` is None ('a, b, c')."""
    shown = [show(item) for item in items[:limit]]
    left = len(items) - len(shown)
    if left > 0:
        return separator.join(shown) + f" och {rest(left)} till"
    if last is None or len(shown) < 2:
        return separator.join(shown)
    return separator.join(shown[:-1]) + last + shown[-1]


def capped(
    items: Sequence[T], limit: int, more: Callable[[int], S], show: Callable[[T], S] | None = None
) -> list:
    """The first `limit` items (each as `show` makes it, else as they are), then `more(n)` as one last item
    for the n left over: findings or problems that stay few whatever the file holds."""
    kept = list(items[:limit]) if show is None else [show(item) for item in items[:limit]]
    left = len(items) - limit
    return [*kept, more(left)] if left > 0 else kept


def further(counted: str, what: str, limit: int) -> str:
    """The last line of a capped list of findings: 'Ytterligare 12 rader i kolumn E har använt mer än
    beviljat (visas bara för de första 10).' (`counted`: '12 rader', a count phrase)."""
    return f"Ytterligare {counted} {what} (visas bara för de första {limit})."
