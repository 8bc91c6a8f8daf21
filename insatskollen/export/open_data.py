"""The allocations as open data (issue 26, item 3): a Frictionless Data Package of four CSV tables (allocation
lines, frames, measures, source documents), each with its Table Schema, the licence and publisher the
organisation configures, and on every row the source document and section it comes from.

`python -m insatskollen publish DIR [--kommun K]…` writes it into a folder; Källor offers the same package as a
zip. Amounts are whole kronor; an unknown amount is an empty cell (the schema's missing value), never 0. Text
goes through table_files.neutralise like every export, so no cell becomes a spreadsheet formula (a value that
starts with = + - @ gets a leading apostrophe; the bundled data has none).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from insatskollen.core import fmt
from insatskollen.core.organisation import LICENCES, Organisation
from insatskollen.export.table_files import neutralise

NAME = "insatskollen-fordelning"
TITLE = "Kommunernas pengar mot segregation: ramar, insatser och fördelning (Insatskollen)"
SOURCE_FIELDS = [
    ("source_document", "string", "Källdokument", "Id för dokumentet raden kommer från (tabellen sources)."),
    ("source_section", "string", "Avsnitt", "Avsnittet, tabellen eller raden i dokumentet där värdet står."),
]
BASIS_FIELDS = [
    ("basis", "string", "Grund", "dokument: som dokumentet skriver; tolkning: Insatskollens läsning av det."),
    ("basis_note", "string", "Tolkning", "Vad tolkningen består i, när grunden är tolkning."),
]


@dataclass(frozen=True)
class Table:
    name: str
    query: str
    title: str
    description: str
    fields: list[tuple[str, str, str, str]]  # (name, type, Swedish title, description)
    primary_key: list[str]
    foreign_keys: list[tuple[list[str], str, list[str]]]  # (fields, resource, its fields)


TABLES = [
    Table(
        "allocations",
        "publish_allocations",
        "Fördelning",
        "En rad per fördelningsrad och år. Belopp i hela kronor; tomt belopp betyder okänt, inte 0.",
        [
            ("allocation_id", "string", "Rad", "Fördelningsradens id."),
            ("frame_id", "string", "Ram", "Ramen pengarna kommer från (tabellen frames)."),
            ("year", "integer", "År", "Året raden gäller."),
            ("municipality_code", "string", "Kommunkod", "SCB:s fyrsiffriga kommunkod."),
            ("municipality", "string", "Kommun", ""),
            ("funding_source", "string", "Finansieringskälla", ""),
            ("committee", "string", "Nämnd", ""),
            ("administration", "string", "Förvaltning", ""),
            ("measure_id", "string", "Insats-id", "Insatsen (tabellen measures)."),
            ("measure", "string", "Insats", ""),
            ("priority_area", "string", "Prioriterat område", "Ett av de fem nationella områdena."),
            ("amount_sek", "integer", "Belopp (kr)", "Hela kronor för året; tomt = okänt."),
            ("status", "string", "Status", ""),
            *BASIS_FIELDS,
            *SOURCE_FIELDS,
        ],
        ["allocation_id", "year"],
        [
            (["frame_id", "year"], "frames", ["frame_id", "year"]),
            (["measure_id"], "measures", ["measure_id"]),
            (["source_document"], "sources", ["document_id"]),
        ],
    ),
    Table(
        "frames",
        "publish_frames",
        "Ramar",
        "En rad per ram och år: pengarna en finansieringskälla ger. Tomt belopp betyder okänt.",
        [
            ("frame_id", "string", "Ram", "Ramens id."),
            ("year", "integer", "År", ""),
            ("municipality_code", "string", "Kommunkod", ""),
            ("municipality", "string", "Kommun", ""),
            ("funding_source", "string", "Finansieringskälla", ""),
            ("funding_kind", "string", "Typ av finansiering", "statsbidrag, egna medel, annat eller okänd."),
            ("amount_sek", "integer", "Ram (kr)", "Hela kronor för året; tomt = okänt."),
            ("amount_text", "string", "Belopp som dokumentet skriver det", ""),
            *BASIS_FIELDS,
            *SOURCE_FIELDS,
        ],
        ["frame_id", "year"],
        [(["source_document"], "sources", ["document_id"])],
    ),
    Table(
        "measures",
        "publish_measures",
        "Insatser",
        "En rad per insats eller förslag.",
        [
            ("measure_id", "string", "Insats-id", ""),
            ("municipality_code", "string", "Kommunkod", ""),
            ("municipality", "string", "Kommun", ""),
            ("title", "string", "Insats", ""),
            ("committee", "string", "Nämnd", ""),
            ("administration", "string", "Förvaltning", ""),
            ("primary_area", "string", "Prioriterat område", ""),
            ("status", "string", "Status", ""),
            ("requested_sek", "integer", "Sökt belopp (kr)", "Tomt = okänt eller inte sökt."),
            ("year_from", "integer", "Från år", ""),
            ("year_to", "integer", "Till år", ""),
            *SOURCE_FIELDS,
        ],
        ["measure_id"],
        [(["source_document"], "sources", ["document_id"])],
    ),
    Table(
        "sources",
        "publish_sources",
        "Källdokument",
        "De offentliga dokument (eller importerade filer) som raderna kommer från.",
        [
            ("document_id", "string", "Källdokument", ""),
            ("municipality_code", "string", "Kommunkod", ""),
            ("municipality", "string", "Kommun", ""),
            ("title", "string", "Dokument", ""),
            ("kind", "string", "Typ", ""),
            ("date", "string", "Datum", "ÅÅÅÅ eller ÅÅÅÅ-MM-DD, så exakt som dokumentet är."),
            ("case_number", "string", "Dnr", "Diarienummer."),
        ],
        ["document_id"],
        [],
    ),
]


def _cell(value) -> str | int:
    """A CSV cell: empty for unknown (NULL/NaN/NA), whole numbers as digits, text neutralised."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    return neutralise(str(value))


