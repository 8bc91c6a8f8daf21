"""Import, step 2: the reference data a file is checked against (Sweden's municipalities, funding
sources, statuses, area labels, from the store's import_reference query) and a municipality resolved from
its name in any spelling or its code, for a row and for `--kommun`."""

from __future__ import annotations

import threading
import weakref

import pandas as pd

from insatskollen.core import fmt, lists
from insatskollen.core.municipality_names import Directory, Municipality, normalise_code
from insatskollen.store.db import Database


def reference(db: Database, kind: str) -> pd.DataFrame:
    """One kind of reference value (municipality, sweden, funding_source: the bundled ones with their kind
    in `extra`, imported_funding_source: names imported before, status, area_label, priority_area).
    The table is read once per snapshot (a snapshot never changes; an import makes a new one): checking one
    file asks for six kinds, and read each time it was a third of a small file's validation."""
    snapshot = db.snapshot
    with _LOCK:
        table = _TABLES.get(snapshot)
    if table is None:
        table = snapshot.query("import_reference")
        with _LOCK:
            _TABLES[snapshot] = table
    return table[table.kind == kind]


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Snapshot -> its import_reference table
_LOCK = threading.Lock()


def municipality_directory(db: Database, known: dict[str, str]) -> Directory:
    """Sweden's 290 municipalities (SCB), plus any other code the data already holds."""
    sweden = list(reference(db, "sweden")[["key", "value"]].itertuples(index=False, name=None))
    listed = {code for code, _ in sweden}
    extra = [(c, m) for c, m in known.items() if c not in listed]
    return Directory([Municipality(c, m) for c, m in [*sweden, *extra]])


def resolve_municipality(
    directory: Directory, raw_code, name: str, line: int, problem, suggest: bool = True
) -> tuple[str, str]:
    """(code, name) from the Kommunkod and Kommun cells; a problem is recorded when neither resolves
    (with the closest real name unless `suggest` is False)."""
    code_text = "" if raw_code is None else str(raw_code).strip()
    if code_text:
        found = directory.by_code_value(raw_code)
        if found is None:
            expected = (
                "en kommunkod med fyra siffror, t.ex. 0180"
                if normalise_code(raw_code) is None
                else "en kommunkod som finns bland Sveriges 290 kommuner (SCB:s förteckning)"
            )
            problem(line, "municipality_code", code_text, expected)
            return "", name
        named = directory.by_name_value(name) if name else None
        if named is not None and named.code != found.code:
            problem(
                line,
                "municipality",
                name,
                f"samma kommun som kommunkoden {found.code} ({found.name}); {name} har kod {named.code}",
            )
        return found.code, found.name
    if not name:
        problem(line, "municipality", "", "kommunens namn eller kommunkod")
        return "", ""
    found = directory.by_name_value(name)
    if found is None:
        hint = directory.suggestion(name) if suggest else None
        problem(
            line,
            "municipality",
            name,
            "en av Sveriges 290 kommuner, eller kommunkod i kolumnen Kommunkod."
            + (f" Menade du '{hint}'?" if hint else ""),
        )
        return "", name
    return found.code, found.name


MAX_LISTED = 12  # municipalities with data named when a --kommun is refused


def resolve_municipalities(db, given: list[str]) -> tuple[str, ...]:
    """The data's names for `--kommun` values, resolved as the import resolves a Kommun cell: by name in any
    spelling ("Malmo", "Malmö stad", "Norrköpings kommun") or by code (1280, 0581). ValueError with a Swedish
    message for one that has no data here: a selection of nothing would print "0 iakttagelser", which reads
    like clean data."""
    in_data = dict(reference(db, "municipality")[["key", "value"]].itertuples(index=False, name=None))
    here = Directory([Municipality(code, name) for code, name in in_data.items()])
    sweden = municipality_directory(db, in_data)
    swedish_order = str.maketrans("åäö", "{|}")  # å, ä, ö after z, as in Swedish
    names = sorted(in_data.values(), key=lambda n: n.casefold().translate(swedish_order))
    listed = lists.named(
        names, MAX_LISTED, lambda rest: fmt.count_phrase(rest, "kommun", "kommuner"), last=None
    )
    resolved = []
    for text in given:
        found = here.by_code_value(text) or here.by_name_value(text)
        if found is not None:
            resolved.append(found.name)
            continue
        real = sweden.by_code_value(text) or sweden.by_name_value(text)
        if real is not None:
            why = f"{real.name} ({real.code}) finns inte i datan."
        else:
            hint = here.suggestion(text) or sweden.suggestion(text)
            why = "ingen av Sveriges 290 kommuner heter så eller har den koden." + (
                f" Menade du '{hint}'?" if hint else ""
            )
        raise ValueError(f"--kommun {text}: {why} Kommuner med data: {listed or 'inga'}.")
    return tuple(dict.fromkeys(resolved))
