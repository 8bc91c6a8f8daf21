"""Swedish number formatting: `15 000 000 kr`, `2,08 mnkr`, `12,5 %`.

A no-break space (U+00A0) separates thousands and the unit, so an amount never wraps
across lines on a projector. Unknown amounts are said, never shown as 0.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from insatskollen.core.na import missing

NBSP = "\u00a0"
UNKNOWN = "belopp saknas"


def number(value: float | int | None, decimals: int = 0) -> str:
    """12345.5 -> '12 345,5' (with the given number of decimals)."""
    if missing(value):
        return UNKNOWN
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return ("\u2212" + text) if value < 0 and text.strip("0,\u00a0") else text


def sek(value: float | int | None) -> str:
    """Whole kronor: 15000000 -> '15 000 000 kr'; None -> 'belopp saknas'."""
    if missing(value):
        return UNKNOWN
    return f"{number(round(value))}{NBSP}kr"


def signed_sek(value: float | int | None) -> str:
    """A difference: +7 000 kr / −61 000 kr (true minus sign)."""
    if missing(value):
        return UNKNOWN
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{sign}{sek(abs(value))}"


def mnkr(value: float | int | None, decimals: int = 2) -> str:
    """A short amount in millions: 2080000 -> '2,08 mnkr', 1800000 -> '1,8 mnkr', 15000000 -> '15 mnkr'.
    From 1 000 mnkr on it is written in billions, as national totals are: 1234000000 -> '1,23 mdkr'
    (so it fits a metric box on a projector; the exact kronor are in the help text or the table)."""
    if missing(value):
        return UNKNOWN
    if round(abs(value) / 1_000_000, decimals) >= 1000:
        return mdkr(value, decimals)
    return _short(value / 1_000_000, decimals, "mnkr")


def mdkr(value: float | int | None, decimals: int = 2) -> str:
    """Billions: 1234000000 -> '1,23 mdkr', 2500000000 -> '2,5 mdkr'."""
    if missing(value):
        return UNKNOWN
    return _short(value / 1_000_000_000, decimals, "mdkr")


def _short(value: float, decimals: int, unit: str) -> str:
    text = number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}{NBSP}{unit}"


def pct(share: float | None, decimals: int = 1) -> str:
    """A share as a fraction: 0.125 -> '12,5 %', 0.1 -> '10 %'."""
    if missing(share):
        return "–"
    text = number(share * 100, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}{NBSP}%"


def pct_points(value: float | None) -> str:
    """A percentage already in percent: 10 -> '10 %'."""
    return "–" if missing(value) else pct(value / 100)


def years(year_from: int | None, year_to: int | None) -> str:
    """2018, 2020 -> '2018–2020'; equal years -> '2018'."""
    if missing(year_from):
        return "–"
    if missing(year_to) or int(year_from) == int(year_to):
        return str(int(year_from))
    return f"{int(year_from)}–{int(year_to)}"


def count_phrase(n: int, singular: str, plural: str) -> str:
    """3, 'insats', 'insatser' -> '3 insatser'."""
    return f"{number(n)} {singular if n == 1 else plural}"


SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


def swedish_time(at: datetime | pd.Timestamp | None) -> str:
    """A stored naive-UTC timestamp as Swedish local time, e.g. '2026-11-24 09:05'."""
    if missing(at):
        return "–"
    moment = pd.Timestamp(at).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M")


def file_slug(text: str, limit: int = 80) -> str:
    """Text as a file-name part: ASCII letters, digits and hyphens only (å, ä, ö as a, a, o), cut at a hyphen
    within `limit`: 'Malmö 2018–2020' -> 'malmo-2018-2020' (a dash is a word break, not nothing)."""
    words = re.sub(r"\W+", " ", text)
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text))
    if len(slug) > limit:  # cut at a hyphen, never inside a word
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug
