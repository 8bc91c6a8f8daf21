"""What a deck says about who gets the money and where its numbers come from: recipients counted by kind
('11 nämnder', '2 kontor'), frame titles, the filters as a scope, and the citations under each slide."""

from __future__ import annotations

import re

import pandas as pd

from insatskollen.core import fmt, schema
from insatskollen.core.filters import Filters, listed

# What a count of decision recipients calls them, by committees.kind (data/committees.csv).
KIND_WORDS = {
    "nämnd": ("nämnd", "nämnder"),
    "kontor": ("kontor", "kontor"),
    "förvaltning": ("förvaltning", "förvaltningar"),
}
ANY_RECIPIENT = ("mottagare", "mottagare")


def frame_title(source: str, years: str) -> str:
    """'Egna medel, KF budget 2025 · 2025': the year apart from the funding source, whose own name may end in a
    year ('… KF budget 2025 2025' read as a doubled year)."""
    return f"{source} · {years}"


def recipients(kinds: list[str | None], unnamed: int = 0) -> str:
    """'2 kontor', '11 nämnder' for recipients of one recorded kind; 'N mottagare' where the kinds differ or
    are not recorded; rows naming no recipient are counted apart ('… och 1 rad utan angiven nämnd')."""
    words = KIND_WORDS.get(kinds[0]) if kinds and len(set(kinds)) == 1 else None
    text = fmt.count_phrase(len(kinds), *(words or ANY_RECIPIENT)) if kinds else ""
    if unnamed:
        rest = fmt.count_phrase(unnamed, "rad utan angiven nämnd", "rader utan angiven nämnd")
        text = f"{text} och {rest}" if text else rest
    return text


def kinds_of(db) -> dict[tuple[str, str], str | None]:
    """(municipality, nämnd or kontor as named) -> its kind, None where not recorded or ambiguous."""
    out: dict[tuple[str, str], str | None] = {}
    for r in db.query("committee_kinds").itertuples():
        key, kind = (r.municipality, r.committee), (r.kind if isinstance(r.kind, str) else None)
        out[key] = kind if out.get(key, kind) == kind else None
    return out


def citations(db, filters: Filters, documents: pd.DataFrame | None = None) -> tuple[str, ...]:
    """One line per document the amounts in these filters come from, naming every heading or table used:
    'title (kommun, dnr X, date) – heading; table'. The lines' own sources, the decision table that names
    their nämnder, and the frame's source (query deck_sources). `documents` (query documents) saves a deck
    with a slide per decision from reading every document's counts again for each slide."""
    return _cited(
        db.query("deck_sources", **filters.params()),
        db.query("documents") if documents is None else documents,
    )


def citations_by_frame(
    db, filters: Filters, documents: pd.DataFrame
) -> dict[tuple[str, int, str], tuple[str, ...]]:
    """`citations` of every frame-year in these filters, keyed (municipality, year, funding source), in one
    query: what each decision slide cites, as `citations` with the filters narrowed to its frame-year would
    say it (a national deck asked once per slide, ~40 queries for one municipality)."""
    rows = db.query("deck_sources_by_frame", **filters.params())
    return {
        (municipality, int(year), source): _cited(group, documents)
        for (municipality, year, source), group in rows.groupby(
            ["municipality", "year", "funding_source"], sort=False
        )
    }


def _cited(rows: pd.DataFrame, documents: pd.DataFrame) -> tuple[str, ...]:
    docs = documents.set_index("document_id")
    # an imported file's nämnd cites the first row that named it, not a row of these amounts: left out
    imported = set(docs.index[docs.kind == schema.IMPORTED_DOCUMENT])
    rows = rows[~((rows.kind == 2) & rows.document_id.isin(imported))]
    out = []
    for document_id, group in rows.groupby("document_id", sort=False):
        if document_id not in docs.index:
            continue
        d = docs.loc[document_id]
        case = f", dnr {d.case_number}" if isinstance(d.case_number, str) else ""
        sections = "; ".join(
            compact_sections([str(x) for x in group.section if isinstance(x, str)], d.case_number)
        )
        out.append(f"{d.title} ({d.municipality}{case}, {d.date})" + (f" – {sections}" if sections else ""))
    return tuple(out)


# An imported file's cell: "gavle.xlsx rad 2, kolumn K (Belopp (kr)); källa: dnr KS 2025/0123" (import_preview)
_FILE_CELL = re.compile(r"^(?P<file>.+?) rad (?P<row>\d+)(?:, kolumn [^;]*?)?(?:; källa: (?P<cited>.+))?$")


def compact_sections(sections: list[str], case_number=None) -> list[str]:
    """The headings a deck cites, with an imported file's cells as its rows: 'gavle.xlsx rad 2–5, 9' instead of
    one entry per cell; a row's cited source is kept unless it is the document's own dnr (said before)."""
    out: dict[str, None] = {}
    rows: dict[str, set[int]] = {}
    cited: dict[str, dict[str, None]] = {}
    own = f"dnr {case_number}" if isinstance(case_number, str) else None
    for section in sections:
        match = _FILE_CELL.match(section)
        if match is None:
            out[section] = None
            continue
        name = match["file"]
        out.setdefault(name, None)
        rows.setdefault(name, set()).add(int(match["row"]))
        if match["cited"] and match["cited"] not in (own, case_number):
            cited.setdefault(name, {})[match["cited"]] = None
    return [
        f"{s} rad {_ranges(sorted(rows[s]))}" + (f"; källa: {', '.join(cited[s])}" if cited.get(s) else "")
        if s in rows
        else s
        for s in out
    ]


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 5, 9] -> '2–5, 9'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def committee_count(rows: pd.DataFrame, kinds: dict[tuple[str, str], str | None]) -> str:
    """'11 nämnder', '2 kontor' (committees.kind), and the decision table's own row count where the document
    splits a nämnd in two (Malmö: Grundskolenämnden and Grundskolenämnden avseende den gemensamma
    skolförvaltningen)."""
    named = rows.dropna(subset=["committee"]).drop_duplicates("committee")
    unnamed = int(rows.committee.isna().any())
    text = recipients([kinds.get((r.municipality, r.committee)) for r in named.itertuples()], unnamed)
    return text if len(named) + unnamed == len(rows) else f"{text} ({len(rows)} rader i beslutstabellen)"


def scope_text(filters: Filters) -> str:
    parts = [
        listed(getattr(filters, k))
        for k in ("municipalities", "years", "funding_sources", "committees", "areas", "statuses")
        if getattr(filters, k)
    ]
    return " · ".join(parts) or "Alla kommuner, år och områden"


def document_titles(db, documents: pd.DataFrame | None = None) -> dict[str, str]:
    """Each source document's title by its stored file's name ('002_6537151171d9247a.txt')."""
    docs = db.query("documents") if documents is None else documents
    return dict(zip(docs.document_id, docs.title, strict=True))
