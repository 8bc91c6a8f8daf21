"""The source documents' text, and the passage a row was taken from."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from insatskollen.db import default_data_dir


@cache
def text(document_id: str) -> str:
    """The whole text of a source document in the data folder's sources/ ('' if it is not there)."""
    path = default_data_dir() / "sources" / Path(document_id).name  # never leave sources/
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _candidates(section: str, hints: tuple[str, ...]) -> list[str]:
    parts = [section] + re.split(r"\s+[–-]\s+|\s+och\s+|, ", section) + list(hints)
    cleaned = [re.sub(r"^\d+(\.\d+)*\.?\s*", "", p).strip(' ”"') for p in parts]
    return sorted({c for c in cleaned if len(c) >= 4}, key=len, reverse=True)


def excerpt(document_id: str, section: str, *hints: str, lines_after: int = 14, max_chars: int = 2500) -> str:
    """The lines of the document starting where the section (or a hint such as the measure's title)
    is found; '' when nothing matches."""
    body = text(document_id)
    if not body:
        return ""
    lowered = body.lower()
    for candidate in _candidates(section, hints):
        position = lowered.find(candidate.lower())
        if position >= 0:
            start = body.rfind("\n", 0, position) + 1
            lines = [line for line in body[start:].splitlines() if line.strip()][: lines_after + 1]
            passage = "\n".join(lines)
            return passage if len(passage) <= max_chars else passage[: max_chars - 1] + "…"
    return ""
