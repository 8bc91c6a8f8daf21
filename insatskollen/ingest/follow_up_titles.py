"""Import of follow-up files, step 2: the measure a row reports on, found by Insats-id or by title (within
the row's municipality, the page's, or across all the data), with "Menade du …?" for a near miss. Titles are
indexed once, so a file of 9 999 rows costs 9 999 lookups, not 9 999 scans."""

from __future__ import annotations

import difflib

import pandas as pd

from insatskollen.core import lists
from insatskollen.core.source_names import norm

# How many municipalities an ambiguous title names before "och N till"
SHOWN_MUNICIPALITIES = 5
# Distinct titles beyond which an unknown title searched across all the data gets no "Menade du …?"
# (difflib over the national data's titles would cost seconds a row)
MAX_SUGGESTED_AMONG = 5_000
# Unknown titles given a "Menade du …?" (each is compared with up to MAX_SUGGESTED_AMONG titles); the
# ones after are refused without one, like every problem after the first errors.MAX_COLLECTED
MAX_SUGGESTIONS = 20
# Measures named by id when a title is ambiguous, and rows named per kind of finding, before a count
MAX_NAMED = 10


class Titles:
    """The measures a title can name, looked up by the title normalised as everywhere in the import
    (source_names.norm). The index is built on the first lookup, normalising each distinct title once,
    by title and by title and municipality: a row's lookup is then a dictionary's, so a file of 9 999 rows
    costs 9 999 lookups, not 9 999 scans of the data (or of one municipality's measures)."""

    def __init__(self, items: pd.DataFrame, follow_up=None):
        self.measures = items[items.kind == "measure"].to_dict("records")
        self._follow_up = follow_up  # (code, year) -> that municipality-year's follow_up rows
        self._funded: dict[tuple, set] = {}
        self._rows: dict[str, list[dict]] | None = None  # normalised title -> its measures
        self._in: dict[tuple[str, str], list[dict]] = {}  # (normalised title, code) -> its measures
        self._shown: dict[str, str] = {}  # normalised title -> the first title written so
        self._among: dict[str | None, list[str]] = {}  # code (None: all) -> normalised titles to suggest
        self._suggestions: dict[tuple, str | None] = {}
        self.suggested = 0  # distinct titles a suggestion was searched for (at most MAX_SUGGESTIONS)

    def _index(self) -> dict[str, list[dict]]:
        if self._rows is None:
            normal = {title: norm(title) for title in {m["title"] for m in self.measures}}
            self._rows = {}
            for measure in self.measures:
                key = normal[measure["title"]]
                self._shown.setdefault(key, measure["title"])
                self._rows.setdefault(key, []).append(measure)
                self._in.setdefault((key, measure["municipality_code"]), []).append(measure)
        return self._rows

    def matching(self, title: str, code: str | None) -> list[dict]:
        """The measures called `title`, in the municipality `code` or (None) anywhere."""
        rows = self._index()
        key = norm(title)
        return rows.get(key, []) if code is None else self._in.get((key, code), [])

    def funded_in(self, matches: list[dict], year: int | None) -> list[dict]:
        """Those of one municipality's `matches` granted money in `year` (a line of that year)."""
        if year is None or self._follow_up is None or not matches:
            return []
        key = (matches[0]["municipality_code"], year)
        if key not in self._funded:
            rows = self._follow_up(*key)
            self._funded[key] = set(
                rows.measure_id[rows.granted_sek.notna() | rows.frame_id.notna()].dropna()
            )
        return [m for m in matches if m["item_id"] in self._funded[key]]

    def suggestion(self, title: str, code: str | None) -> str | None:
        """The closest title (in the municipality `code`, or anywhere), as written; None without one, and
        for every title after the first MAX_SUGGESTIONS: a file of thousands of unknown titles is not
        compared with thousands of titles each."""
        key = (norm(title), code)
        if key not in self._suggestions:
            if self.suggested >= MAX_SUGGESTIONS:
                return None
            self.suggested += 1
            rows = self._index()  # and the titles as written (_shown)
            if code not in self._among:
                among = list(rows) if code is None else sorted({t for t, c in self._in if c == code})
                self._among[code] = among if len(among) <= MAX_SUGGESTED_AMONG else []
            hint = difflib.get_close_matches(key[0], self._among[code], n=1, cutoff=0.6)
            self._suggestions[key] = self._shown[hint[0]] if hint else None
        return self._suggestions[key]


def municipality_list(names) -> str:
    """'Gävle, Malmö och Södertälje'; beyond SHOWN_MUNICIPALITIES the rest counted."""
    return lists.named(sorted(set(names)), SHOWN_MUNICIPALITIES)


def resolve_item(
    titles: Titles,
    by_id: dict,
    texts: dict,
    code: str | None,
    line: int,
    problem,
    suggest: bool = True,
    scope: tuple[str, str] | None = None,
    year: int | None = None,
):
    """The measure (or line) a row reports on: by Insats-id, else by title: within the row's municipality
    (`code`), else within the page's (`scope`, which then is `code` too), else across all the data, where
    the title must belong to one municipality only. Several measures of one municipality called so (its
    file of each year makes its own): the one granted money in the row's `year`, if only one was. The
    closest title is suggested unless `suggest` is False."""
    if texts["measure_id"]:
        found = by_id.get(texts["measure_id"])
        if found is None:
            problem(
                line,
                "measure_id",
                texts["measure_id"],
                "ett Insats-id som finns (se bladet Insatser i Excelmallen)",
            )
            return None
        if code and not scope and found.municipality_code != code:
            problem(
                line,
                "measure_id",
                texts["measure_id"],
                f"en insats i kommunen på raden ({found.municipality} har den)",
            )
            return None
        return found._asdict()
    if not texts["measure"]:
        problem(line, "measure", "", "insatsens namn eller Insats-id")
        return None
    if code == "":
        return None  # the municipality's own problem is already recorded
    matches = titles.matching(texts["measure"], code)
    if len(matches) == 1:
        return dict(matches[0])
    places = {m["municipality_code"] for m in matches}
    if len(places) > 1:
        problem(
            line,
            "measure",
            texts["measure"],
            "ett namn som bara en kommun har; det finns i "
            + municipality_list(m["municipality"] for m in matches)
            + ". Lägg till kolumnen Kommun, eller läs in filen under Uppföljning med kommunen vald",
        )
        return None
    if len(matches) > 1 and len(in_year := titles.funded_in(matches, year)) == 1:
        return dict(in_year[0])  # one municipality's measures of other years
    if len(matches) > 1:
        ids = [m["item_id"] for m in matches]
        problem(
            line,
            "measure",
            texts["measure"],
            "ett namn som bara en insats i kommunen har; det finns flera ("
            + lists.named(ids, MAX_NAMED, last=None)
            + "). Ange Insats-id",
        )
        return None
    elsewhere = titles.matching(texts["measure"], None) if scope else []
    if elsewhere:  # the page's kommun is not the file's
        names = {m["municipality"] for m in elsewhere}
        places = municipality_list(names) if len(names) > 1 else next(iter(names))
        problem(
            line,
            "measure",
            texts["measure"],
            f"namnet på en insats i {scope[1]} (kommunen som är vald på sidan); namnet finns i {places}. "
            "Välj den kommunens ram på sidan, eller lägg till kolumnen Kommun",
        )
        return None
    shown = titles.suggestion(texts["measure"], code) if suggest else None
    where = (
        f"i {scope[1]} (kommunen som är vald på sidan)"
        if scope
        else "i kommunens data"
        if code
        else "i någon kommuns data"
    )
    problem(
        line,
        "measure",
        texts["measure"],
        f"namnet på en insats {where}" + (f". Menade du '{shown}'?" if shown else ""),
    )
    return None
