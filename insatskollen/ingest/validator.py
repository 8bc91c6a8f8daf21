"""Import, step 2: validate every row of a measures file against the reference data (Sweden's
municipalities, funding sources, statuses, area labels), collecting every problem at once, in Swedish,
with suggestions. The header row is headers', the rules for one cell cells'. Nothing here writes."""

from __future__ import annotations

import re
from collections.abc import Callable

from insatskollen.core import case_number, fmt, lists
from insatskollen.core.amounts import AmountError, parse_amount
from insatskollen.core.errors import DataError
from insatskollen.core.source_names import norm
from insatskollen.ingest.cells import (
    MAX_TEXT,
    RowChecker,
    suggestion,
    text_refusal,
    year_of,
)
from insatskollen.ingest.reference import municipality_directory, reference, resolve_municipality
from insatskollen.store.db import Database

# Texts that may hold line breaks (Beskrivning); every other text is one line (text_refusal)
MULTILINE = {"description"}
MAX_SOURCE = 120  # a funding source's name: any name, the municipality's own words, at most this long
# What kind of money a funding source is; "okänd" when the file does not say. The words a file may use
# (Swedish, and English as the headers accept English), normalised by norm().
FUNDING_KINDS = ("statsbidrag", "egna medel", "annat")
UNKNOWN_KIND = "okänd"
KIND_WORDS = {
    "statsbidrag": "statsbidrag",
    "state grant": "statsbidrag",
    "egna medel": "egna medel",
    "eget": "egna medel",
    "egna": "egna medel",
    "own funds": "egna medel",
    "annat": "annat",
    "annan": "annat",
    "other": "annat",
    "okänd": UNKNOWN_KIND,
    "unknown": UNKNOWN_KIND,
}
# a Dnr column and a dnr found in the Källa are capped alike
LIMITS = {"description": 2000, "funding_source": MAX_SOURCE, "case_number": case_number.MAX_LENGTH}
# The columns read as text (RowChecker.texts), in this order
TEXTS = (
    "municipality",
    "municipality_code",
    "funding_source",
    "funding_kind",
    "committee",
    "measure",
    "description",
    "area",
    "status",
    "source",
    "case_number",
)


def _area_lookup(db: Database) -> tuple[dict, list[str]]:
    labels = list(reference(db, "area_label")[["key", "value", "extra"]].itertuples(index=False, name=None))
    labels = [(code, label, area if isinstance(area, str) else None) for code, label, area in labels]
    lookup = {(code, norm(label)): area for code, label, area in labels}
    return lookup, sorted({label for _, label, _ in labels} | {a for *_, a in labels if a})


def _area_suggestion(value: str, labels: list[str], lookup: dict) -> str:
    """'Bostad' -> 'Boende': a label containing the word, else the closest label."""
    word = norm(value)
    for (_, label), area in lookup.items():
        if area and re.search(rf"\b{re.escape(word)}\b", label):
            return f" Menade du '{area}'?"
    return suggestion(value, labels)


MAX_NAMED_COPIES = 10  # copies of one row named by number; the rest are counted


def duplicate_rows(body: list[tuple[int, list]]) -> list[str]:
    """Rows that repeat an earlier row exactly: imported as they are, but said, one finding per repeated
    row (at most MAX_NAMED_COPIES copies named, the rest counted): 9 999 copies are one line, not 9 999."""
    seen: dict[tuple, int] = {}
    copies: dict[int, list[int]] = {}
    for line, row in body:
        key = tuple(str(c).strip() for c in row)
        if key in seen:
            copies.setdefault(seen[key], []).append(line)
        else:
            seen[key] = line
    found = []
    for original, lines in sorted(copies.items(), key=lambda item: item[1][0]):
        if len(lines) == 1:
            found.append(
                f"Rad {lines[0]} är en exakt kopia av rad {original}; båda importeras. "
                "Ta bort den ena om den är dubbel."
            )
            continue
        listed = lists.named(lines, MAX_NAMED_COPIES, lambda rest: fmt.count_phrase(rest, "rad", "rader"))
        found.append(
            f"Raderna {listed} ({fmt.count_phrase(len(lines), 'rad', 'rader')}) är exakta kopior av rad {original}; alla importeras. "
            "Ta bort dem som är dubbla."
        )
    return found


