"""Recognising a Swedish municipality from what people write: a name or an SCB code.

Pure functions over the reference list (`data/sweden_municipalities.csv`, all 290 kommuner).
"Norrköping", "Norrköpings kommun", "norrkoping", "Malmö stad", "0581", "581" and the number 581
(how Excel stores a code) all resolve; anything else gets a suggestion from the whole country.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

_SUFFIX = re.compile(r"\s+(kommun|stad|municipality)$")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str


def fold(text: str) -> str:
    """Case, diacritics and spacing folded away: 'Norrköpings  Kommun' -> 'norrkopings kommun'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def normalise_code(value) -> str | None:
    """'0581', '581', 581 or 581.0 -> '0581'; None when it is not a code of one to four ASCII digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{1,4}\.0", text):
        text = text[:-2]
    if not re.fullmatch(r"[0-9]{1,4}", text):  # ASCII digits only: no '٥٨١' or '５８１'
        return None
    return text.zfill(4)


class Directory:
    """Look-ups by code and by name over a list of municipalities."""

    def __init__(self, municipalities: list[Municipality]):
        self.by_code = {m.code: m for m in municipalities}
        self.by_name: dict[str, Municipality] = {}
        for m in municipalities:
            self.by_name.setdefault(fold(m.name), m)

    def by_code_value(self, value) -> Municipality | None:
        code = normalise_code(value)
        return self.by_code.get(code) if code else None

    def by_name_value(self, text: str) -> Municipality | None:
        """Exact name after folding, with or without 'kommun'/'stad' and a genitive s."""
        folded = fold(text)
        if not folded:
            return None
        candidates = [folded, _SUFFIX.sub("", folded)]
        candidates += [c[:-1] for c in candidates if c.endswith("s")]
        for candidate in candidates:
            if candidate in self.by_name:
                return self.by_name[candidate]
        return None

    def suggestion(self, text: str) -> str | None:
        """The closest real name, for "Menade du …?" (None when nothing is close)."""
        folded = _SUFFIX.sub("", fold(text))
        match = difflib.get_close_matches(folded, list(self.by_name), n=1, cutoff=0.6)
        return self.by_name[match[0]].name if match else None
