"""Missing values, decided once: None, NaN, pandas' NA and NaT are "unknown", never 0 and never ''.

Every layer asks these, instead of its own `pd.isna` guard: `pd.isna` of a list or an array answers per item,
and of a date or a text it must not be asked at all in some pandas versions; `missing` answers for one value.
"""

from __future__ import annotations

import pandas as pd
from pandas.api.types import is_scalar


def missing(value) -> bool:
    """None, NaN, pd.NA or NaT: a value the data does not know. A text, a date or a list is never missing."""
    return value is None or (is_scalar(value) and bool(pd.isna(value)))


def or_none(value):
    """The value, or None when it is missing (a DataFrame cell as a plain Python value)."""
    return None if missing(value) else value


def int_or_none(value) -> int | None:
    """A whole number (kronor, a year, a count) from a DataFrame cell; None when it is missing."""
    return None if missing(value) else int(value)
