"""`kolada fetch` and `kolada import`: a Kolada snapshot with its manifest, or an export file from
kolada.se, into the working store's indicator values (one undoable import per file).

A snapshot is `FILE` (JSON, see kolada.snapshot_document) plus `FILE.manifest.json`: fetch time, the
URLs answered, the KPI titles at fetch and the snapshot's sha256, checked on import.

An export file (.csv or .xlsx, read by the bounded reader, ingest/reader.py) has one row per KPI,
municipality and year, with the headers (any case) `Nyckeltal-id`, `Nyckeltal`, `Kommun-id`, `År`,
`Värde`, and optionally `Kommun`, `Kön` (only Totalt/T is kept), `Status`, `Enhet`. An empty value,
"-" or ".." is unknown, never zero. Every problem is reported at once and nothing is written on error.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from insatskollen.core.errors import DataError, Problem, Problems, os_reason
from insatskollen.ingest import kolada, population_file, previewer, reader, reading
from insatskollen.store import read_store
from insatskollen.store.db import DATA_DIR

MANIFEST_SUFFIX = ".manifest.json"
UNKNOWN_TEXT = {"", "-", "–", "..", "."}
HEADERS = {
    "kpi_id": ("nyckeltal-id", "nyckeltalsid", "kpi-id", "kpi", "id"),
    "kpi_title": ("nyckeltal", "titel", "kpi-titel"),
    "municipality_code": ("kommun-id", "kommunkod", "kommun-kod", "municipality"),
    "period": ("år", "period", "year"),
    "value": ("värde", "value"),
    "municipality_name": ("kommun",),
    "gender": ("kön", "gender"),
    "status": ("status",),
    "unit": ("enhet", "unit"),
}
REQUIRED = ("kpi_id", "kpi_title", "municipality_code", "period", "value")
GENDERS = {"t": "T", "totalt": "T", "total": "T", "k": "K", "kvinnor": "K", "m": "M", "män": "M"}


@dataclass
class Parsed:
    """What a file holds, ready for the working store."""

    file: str
    rows: list[dict]
    kpi_titles: dict[str, str]
    findings: list[str] = field(default_factory=list)


def heading(name: str) -> str:
    return f"Filen {name} kan inte importeras"


# ------------------------------------------------------------------ fetch (machines that reach Kolada)


def fetch(client: kolada.Client, kpis: list[str], codes: list[str], years: list[int], out: Path) -> dict:
    """Fetch from Kolada and write the snapshot and its manifest (each atomically). Returns the manifest."""
    titles = client.kpis(kpis)
    missing = [k for k in kpis if k not in titles]
    if missing:
        raise kolada.KoladaError(f"Kolada känner inte till nyckeltalet {', '.join(missing)}.")
    names = client.municipalities(codes)
    values = client.data(kpis, codes, years)
    body = json.dumps(kolada.snapshot_document(titles, names, values), ensure_ascii=False, indent=1).encode()
    manifest = {
        "fetched_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "source": kolada.SOURCE,
        "snapshot": out.name,
        "sha256": hashlib.sha256(body).hexdigest(),
        "urls": list(client.urls),
        "kpi_titles": titles,
        "values": len(values),
    }
    read_store.write_atomically(out, body)
    read_store.write_atomically(
        manifest_path(out), json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    )
    return manifest


def manifest_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + MANIFEST_SUFFIX)


# ------------------------------------------------------------------ reading


def read_file(path: Path) -> Parsed:
    """A snapshot (.json with its manifest) or an export file (.csv/.xlsx); DataError lists every problem."""
    name = path.name
    try:
        reading.check_size(name, path.stat().st_size, previewer.max_bytes())
        data = path.read_bytes()
    except OSError as error:
        raise DataError(
            [Problem(name, None, None, None, f"filen kan inte läsas ({os_reason(error)})")],
            heading(name),
        ) from None
    if name.lower().endswith(".json"):
        return read_snapshot(path, data)
    return read_export(name, data)


def read_snapshot(path: Path, data: bytes) -> Parsed:
    """A snapshot written by `fetch`, checked against its manifest's sha256."""
    name = path.name
    manifest_file = manifest_path(path)

    def fail(expected: str) -> DataError:
        return DataError([Problem(name, None, None, None, expected)], heading(name))

    try:
        if manifest_file.stat().st_size > MAX_MANIFEST_BYTES:
            raise fail(f"manifestet {manifest_file.name} är större än ett manifest kan vara (högst 1 MB)")
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise fail(f"manifestet {manifest_file.name} är inte ett manifest från kolada fetch")
    except OSError:
        raise fail(
            f"manifestet {manifest_file.name} saknas bredvid filen; hämta om med kolada fetch"
        ) from None
    except ValueError:
        raise fail(f"manifestet {manifest_file.name} är inte läsbar JSON") from None
    if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        raise fail(
            f"filens innehåll stämmer inte med kontrollsumman (sha256) i {manifest_file.name}; filen har ändrats "
            "efter hämtningen. Hämta om den med kolada fetch"
        )
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != kolada.SNAPSHOT_FORMAT:
            raise ValueError
        titles = {str(k): str(v) for k, v in manifest["kpi_titles"].items()}
        names = document.get("municipalities") or {}
        fetched = datetime.fromisoformat(manifest["fetched_at"]).astimezone(UTC).replace(tzinfo=None)
        source = (
            f"{kolada.SOURCE}, {name} (hämtad {manifest['fetched_at'][:10]}, manifest {manifest_file.name})"
        )
        rows = [
            {
                "kpi_id": v["kpi"],
                "kpi_title": titles[v["kpi"]],
                "municipality_code": v["municipality"],
                "municipality_name": names.get(v["municipality"]),
                "period": int(v["period"]),
                "gender": v.get("gender") or kolada.TOTAL,
                "value": None if v["value"] is None else float(v["value"]),
                "status": v.get("status") or None,
                "unit": None,
                "source": source,
                "fetched_at": fetched,
            }
            for v in document["values"]
        ]
    except (
        UnicodeDecodeError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OverflowError,
        RecursionError,
    ):
        raise fail("filen är inte en ögonblicksbild från kolada fetch (formatet känns inte igen)") from None
    problems = check_rows(name, [(index + 1, row) for index, row in enumerate(rows)], "värde nr")
    if problems:
        raise DataError(problems, heading(name))
    return Parsed(name, rows, titles)