def kept_kind_findings(good: list[dict], column: str, lines_text: Callable[[list[int]], str]) -> list[str]:
    """What the preview says when a file gives an own source another kind than an earlier import did
    (validate_rows keeps the first): "Rad 2, kolumn D (Typ av finansiering): ”Trygghetsmiljonen” finns
    redan som egna medel (Gävle); filen anger statsbidrag. …". `column`: the kind column as the preview
    names it; `lines_text`: how it names rows ("Rad 2", "Rad 2 och 5")."""
    lines: dict[tuple, list[int]] = {}
    for row in good:
        if row.get("kept_kind"):
            lines.setdefault((row["source"], *row["kept_kind"]), []).append(row["line"])
    found = []
    for (source, given, kept, where), rows in lines.items():
        found.append(
            f"{lines_text(rows)}, kolumn {column}: ”{source}” finns redan som {kept}"
            + (f" ({where})" if where else "")
            + f"; filen anger {given}. En finansieringskälla har en typ: {kept} gäller."
        )
    return found


def _derived_case_number(source: str) -> str | None:
    """The dnr a Källa gives (case_number.case_number_in), held to the Dnr column's checks; None when
    it would be refused there."""
    found = case_number.case_number_in(source)
    if found is None or len(found) > case_number.MAX_LENGTH or text_refusal(found):
        return None
    return found


