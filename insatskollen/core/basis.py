"""Where a value is our reading of a document rather than its words: the "Tolkning: …" labels.

The data marks interpretations (`basis` = `tolkning` with a `basis_note`, see data/README.md); pages show
the note beside the value, always as plain text. These functions only build the Swedish text.
"""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, na

READING = "tolkning"
DOCUMENT = "dokument"
UNFUNDED = "övrigt förslag utan finansiering"
NO_FUNDING = "Ofinansierat"  # short enough for a metric on a projector


def tolkning_text(note: str, scope: str | None = None) -> str:
    """'Tolkning: <note>' or, naming what it is about, 'Tolkning (<scope>): <note>'."""
    return f"Tolkning ({scope}): {note}" if scope else f"Tolkning: {note}"


def document_text(note: str) -> str:
    """A note that says what the document itself states (e.g. why a proposal has no amount)."""
    return f"Enligt dokumentet: {note}"


def basis_label(basis: str | None) -> str:
    """The short label after a value: 'vår tolkning', 'enligt dokumentet', or '' when not stated."""
    return {READING: "vår tolkning", DOCUMENT: "enligt dokumentet"}.get(basis or "", "")


def allocated_text(amount, status: str | None) -> str:
    """A measure's amount per year: an unfunded proposal has no funding, which is not an unknown amount."""
    if status == UNFUNDED and na.missing(amount):
        return NO_FUNDING
    return fmt.sek(amount)


def frame_readings(frames: pd.DataFrame) -> list[str]:
    """One 'Tolkning (<funding source>, <years>): <note>' per frame whose basis is tolkning, from rows of
    one frame per year (query municipality_frames)."""
    if frames.empty or "basis" not in frames:
        return []
    read = frames[frames.basis == READING]
    out = []
    for _frame_id, rows in read.groupby("frame_id", sort=False):
        first = rows.iloc[0]
        scope = f"{first.funding_source}, {fmt.years(int(rows.year.min()), int(rows.year.max()))}"
        out.append(tolkning_text(first.basis_note, scope))
    return out
