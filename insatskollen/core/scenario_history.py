"""A scenario's undo history as stored: steps back from the current state (edits, not copies).

Pure Python. The codec is generic over what a line is (the engine passes Line objects).

Format 2, a JSON object, newest step first:

    {"format": 2, "dropped": 3, "steps": [step, ...]}

A step turns a state into the one before it. Its keys, each only when needed:
    "frame"  [amount]     the frame before (a list, so that "unknown" (null) can be said)
    "drop"   [line id]    lines the state has that the one before had not (an added measure)
    "put"    [line]       whole lines of the state before that differ from the state's or are missing
    "order"  [line id]    the lines' order before, when it is not the state's order with the drops left
                          out, the puts replacing lines in place and new puts appended (a reset after adds)
    "lines"  [line]       all lines before, only when the above cannot say it (lines with equal ids)
An add is one id, an amount one line: the history grows with the edits, never with the scenario's size
times the number of edits (format 1, before issue 21, kept a whole copy of the state per step: 1 000 adds
stored 100 MB). "dropped" counts the oldest steps no longer kept (see scenario_undo.MAX_UNDO).

Format 1 is a JSON list of whole states, oldest first; it is still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

FORMAT = 2

Snapshot = tuple[Any, Sequence[Any]]  # (frame amount, lines)


def step_back(
    after: Snapshot, before: Snapshot, key: Callable[[Any], str], plain: Callable[[Any], dict]
) -> dict:
    """The step that turns `after` into `before`; checked by applying it, so it never loses anything."""
    after_frame, after_lines = after
    before_frame, before_lines = before
    step: dict = {}
    if before_frame != after_frame:
        step["frame"] = [before_frame]
    now = {key(x): x for x in after_lines}
    then = {key(x): x for x in before_lines}
    wanted = list(before_lines)
    if len(now) == len(after_lines) and len(then) == len(before_lines):  # ids unique: say only what changed
        changes: dict = {}
        dropped = [k for k in now if k not in then]
        if dropped:
            changes["drop"] = dropped
        put = [x for k, x in then.items() if k not in now or not _same(now[k], x)]
        if put:
            changes["put"] = put
        if _lines(after_lines, changes, key, _as_is) != wanted:
            changes["order"] = list(then)
        if _lines(after_lines, changes, key, _as_is) == wanted:
            if put:
                changes["put"] = [plain(x) for x in put]
            return step | changes
    step["lines"] = [plain(x) for x in before_lines]
    return step


def _as_is(x):
    return x


def _same(a, b) -> bool:
    return a is b or a == b


def _lines(after_lines: Sequence, step: dict, key: Callable, make: Callable) -> list:
    """The lines before, from the lines after and a step (its puts made into lines with `make`)."""
    if "lines" in step:
        return [make(x) for x in step["lines"]]
    drop = set(step.get("drop", ()))
    put = [make(x) for x in step.get("put", ())]
    put_by_id = {key(x): x for x in put}
    if "order" in step:
        kept = {key(x): x for x in after_lines if key(x) not in drop}
        return [put_by_id[k] if k in put_by_id else kept[k] for k in step["order"]]
    lines = [put_by_id.get(key(x), x) for x in after_lines if key(x) not in drop]
    present = {key(x) for x in after_lines}
    return lines + [x for x in put if key(x) not in present]


def apply_step(
    after: Snapshot, step: dict, key: Callable[[Any], str], make: Callable[[dict], Any]
) -> Snapshot:
    """The state before, from the state after and the step between them."""
    frame = step["frame"][0] if "frame" in step else after[0]
    return frame, _lines(after[1], step, key, make)


def encode(
    current: Snapshot,
    history: Sequence[Snapshot],
    dropped: int,
    key: Callable[[Any], str],
    plain: Callable[[Any], dict],
) -> str:
    """History (oldest first) as format 2: steps back from `current`, newest first."""
    steps = []
    after = current
    for before in reversed(history):
        steps.append(step_back(after, before, key, plain))
        after = before
    return json.dumps(
        {"format": FORMAT, "dropped": dropped, "steps": steps}, ensure_ascii=False, sort_keys=True
    )


def decode(
    text: str | None,
    current: Snapshot,
    key: Callable[[Any], str],
    make: Callable[[dict], Any],
    from_plain_state: Callable[[dict], Snapshot],
    limit: int | None = None,
) -> tuple[list[Snapshot], int]:
    """(history oldest first, dropped) from a stored history of either format. At most the newest `limit`
    steps are made (opening stays fast whatever is stored); the ones left out are counted as dropped."""
    if not text:
        return [], 0
    data = json.loads(text)
    if isinstance(data, list):  # format 1: whole states, oldest first
        kept = data if limit is None else data[max(0, len(data) - limit) :]
        return [from_plain_state(x) for x in kept], len(data) - len(kept)
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown undo history format {data.get('format')!r}")
    steps = data["steps"]
    kept_steps = steps if limit is None else steps[:limit]
    history = []
    after = current
    for step in kept_steps:
        after = apply_step(after, step, key, make)
        history.append(after)
    history.reverse()
    return history, int(data.get("dropped", 0)) + len(steps) - len(kept_steps)
