"""Reading an uploaded CSV or Excel file into a header and rows, within fixed bounds.

The first of the import's four steps (read, validate, preview, store). Nothing here trusts the file:
the bounds are reading's, CSV is csv_reader's and .xlsx xlsx_reader's (our own reader over the standard
library's zipfile and defusedxml); every failure is a DataError with a Swedish message naming the file
and, where known, row and column.

`read_bounded` runs the reader in a separate process with a memory cap and a time limit, so that one
hostile file cannot slow down or take down the server the other sessions share.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from insatskollen.core import lists
from insatskollen.core.errors import MAX_COLLECTED, DataError, Problem
from insatskollen.ingest import reading
from insatskollen.ingest.csv_reader import read_csv
from insatskollen.ingest.reading import (
    ReadFailure,
    ReadResult,
    check_memory,
    check_size,
    megabytes,
    refusal,
    thousands,
)
from insatskollen.ingest.xlsx_reader import read_xlsx

log = logging.getLogger(__name__)
_PROJECT_DIR = Path(__file__).resolve().parents[2]
MAX_FINDINGS = 50  # findings kept for the CLI and the page; the rest are counted in one last line
MAX_ANSWER_BYTES = 32_000_000  # the reading process's JSON answer; the server never parses more
READ_SECONDS = 20
READ_MEMORY_BYTES = 1_500_000_000  # address space of the reading process (Python itself needs ~150 MB)


# ------------------------------------------------------------------ entry points


def read_rows(name: str, data: bytes, max_bytes: int, sheet: str | None = None) -> ReadResult:
    """Header and rows of a .csv/.txt/.tsv or .xlsx file; DataError for anything broken or too large."""
    if not data:
        raise refusal(name, "filen är tom")
    check_size(name, len(data), max_bytes)
    check_memory()
    try:
        if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
            return read_xlsx(name, data, sheet)
        if not name.lower().endswith((".csv", ".txt", ".tsv")):
            raise ReadFailure("filtypen stöds inte; använd .csv eller .xlsx")
        return read_csv(name, data)
    except ReadFailure as failure:
        line, column, value, expected = failure.problem
        raise refusal(name, expected, line, column, value) from None


def read_bounded(
    name: str,
    data: bytes,
    max_bytes: int,
    sheet: str | None = None,
    seconds: float | None = None,
    memory_bytes: int | None = None,
) -> ReadResult:
    """`read_rows` in a child process (`python -m insatskollen.ingest.reader`) that caps its own address
    space at `memory_bytes` and is killed after `seconds` (READ_MEMORY_BYTES, READ_SECONDS by default).
    The file goes in on stdin, the rows come back as JSON (never pickle), at most MAX_ANSWER_BYTES of it. Whatever happens in the child (a broken file,
    MemoryError, any exception, a hang, a kill) the caller gets a DataError in Swedish; the server never
    parses the file itself. Every upload path (the Importera page, `import`, follow-up files, Kolada
    exports) reads through here."""
    check_size(name, len(data), max_bytes)  # refuse before paying for a process
    seconds = READ_SECONDS if seconds is None else seconds
    memory_bytes = READ_MEMORY_BYTES if memory_bytes is None else memory_bytes
    command = [
        sys.executable,
        "-m",
        "insatskollen.ingest.reader",
        name,
        str(max_bytes),
        str(memory_bytes),
        str(seconds),
    ]
    if sheet is not None:
        command.append(sheet)
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            cwd=_PROJECT_DIR,
            env=os.environ | {"PYTHONPATH": str(_PROJECT_DIR)},
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        log.warning("import reader for %s ran past %s s; it wrote: %s", name, seconds, _tail(expired.stderr))
        raise refusal(name, _TOO_SLOW.format(seconds=max(1, round(seconds)))) from None
    except OSError as error:  # no process could be started (memory, process limit)
        log.warning("import reader for %s could not start: %s", name, error)
        raise refusal(name, _NOT_STARTED) from None
    return _answer(name, done, seconds)


_TOO_SLOW = (
    "filen tog för lång tid att läsa (mer än {seconds} sekunder); dela upp den eller spara om den som CSV"
)
_TOO_MUCH_MEMORY = "filen kräver för mycket minne för att läsas; spara om den som CSV"
_NOT_READ = "filen kunde inte läsas; spara om den som CSV (UTF-8) eller .xlsx"
_NOT_STARTED = "filen kunde inte läsas just nu (servern kunde inte starta läsningen); försök igen om en stund"
_TOO_MUCH_TEXT = (
    "filen ger mer text än en import får vara (mer än {mb} MB när den är uppläst); dela upp den i flera filer"
)


def _tail(stream: bytes | None) -> str:
    return (stream or b"")[-4000:].decode("utf-8", errors="replace")


def _answer(name: str, done: subprocess.CompletedProcess, seconds: float) -> ReadResult:
    """The child's JSON answer as a ReadResult or a DataError; anything else becomes a Swedish message
    and a log line with the child's stderr."""
    if len(done.stdout) > MAX_ANSWER_BYTES:  # the child refuses this itself; never parse more here
        log.warning("import reader for %s answered %s bytes", name, len(done.stdout))
        raise refusal(name, _TOO_MUCH_TEXT.format(mb=megabytes(MAX_ANSWER_BYTES)))
    try:
        answer = json.loads(done.stdout)
        if not isinstance(answer, dict):
            raise ValueError("not an object")
    except ValueError:  # no answer: killed, out of memory before it could say so, or its watchdog
        log.warning("import reader for %s ended with %s: %s", name, done.returncode, _tail(done.stderr))
        timed_out = done.returncode == -signal.SIGXCPU or b"Timeout (" in (done.stderr or b"")
        expected = _TOO_SLOW.format(seconds=max(1, round(seconds))) if timed_out else _TOO_MUCH_MEMORY
        raise refusal(name, expected) from None
    try:
        if "ok" in answer:
            result = answer["ok"]
            return ReadResult(
                result["header"],
                [(line, cells) for line, cells in result["body"]],
                result["findings"],
                result["sheets"],
                result["sheet"],
                result.get("delimiter"),
            )
        if "problems" in answer:
            problems = [Problem(*p) for p in answer["problems"]]
            error = DataError(problems, heading=answer["heading"], total=answer.get("total"))
        else:
            error = refusal(name, str(answer["fail"]))
    except (KeyError, TypeError, ValueError) as broken:
        log.warning("import reader for %s gave an answer out of shape: %r", name, broken)
        raise refusal(name, _NOT_READ) from None
    raise error


