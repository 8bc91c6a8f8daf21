"""Reading amounts as Swedish users write them: `1 000 000`, `1 000 000 kr`, `1.000.000`,
`2,08 mnkr`, `300 tkr`, `1,5 mkr`. Always whole kronor; anything else gets a Swedish message."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_SEK = 100_000_000_000  # 100 miljarder: far above any frame; larger is a typing mistake
UNITS = {
    "": 1,
    "kr": 1,
    "kronor": 1,
    "sek": 1,
    ":-": 1,
    "tkr": 1_000,
    "tsek": 1_000,
    "mkr": 1_000_000,
    "mnkr": 1_000_000,
    "msek": 1_000_000,
    "miljoner": 1_000_000,
    "miljoner kronor": 1_000_000,
    "miljon": 1_000_000,
}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^([+-]?)([0-9][0-9 .,]*)$")
EXAMPLE = "t.ex. 1 500 000, 1 500 000 kr eller 1,5 mnkr"


class AmountError(ValueError):
    """A Swedish message saying what is wrong with the amount."""


def parse_amount(text: str | int | float | None) -> int:
    """The amount in whole kronor, or AmountError with a Swedish message."""
    if isinstance(text, bool):
        raise AmountError(f"Kan inte tolka {text!r} som ett belopp.")
    if isinstance(text, int):
        return _check(Decimal(text), str(text))
    if isinstance(text, float):
        if text != text:
            raise AmountError("Beloppet saknas.")
        return _check(Decimal(str(text)), str(text))
    raw = "" if text is None else str(text)
    cleaned = _SPACES.sub(" ", raw).strip().lower()
    if not cleaned:
        raise AmountError(f"Ange ett belopp, {EXAMPLE}.")
    unit_match = re.match(
        r"^(.*?)\s*(kr|kronor|sek|:-|tkr|tsek|mkr|mnkr|msek|miljoner kronor|miljoner|miljon)?\.?$", cleaned
    )
    number_part, unit = (unit_match.group(1), unit_match.group(2) or "") if unit_match else (cleaned, "")
    number_part = (
        number_part.replace(" ", "")
        if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", number_part)
        else number_part
    )
    match = _NUMBER.match(number_part)
    if not match or " " in match.group(2):
        raise AmountError(f'Kan inte tolka "{_short(raw)}" som ett belopp. Skriv {EXAMPLE}.')
    sign, digits = match.groups()
    if UNITS[unit] == 1 and re.fullmatch(r"\d{1,3}[.,]\d{3}", digits):
        # "15,000" is 15 kr to a Swede and 15 000 kr to an English spreadsheet: ask instead of guessing
        raise AmountError(
            f'Beloppet "{_short(raw)}" är tvetydigt (tusental eller decimaler?). '
            f"Skriv {digits[:-4]} {digits[-3:]} för {digits[:-4]} tusen kronor."
        )
    value = _to_decimal(digits, raw)
    if sign == "-":
        value = -value
    return _check(value * UNITS[unit], raw)


def _to_decimal(digits: str, raw: str) -> Decimal:
    """'1.000.000' and '1,000,000' are thousands; '2,08' and '2.5' are decimals."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits) or re.fullmatch(r"\d{1,3}(,\d{3}){2,}", digits):
        digits = digits.replace(".", "").replace(",", "")
    elif digits.count(",") + digits.count(".") > 1:
        raise AmountError(f'Kan inte tolka "{_short(raw)}" som ett belopp. Skriv {EXAMPLE}.')
    try:
        return Decimal(digits.replace(",", "."))
    except InvalidOperation:
        raise AmountError(f'Kan inte tolka "{_short(raw)}" som ett belopp. Skriv {EXAMPLE}.') from None


def _check(value: Decimal, raw: str) -> int:
    if value < 0:
        raise AmountError(f'Beloppet får inte vara negativt ("{_short(raw)}").')
    if value > MAX_SEK:
        raise AmountError(f'Beloppet "{_short(raw)}" är orimligt stort (högst 100 miljarder kronor).')
    if value != value.to_integral_value():
        raise AmountError(f'Beloppet "{_short(raw)}" blir inte ett helt antal kronor.')
    return int(value)


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
