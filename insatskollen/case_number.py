"""A diarienummer (dnr, the case number of a municipal decision) in the text of an imported Källa cell.

Municipalities write them as "KS 2025/0123", "KS 18/292", "STK-2018-1233" or "KS2025.0123", often after
"dnr" or "Diarienummer:". An imported Källa such as "Tjänsteskrivelse 2025-03-12, dnr KS 2025/0123" fills
the import's Dnr when the file has no Dnr of its own.
"""

from __future__ import annotations

import re

# After the word: what follows up to a comma, semicolon or bracket (KS 2025/0123, 2025-123, KS-2025-0123).
_AFTER_WORD = re.compile(r"\b(?:dnr|diarienummer|diarienr)\b[\s.:]*([^,;()\[\]]+)", re.IGNORECASE)
# Without the word: a prefix of capitals, a year, and a number after / (or - when the year has four digits).
_BARE = re.compile(
    r"(?<![\w/])([A-ZÅÄÖ]{1,8}(?:[ -][A-ZÅÄÖ]{1,8})?[ -]?(?:\d{2}|\d{4})/\d{1,6}(?:[-.:]\d{1,4})?"
    r"|[A-ZÅÄÖ]{2,8}-\d{4}-\d{1,6})(?![\w/])"
)
MAX_LENGTH = 60


def case_number_in(text: str | None) -> str | None:
    """The diarienummer a Källa text gives, or None: 'dnr KS 2025/0123' -> 'KS 2025/0123'; 'KS 18/292'
    -> 'KS 18/292'; 'Protokoll 2025-03-12' -> None (a date is not a dnr)."""
    if not text:
        return None
    word = _AFTER_WORD.search(text)
    if word:
        found = word.group(1).strip(" .:")
        if re.search(r"\d", found) and len(found) <= MAX_LENGTH:
            return found
    bare = _BARE.search(text)
    return bare.group(1) if bare else None
