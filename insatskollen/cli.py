"""Command line: build the database from `data/`, and print consistency findings.

Exit codes: 0 ok (findings are information, not failures), 1 invalid data,
3 the database file is in use by another process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from insatskollen import check, fmt, import_read, importer
from insatskollen.db import DB_ENV, Database, default_data_dir
from insatskollen.errors import DatabaseBusyError, DataError
from insatskollen.filters import Filters

EXIT_OK, EXIT_INVALID, EXIT_BUSY, EXIT_REPLACE = 0, 1, 3, 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m insatskollen", description="Insatskollen: data och kontroller."
    )
    parser.add_argument(
        "--db", type=Path, help=f"databasfil (annars ${DB_ENV} eller var/insatskollen.duckdb)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=default_data_dir(),
        help="mapp med CSV-filerna (standard: $INSATSKOLLEN_DATA eller data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="läs in alla CSV-filer i databasen i en enda transaktion")
    chk = sub.add_parser("check", help="skriv ut konsekvenskontrollen och nyckeltalen på svenska")
    chk.add_argument(
        "--kommun", action="append", default=[], help="nyckeltal för en kommun (kan anges flera gånger)"
    )
    chk.add_argument("--ar", action="append", type=int, default=[], help="nyckeltal för ett år")
    imp = sub.add_parser("import", help="importera en kommuns egna insatser från .csv eller .xlsx")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--replace", action="store_true", help="ersätt redan importerad data för samma kommun och år"
    )
    imp.add_argument("--dry-run", action="store_true", help="visa förhandsgranskningen men skriv ingenting")
    imp.add_argument("--author", default="", help="vem som importerar (loggas)")
    imp.add_argument(
        "--blad", dest="sheet", default=None, help="Excel-bladet att läsa (annars det första synliga)"
    )
    sub.add_parser("undo-import", help="ångra senaste import")
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
        elif args.command == "check":
            db.ensure_built(args.data)
            selection = Filters(municipalities=tuple(args.kommun), years=tuple(args.ar))
            print(check.render(check.run(db, selection)))
        elif args.command == "undo-import":
            db.ensure_built(args.data)
            print(
                "Senaste importen är ångrad."
                if importer.undo_last(db)
                else "Det finns ingen import att ångra."
            )
        else:
            db.ensure_built(args.data)
            return _import(db, args)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    finally:
        db.close()
    return EXIT_OK


def _import(db: Database, args) -> int:
    """Preview, then commit; the same code path as the Importera page."""
    try:
        import_read.check_size(args.file.name, args.file.stat().st_size, importer.max_bytes())
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Filen {args.file} kan inte läsas: {error.strerror}.", file=sys.stderr)
        return EXIT_INVALID
    # read in a child process capped in memory and time, like the page; DataError is reported by main()
    preview = importer.preview(db, args.file.name, data, sheet=args.sheet, bounded=True)
    if preview.sheet:
        print(f"Blad: {preview.sheet} (filen har {', '.join(preview.sheets)}; välj med --blad).")
    total = preview.rows["Belopp (kr)"].sum(min_count=1)
    print(f"{args.file.name}: {len(preview.rows)} rader, totalt {fmt.sek(total)}.")
    for row in preview.by_area.itertuples(index=False):
        print(f"  {row[0]}: {fmt.sek(row[1])}")
    for finding in preview.findings:
        print(f"  Iakttagelse: {finding}")
    if args.dry_run:
        print("Förhandsgranskning: ingenting har skrivits.")
        return EXIT_OK
    try:
        importer.commit(db, preview, replace=args.replace, author=args.author)
    except importer.ReplaceNeeded as error:
        print(f"{error} Kör igen med --replace.", file=sys.stderr)
        return EXIT_REPLACE
    print(f"Importerat till {db.path}.")
    return EXIT_OK
