"""A diarienummer (dnr, the case number of a municipal decision) in the text of an imported Källa cell.

Municipalities write them as "KS 2025/0123", "KS 18/292", "STK-2018-1233" or "KS2025.0123", often after
"dnr" or "Diarienummer:". An imported Källa such as "Tjänsteskrivelse 2025-03-12, dnr KS 2025/0123" fills
the import's Dnr when the file has no Dnr of its own.
"""

from __future__ import annotations

import re

# After the word and a space, full stop or colon ("dnr KS 2025/0123", "Dnr. KS-2025-0123", "Diarienummer:
# STK-2018-1233"; not "dnr-ansvarig"): a case number, i.e. up to two prefix words that start with a capital
# (KS, SN AU, Kfn) and then letters and digits with / - . : between them, holding a digit and starting with
# a letter or digit. What follows it (a space and more words, a comma) is not part of it.
_WORD = r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,7}"
_PART = r"[A-Za-zÅÄÖåäö0-9]+"
_AFTER_WORD = re.compile(
    rf"\b(?i:dnr|diarienummer|diarienr)[\s.:]+((?:{_WORD} ){{0,2}}{_PART}(?:[/.:-]{_PART})*)(?![\w/.:-]*\w)"
)
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
    for word in _AFTER_WORD.finditer(text):
        found = word.group(1)
        if re.search(r"\d", found.rsplit(" ", 1)[-1]) and len(found) <= MAX_LENGTH:
            return found
    bare = _BARE.search(text)
    return bare.group(1) if bare else None
