"""Named queries: one SQL file per query in `queries/`, loaded by file name.

The first line of each file is a comment saying what the query returns. Parameters are
written `$name` and always bound, never formatted into the SQL. A caller may pass more
parameters than a query uses (e.g. the whole filter set); a missing one is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    sql: str
    params: tuple[str, ...]

    def bind(self, values: dict) -> dict:
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"query {self.name!r} needs parameters {missing}")
        return {p: values[p] for p in self.params}


@cache
def all_queries() -> dict[str, Query]:
    queries = {}
    for path in sorted(QUERY_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        if not first.startswith("--"):
            raise ValueError(f"{path.name}: first line must be a comment saying what it returns")
        params = tuple(dict.fromkeys(_PARAM.findall(_strip_comments(text))))
        queries[path.stem] = Query(path.stem, first.lstrip("- ").strip(), text, params)
    return queries


def get(name: str) -> Query:
    try:
        return all_queries()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}") from None


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
