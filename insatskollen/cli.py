"""Command line: publish the read store from `data/`, check, import, undo an import, query, and the role table.

Every command works while dashboard servers run: `build` publishes a new read-store version (the
servers switch to it), `import`/`undo-import` write to the working store (the servers reload the
imported rows), `check` and `sql` read a snapshot of their own.

Exit codes: 0 ok (findings are information, not failures), 1 invalid data or query, 3 a store that
cannot be opened, 4 an import that needs --replace.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
import tomllib
from pathlib import Path

from insatskollen import cli_sql
from insatskollen.cli_parser import EXIT_BUSY, EXIT_INVALID, EXIT_OK, EXIT_REPLACE, SwedishParser
from insatskollen.core import consistency, fmt, roles
from insatskollen.core.errors import DatabaseBusyError, DataError, os_reason
from insatskollen.core.filters import Filters
from insatskollen.core.organisation import Organisation, OrganisationSettingError, organisation_from
from insatskollen.core.roles import Actor
from insatskollen.export import open_data
from insatskollen.ingest import committer, kolada, kolada_file, plan_file, previewer, reading, reference
from insatskollen.store import scenario_store, snapshot
from insatskollen.store.db import VAR_ENV, Database, default_data_dir
from insatskollen.store.working.base import StoreError


def _parser() -> argparse.ArgumentParser:
    parser = SwedishParser(prog="python -m insatskollen", description="Insatskollen: data och kontroller.")
    parser.add_argument(
        "--var",
        type=Path,
        help=f"mappen för Insatskollens lokala data (annars ${VAR_ENV} eller var/); "
        "arbetsdatabasen kan i stället anges med $INSATSKOLLEN_DATABASE_URL",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=default_data_dir(),
        help="mapp med CSV-filerna (standard: $INSATSKOLLEN_DATA eller data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True, title="kommandon", metavar="KOMMANDO")
    sub.add_parser(
        "build",
        help="kontrollera alla CSV-filer och publicera en ny version av läsdatabasen (appen byter själv)",
    )
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
    undo = sub.add_parser(
        "undo-import", help="ångra senaste import (den som visas sist av kommandot imports)"
    )
    undo.add_argument("--author", default="", help="vem som ångrar (loggas)")
    sub.add_parser("imports", help="visa importloggen: vad som importerats och ångrats, av vem och när")
    users = sub.add_parser("users", help="rolltabellen: vem som är läsare, handläggare eller administratör")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="ge en användare en roll (ersätter rollen den hade)")
    add.add_argument("principal", help="OIDC-subjekt (sub, i Entra ID: oid) eller e-postadress")
    add.add_argument(
        "role",
        help=f"{', '.join(roles.ROLES)}, eller {roles.NO_ROLE} (spärrad, vad identitetsleverantören än säger)",
    )
    add.add_argument(
        "--av", dest="added_by", default=None, help="vem som lägger till (loggas; standard: ditt konto)"
    )
    users_sub.add_parser("list", help="visa rolltabellen")
    remove = users_sub.add_parser("remove", help="ta bort en användare ur rolltabellen")
    remove.add_argument("principal")
    kol = sub.add_parser(
        "kolada", help="nyckeltal från Kolada: hämta en ögonblicksbild eller importera en fil"
    )
    kol_sub = kol.add_subparsers(dest="kolada_command", required=True)
    kfetch = kol_sub.add_parser(
        "fetch", help="hämta från Koladas API (kräver nätverk) till en ögonblicksbild med manifest"
    )
    kfetch.add_argument("--kpi", required=True, help="nyckeltals-id, kommaseparerade, t.ex. N07403,N15505")
    kfetch.add_argument("--kommun", required=True, help="kommunkoder, kommaseparerade, t.ex. 0580,0000")
    kfetch.add_argument("--ar", default="", help="år: 2018-2024 eller 2019,2021 (standard: alla)")
    kfetch.add_argument("--ut", required=True, type=Path, help="ögonblicksbildens fil (.json)")
    kimp = kol_sub.add_parser(
        "import", help="importera en ögonblicksbild (.json) eller en export från kolada.se (.csv/.xlsx)"
    )
    kimp.add_argument("file", type=Path)
    kimp.add_argument("--author", default="", help="vem som importerar (loggas)")
    scenarios = sub.add_parser("scenarios", help="sparade scenarier: ge ett scenario en ägare")
    scenarios_sub = scenarios.add_subparsers(dest="scenarios_command", required=True)
    owner = scenarios_sub.add_parser(
        "owner",
        help="ge ett sparat scenario en ägare, den enda inloggade som får ändra det (t.ex. ett som sparades "
        "före inloggning)",
    )
    owner.add_argument("name", help="scenariots namn, som det står under Scenarier")
    owner.add_argument(
        "principal", help="den nya ägarens OIDC-subjekt, eller e-postadress om personen har sparat något"
    )
    owner.add_argument(
        "--av", dest="added_by", default=None, help="vem som ger ägarskapet (loggas; standard: ditt konto)"
    )
    pub = sub.add_parser(
        "publish",
        help="skriv fördelningen som öppna data: ett Frictionless-datapaket (CSV och tabellscheman) i en mapp",
    )
    pub.add_argument(
        "folder", metavar="MAPP", type=Path, help="mappen paketet skrivs till (skapas vid behov)"
    )
    pub.add_argument("--kommun", action="append", default=[], help="bara en kommun (kan anges flera gånger)")
    pub.add_argument(
        "--licens",
        dest="licence",
        help="licensens SPDX-id, t.ex. CC0-1.0 (standard: licence under [insatskollen.organisation] i "
        ".streamlit/secrets.toml)",
    )
    pub.add_argument("--utgivare", dest="publisher", help="vem som ger ut datan (standard: inställningarna)")
    sql = sub.add_parser(
        "sql",
        help="kör en SELECT mot exakt det appen visar (vyerna allocation, frame_year, measure_overview, "
        "indicator_values)",
    )
    sql.add_argument(
        "query",
        metavar="FRÅGA",
        help='t.ex. "select municipality, sum(amount_sek) from allocation group by 1"',
    )
    sql.add_argument(
        "--format", choices=("table", "csv"), default="table", help="utdata: table (standard) eller csv"
    )
    sql.add_argument(
        "--max-rader",
        dest="max_rows",
        default=str(snapshot.MAX_SELECT_ROWS),
        help="högst så många rader (standard och högst 2 000 000; utdata högst 100 MB)",
    )
    sql.add_argument(
        "--tidsgrans",
        dest="timeout",
        default="120",
        help="avbryt efter så många sekunder (standard 120, högst 3 600)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is a Swedish message and an exit code, never a traceback."""
    args = _parser().parse_args(argv)
    # The import reader logs its child process's own words (English, a stack) for a server's log; here the
    # person reads the Swedish message, so those records are not printed on the terminal.
    reader_log = logging.getLogger("insatskollen.ingest.reader")
    if not reader_log.handlers:
        reader_log.addHandler(logging.NullHandler())
        reader_log.propagate = False
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("Avbrutet. Det som inte redan var klart har inte ändrats.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `sql … | head`: the reader has what it wanted
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit flush from failing
        return EXIT_OK
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"En fil eller mapp kan inte användas{where}: {os_reason(error)}.", file=sys.stderr)
        return EXIT_BUSY


