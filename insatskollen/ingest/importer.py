"""Import a municipality's own measures and budgets from CSV or Excel: one code path for the CLI
(`python -m insatskollen import FILE`) and the Importera page.

read (import_read) -> validate every row, all problems at once (import_validate) -> Preview
(import_preview) -> commit in one transaction of the working store, or undo the latest import
(import_store). A file that fails changes nothing. A follow-up file (Utfall, Genomförande: issue 15) is
recognised by its headers and goes the same way through import_follow_up. This module is the entry point the page and the
command line use; the templates are import_template's.
"""

from __future__ import annotations

from insatskollen.ingest.committer import ReplaceNeeded, commit, conflicts, undo_last
from insatskollen.ingest.follow_up_file import TEMPLATE_HEADERS as FOLLOW_UP_HEADERS
from insatskollen.ingest.follow_up_file import FollowUpPreview
from insatskollen.ingest.previewer import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    Preview,
    max_bytes,
    preview,
    read_rows,
)
from insatskollen.ingest.template import follow_up_csv as follow_up_template_csv
from insatskollen.ingest.template import follow_up_xlsx as follow_up_template_xlsx
from insatskollen.ingest.template import measures_csv as template_csv
from insatskollen.ingest.template import measures_xlsx as template_xlsx
from insatskollen.ingest.validator import TEMPLATE_EXAMPLE, TEMPLATE_HEADERS, column_aliases

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
