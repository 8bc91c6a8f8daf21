#!/usr/bin/env python3
"""Load test: concurrent sessions against the real server on loopback.

    .venv/bin/python scripts/loadtest.py [--sessions 10] [--seconds 60] [--changes N] [--national]
                                         [--url http://127.0.0.1:8080] [--save-every N]

Starts `streamlit run app.py` on a free loopback port (bundled data in a throwaway database, or with
--national the synthetic national database made by scripts/national.py), then opens N websocket
sessions, speaking Streamlit's own protocol (the protobuf messages the browser sends), so the server
does exactly the work it does for a browser while the client costs next to nothing on the same
machine. Each session opens a page, then, until the time is up, changes the sidebar filters (the
combinations in scripts/workload.py), waits for the rerun to finish, pauses (--think seconds, a user
reading), and moves to the next page every fifth change. --changes N ends each session after N changes
instead (--seconds still bounds it): the same work on any machine, as the tests' smoke run uses it.

Reported: p50/p95/max time from sending the change to the server's "script finished", the number of
changes, failed sessions (a closed connection, an error shown in the app, a rerun that did not finish
within --timeout seconds), and the server's peak resident memory (VmHWM). Targets: p95 under 1 s,
zero failed sessions. Prints a table and writes JSON; targets are reported, not asserted.

--url runs the sessions against servers that are already running (e.g. nginx in front of the cluster of
scripts/cluster.py) instead of starting one; each session first loads the page over HTTP, as a browser
does, and keeps the `ik_route` cookie nginx sets, so its websocket stays on one server. --save-every N
makes each session also save a new scenario on the Scenarier page every N changes, the way the browser
does it (name and author typed, "Starta nytt scenario", "Spara som nytt scenario"); the function
`save_scenario(url, name, author)` does one such save for other tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from benchmark import machine, peak_rss_mb  # noqa: E402
from workload import FILTER_KEYS, PAGES, filter_cycle, percentile  # noqa: E402
from ws_session import Session, SessionFailed, route_cookie, run_async, ws_url  # noqa: E402

from tests import server_kit  # noqa: E402 - one way to start a server, for the tests and the tools

TARGET_P95_MS = 1000


def start_server(port: int, env: dict) -> subprocess.Popen:
    command = server_kit.streamlit_command(port)
    log = open(env["LOADTEST_LOG"], "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    server_kit.wait_healthy(f"http://127.0.0.1:{port}", lambda: process.poll() is None, timeout)


async def user(
    number: int,
    base_url: str,
    args,
    deadline: float,
    timings: list[float],
    failures: list[str],
    per_page: dict,
) -> dict:
    """One session clicking until the deadline; returns what it did (its server, changes, saves, failure).
    With `args.started` (a list), the record is also appended there as the session starts, and updated as it
    goes."""
    rng = random.Random(number)
    record = {
        "session": number + 1,
        "upstream": None,
        "changes": 0,
        "saves": [],
        "save_ms": [],
        "failure": None,
    }
    record["last_change_at"] = None
    if (started := getattr(args, "started", None)) is not None:
        started.append(record)
    save_every = getattr(args, "save_every", 0)
    most = getattr(args, "changes", 0)  # 0: until the deadline
    stop = getattr(args, "stop", None)  # a threading.Event that ends the sessions before the deadline
    try:
        cookie, record["upstream"] = await asyncio.to_thread(route_cookie, base_url, args.timeout)
        record["route"] = cookie
        async with Session(ws_url(base_url), args.timeout, cookie) as session:
            record["upstream"] = session.upstream or record["upstream"]
            page_index = number % len(PAGES)
            await session.rerun(PAGES[page_index][2], None)
            if set(session.widget_ids) != set(FILTER_KEYS):
                raise SessionFailed("sidopanelens filter kom inte fram")
            cycle = filter_cycle(session.options)
            step = number
            while (
                time.monotonic() < deadline
                and not (most and record["changes"] >= most)
                and not (stop and stop.is_set())
            ):
                step += 1
                if step % 5 == 0:
                    page_index = (page_index + 1) % len(PAGES)
                elapsed = await session.rerun(PAGES[page_index][2], cycle[step % len(cycle)])
                timings.append(elapsed)
                per_page.setdefault(PAGES[page_index][0], []).append(elapsed)
                record["changes"] += 1
                record["last_change_at"] = time.monotonic()
                if save_every and record["changes"] % save_every == 0:
                    start = time.perf_counter()
                    name = f"Lasttest {args.run_id} s{number + 1} nr {len(record['saves']) + 1}"
                    record["saves"].append(
                        await session.save_scenario(name, f"Lasttest session {number + 1}")
                    )
                    record["save_ms"].append((time.perf_counter() - start) * 1000)
                    record["last_change_at"] = time.monotonic()
                await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)
    except (SessionFailed, OSError, websockets.InvalidHandshake, websockets.ConnectionClosed) as exc:
        record["failure"] = str(exc) or type(exc).__name__
        failures.append(f"session {number + 1}: {exc}")
    return record


async def run_users(base_url: str, args) -> tuple[list[float], list[str], float, dict, list[dict]]:
    # One session first, alone: the server opens the database and fills its caches of the filter options.
    timings: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    warm = argparse.Namespace(**{**vars(args), "think": 0, "save_every": 0, "started": None})  # not a session
    await user(-1, base_url, warm, time.monotonic(), [], failures, {})
    first_ms = (time.perf_counter() - start) * 1000
    deadline = time.monotonic() + args.seconds
    per_page: dict[str, list[float]] = {}
    records = await asyncio.gather(
        *(user(i, base_url, args, deadline, timings, failures, per_page) for i in range(args.sessions))
    )
    return timings, failures, first_ms, per_page, list(records)


def load(
    base_url: str,
    sessions: int = 20,
    seconds: float = 20,
    think: float = 1.0,
    timeout: float = 30,
    save_every: int = 0,
    changes: int = 0,
    started: list[dict] | None = None,
    stop: threading.Event | None = None,
) -> dict:
    """Run the load test against servers already running at base_url (a server or nginx); returns the
    summary main() writes as JSON (without memory: the caller knows its servers' pids), plus `records`,
    one per session: its server (X-Upstream), changes, saved scenario ids and failure. A list passed as
    `started` gets each session's record as the session starts, updated live (a test's progress signal);
    setting `stop` ends the sessions before `seconds` (each before its next change)."""
    args = argparse.Namespace(
        sessions=sessions,
        seconds=seconds,
        think=think,
        timeout=timeout,
        save_every=save_every,
        changes=changes,  # each session ends after this many changes (0: at the deadline)
        run_id=datetime.now(UTC).strftime("%H%M%S%f"),
        started=started,
        stop=stop,
    )
    return summarise(*run_async(lambda: run_users(base_url, args)), args)


def summarise(timings, failures, first_ms, per_page, records, args) -> dict:
    """The figures the load test reports."""
    saves_ms = [ms for record in records for ms in record["save_ms"]]
    return {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think_s": args.think,
        "changes_per_session": getattr(args, "changes", 0) or None,  # None: as many as --seconds allowed
        "changes": len(timings),
        "first_run_ms": round(first_ms, 1),
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(percentile(timings, 95), 1) if timings else None,
        "max_ms": round(max(timings), 1) if timings else None,
        "per_page": {
            page: {
                "changes": len(v),
                "p50_ms": round(statistics.median(v), 1),
                "p95_ms": round(percentile(v, 95), 1),
            }
            for page, v in per_page.items()
        },
        "saves": len(saves_ms),
        "save_p50_ms": round(statistics.median(saves_ms), 1) if saves_ms else None,
        "save_p95_ms": round(percentile(saves_ms, 95), 1) if saves_ms else None,
        "sessions_per_upstream": {
            upstream: sum(1 for r in records if r["upstream"] == upstream)
            for upstream in sorted({str(r["upstream"]) for r in records if r["upstream"]})
        },
        "run_id": getattr(args, "run_id", None),  # in the names of the saved scenarios
        "failed_sessions": len(failures),
        "failures": failures,
        "records": records,
        "target_p95_ms": TARGET_P95_MS,
    }


def save_scenario(url: str, name: str, author: str, frame: str | None = None, timeout: float = 30) -> str:
    """Save one new scenario through the app at url (a server or nginx), over Streamlit's own protocol,
    the way a person does in the browser. Returns the saved scenario's id, which the app showed only
    after the save was committed; raises SaveRefused (the app's message) or SessionFailed."""

    async def one() -> str:
        cookie, _ = await asyncio.to_thread(route_cookie, url, timeout)
        async with Session(ws_url(url), timeout, cookie) as session:
            return await session.save_scenario(name, author, frame)

    return run_async(one)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the sessions click (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between changes, s (default 1)")
    parser.add_argument(
        "--changes",
        type=int,
        default=0,
        help="each session ends after this many changes, or at --seconds (default 0: at --seconds)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30, help="a rerun slower than this fails (default 30)"
    )
    parser.add_argument("--national", action="store_true", help="serve var/national (scripts/national.py)")
    parser.add_argument("--json", type=Path, default=None, help="default artifacts/loadtest[-national].json")
    parser.add_argument(
        "--url",
        default=None,
        help="servers already running (e.g. nginx of scripts/cluster.py); none is started",
    )
    parser.add_argument(
        "--save-every",
        type=int,
        default=0,
        help="each session saves a new scenario every N changes (default 0: never)",
    )
    args = parser.parse_args()
    args.run_id = datetime.now(UTC).strftime("%H%M%S")
    label = "national" if args.national else "bundled"
    out = args.json or ROOT / "artifacts" / f"loadtest{'-national' if args.national else ''}.json"
    if args.url:
        result = summarise(*asyncio.run(run_users(args.url, args)), args) | {"data": args.url}
        report(result, args, out, "")
        return

    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"LOADTEST_LOG": str(Path(tmp) / "server.log")}
        if args.national:
            national = ROOT / "var" / "national"
            if not (national / "var").exists():
                sys.exit("Den nationella databasen saknas: kör först  .venv/bin/python scripts/national.py")
            env |= {
                "INSATSKOLLEN_VAR": str(national / "var"),
                "INSATSKOLLEN_DATA": str(national / "data"),
            }
        else:
            env |= {"INSATSKOLLEN_VAR": str(Path(tmp) / "load.duckdb")}
            env.pop("INSATSKOLLEN_DATA", None)
        port = server_kit.free_port()
        server = start_server(port, env)
        try:
            wait_healthy(port, server)
            result = summarise(*asyncio.run(run_users(f"http://127.0.0.1:{port}", args)), args)
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log = Path(env["LOADTEST_LOG"]).read_text(encoding="utf-8", errors="replace")
    report(result | {"data": label, "server_peak_rss_mb": rss}, args, out, log)


def report(result: dict, args, out: Path, log: str) -> None:
    """Write the JSON, print the table; exit 1 when a session failed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    failures, rss, label = result["failures"], result.get("server_peak_rss_mb"), result["data"]
    most = f", högst {args.changes} byten per session" if args.changes else ""
    print(
        f"Lasttest ({label} data): {args.sessions} samtidiga sessioner i {args.seconds:.0f} s{most}, "
        f"mikropaus {args.think} s"
    )
    print(f"Första körningen efter start (databasen öppnas): {result['first_run_ms']:.0f} ms")
    if result["changes"]:
        ok = "ok" if result["p95_ms"] < TARGET_P95_MS else "MISSAR"
        print(
            f"Filterbyten: {result['changes']}  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
            f"max {result['max_ms']} ms  mål p95 < {TARGET_P95_MS} ms  {ok}"
        )
        for page, row in result["per_page"].items():
            print(
                f"  {page:<22} {row['changes']:>4} byten  p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms"
            )
    if result["saves"]:
        print(
            f"Sparade scenarier: {result['saves']}  p50 {result['save_p50_ms']} ms  p95 {result['save_p95_ms']} ms"
        )
    if len(result["sessions_per_upstream"]) > 1:
        print(
            "Sessioner per server: "
            + ", ".join(f"{u}: {n}" for u, n in result["sessions_per_upstream"].items())
        )
    print(f"Misslyckade sessioner: {len(failures)}")
    for failure in failures:
        print(f"  {failure}")
    if failures and "Traceback" in log:
        print("Serverns logg innehåller fel:\n" + log[-3000:])
    if rss is not None:
        print(f"Serverns högsta minnesanvändning (RSS): {rss} MB")
    print(f"JSON: {out}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