def _run(args) -> int:
    if args.command == "kolada" and args.kolada_command == "fetch":
        return _kolada_fetch(args)  # no store needed: it only writes a file
    try:
        db = Database.open(args.var, bind=args.command == "build")
    except DatabaseBusyError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUSY
    try:
        if args.command == "build":
            published = db.build(args.data)
            counts = published.row_counts or {}
            print(
                f"Läsdatabasen är publicerad: {published.path.name} med {sum(counts.values())} rader i "
                f"{len(counts)} tabeller (dataversion {published.data_version}). Körande servrar byter till "
                "den vid nästa sidvisning."
            )
        elif args.command == "users":
            return _users(db, args)
        elif args.command == "scenarios":
            name, owner = scenario_store.give_owner(db, args.name, args.principal, author=_by(args))
            print(f"”{name}” ägs nu av {owner}. Det gäller från nästa klick i appen.")
        elif args.command == "sql":
            db.ensure_built(args.data)
            return cli_sql.run(db, args)
        elif args.command == "check":
            db.ensure_built(args.data)
            try:
                municipalities = reference.resolve_municipalities(db, args.kommun)
            except ValueError as error:
                print(error, file=sys.stderr)
                return EXIT_INVALID
            selection = Filters(municipalities=municipalities, years=tuple(args.ar))
            print(consistency.render(consistency.run(db, selection)))
        elif args.command == "publish":
            db.ensure_built(args.data)
            return _publish(db, args)
        elif args.command == "undo-import":
            db.ensure_built(args.data)
            undone = committer.undo_last(db, args.author)
            if undone is None:
                print("Det finns ingen import att ångra.")
            else:
                print(
                    f"Senaste importen är ångrad: {undone['file']} ({fmt.count_phrase(undone['rows'], 'rad', 'rader')}, "
                    "importerad av "
                    f"{undone['author']} {fmt.swedish_time(undone['logged_at'])})."
                )
        elif args.command == "imports":
            _imports(db)
        elif args.command == "kolada":
            db.ensure_built(args.data)
            parsed = kolada_file.read_file(args.file)
            kolada_file.commit(db.work, parsed, args.author or f"{getpass.getuser()} (kommandoraden)")
            kpis = ", ".join(f"{k} {t}" for k, t in sorted(parsed.kpi_titles.items()))
            unknown = sum(r["value"] is None for r in parsed.rows)
            print(
                f"{args.file.name}: {fmt.count_phrase(len(parsed.rows), 'värde', 'värden')} importerade "
                f"({kpis}); {unknown} okända. Ångra med undo-import."
            )
            for finding in parsed.findings:
                print(f"  Iakttagelse: {finding}")
        else:
            db.ensure_built(args.data)
            return _import(db, args)
    except (DataError, StoreError, roles.AuthSettingError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except DatabaseBusyError as exc:  # e.g. a damaged read store found while running
        print(exc, file=sys.stderr)
        return EXIT_BUSY
    finally:
        db.close()
    return EXIT_OK


def _import(db: Database, args) -> int:
    """Preview, then commit; the same code path as the Importera page."""
    try:
        reading.check_size(args.file.name, args.file.stat().st_size, previewer.max_bytes())
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Filen {args.file} kan inte läsas: {os_reason(error)}.", file=sys.stderr)
        return EXIT_INVALID
    # read in a child process capped in memory and time, like the page; DataError is reported by main()
    preview = previewer.preview(db, args.file.name, data, sheet=args.sheet)
    if preview.sheet:
        print(f"Blad: {preview.sheet} (filen har {', '.join(preview.sheets)}; välj med --blad).")
    if preview.kind == "follow_up":
        spent = previewer.total_text(preview.rows["Utfall (kr)"])
        print(
            f"{args.file.name}: {fmt.count_phrase(len(preview.rows), 'rapport', 'rapporter')} "
            f"(uppföljning), utfall totalt {spent}."
        )
    elif preview.kind == "plan":
        print(f"{args.file.name}: {plan_file.summary(preview)}")
    else:
        rows = fmt.count_phrase(len(preview.rows), "rad", "rader")
        print(f"{args.file.name}: {rows}, totalt {previewer.total_text(preview.rows['Belopp (kr)'])}.")
        for area, text in previewer.area_totals(preview):
            print(f"  {area}: {text}")
    for finding in preview.findings:
        print(f"  Iakttagelse: {finding}")
    if args.dry_run:
        print("Förhandsgranskning: ingenting har skrivits.")
        return EXIT_OK
    try:
        committer.commit(db, preview, replace=args.replace, author=args.author)
    except committer.ReplaceNeeded as error:
        print(f"{error} Kör igen med --replace.", file=sys.stderr)
        return EXIT_REPLACE
    print(
        f"Importerat till arbetsdatabasen ({db.work.describe()}). Körande servrar visar det inom några sekunder."
    )
    return EXIT_OK


def _years(text: str) -> list[int]:
    """`2018-2024` or `2019,2021` as a list of years; ValueError with a Swedish message otherwise."""
    text = text.replace(" ", "")
    if not text:
        return []
    try:
        if "-" in text:
            first, last = (int(p) for p in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(p) for p in text.split(",") if p]
    except ValueError:
        raise ValueError(f"--ar {text}: ange år som 2018-2024 eller 2019,2021.") from None


def _kolada_fetch(args) -> int:
    """Fetch from Kolada (the only command that uses the network) into a snapshot and its manifest."""
    try:
        years = _years(args.ar)
        client = kolada.Client(get=kolada.urllib_get)
        kpis = [k.strip() for k in args.kpi.split(",") if k.strip()]
        codes = [c.strip() for c in args.kommun.split(",") if c.strip()]
        manifest = kolada_file.fetch(client, kpis, codes, years, args.ut)
    except (ValueError, kolada.KoladaError) as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    print(
        f"Sparat {args.ut} ({fmt.count_phrase(manifest['values'], 'värde', 'värden')}, "
        f"{len(manifest['urls'])} anrop) och {kolada_file.manifest_path(args.ut).name}. "
        f"Importera med: python -m insatskollen kolada import {args.ut}"
    )
    return EXIT_OK


def _by(args) -> Actor:
    """Who runs an administrator's command, for the log: --av, else the account running it (checked like
    a typed name: not too long, no control characters)."""
    return scenario_store.who(args.added_by or f"{getpass.getuser()} (kommandoraden)", "Namnet efter --av")


def _users(db: Database, args) -> int:
    """The role table (issue 14). Whoever runs the command line on the server administers it."""
    if args.users_command == "add":
        principal, role = roles.clean_principal(args.principal), roles.parse_table_role(args.role)
        db.work.set_user_role(principal, role, _by(args).name)
        print(f"{principal} har nu rollen {role}. Det gäller från nästa klick i appen.")
        if "@" in principal and role != roles.NO_ROLE:
            print(
                "Obs: en roll via e-postadress gäller bara när identitetsleverantören har bekräftat adressen "
                "(email_verified). Ge hellre rollen till användarens subjekt (i Entra ID: oid)."
            )
    elif args.users_command == "remove":
        principal = roles.clean_principal(args.principal)
        if not db.work.remove_user(principal):
            print(f"{principal} finns inte i rolltabellen.", file=sys.stderr)
            return EXIT_INVALID
        print(f"{principal} är borttagen ur rolltabellen.")
    else:
        table = db.work.user_roles()
        if not len(table):
            print("Rolltabellen är tom: rollerna kommer från inloggningens roles-claim eller default_role.")
        for row in table.itertuples():
            print(f"{row.principal}\t{row.role}\ttillagd av {row.added_by} {row.added_at:%Y-%m-%d %H:%M} UTC")
    return EXIT_OK


def _imports(db: Database) -> None:
    """The import log, oldest first, with what is in force now."""
    log = db.work.import_log_rows()
    if log.empty:
        print("Inga importer ännu.")
        return
    for row in log.itertuples():
        state = (
            "ångrad"
            if isinstance(row.undone_by, str)
            else ("" if row.action.startswith("ångrade") else "gäller")
        )
        what = row.file or "–"
        print(
            f"{fmt.swedish_time(row.logged_at)}  {row.action:<40}  {what:<30}  "
            f"{fmt.count_phrase(int(row.rows), 'rad', 'rader'):>11}  "
            f"{row.author}  {state}".rstrip()
        )


def _organisation(args) -> Organisation:
    """[insatskollen.organisation] from .streamlit/secrets.toml here (as Streamlit reads it), the options over it."""
    secrets = Path(".streamlit") / "secrets.toml"
    section = {}
    if secrets.is_file():
        try:
            section = (
                tomllib.loads(secrets.read_text(encoding="utf-8"))
                .get("insatskollen", {})
                .get("organisation", {})
            )
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise OrganisationSettingError(f"{secrets} kan inte läsas: {error}") from error
    section = dict(section)
    if args.licence is not None:
        section["licence"] = args.licence
    if args.publisher is not None:
        section["publisher"] = args.publisher
    return organisation_from(section)


def _publish(db: Database, args) -> int:
    try:
        municipalities = reference.resolve_municipalities(db, args.kommun)
        organisation = _organisation(args)
    except (ValueError, OrganisationSettingError) as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    package = open_data.build(db, organisation, municipalities)
    open_data.write(package, args.folder)
    rows = ", ".join(f"{name} {fmt.number(n)}" for name, n in package.rows.items())
    print(f"Datapaketet är skrivet till {args.folder}/datapackage.json ({rows} rader).")
    if not organisation.licence:
        print(
            "Ingen licens angiven: ange licence under [insatskollen.organisation] eller --licens (t.ex. CC0-1.0) "
            "innan paketet publiceras.",
            file=sys.stderr,
        )
    return EXIT_OK