def _csv(frame, fields) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f[0] for f in fields]
    writer.writerow(names)
    for row in frame[names].itertuples(index=False, name=None):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _schema(table: Table) -> dict:
    return {
        "fields": [
            {"name": name, "type": kind, "title": title, **({"description": text} if text else {})}
            for name, kind, title, text in table.fields
        ],
        "missingValues": [""],
        "primaryKey": table.primary_key,
        "foreignKeys": [
            {"fields": fields, "reference": {"resource": resource, "fields": theirs}}
            for fields, resource, theirs in table.foreign_keys
        ],
    }


def descriptor(organisation: Organisation, municipalities: tuple[str, ...], data_version: str | None) -> dict:
    """datapackage.json: the tables with their schemas, the licence and publisher, what was selected."""
    package: dict = {
        "name": NAME,
        "title": TITLE,
        "description": (
            "Ramar, insatser och fördelning per kommun, nämnd och nationellt prioriterat område, ur kommunernas "
            "offentliga dokument och egna filer. Varje rad anger sitt källdokument och avsnitt. "
            + ("Kommuner: " + ", ".join(municipalities) + "." if municipalities else "Alla kommuner i datan.")
        ),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": data_version or "",
        "resources": [
            {
                "name": t.name,
                "path": f"{t.name}.csv",
                "title": t.title,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(t),
            }
            for t in TABLES
        ],
    }
    if organisation.licence:
        title, url = LICENCES[organisation.licence]
        package["licenses"] = [{"name": organisation.licence, "title": title, "path": url}]
    publisher = organisation.publisher or organisation.name
    if publisher:
        package["contributors"] = [{"title": publisher, "role": "publisher"}]
    return package


@dataclass(frozen=True)
class Package:
    files: dict[str, bytes]  # datapackage.json and one CSV per table, by file name
    rows: dict[str, int]  # rows per table


def build(db, organisation: Organisation, municipalities: tuple[str, ...] = ()) -> Package:
    """The package for the municipalities (all when empty), from the read store `db` reads."""
    files, rows = {}, {}
    for table in TABLES:
        frame = db.query(table.query, municipalities=list(municipalities))
        files[f"{table.name}.csv"] = _csv(frame, table.fields)
        rows[table.name] = len(frame)
    meta = descriptor(organisation, municipalities, db.built_version())
    files["datapackage.json"] = (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return Package(files, rows)


def write(package: Package, folder: Path) -> None:
    """Write the package into `folder` (made if missing), each file atomically (a reader never sees half)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in package.files.items():
        temp = folder / f".{name}.tmp"
        temp.write_bytes(content)
        temp.replace(folder / name)


def as_zip(package: Package) -> bytes:
    """The package as one zip (Källor's download)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package.files.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_name(municipalities: tuple[str, ...]) -> str:
    """'insatskollen-oppna-data.zip' for all, '…-malmo.zip' for one municipality, '…-urval.zip' for several."""
    if len(municipalities) != 1:
        return f"insatskollen-oppna-data{'-urval' if municipalities else ''}.zip"
    return f"insatskollen-oppna-data-{fmt.file_slug(municipalities[0]) or 'kommun'}.zip"
