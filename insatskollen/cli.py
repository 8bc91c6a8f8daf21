"""Command line: build the database from `data/`, and print consistency findings.

Exit codes: 0 ok (findings are information, not failures), 1 invalid data,
3 the database file is in use by another process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from insatskollen import check
from insatskollen.db import DATA_DIR, DB_ENV, Database
from insatskollen.errors import DatabaseBusyError, DataError

EXIT_OK, EXIT_INVALID, EXIT_BUSY = 0, 1, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m insatskollen", description="Insatskollen: data och kontroller."
    )
    parser.add_argument(
        "--db", type=Path, help=f"databasfil (annars ${DB_ENV} eller var/insatskollen.duckdb)"
    )
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="mapp med CSV-filerna (standard: data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="läs in alla CSV-filer i databasen i en enda transaktion")
    sub.add_parser("check", help="skriv ut konsekvenskontrollen på svenska")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        db = Database.open(args.db)
    except DatabaseBusyError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUSY
    try:
        if args.command == "build":
            result = db.build(args.data)
            rows = sum(result.row_counts.values())
            print(
                f"Databasen {db.path} är byggd: {rows} rader i {len(result.row_counts)} tabeller "
                f"(dataversion {result.data_version})."
            )
        else:
            db.ensure_built(args.data)
            print(check.render(check.run(db)))
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    finally:
        db.close()
    return EXIT_OK