def read_export(name: str, data: bytes) -> Parsed:
    """An export file from kolada.se (.csv or .xlsx), read in the bounded child process."""
    table = reader.read_bounded(name, data, previewer.max_bytes())
    header = [str(h or "").strip().lower() for h in table.header]
    if population_file.recognised(header):  # Kommun, År, Invånare: the population as Kolada's N01951
        return _population(name, table)
    where: dict[str, int] = {}
    for key, names in HEADERS.items():
        for alias in names:
            if alias in header:
                where[key] = header.index(alias)
                break
    problems = [
        Problem(name, 1, None, None, f"en kolumn med rubriken {HEADERS[key][0].capitalize()}")
        for key in REQUIRED
        if key not in where
    ]
    if problems:
        raise DataError(problems, heading(name))
    problems = Problems()  # the first errors.MAX_COLLECTED kept, all counted
    rows, titles, skipped, numbered = [], {}, 0, []
    source = f"{kolada.SOURCE}, exportfil {name}"
    for line, cells in table.body:

        def cell(key: str, cells=cells):
            index = where.get(key)
            if index is None or index >= len(cells) or cells[index] is None:
                return ""
            value = cells[index]
            return value if isinstance(value, int | float) else str(value).strip()

        def bad(key: str, expected: str, value, line=line) -> None:
            problems.append(Problem(name, line, table.header[where[key]], str(value), expected))

        kpi, title, code, year = cell("kpi_id"), cell("kpi_title"), cell("municipality_code"), cell("period")
        if not any(str(c or "").strip() for c in cells):
            continue
        if not re.fullmatch(r"[A-Z][0-9]{5}", str(kpi)):
            bad("kpi_id", "ett nyckeltals-id som N07403", kpi)
        if not str(title):
            bad("kpi_title", "nyckeltalets namn", title)
        elif titles.setdefault(str(kpi), str(title)) != str(title):
            bad("kpi_title", f'samma namn som på tidigare rader ("{titles[str(kpi)]}")', title)
        code = str(int(code)) if isinstance(code, float) and code.is_integer() else str(code)
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)  # Excel drops the leading zero of 0580
        if not re.fullmatch(r"[0-9]{4}", code):
            bad("municipality_code", "en kommunkod med fyra siffror, t.ex. 0580 (0000 för riket)", code)
        period = _year(year)
        if period is None:
            bad("period", "ett årtal med fyra siffror (0–9), t.ex. 2022", year)
        gender_text = str(cell("gender")).lower() or "t"
        gender = GENDERS.get(gender_text)
        if gender is None:
            bad("gender", "Totalt, Kvinnor eller Män (T, K, M)", cell("gender"))
        value = _number(cell("value"))
        if value is _BAD:
            bad("value", "ett tal (t.ex. 152,4) eller tomt om värdet saknas", cell("value"))
        if gender != kolada.TOTAL:
            skipped += 1
            continue
        numbered.append((line, len(rows)))
        rows.append(
            {
                "kpi_id": str(kpi),
                "kpi_title": str(title),
                "municipality_code": code,
                "municipality_name": str(cell("municipality_name")) or None,
                "period": period,
                "gender": kolada.TOTAL,
                "value": value,
                "status": str(cell("status")) or None,
                "unit": str(cell("unit")) or None,
                "source": source,
                "fetched_at": None,
            }
        )
    if not problems:  # the text and duplicate checks a snapshot gets too (formats were checked above)
        problems += check_rows(name, [(line, rows[i]) for line, i in numbered], "rad")
    if not rows and not problems:
        problems.append(Problem(name, None, None, None, "minst en rad med Kön Totalt (T)"))
    if problems:
        raise DataError(problems, heading(name))
    findings = list(table.findings)  # hidden rows, columns and values, other sheets: as the main import says
    if skipped:
        findings.append(f"Rader för kvinnor eller män importeras inte, bara Totalt: {skipped} st.")
    return Parsed(name, rows, titles, reader.cap_findings(findings))


