"""Names as a person types them: compared after NFC, case and spacing, and a near miss of a known
funding source ("Statsbidrag Delmo") suggested, never imposed. Pure."""

from __future__ import annotations

import difflib
import re
import unicodedata

NEAR_SOURCE = 0.85  # how close an own name must be to a bundled one for "Menade du …?" (difflib ratio)


def norm(text) -> str:
    text = unicodedata.normalize("NFC", str(text or ""))
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", text)).strip().casefold()


def near_bundled_source(name: str, bundled: list[str]) -> str | None:
    """The bundled funding source an own name is a near miss of ("Statsbidrag Delmo" -> "Statsbidrag
    Delmos"), or None. Only a suggestion: the name is kept as typed."""
    choices = {norm(b): b for b in bundled}
    if norm(name) in choices:
        return None
    match = difflib.get_close_matches(norm(name), list(choices), n=1, cutoff=NEAR_SOURCE)
    return choices[match[0]] if match else None