def _main(argv: list[str]) -> int:  # pragma: no cover - runs in the child process
    """The child: read stdin, cap memory and CPU time, read the file and answer in JSON on stdout. Every
    way out writes an answer the parent understands; nothing English reaches a user."""
    import faulthandler
    import resource

    name, max_bytes, memory_bytes, seconds = argv[0], int(argv[1]), int(argv[2]), float(argv[3])
    sheet = argv[4] if len(argv) > 4 else None
    data = sys.stdin.buffer.read()  # before the cap: its size was checked by the parent
    # the answers for when nothing more can be allocated, made before the cap
    out_of_memory = json.dumps({"fail": _TOO_MUCH_MEMORY}).encode()
    not_read = json.dumps({"fail": _NOT_READ}).encode()
    # A child that hangs (in CI one once ran past its limit instead of failing on memory) dumps every
    # thread's stack on stderr, which the parent logs, and ends itself a moment before the parent would.
    faulthandler.dump_traceback_later(max(0.5, seconds * 0.9), exit=True)
    cpu = max(1, int(seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # killed for its CPU time, it leaves no core file
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    reading.memory_budget = memory_bytes - max(16_000_000, memory_bytes // 10)  # refuse before the edge
    try:
        try:
            result = read_rows(name, data, max_bytes, sheet)
            del data
            answer = {"ok": result.__dict__}
        except DataError as error:
            answer = {
                "heading": error.heading,
                "problems": [
                    (p.file, p.line, p.column, p.value, p.expected) for p in error.problems[:MAX_COLLECTED]
                ],
                "total": error.total,
            }
        text = json.dumps(answer, ensure_ascii=False).encode()
        del answer
        if len(text) > MAX_ANSWER_BYTES:
            text = json.dumps({"fail": _TOO_MUCH_TEXT.format(mb=megabytes(MAX_ANSWER_BYTES))}).encode()
    except MemoryError:
        text = out_of_memory
    except BaseException as error:  # noqa: BLE001 - the boundary: the user reads Swedish, the log the rest
        with contextlib.suppress(BaseException):  # the answer below matters more than this log line
            print(repr(error)[:2000], file=sys.stderr)
        text = not_read
    sys.stdout.buffer.write(text)
    sys.stdout.buffer.flush()
    return 0


def cap_findings(findings: list[str]) -> list[str]:
    """At most MAX_FINDINGS findings, then one line counting the rest: what the CLI prints and the page
    draws stays small whatever the file holds."""
    return lists.capped(
        findings,
        MAX_FINDINGS,
        lambda rest: f"… och {thousands(rest)} {'iakttagelse' if rest == 1 else 'iakttagelser'} till.",
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
