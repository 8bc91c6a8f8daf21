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
import html
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from benchmark import machine, peak_rss_mb, percentile  # noqa: E402
from workload import FILTER_KEYS, PAGES, filter_cycle  # noqa: E402

from tests import server_kit  # noqa: E402 - one way to start a server, for the tests and the tools

TARGET_P95_MS = 1000
FILTER_WIDGET_PREFIX = "filter_"
SCENARIO_PAGE = "scenarier"  # pages/scenarier.py, its widget keys scn_*


class SessionFailed(Exception):
    pass


class SaveRefused(SessionFailed):
    """The app answered a save with an error message (e.g. a name already taken)."""


SAVED_MESSAGE = "Scenariot är sparat."  # what pages/scenarier.py shows once a save is committed
ELEMENT_ID_PREFIX = "$$ID-"  # Streamlit's id of a widget with a key: $$ID-<hash>-<key>


def widget_key(widget_id: str) -> str | None:
    """The key a page gave a widget, read from the id Streamlit made of it (None without a key)."""
    if not widget_id.startswith(ELEMENT_ID_PREFIX):
        return None
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else None


def shown_text(body: str) -> str:
    """An alert's text as the person reads it (text.plain escapes markdown as entities and backslashes)."""
    return html.unescape(body).replace("\\", "")


def ws_url(base_url: str) -> str:
    """The websocket a browser opens for a page served at base_url."""
    return (
        base_url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        + "/_stcore/stream"
    )


def route_cookie(base_url: str, timeout: float = 30) -> tuple[str | None, str | None]:
    """Load the page as a browser does; returns (the ik_route cookie nginx set, the X-Upstream that
    answered). Both are None against a server without nginx in front."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/", timeout=timeout) as response:
            response.read()
            headers = response.headers
    except http.client.HTTPException as error:  # e.g. the server died while sending the page
        raise SessionFailed(f"sidan kom inte fram: {type(error).__name__}") from error
    cookie = None
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == "ik_route":
            cookie = f"ik_route={rest.split(';', 1)[0]}"
    return cookie, headers.get("X-Upstream")


def start_server(port: int, env: dict) -> subprocess.Popen:
    command = server_kit.streamlit_command(port)
    log = open(env["LOADTEST_LOG"], "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    server_kit.wait_healthy(f"http://127.0.0.1:{port}", lambda: process.poll() is None, timeout)


class Session:
    """One user: a websocket to /_stcore/stream, the filter widgets' ids and options as the server sent them."""

    def __init__(self, url: str, timeout: float, cookie: str | None = None):
        self.url = url
        self.timeout = timeout
        self.cookie = cookie  # nginx's route cookie: the websocket goes where the page came from
        self.widget_ids: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.keyed: dict[str, str] = {}  # widget key -> id, for every keyed widget the app drew
        self.alerts: list[tuple[int, str]] = []  # (Alert.Format, text) shown during the last run
        self.selected: dict[str, str] = {}  # selectbox key -> the option it shows
        self.query_string: str | None = None  # what the app last wrote to the address bar
        self.upstream: str | None = None
        self.ws = None

    async def __aenter__(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        try:
            self.ws = await websockets.connect(
                self.url,
                subprotocols=["streamlit"],
                max_size=None,
                open_timeout=30,
                additional_headers=headers,
            )
        except websockets.InvalidHandshake as exc:  # e.g. nginx answering 502 while no server is up
            raise SessionFailed(f"anslutningen öppnades inte: {exc}") from exc
        self.upstream = self.ws.response.headers.get("X-Upstream")
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

    def _widget_states(self, texts: dict[str, str], trigger: str | None):
        """Text and selectbox values by widget key (both are strings on the wire) and one button press."""
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        for key, value in texts.items():
            if key not in self.keyed:
                raise SessionFailed(f"fältet {key} syns inte på sidan")
            state = states.widgets.add()
            state.id = self.keyed[key]
            state.string_value = value
        if trigger:
            if trigger not in self.keyed:
                raise SessionFailed(f"knappen {trigger} syns inte på sidan")
            state = states.widgets.add()
            state.id = self.keyed[trigger]
            state.trigger_value = True
        return states

    async def rerun(
        self,
        page: str,
        filters: dict[str, list[str]] | None,
        texts: dict[str, str] | None = None,
        trigger: str | None = None,
    ) -> float:
        """Send what a browser sends when a filter changes, or (texts, trigger) when a person types into
        fields and presses a button; return ms until the script finished."""
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_name = page
        if filters is not None:
            message.rerun_script.widget_states.CopyFrom(self._states(filters))
        elif texts is not None or trigger:
            message.rerun_script.widget_states.CopyFrom(self._widget_states(texts or {}, trigger))
        self.query_string = None
        self.alerts = []
        start = time.perf_counter()
        try:
            await self.ws.send(message.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise SessionFailed(f"anslutningen stängdes: {exc}") from exc
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

    async def save_scenario(self, name: str, author: str, frame: str | None = None) -> str:
        """On the Scenarier page: type the author, start a new scenario from a frame (the first, or the
        one whose label is `frame`), type its name and press "Spara som nytt scenario". Returns the saved
        scenario's id once the app says it is saved; SaveRefused with the app's message otherwise."""
        await self.rerun(SCENARIO_PAGE, None)
        if "scn_new_frame" not in self.selected:
            raise SessionFailed("Scenarier visar ingen ram att utgå från")
        texts = {"scn_author": author, "scn_new_frame": frame or self.selected["scn_new_frame"]}
        await self.rerun(SCENARIO_PAGE, None, texts, "scn_start")
        await self.rerun(SCENARIO_PAGE, None, texts | {"scn_name": name}, "scn_save_new")
        from streamlit.proto.Alert_pb2 import Alert

        shown = [shown_text(text) for kind, text in self.alerts if kind in (Alert.ERROR, Alert.WARNING)]
        if not any(kind == Alert.SUCCESS and shown_text(text) == SAVED_MESSAGE for kind, text in self.alerts):
            raise SaveRefused(f"sparandet av {name!r} kvitterades inte: {shown or self.alerts}")
        scenario_id = dict(p.split("=", 1) for p in (self.query_string or "").split("&") if "=" in p).get(
            "scenario"
        )
        if not scenario_id:
            raise SessionFailed(f"{name!r} sparades men länken till scenariot kom inte")
        return scenario_id

    def _look_at(self, forward) -> None:
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise SessionFailed(f"appen visade ett fel: {element.exception.message[:200]}")
        if kind == "alert":
            self.alerts.append((element.alert.format, element.alert.body))
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        key = widget_key(widget_id) if isinstance(widget_id, str) else None
        if key:
            self.keyed[key] = widget_id
        if key and kind == "selectbox":  # what the browser would send back for it: the shown choice
            box = element.selectbox
            if box.HasField("raw_value"):
                self.selected[key] = box.raw_value
            elif box.HasField("default") and box.default < len(box.options):
                self.selected[key] = box.options[box.default]
        if kind == "multiselect":
            for key in FILTER_KEYS:
                if element.multiselect.id.endswith(FILTER_WIDGET_PREFIX + key):
                    self.widget_ids[key] = element.multiselect.id
                    self.options[key] = list(element.multiselect.options)


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


def run_async(make_coroutine):
    """asyncio.run(make_coroutine()) in a thread of its own and return its result: callable also where
    an event loop is already running (a test that holds Playwright's sync API in the main thread)."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as error:  # handed to the caller
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


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