def _population(name: str, table) -> Parsed:
    """A plain population file's rows, checked as an export's are; every problem at once, nothing on error."""
    numbered, problems = population_file.rows(name, table, _year)
    if not problems:
        problems = check_rows(name, numbered, "rad")
    if not numbered and not problems:
        problems = [Problem(name, None, None, None, "minst en rad med kommun, år och invånare")]
    if problems:
        raise DataError(list(problems), heading(name))
    rows = [row for _line, row in numbered]
    titles = {rows[0]["kpi_id"]: rows[0]["kpi_title"]}
    return Parsed(name, rows, titles, reader.cap_findings(list(table.findings)))


_BAD = object()


def _year(value) -> int | None:
    """A year 1900–2100 written with the digits 0–9 (Excel's number 2022 or 2022.0 too); None for anything
    else. float() and int() would take '٢٠٢٢', '２０２２', '2_022' and '2.022e3' as 2022."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value if 1900 <= value <= 2100 else None
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        return None
    return int(text) if 1900 <= int(text) <= 2100 else None


@cache
def municipality_codes() -> frozenset[str]:
    """Sweden's 290 municipality codes (SCB, data/sweden_municipalities.csv) and Kolada's 0000 for Riket."""
    with (DATA_DIR / "sweden_municipalities.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["municipality_code"] for row in csv.DictReader(handle)}
    return frozenset(codes | {kolada.COUNTRY_CODE})


def _number(value):
    """A value as float; unknown (empty, '-', '..') is None, never 0; text that is no number is _BAD."""
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else _BAD
    text = str(value).replace("\u00a0", "").replace(" ", "")
    if text in UNKNOWN_TEXT:
        return None
    if re.fullmatch(r"-?[0-9]{1,15}([,.][0-9]{1,15})?", text):  # a 400-digit number is no key figure
        return float(text.replace(",", "."))
    return _BAD


MAX_MANIFEST_BYTES = 1_000_000
# control characters and the invisible direction marks that can turn a title around on screen
_HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# what a spreadsheet runs as a formula (=) or a function (@) when the text is opened there
_FORMULA_START = ("=", "@")
# in a title or a name also + - | (a formula or a DDE call to Excel), full-width ＝＋－＠｜ too (NFKC)
_NAME_FORMULA_START = ("=", "@", "+", "-", "|")
_NAMES = ("kpi_title", "municipality_name")


def check_rows(name: str, numbered: list[tuple[int, dict]], where: str) -> Problems:
    """What every imported value must be, from a snapshot or an export: a KPI id, a four-digit code, a year
    1900–2100, a finite value or unknown, text without hidden characters, one value per KPI, municipality,
    year and gender. Problems name the file, the line (or the value's number) and the field; the first
    errors.MAX_COLLECTED are kept, all are counted."""
    problems = Problems()

    def bad(line: int, field: str, value, expected: str) -> None:
        shown = _HIDDEN.sub("?", str(value))[:60]
        problems.append(
            Problem(
                name,
                line if where == "rad" else None,
                field,
                shown,
                f"{expected} ({where} {line})" if where != "rad" else expected,
            )
        )

    seen: dict[tuple, int] = {}
    for line, r in numbered:
        if not re.fullmatch(r"[A-Z][0-9]{5}", str(r["kpi_id"])):
            bad(line, "Nyckeltal-id", r["kpi_id"], "ett nyckeltals-id som N07403")
        if not re.fullmatch(r"[0-9]{4}", str(r["municipality_code"])):
            bad(line, "Kommun-id", r["municipality_code"], "en kommunkod med fyra siffror (0000 för riket)")
        elif r["municipality_code"] not in municipality_codes():
            bad(
                line,
                "Kommun-id",
                r["municipality_code"],
                "en kommunkod som finns bland Sveriges 290 kommuner (SCB:s förteckning), eller 0000 för riket",
            )
        period = r["period"]
        if not isinstance(period, int) or not 1900 <= period <= 2100:
            bad(line, "År", period, "ett årtal 1900–2100")
        value = r["value"]
        if value is not None and (not isinstance(value, float) or not math.isfinite(value)):
            bad(line, "Värde", value, "ett ändligt tal, eller tomt om värdet saknas")
        for label, key in (
            ("Nyckeltal", "kpi_title"),
            ("Kommun", "municipality_name"),
            ("Status", "status"),
            ("Enhet", "unit"),
        ):
            text = r.get(key)
            if text is not None and (_HIDDEN.search(str(text)) or len(str(text)) > 300):
                bad(
                    line, label, text, "text utan styrtecken eller osynliga riktningstecken, högst 300 tecken"
                )
            elif text is not None and key in _NAMES and _starts_formula(str(text), _NAME_FORMULA_START):
                bad(
                    line,
                    label,
                    text,
                    "text som inte börjar med =, @, +, - eller | (ett kalkylprogram kör sådan text som formel)",
                )
            elif text is not None and _starts_formula(str(text), _FORMULA_START):
                bad(
                    line,
                    label,
                    text,
                    "text som inte börjar med = eller @ (ett kalkylprogram kör sådan text som formel)",
                )
        if r["gender"] not in ("T", "K", "M"):
            bad(line, "Kön", r["gender"], "T, K eller M")
        key = (r["kpi_id"], r["municipality_code"], r["period"], r["gender"])
        if key in seen:
            bad(
                line,
                "Nyckeltal-id",
                r["kpi_id"],
                f"ett värde per nyckeltal, kommun, år och kön (samma som {where} {seen[key]})",
            )
        else:
            seen[key] = line
    return problems


def _starts_formula(text: str, starts: tuple[str, ...]) -> bool:
    """Whether `text`, leading spaces aside and full-width forms read as ASCII (＝ as =), starts with one
    of `starts`."""
    return unicodedata.normalize("NFKC", text).lstrip().startswith(starts)


# ------------------------------------------------------------------ import


def commit(work, parsed: Parsed, author) -> str:
    """Write one import, unless a KPI's title differs from the values already imported: then stop and say
    so (Kolada may have changed what the KPI measures). Returns the import id."""
    known = {kpi: title for kpi, (title, _source) in work.indicator_titles().items()}
    changed = kolada.changed_titles(known, parsed.kpi_titles)
    if changed:
        raise DataError(
            [Problem(parsed.file, None, None, None, line) for line in changed],
            heading=f"Filen {parsed.file} importeras inte: ett nyckeltal har bytt namn sedan förra importen. "
            "Om den nya definitionen ska gälla: ångra importen med det gamla namnet (Ångra senaste import "
            "under Importera, eller undo-import) och importera sedan den nya filen",
        )
    return work.commit_indicator_import(
        file=parsed.file, author=author, rows=parsed.rows, action="import nyckeltal från Kolada"
    )