def validate_rows(
    db: Database, name: str, header, body, columns, delimiter: str | None = None
) -> tuple[list[dict], dict]:
    """Every row checked against the reference data; (good rows, frame amounts) or DataError with the
    problems (the first errors.MAX_COLLECTED kept, all counted). A text over its limit is refused before
    any matching, and once no more problems are kept no suggestion is computed: a file of 40 000 cells of
    5 000 characters costs a length check per cell, not a fuzzy match. `delimiter`: the CSV's (None for
    .xlsx), for field_count_problem."""
    municipalities = dict(reference(db, "municipality")[["key", "value"]].itertuples(index=False, name=None))
    directory = municipality_directory(db, municipalities)
    statuses = list(reference(db, "status")["value"])
    # normalised once, not per row: a 10 000-row file of wrong values normalised them 170 000 times.
    # A funding source may be any name; one that equals a name the data knows (bundled first, then one
    # imported before) after normalising ("statsbidrag  delmos") is written as the data writes it, and the
    # first spelling in the file of a new name is used for its other spellings.
    imported_sources = reference(db, "imported_funding_source")
    known_sources = [*reference(db, "funding_source")["value"], *imported_sources["value"]]
    # an own source imported before keeps the kind it was given when another municipality's file gives
    # another (the read store keeps the latest kind, so the kept one is written): (kind, who names it)
    imported_kind = {
        value: (kind, where)
        for where, value, kind in imported_sources[["key", "value", "extra"]].itertuples(index=False)
        if kind in FUNDING_KINDS
    }
    source_by_norm = {norm(s): s for s in reversed(known_sources)}  # reversed: the first of equals wins
    kind_of: dict[str, tuple[str, int]] = {}  # funding source -> (kind the file gives, its first line)
    status_by_norm = {norm(s): s for s in reversed(statuses)}
    areas, area_labels = _area_lookup(db)
    checker = RowChecker(name, header, columns)
    problems, cell, problem = checker.problems, checker.cell, checker.problem
    good = []
    frame_amounts: dict[tuple, tuple[int | None, int]] = {}

    for line, row in body:
        if checker.wrong_fields(line, row, delimiter):
            continue
        before = len(problems)
        # fields refused as text (unmatched): not looked up, not suggested for
        texts, unmatched = checker.texts(
            row, line, TEXTS, lambda key: LIMITS.get(key, MAX_TEXT), MULTILINE, repaired=True
        )
        if unmatched & {"municipality", "municipality_code"}:
            code, muni = "", ""
        else:
            code, muni = resolve_municipality(
                directory,
                cell(row, "municipality_code"),
                texts["municipality"],
                line,
                problem,
                suggest=not problems.full,
            )
        year_raw = cell(row, "year")
        year = year_of(year_raw)
        if year is None:
            problem(line, "year", year_raw, "ett årtal med fyra siffror (0–9) mellan 1990 och 2100")
        source = kind = None
        if "funding_source" in unmatched:
            pass
        elif not texts["funding_source"]:
            problem(
                line,
                "funding_source",
                "",
                "finansieringskällans namn, t.ex. Statsbidrag Delmos eller Egna medel",
            )
        else:
            source = source_by_norm.setdefault(norm(texts["funding_source"]), texts["funding_source"])
        if texts["funding_kind"] and "funding_kind" not in unmatched:
            kind = KIND_WORDS.get(norm(texts["funding_kind"]))
            if kind is None:
                problem(
                    line,
                    "funding_kind",
                    texts["funding_kind"],
                    "en typ av finansiering: "
                    + ", ".join(FUNDING_KINDS)
                    + " eller okänd (en tom cell är okänd)."
                    + (
                        ""
                        if problems.full
                        else suggestion(texts["funding_kind"], [*FUNDING_KINDS, UNKNOWN_KIND])
                    ),
                )
        if source and kind and kind != UNKNOWN_KIND:
            given = kind_of.setdefault(source, (kind, line))
            if given[0] != kind:
                problem(
                    line,
                    "funding_kind",
                    texts["funding_kind"],
                    f"samma typ som för {source} på rad {given[1]} ({given[0]}): en finansieringskälla har en typ",
                )
        kept_kind = (
            None  # (kind the file gives, kind kept, municipalities) when an earlier import's kind stands
        )
        if (
            source in imported_kind
            and kind in FUNDING_KINDS
            and kind != imported_kind[source][0]
            and imported_kind[source][1] not in ("", muni)  # a municipality may correct its own source
        ):
            kept_kind = (kind, *imported_kind[source])
            kind = imported_kind[source][0]
        if not texts["measure"]:
            problem(line, "measure", "", "insatsens namn")
        area = None
        if texts["area"] and "area" not in unmatched:
            key = norm(texts["area"])
            any_municipality = next((a for (_, label), a in areas.items() if label == key), "?")
            area = areas.get((code, key), areas.get((None, key), any_municipality))
            if area == "?":
                area = None
                problem(
                    line,
                    "area",
                    texts["area"],
                    "ett av de fem nationella områdena eller kommunens eget namn "
                    "på det."
                    + ("" if problems.full else _area_suggestion(texts["area"], area_labels, areas)),
                )
        status = status_by_norm.get(norm(texts["status"])) if texts["status"] else "föreslagen"
        if status is None and "status" not in unmatched:
            problem(
                line,
                "status",
                texts["status"],
                "en status: "
                + ", ".join(statuses)
                + "."
                + ("" if problems.full else suggestion(texts["status"], statuses)),
            )
        amounts = {}
        for key in ("amount_sek", "requested_sek", "frame_sek"):
            raw = cell(row, key)
            if raw in ("", None):
                amounts[key] = None
                continue
            try:
                amounts[key] = parse_amount(raw)
            except AmountError as error:
                problem(line, key, raw, f"ett belopp ({error})")
                amounts[key] = None
        if code and year and source:
            frame_key = (code, year, source)
            seen = frame_amounts.get(frame_key)
            if amounts["frame_sek"] is not None:
                if seen and seen[0] is not None and seen[0] != amounts["frame_sek"]:
                    problem(
                        line,
                        "frame_sek",
                        cell(row, "frame_sek"),
                        f"samma ram som på rad {seen[1]} ({fmt.sek(seen[0])})",
                    )
                elif not seen or seen[0] is None:
                    frame_amounts[frame_key] = (amounts["frame_sek"], line)
            else:
                frame_amounts.setdefault(frame_key, (None, line))
        if len(problems) == before:
            good.append(
                {
                    "line": line,
                    "code": code,
                    "municipality": muni,
                    "year": year,
                    "source": source,
                    "source_kind": kind,  # None: the file does not say
                    "kept_kind": kept_kind,
                    "source_typed": texts["funding_source"],
                    "committee": texts["committee"] or None,
                    "measure": texts["measure"],
                    "description": texts["description"] or texts["measure"],
                    "area_label": texts["area"] or None,
                    "area": area,
                    "status": status,
                    "amount": amounts["amount_sek"],
                    "requested": amounts["requested_sek"],
                    "requested_text": str(cell(row, "requested_sek")) or None,
                    "source_text": texts["source"] or None,
                    "case_number": texts["case_number"] or _derived_case_number(texts["source"]),
                }
            )
    if problems:
        raise DataError(problems, heading=f"Filen {name} kan inte importeras")
    return good, frame_amounts
