"""Named queries: one SQL file per query in `queries/`, loaded by file name.

The first line of each file is a comment saying what the query returns. Parameters are
written `$name` and always bound, never formatted into the SQL. A caller may pass more
parameters than a query uses (e.g. the whole filter set); a missing one is an error.

The stores' own statements (the model's DDL and views in `queries/model/`, the build's steps in
`queries/build/`, a snapshot's loading in `queries/snapshot/`) are read by `statement`. A few of
them run once per table of the schema: they name it `{table}`, filled in from the schema's fixed
list of names (an identifier, checked), never from a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


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


@cache
def _statement_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    text = path.read_text(encoding="utf-8")
    if not text.startswith("--"):
        raise ValueError(f"{name}.sql: first line must be a comment saying what it does")
    return text


def statement(name: str, **identifiers: str) -> str:
    """The SQL of `queries/<name>.sql` (e.g. "model/union_view"), each `{placeholder}` replaced by the
    identifier given for it: a table name from the schema, never a value (values are bound as `$name`)."""
    text = _statement_text(name)
    for key, value in identifiers.items():
        if not _IDENTIFIER.fullmatch(value):
            raise ValueError(f"{name}: {value!r} is not an identifier")
        if "{" + key + "}" not in text:
            raise KeyError(f"{name}.sql has no placeholder {{{key}}}")
        text = text.replace("{" + key + "}", value)
    left = [m.group(1) for m in _PLACEHOLDER.finditer(_strip_comments(text))]
    if left:
        raise KeyError(f"{name}.sql needs identifiers {left}")
    return text
