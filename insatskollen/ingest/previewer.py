"""Import, steps 1 and 3: read a file within bounds (reader), validate it (headers, validator) and
turn the good rows into a Preview: what will be imported, in Swedish columns, its totals per area and
nämnd, findings, and the rows for each data table. Nothing here writes."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from insatskollen.core import fmt, key_figures, lists, source_names
from insatskollen.core.schema import IMPORTED_DOCUMENT, TABLES
from insatskollen.core.source_names import norm
from insatskollen.ingest import follow_up_file, headers, plan_file, reader, reading, reference, validator
from insatskollen.ingest.follow_up_file import FollowUpPreview
from insatskollen.ingest.plan_file import PlanPreview
from insatskollen.ingest.reading import ReadResult
from insatskollen.store.db import Database

MAX_BYTES_ENV = "INSATSKOLLEN_IMPORT_MAX_BYTES"
DEFAULT_MAX_BYTES = 5_000_000


@dataclass
class Preview:
    file: str
    rows: pd.DataFrame  # what will be imported, Swedish column names
    by_area: pd.DataFrame
    by_committee: pd.DataFrame
    findings: list[str]
    tables: dict[str, pd.DataFrame]  # rows for imported.<table>
    municipality_years: list[tuple[str, str, int]]  # (code, name, year)
    replaces: list[tuple[str, int]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # an Excel file's sheets, to choose from
    sheet: str | None = None  # the sheet that was read
    kind: str = "measures"  # FollowUpPreview says "follow_up"


def max_bytes() -> int:
    try:
        return int(os.environ.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def read_rows(name: str, data: bytes, sheet: str | None = None) -> ReadResult:
    """Header and rows of a .csv or .xlsx file, read in the capped child process (reader.read_bounded),
    never in this process; DataError when broken or too costly."""
    return reader.read_bounded(name, data, max_bytes(), sheet)


def preview(
    db: Database, name: str, data: bytes, sheet: str | None = None, within: str | None = None
) -> Preview | FollowUpPreview | PlanPreview:
    """Read (in the capped child process) and validate a file without writing anything; DataError lists
    the problems (the first errors.MAX_COLLECTED, all counted). A follow-up file (recognised by its
    headers, follow_up_file) gives a FollowUpPreview; `within` (a municipality code, Uppföljning's)
    narrows its titles; a plan file (plan_file) a PlanPreview. The Importera page and the CLI both come here."""
    read = read_rows(name, data, sheet)
    header, body = read.header, read.body
    if plan_file.is_plan(header):  # before follow-up: a plan file has Insats-id too
        result = plan_file.preview(db, name, read)
        result.findings = reader.cap_findings(
            read.findings + validator.duplicate_rows(body) + result.findings
        )
        result.sheets, result.sheet = read.sheets, read.sheet
        return result
    if follow_up_file.is_follow_up(header):
        return follow_up_preview(db, name, read, within)
    columns = headers.check_header(name, header, body)
    good, frame_amounts = validator.validate_rows(db, name, header, body, columns, read.delimiter)
    cells = {key: reading.column_label(header, index) for key, index in columns.items()}
    result = _build_preview(db, name, good, frame_amounts, cells)
    result.findings[:0] = read.findings + validator.duplicate_rows(body)
    result.findings += source_findings(db, good, cells)
    result.findings += _reports_left_behind(db, result.municipality_years, result.rows)
    result.findings = reader.cap_findings(result.findings)
    result.sheets, result.sheet = read.sheets, read.sheet
    return result


def follow_up_preview(
    db: Database, name: str, read: ReadResult, within: str | None = None
) -> FollowUpPreview:
    """A read follow-up file validated (follow_up_file) with the reader's findings; DataError when
    invalid. `within`: the municipality code whose measures a title without Kommun is looked up in."""
    result = follow_up_file.preview(db, name, read, within)
    result.findings[:0] = read.findings + validator.duplicate_rows(read.body)
    result.findings = reader.cap_findings(result.findings)
    result.sheets, result.sheet = read.sheets, read.sheet
    return result


def _reports_left_behind(
    db: Database, municipality_years: list[tuple[str, str, int]], lines: pd.DataFrame
) -> list[str]:
    """Follow-up reports in force for measures this file replaces: imported ones of the same municipality
    and year, bundled ones of the same municipality, year and funding source (README: replacing). Replaced,
    those measures leave the data and their reports belong to no measure shown (undo brings them back), so
    the preview says it before anything is written."""
    if not municipality_years:
        return []
    codes = sorted({code for code, _name, _year in municipality_years})
    years = sorted({int(year) for _code, _name, year in municipality_years})
    wanted = {(code, int(year)) for code, _name, year in municipality_years}
    names = {code: name for code, name, _year in municipality_years}
    by_code = {name: code for code, name in names.items()}
    sources = {
        (by_code.get(m), int(y), s)
        for m, y, s in zip(lines["Kommun"], lines["År"], lines["Finansieringskälla"], strict=True)
    }
    rows = db.query("follow_up", municipality_codes=codes, years=years)
    reported = rows[rows.report_file.notna()]
    hit = [
        r
        for r in reported.itertuples()
        if (r.municipality_code, int(r.year)) in wanted
        and (  # imported: the whole municipality-year; bundled: per funding source
            str(r.measure_id if isinstance(r.measure_id, str) else r.allocation_id).startswith("imp-")
            or (r.municipality_code, int(r.year), r.funding_source) in sources
        )
    ]
    if not hit:
        return []
    places = ", ".join(sorted({f"{names[r.municipality_code]} {int(r.year)}" for r in hit}))
    return [
        f"{fmt.count_phrase(len(hit), 'uppföljningsrapport', 'uppföljningsrapporter')} för {places} gäller "
        "insatser som ersätts om filen importeras. Rapporterna sparas men hör då inte längre till någon "
        "insats som visas: importera uppföljningen igen för de nya insatserna (Ångra senaste import "
        "återställer allt)."
    ]


def _lines_text(lines: list[int]) -> str:
    """'Rad 3', 'Rad 3 och 5', 'Rad 3, 5 och 7' (at most 10 named, then a count)."""
    return "Rad " + lists.named(lines, 10, lambda rest: fmt.count_phrase(rest, "rad", "rader"))


def _bundled_kinds(db: Database) -> dict[str, str]:
    """The bundled funding sources (data/funding_sources.csv) and their kinds."""
    known = reference.reference(db, "funding_source")
    return dict(zip(known["value"], known["extra"], strict=True))


def own_sources(good: list[dict], bundled: dict[str, str]) -> dict[str, str]:
    """The funding sources of a file that are not bundled, in file order, with their kind (the first the
    file gives, else "okänd")."""
    out: dict[str, str] = {}
    for row in good:
        if row["source"] in bundled:
            continue
        if out.get(row["source"], validator.UNKNOWN_KIND) == validator.UNKNOWN_KIND:
            out[row["source"]] = row.get("source_kind") or validator.UNKNOWN_KIND
    return out


MAX_LISTED_SOURCES = 10  # own sources named in the preview's finding; the rest are counted
MAX_NEAR_MISSES = 10  # near misses of a bundled name given a "Menade du …?" each; the rest are counted
MAX_FRAME_FINDINGS = 20  # frames whose balance the preview explains one by one; the rest are counted


def source_findings(db: Database, good: list[dict], cells: dict[str, str]) -> list[str]:
    """What the preview says about the file's funding sources: an own name that is a near miss of a
    bundled one ("Menade du ”Statsbidrag Delmos”?", never a refusal; the first MAX_NEAR_MISSES, the rest
    counted), the own sources and their kinds, and a kind that contradicts a bundled source's. The rows
    are grouped once: 9 999 own sources cost one pass over the rows, not one pass per source."""
    bundled = _bundled_kinds(db)
    own = own_sources(good, bundled)
    lines_of: dict[str, list[int]] = {}
    for row in good:
        if row["source"] in own:
            lines_of.setdefault(row["source"], []).append(row["line"])
    choices = list(bundled)
    near_misses = [(s, near) for s in own if (near := source_names.near_bundled_source(s, choices))]
    findings = lists.capped(
        near_misses,
        MAX_NEAR_MISSES,
        show=lambda miss: (
            f"{_lines_text(lines_of[miss[0]])}, kolumn {cells['funding_source']}: ”{miss[0]}” är inte en av "
            f"de kända finansieringskällorna och importeras som en egen källa. Menade du ”{miss[1]}”?"
        ),
        more=lambda rest: (
            lists.further(
                fmt.count_phrase(rest, "egen källa", "egna källor"),
                f"i kolumn {cells['funding_source']} liknar en av de kända finansieringskällorna",
                MAX_NEAR_MISSES,
            )
            + " Kontrollera stavningen."
        ),
    )
    if own:
        listed = lists.named(
            list(own.items()),
            MAX_LISTED_SOURCES,
            lambda rest: fmt.count_phrase(rest, "källa", "källor"),
            show=lambda source_kind: f"”{source_kind[0]}” ({source_kind[1]})",
            last=None,
        )
        findings.append(
            f"Egna finansieringskällor i filen: {listed}. Typen anges i kolumnen Typ av finansiering "
            f"({', '.join(validator.FUNDING_KINDS)}); utan den är typen okänd."
        )
    findings += validator.kept_kind_findings(good, cells.get("funding_kind", ""), _lines_text)
    contradicted = {}
    for row in good:
        kind = row.get("source_kind")
        if row["source"] in bundled and kind not in (
            None,
            validator.UNKNOWN_KIND,
            bundled[row["source"]],
        ):
            contradicted.setdefault((row["source"], kind), []).append(row["line"])
    for (source, kind), lines in contradicted.items():
        findings.append(
            f"{_lines_text(lines)}, kolumn {cells['funding_kind']}: ”{kind}”, men {source} är "
            f"{bundled[source]} i Insatskollens förteckning; den typen gäller."
        )
    return findings


# keys a row carries beyond its table's columns, for the working store to know whose row it is
_TIES = {"funding_sources": ("municipality_code", "year_from", "year_to")}


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=next(t for t in TABLES if t.name == table).column_names)


def _frame_section(name: str, cells: dict[str, str], amount: int | None, line: int) -> str:
    """Where a frame's amount stands in the file: the row and column it was read from ('gävle.csv rad 2,
    kolumn D (Ram (kr))'), or that the file gives none."""
    if "frame_sek" not in cells:
        return f"{name} (filen har ingen kolumn för ramen)"
    if amount is None:
        return f"{name}, kolumn {cells['frame_sek']} (tom)"
    return f"{name} rad {line}, kolumn {cells['frame_sek']}"


def _rows_text(lines: list[dict], column: str, limit: int = 10) -> str:
    """'rad 3 (Läxhjälp), rad 5 (Jobbspår), kolumn H (Belopp (kr))': the cells a finding is about."""
    named = lists.named(
        lines,
        limit,
        lambda rest: fmt.count_phrase(rest, "rad", "rader"),
        show=lambda r: f"rad {r['line']} ({r['measure']})",
        last=None,
    )
    return f"{named}, kolumn {column}"


def _build_preview(
    db: Database, name: str, good: list[dict], frame_amounts: dict, cells: dict[str, str] | None = None
) -> Preview:
    cells = cells or {}
    amount_column = cells.get("amount_sek", "Belopp (kr)")
    stamp = uuid.uuid4().hex[:8]
    today = date.today().isoformat()
    known = set(reference.reference(db, "municipality")["key"])
    tables = {t.name: [] for t in TABLES}
    documents, frames, committees = {}, {}, {}
    for row in good:
        code = row["code"]
        if code not in known:
            known.add(code)
            tables["municipalities"].append({"municipality_code": code, "municipality": row["municipality"]})
        document_id = documents.get(code)
        if document_id is None:
            document_id = documents[code] = f"import-{stamp}-{code}"
            tables["documents"].append(
                {
                    "document_id": document_id,
                    "municipality_code": code,
                    "date": today,
                    "case_number": None,
                    "title": f"Importerad fil {name}",
                    "kind": IMPORTED_DOCUMENT,
                    "taken": f"{len(good)} rader importerade {today}",
                }
            )
        frame_key = (code, row["year"], row["source"])
        if frame_key not in frames:
            frame_id = frames[frame_key] = f"imp-{stamp}-f{len(frames) + 1}"
            amount, frame_line = frame_amounts.get(frame_key, (None, row["line"]))
            tables["frames"].append(
                {
                    "frame_id": frame_id,
                    "municipality_code": code,
                    "funding_source": row["source"],
                    "year_from": row["year"],
                    "year_to": row["year"],
                    "amount_sek": amount,
                    "amount_text": fmt.sek(amount) if amount is not None else "Anges inte i filen",
                    "source_document": document_id,
                    "source_section": _frame_section(name, cells, amount, frame_line),
                    "note": None,
                }
            )
        committee_id = None
        if row["committee"]:
            committee_key = (code, norm(row["committee"]))
            if committee_key not in committees:
                committees[committee_key] = f"imp-{stamp}-c{len(committees) + 1}"
                tables["committees"].append(
                    {
                        "committee_id": committees[committee_key],
                        "municipality_code": code,
                        "committee": row["committee"],
                        "administration": None,
                        "decision_label": row["committee"],
                        "source_document": document_id,
                        "source_section": f"{name} rad {row['line']}",
                    }
                )
            committee_id = committees[committee_key]
        measure_id = f"imp-{stamp}-m{row['line']}"
        cited = row["source_text"] or ""
        if row["case_number"] and row["case_number"] not in cited:
            cited = f"{cited}, dnr {row['case_number']}" if cited else f"dnr {row['case_number']}"
        section = f"{name} rad {row['line']}" + (f" ({cited})" if cited else "")
        tables["measures"].append(
            {
                "measure_id": measure_id,
                "municipality_code": code,
                "title": row["measure"],
                "description": row["description"],
                "committee_id": committee_id,
                "area_label": None,
                "primary_area": row["area"],
                "area_basis": "dokument" if row["area"] else None,
                "direction": None,
                "districts": None,
                "status": row["status"],
                "requested_sek": row["requested"],
                "requested_text": row["requested_text"] if row["requested"] is not None else None,
                "source_document": document_id,
                "source_section": section,
                "interpretation": f"Område enligt filen: {row['area_label']}"
                if row["area_label"] and row["area_label"] != row["area"]
                else None,
            }
        )
        tables["allocations"].append(
            {
                "allocation_id": f"imp-{stamp}-a{row['line']}",
                "frame_id": frames[frame_key],
                "year": row["year"],
                "measure_id": measure_id,
                "committee_id": None,
                "priority_area": None,
                "amount_sek": row["amount"],
                "status": None,
                "source_document": document_id,
                # the amount's own cell, so a finding about it points there (Datakvalitet, check)
                "source_section": f"{name} rad {row['line']}, kolumn {amount_column}"
                + (f"; källa: {row['source_text']}" if row["source_text"] else ""),
                "note": None,
            }
        )
    # the file's document carries its dnr: the one every row of the municipality gives, or each in turn
    numbers_of: dict[str, dict[str, None]] = {}  # code -> its distinct dnr in file order
    for r in good:
        if r["case_number"]:
            numbers_of.setdefault(r["code"], {})[r["case_number"]] = None
    for document in tables["documents"]:
        distinct = list(numbers_of.get(document["municipality_code"], {}))
        shown_numbers = ", ".join(distinct[:3]) + (" m.fl." if len(distinct) > 3 else "")
        document["case_number"] = shown_numbers or None
    shown = pd.DataFrame(
        {
            "Rad": [r["line"] for r in good],
            "Kommun": [r["municipality"] for r in good],
            "År": [r["year"] for r in good],
            "Finansieringskälla": [r["source"] for r in good],
            "Nämnd": [r["committee"] for r in good],
            "Insats": [r["measure"] for r in good],
            "Område": [r["area"] for r in good],
            "Belopp (kr)": [r["amount"] for r in good],
            "Status": [r["status"] for r in good],
            "Dnr": [r["case_number"] for r in good],
        }
    )
    by_area = (
        shown.groupby(shown["Område"].fillna("Inget område angivet"), dropna=False)["Belopp (kr)"]
        .sum(min_count=1)
        .reset_index()
    )
    by_committee = (
        shown.groupby(shown["Nämnd"].fillna("Ingen nämnd angiven"))["Belopp (kr)"]
        .sum(min_count=1)
        .reset_index()
    )
    # the rows of each frame, grouped once: a file of 9 999 frames is one pass, not 9 999 passes
    rows_of: dict[tuple, list[dict]] = {}
    for r in good:
        rows_of.setdefault((r["code"], r["year"], r["source"]), []).append(r)
    to_say = []  # frames with something to say: the first MAX_FRAME_FINDINGS written, the rest counted
    for code, year, source in frames:
        amount, frame_line = frame_amounts.get((code, year, source), (None, 0))
        lines = rows_of[(code, year, source)]
        total = sum(r["amount"] or 0 for r in lines)
        missing = [r for r in lines if r["amount"] is None]
        unknown = len(missing)
        # the one rule of the headline figures (insatskollen.core.key_figures.Balance), in the same words
        balance = key_figures.Balance(amount, total, len(lines), unknown)
        said = balance.state in (
            key_figures.OVER_ALLOCATED,
            key_figures.UNALLOCATED,
            key_figures.PARTLY_KNOWN,
        )
        if said or unknown:
            to_say.append(
                (f"{lines[0]['municipality']} {year}, {source}", amount, frame_line, missing, balance, said)
            )

    def frame_finding(frame: tuple) -> str:
        label, amount, frame_line, missing, balance, said = frame
        without = f" Belopp saknas på {_rows_text(missing, amount_column)}." if missing else ""
        if said:
            frame_cell = ""
            if amount is not None and "frame_sek" in cells:
                frame_cell = f" (ramen: rad {frame_line}, kolumn {cells['frame_sek']})"
            return f"{label}{frame_cell}: {balance.clause(fmt.sek)}{without}"
        return (
            f"{label}: {fmt.count_phrase(len(missing), 'rad saknar', 'rader saknar')} belopp (okänt, inte noll):"
            f" {_rows_text(missing, amount_column)}."
        )

    findings = lists.capped(
        to_say,
        MAX_FRAME_FINDINGS,
        show=frame_finding,
        more=lambda rest: lists.further(
            fmt.count_phrase(rest, "ram", "ramar"),
            "är inte fördelade precis eller har rader utan belopp",
            MAX_FRAME_FINDINGS,
        ),
    )
    bundled = _bundled_kinds(db)
    kinds = own_sources(good, bundled)
    lines_of: dict[tuple, list[int]] = {}
    years_of: dict[tuple, list[int]] = {}
    for r in good:
        lines_of.setdefault((r["code"], r["source"]), []).append(r["line"])
        years_of.setdefault((r["code"], r["source"]), []).append(r["year"])
    for code, source in dict.fromkeys((r["code"], r["source"]) for r in good if r["source"] in kinds):
        # municipality_code and the years are not columns of funding_sources: they tie the row to the
        # municipality whose import names it, which the working store supersedes it with (README: import)
        tables["funding_sources"].append(
            {
                "funding_source": source,
                "kind": kinds[source],
                "description": f"Egen finansieringskälla, namngiven i {name} "
                + _lines_text(lines_of[(code, source)]).lower()
                + (f", kolumn {cells['funding_source']}" if "funding_source" in cells else ""),
                "municipality_code": code,
                "year_from": min(years_of[(code, source)]),
                "year_to": max(years_of[(code, source)]),
            }
        )
    frames_out = {
        k: (pd.DataFrame(v, columns=[*_empty(k).columns, *_TIES.get(k, ())]) if v else _empty(k))
        for k, v in tables.items()
    }
    years = sorted({(r["code"], r["municipality"], r["year"]) for r in good})
    return Preview(name, shown, by_area, by_committee, findings, frames_out, years)


def total_text(amounts: pd.Series) -> str:
    """A sum of the preview's amounts in the one rule's words (key_figures.Balance): '4 784 567 kr', 'minst
    4 784 567 kr' when some amount is unknown, 'okänt' when none is known. An unknown amount is never 0."""
    return key_figures.sum_of(amounts).allocated_text(fmt.sek)


def area_totals(preview: Preview) -> list[tuple[str, str]]:
    """(område, total_text) in the order of `preview.by_area`: 'minst …' for an area with an unknown line."""
    table = group_totals(preview.rows, "Område", preview.by_area)
    return list(table.itertuples(index=False, name=None))


def group_totals(rows: pd.DataFrame, column: str, groups: pd.DataFrame) -> pd.DataFrame:
    """`groups` (by_area or by_committee) with each group's Belopp as total_text, for the page and the CLI:
    '1 000 000 kr', 'minst 1 000 000 kr' or 'okänt'."""
    empty = {"Område": "Inget område angivet", "Nämnd": "Ingen nämnd angiven"}[column]
    keys = rows[column].fillna(empty)
    amounts = rows["Belopp (kr)"].groupby(keys, sort=False)  # grouped once: 9 999 nämnder, one pass
    labels = list(groups.iloc[:, 0])
    texts = {label: total_text(group) for label, group in amounts}
    return pd.DataFrame({column: labels, "Belopp (kr)": [texts[label] for label in labels]})
