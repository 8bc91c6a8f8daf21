"""The `sql` command: one read-only SELECT against what the dashboard shows, printed as csv or an aligned
table, always within a row count, a time limit, 100 MB of text and SQL_MEMORY of memory (issue 21)."""

from __future__ import annotations

import contextlib
import csv
import sys
from pathlib import Path

from insatskollen.cli_parser import EXIT_INVALID, EXIT_OK
from insatskollen.core import fmt
from insatskollen.export import table_files
from insatskollen.store import snapshot
from insatskollen.store.db import Database


def run(db: Database, args) -> int:
    """One read-only SELECT against what the dashboard shows; csv or an aligned table on stdout. Always
    within a row count, a time limit, 100 MB of text and SQL_MEMORY of memory."""
    try:
        max_rows, timeout = _sql_bounds(args.max_rows, args.timeout)
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    pinned = db.snapshot
    try:
        with _memory_bounded(SQL_MEMORY):
            columns, rows = pinned.select(
                args.query, max_rows=max_rows, timeout=timeout, max_bytes=snapshot.MAX_SELECT_BYTES
            )
            _print_rows(args.format, columns, rows)
    except ValueError as error:  # not a single SELECT, too many rows or bytes, over time
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except MemoryError:  # snapshot.SelectOutOfMemory is one
        # Which bound said no cannot be told apart: under the process cap below, DuckDB words a failed
        # allocation as it does one over its own memory_limit.
        print(
            f"Frågan behöver mer minne än sql får använda ({SQL_MEMORY // 2**30} GB för frågan; DuckDB:s egen "
            f"gräns är {snapshot.memory_limit()}, {snapshot.MEMORY_LIMIT_VARIABLE}). Begränsa den (färre "
            "kolumner, kortare texter eller limit).",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except snapshot.SelectFailed as error:
        print(f"Frågan kunde inte köras. DuckDB svarar: {error}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


# What one `sql` query may add to the process's memory: DuckDB's copy of the result and the Python rows
# (whose text is capped at snapshot.MAX_SELECT_BYTES). DuckDB's own memory_limit does not cover a
# result's long texts: `select repeat('x', 1000000) from range(3000)` took 5,6 GB before this cap.
SQL_MEMORY = 2**30


def _sql_bounds(max_rows: str, timeout: str) -> tuple[int, float]:
    """--max-rader and --tidsgrans as numbers within their bounds, or a Swedish ValueError."""
    rows_text, seconds_text = str(max_rows).strip(), str(timeout).strip().replace(",", ".")
    if not (rows_text.isascii() and rows_text.isdigit() and 1 <= int(rows_text) <= snapshot.MAX_SELECT_ROWS):
        raise ValueError(
            f"--max-rader måste vara ett heltal från 1 till {fmt.number(snapshot.MAX_SELECT_ROWS)}, "
            f"inte ”{str(max_rows)[:40]}”."
        )
    seconds = None
    if seconds_text.isascii() and seconds_text.replace(".", "", 1).isdigit():
        seconds = float(seconds_text)
    if seconds is None or not 0 < seconds <= snapshot.MAX_SELECT_SECONDS:
        raise ValueError(
            "--tidsgrans måste vara ett antal sekunder större än 0 och högst "
            f"{fmt.number(snapshot.MAX_SELECT_SECONDS)}, inte ”{str(timeout)[:40]}”."
        )
    return int(rows_text), seconds


@contextlib.contextmanager
def _memory_bounded(extra: int):
    """While the block runs, the process may hold at most `extra` bytes more data than it does now
    (RLIMIT_DATA, which covers malloc and anonymous mappings: DuckDB's and Python's). A bigger allocation
    fails, which DuckDB raises as OutOfMemoryException and Python as MemoryError. Where the limit cannot
    be read (not Linux), the block runs without it."""
    try:
        import resource

        held = next(
            int(line.split()[1]) * 1024
            for line in Path("/proc/self/status").read_text().splitlines()
            if line.startswith("VmData:")
        )
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    except (ImportError, OSError, StopIteration, ValueError, IndexError):
        yield
        return
    limit = held + extra if hard == resource.RLIM_INFINITY else min(held + extra, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already bounded tighter
        return
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


TABLE_CELL_CHARS = 200  # widest column `sql --format table` prints


def _print_rows(output: str, columns: list[str], rows: list[tuple]) -> None:
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        # formula-looking text gets a leading apostrophe, as in every other CSV we write (table_files.neutralise)
        writer.writerows(["" if v is None else table_files.neutralise(v) for v in row] for row in rows)
        return
    # A column is at most TABLE_CELL_CHARS wide: one long value padded every other row to its width, so the
    # printed table outgrew the query's byte and time bounds (a 1 MB value: ~33 min of padding; issue 21)
    shortened = False

    def cell(value) -> str:
        nonlocal shortened
        text = "NULL" if value is None else str(value)
        if len(text) > TABLE_CELL_CHARS:
            shortened = True
            return text[: TABLE_CELL_CHARS - 1] + "…"
        return text

    shown = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in shown)]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in shown:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print(f"({fmt.count_phrase(len(rows), 'rad', 'rader')})")
    if shortened:
        print(
            f"Värden längre än {TABLE_CELL_CHARS} tecken är förkortade med … i tabellen; "
            "--format csv visar dem hela."
        )
