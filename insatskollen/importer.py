"""Import a municipality's own measures and budgets from CSV or Excel: one code path for the CLI
(`python -m insatskollen import FILE`) and the Importera page.

read (import_read) -> validate every row, all problems at once (import_validate) -> Preview
(import_preview) -> commit in one transaction of the working store, or undo the latest import
(import_store). A file that fails changes nothing. A follow-up file (Utfall, Genomförande: issue 15) is
recognised by its headers and goes the same way through import_follow_up. This module is the entry point the page and the
command line use, and holds the template.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from insatskollen.db import Database
from insatskollen.import_follow_up import TEMPLATE_HEADERS as FOLLOW_UP_HEADERS
from insatskollen.import_follow_up import FollowUpPreview
from insatskollen.import_follow_up import template_csv as follow_up_template_csv
from insatskollen.import_follow_up import template_xlsx as follow_up_template_xlsx
from insatskollen.import_preview import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    Preview,
    max_bytes,
    preview,
    read_rows,
)
from insatskollen.import_store import ReplaceNeeded, commit, conflicts, undo_last
from insatskollen.import_validate import (
    FUNDING_KINDS,
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADERS,
    column_aliases,
    reference,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FOLLOW_UP_HEADERS",
    "MAX_BYTES_ENV",
    "FollowUpPreview",
    "TEMPLATE_EXAMPLE",
    "TEMPLATE_HEADERS",
    "Preview",
    "ReplaceNeeded",
    "column_aliases",
    "commit",
    "conflicts",
    "follow_up_template_csv",
    "follow_up_template_xlsx",
    "max_bytes",
    "preview",
    "read_rows",
    "template_csv",
    "template_xlsx",
    "undo_last",
]


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(db: Database) -> bytes:
    from insatskollen import exports

    allowed = pd.DataFrame(
        {
            "Område": pd.Series(list(reference(db, "priority_area")["value"])),
            "Status": pd.Series(list(reference(db, "status")["value"])),
            "Finansieringskälla": pd.Series(list(reference(db, "funding_source")["value"])),
            "Typ av finansiering": pd.Series(list(FUNDING_KINDS)),
        }
    )
    return exports.to_xlsx(
        {"Insatser": pd.DataFrame([TEMPLATE_EXAMPLE], columns=TEMPLATE_HEADERS), "Tillåtna värden": allowed}
    )
