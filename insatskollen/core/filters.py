"""The dashboard's shared filters, as bound query parameters and as URL query parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

NO_VALUE = ""  # stands for "no area" / "no nämnd" in the areas and committees filters

# URL keys are short and Swedish, since users copy and read the link.
URL_KEYS = {
    "municipalities": "kommun",
    "years": "ar",
    "funding_sources": "kalla",
    "committees": "namnd",
    "areas": "omrade",
    "statuses": "status",
    "search": "sok",
}
LIST_SEPARATOR = "|"
# A value may hold the separator (an imported funding source or nämnd may be called anything, commas and
# quotes included): "|" in a value is written "\|", and "\" as "\\". Links without either read as before.
_ESCAPE = "\\"


def _join(values) -> str:
    return LIST_SEPARATOR.join(
        str(v).replace(_ESCAPE, _ESCAPE * 2).replace(LIST_SEPARATOR, _ESCAPE + LIST_SEPARATOR) for v in values
    )


def _split(text: str) -> list[str]:
    """The values of a list joined by _join."""
    values, current, chars = [], [], iter(text)
    for char in chars:
        if char == _ESCAPE:
            current.append(next(chars, _ESCAPE))
        elif char == LIST_SEPARATOR:
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return values


def listed(values) -> str:
    """Chosen values as a reader sees them: 'Malmö, Motala'; among several, a value with a comma in
    quotes, so that 'Egna medel, KF budget 2025' reads as one: '”Egna medel, KF budget 2025”, Trygghetsmiljonen'."""
    texts = [str(v) for v in values]
    if len(texts) > 1:
        texts = [f"”{t}”" if "," in t else t for t in texts]
    return ", ".join(texts)


@dataclass(frozen=True)
class Filters:
    municipalities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    funding_sources: tuple[str, ...] = ()
    committees: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str = ""

    def params(self) -> dict:
        """Bound parameters for the named queries (lists, never formatted into SQL)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def to_query_params(self) -> dict[str, str]:
        """Only the filters that are set, as strings for st.query_params."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                if value:
                    out[URL_KEYS[f.name]] = _join(value)
            elif value:
                out[URL_KEYS[f.name]] = value
        return out

    @classmethod
    def from_query_params(cls, params, allowed: dict[str, list[str]] | None = None) -> Filters:
        """Read filters from URL parameters; unknown values (a stale or edited link) are dropped."""
        kwargs = {}
        for f in fields(cls):
            raw = params.get(URL_KEYS[f.name])
            if raw is None:
                continue
            if f.name == "search":
                kwargs["search"] = str(raw)[:200]
                continue
            values = _split(str(raw))
            if allowed is not None and f.name in allowed:
                values = [v for v in values if v in allowed[f.name]]
            if f.name == "years":
                kwargs["years"] = tuple(int(v) for v in values if re.fullmatch(r"[0-9]{4}", v))
            else:
                kwargs[f.name] = tuple(dict.fromkeys(values))
        return cls(**kwargs)
