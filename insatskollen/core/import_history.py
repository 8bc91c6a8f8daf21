"""The import log as Importera shows it: what was imported and undone, by whom and when, and which import
"Ångra senaste import" would undo (the same rule as WorkingStore.undo_last_import). Pure: no Streamlit."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt


def _who(row) -> str:
    """A signed-in identity with its e-mail; a typed name marked as such (anyone could have typed it)."""
    if row.identity_kind == "oidc":
        return f"{row.author} ({row.email})" if isinstance(row.email, str) and row.email else str(row.author)
    return f"{row.author} (inskrivet namn)"


def _undoable(log: pd.DataFrame) -> pd.Series:
    """Imports not yet undone (what undo_last_import picks from, latest first)."""
    return log.action.str.startswith("import") & log.undone_by.isna()


def last_undoable(log: pd.DataFrame):
    """The import 'Ångra senaste import' would undo, or None when there is none."""
    candidates = log[_undoable(log)]
    return None if candidates.empty else next(candidates.iloc[::-1].itertuples())


def undo_caption(row) -> str:
    """'malmo-2022.csv (2 rader), importerad 24 nov 2026 10:12 av Ada Administratör (ada@kommun.se)'."""
    return (
        f"{row.file} ({fmt.count_phrase(int(row.rows), 'rad', 'rader')}), importerad "
        f"{fmt.swedish_time(row.logged_at)} av {_who(row)}"
    )


def table(log: pd.DataFrame) -> pd.DataFrame:
    """The log, newest first, as text columns a person reads."""
    state = [
        "ångrad" if undoable_undone else ("gäller" if is_import else "")
        for undoable_undone, is_import in zip(
            log.undone_by.notna(), log.action.str.startswith("import"), strict=True
        )
    ]
    shown = pd.DataFrame(
        {
            "Tid": [fmt.swedish_time(t) for t in log.logged_at],
            "Vad": log.action,
            "Fil": log.file.fillna("").replace("", "–"),
            "Rader": [fmt.number(int(n)) for n in log.rows],
            "Vem": [_who(r) for r in log.itertuples()],
            "Läge": state,
        }
    )
    return shown.iloc[::-1].reset_index(drop=True)
