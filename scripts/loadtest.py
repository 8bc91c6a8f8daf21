#!/usr/bin/env python3
"""Load test: concurrent sessions against the real server on loopback.

    .venv/bin/python scripts/loadtest.py [--sessions 10] [--seconds 60] [--national]

Starts `streamlit run app.py` on a free loopback port (bundled data in a throwaway database, or with
--national the synthetic national database made by scripts/national.py), then opens N websocket
sessions, speaking Streamlit's own protocol (the protobuf messages the browser sends), so the server
does exactly the work it does for a browser while the client costs next to nothing on the same
machine. Each session opens a page, then, until the time is up, changes the sidebar filters (the
combinations in scripts/workload.py), waits for the rerun to finish, pauses (--think seconds, a user
reading), and moves to the next page every fifth change.

Reported: p50/p95/max time from sending the change to the server's "script finished", the number of
changes, failed sessions (a closed connection, an error shown in the app, a rerun that did not finish
within --timeout seconds), and the server's peak resident memory (VmHWM). Targets: p95 under 1 s,
zero failed sessions. Prints a table and writes JSON; targets are reported, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from benchmark import machine, peak_rss_mb, percentile  # noqa: E402
from workload import FILTER_KEYS, PAGES, filter_cycle  # noqa: E402

TARGET_P95_MS = 1000
FILTER_WIDGET_PREFIX = "filter_"


class SessionFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    log = open(env["LOADTEST_LOG"], "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("servern avslutades innan den svarade")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"servern svarade inte inom {timeout:.0f} s")


class Session:
    """One user: a websocket to /_stcore/stream, the filter widgets' ids and options as the server sent them."""

    def __init__(self, url: str, timeout: float):
        self.url = url
        self.timeout = timeout
        self.widget_ids: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.query_string: str | None = None  # what the app last wrote to the address bar
        self.ws = None

    async def __aenter__(self):
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=30
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    def _states(self, filters: dict[str, list[str]]):
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        for key in FILTER_KEYS:
            widget_id = self.widget_ids.get(key)
            if widget_id:
                state = states.widgets.add()
                state.id = widget_id
                state.string_array_value.data.extend(filters.get(key, []))
        return states

    async def rerun(self, page: str, filters: dict[str, list[str]] | None) -> float:
        """Send what a browser sends when a filter changes; return ms until the script finished."""
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_name = page
        if filters is not None:
            message.rerun_script.widget_states.CopyFrom(self._states(filters))
        self.query_string = None
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        while True:
            remaining = self.timeout - (time.perf_counter() - start)
            if remaining <= 0:
                raise SessionFailed(f"sidan {page or 'Översikt'} blev inte klar inom {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=remaining)
            except TimeoutError:
                continue
            except websockets.ConnectionClosed as exc:
                raise SessionFailed(f"anslutningen stängdes: {exc}") from exc
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self._look_at(forward)
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "page_not_found":
                raise SessionFailed(f"sidan {page} finns inte")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    elapsed = (time.perf_counter() - start) * 1000
                    if filters and not self.query_string:
                        # the app writes the filters it used into the link; none means they never arrived
                        raise SessionFailed(f"filtren {filters} nådde inte appen")
                    return elapsed
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise SessionFailed(f"körningen avslutades med status {status}")

    def _look_at(self, forward) -> None:
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise SessionFailed(f"appen visade ett fel: {element.exception.message[:200]}")
        if kind == "multiselect":
            for key in FILTER_KEYS:
                if element.multiselect.id.endswith(FILTER_WIDGET_PREFIX + key):
                    self.widget_ids[key] = element.multiselect.id
                    self.options[key] = list(element.multiselect.options)


async def user(
    number: int, url: str, args, deadline: float, timings: list[float], failures: list[str], per_page: dict
) -> int:
    rng = random.Random(number)
    changes = 0
    try:
        async with Session(url, args.timeout) as session:
            page_index = number % len(PAGES)
            await session.rerun(PAGES[page_index][2], None)
            if set(session.widget_ids) != set(FILTER_KEYS):
                raise SessionFailed("sidopanelens filter kom inte fram")
            cycle = filter_cycle(session.options)
            step = number
            while time.monotonic() < deadline:
                step += 1
                if step % 5 == 0:
                    page_index = (page_index + 1) % len(PAGES)
                elapsed = await session.rerun(PAGES[page_index][2], cycle[step % len(cycle)])
                timings.append(elapsed)
                per_page.setdefault(PAGES[page_index][0], []).append(elapsed)
                changes += 1
                await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)
    except (SessionFailed, OSError, websockets.InvalidHandshake) as exc:
        failures.append(f"session {number + 1}: {exc}")
    return changes


async def run_users(url: str, args) -> tuple[list[float], list[str], float, dict]:
    # One session first, alone: the server opens the database and fills its caches of the filter options.
    timings: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    await user(-1, url, argparse.Namespace(**{**vars(args), "think": 0}), time.monotonic(), [], failures, {})
    first_ms = (time.perf_counter() - start) * 1000
    deadline = time.monotonic() + args.seconds
    per_page: dict[str, list[float]] = {}
    await asyncio.gather(
        *(user(i, url, args, deadline, timings, failures, per_page) for i in range(args.sessions))
    )
    return timings, failures, first_ms, per_page


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the sessions click (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between changes, s (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=30, help="a rerun slower than this fails (default 30)"
    )
    parser.add_argument("--national", action="store_true", help="serve var/national (scripts/national.py)")
    parser.add_argument("--json", type=Path, default=None, help="default artifacts/loadtest[-national].json")
    args = parser.parse_args()
    label = "national" if args.national else "bundled"
    out = args.json or ROOT / "artifacts" / f"loadtest{'-national' if args.national else ''}.json"

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
        port = free_port()
        server = start_server(port, env)
        try:
            wait_healthy(port, server)
            timings, failures, first_ms, per_page = asyncio.run(
                run_users(f"ws://127.0.0.1:{port}/_stcore/stream", args)
            )
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log = Path(env["LOADTEST_LOG"]).read_text(encoding="utf-8", errors="replace")

    result = {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "data": label,
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think_s": args.think,
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
        "failed_sessions": len(failures),
        "failures": failures,
        "server_peak_rss_mb": rss,
        "target_p95_ms": TARGET_P95_MS,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    print(
        f"Lasttest ({label} data): {args.sessions} samtidiga sessioner i {args.seconds:.0f} s, mikropaus {args.think} s"
    )
    print(f"Första körningen efter start (databasen öppnas): {first_ms:.0f} ms")
    if timings:
        ok = "ok" if result["p95_ms"] < TARGET_P95_MS else "MISSAR"
        print(
            f"Filterbyten: {len(timings)}  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
            f"max {result['max_ms']} ms  mål p95 < {TARGET_P95_MS} ms  {ok}"
        )
        for page, row in result["per_page"].items():
            print(
                f"  {page:<22} {row['changes']:>4} byten  p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms"
            )
    print(f"Misslyckade sessioner: {len(failures)}")
    for failure in failures:
        print(f"  {failure}")
    if failures and "Traceback" in log:
        print("Serverns logg innehåller fel:\n" + log[-3000:])
    print(f"Serverns högsta minnesanvändning (RSS): {rss} MB")
    print(f"JSON: {out}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
