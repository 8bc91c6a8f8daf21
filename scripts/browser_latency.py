#!/usr/bin/env python3
"""Browser-side latency: from a filter change in the sidebar until the last chart is drawn again.

    .venv/bin/python scripts/browser_latency.py [--national] [--changes 20] [--pages Översikt,Nämnder]

Starts `streamlit run app.py` on a free loopback port (bundled data in a throwaway folder, or with
--national the synthetic national data in var/national, as scripts/loadtest.py does) and drives
headless Chromium (/usr/bin/chromium) with Playwright. On every browsing page it makes --changes
sidebar changes, one click each, walking through the filter combinations of scripts/workload.py: a
value added to a list (typed into the box, then its option clicked) or removed (the value's ×).

Each change is timed inside the page, with the browser's own clock (performance.now()):

- start: the pointerdown of the click that made the change (the event's timeStamp);
- done: the latest of (a) Streamlit idle: the first DOM change, after the rerun's last websocket
  message, that leaves no running indicator, skeleton or stale element, (b) that last message, and
  (c) Plotly's `plotly_afterplot` on every chart the rerun drew. The listener is attached as Plotly
  creates a chart's event emitter, so a chart node Streamlit replaces is caught as well as one it
  re-renders; a page with no chart waits only for idle (the table says which).

Also per change: the bytes the rerun sent over the websocket, the time of its last message
(server + transfer) against the time after it (the browser drawing), the main thread's long tasks,
and per chart the size of its Plotly spec (bytes of JSON) and its number of points. Prints a table and
writes JSON (artifacts/browser-latency[-national].json) with the machine and the load average.
Targets, reported and never asserted: p95 < 500 ms bundled, < 1 s national.

Presentation hides the sidebar (the slides fill the screen; its filters are changed on the other
pages). To time the same rerun there, this script shows the sidebar again with a style of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from benchmark import machine  # noqa: E402
from workload import FILTER_KEYS, PAGES, filter_cycle, percentile  # noqa: E402

from insatskollen.ui.sidebar import FILTER_LABELS  # noqa: E402
from tests.browser_kit import CHROMIUM, LAUNCH_ARGS  # noqa: E402 - one Chromium setup
from tests.server_kit import free_port, streamlit_command, wait_healthy  # noqa: E402 - one way to start a server

TARGET_P95_MS = {"bundled": 500, "national": 1000}
# Every page the sidebar's filters drive; Importera is a form, not a filtered view.
MEASURED = [title for title, _, _ in PAGES if title != "Importera"]
LABELS = FILTER_LABELS  # the sidebar's label of each filter
QUIET_MS = 400  # nothing arrives, changes or draws for this long: the change is over
SHOW_SIDEBAR = 'html body section[data-testid="stSidebar"] { display: flex !important; }'

# Installed before the app's own scripts, in every document the page opens.
PROBE = r"""
(() => {
  const ik = window.__ik = {
    armed: false, t0: null, href: null, nextId: 0,
    lastMsgAt: null, firstMsgAt: null, msgSinceIdle: false, bytes: 0, messages: 0,
    idleAt: null, wasBusy: false, lastMutationAt: 0, afterplots: [], longtasks: [],
  };
  const now = () => performance.now();
  ik.busy = () => !!(document.querySelector('[data-testid="stStatusWidget"] button')
      || document.querySelector('[data-testid="stSkeleton"]')
      || document.querySelector('[data-stale="true"]'));
  ik.arm = () => {
    Object.assign(ik, {armed: true, t0: null, href: location.href, lastMsgAt: null, firstMsgAt: null,
                       msgSinceIdle: false, bytes: 0, messages: 0, idleAt: null, afterplots: [], longtasks: []});
  };
  for (const type of ['pointerdown', 'keydown']) {
    window.addEventListener(type, (event) => {
      if (ik.armed && ik.t0 === null) ik.t0 = event.timeStamp;
    }, true);
  }
  // Streamlit's websocket: when each message of the rerun arrived, and how many bytes.
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (ik.t0 === null) return;
        const t = now();
        ik.firstMsgAt = ik.firstMsgAt ?? t;
        ik.lastMsgAt = t;
        ik.msgSinceIdle = true;
        ik.messages += 1;
        const d = event.data;
        ik.bytes += d.byteLength ?? d.size ?? d.length ?? 0;
      });
    }
  };
  // Plotly gives each chart node an event emitter (gd._ev) when it first draws it, and again after a
  // purge; catching that assignment attaches the listener before the first plotly_afterplot.
  Object.defineProperty(HTMLElement.prototype, '_ev', {
    configurable: true,
    get() { return undefined; },
    set(emitter) {
      Object.defineProperty(this, '_ev', {value: emitter, writable: true, configurable: true});
      const node = this;
      if (!node.__ikId) { node.__ikId = ++ik.nextId; node.__ikBorn = now(); }
      emitter.on('plotly_afterplot', () => { ik.afterplots.push({id: node.__ikId, t: now()}); });
    },
  });
  const watch = () => {
    new MutationObserver(() => {
      const t = now();
      ik.lastMutationAt = t;
      if (ik.t0 === null) return;
      if (ik.busy()) { ik.wasBusy = true; }
      else if (ik.wasBusy || ik.msgSinceIdle) { ik.idleAt = t; ik.wasBusy = false; ik.msgSinceIdle = false; }
    }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (ik.t0 !== null) ik.longtasks.push([e.startTime, e.duration]);
      }).observe({type: 'longtask', buffered: false});
    } catch (e) {}
  };
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
  // Over when: the link changed (the app writes every filter into it), Streamlit is idle, and nothing
  // has arrived, changed or been drawn for `quiet` ms.
  ik.settled = (quiet) => {
    if (ik.t0 === null || location.href === ik.href || ik.busy() || ik.lastMsgAt === null) return false;
    const last = Math.max(ik.lastMsgAt, ik.lastMutationAt, ...ik.afterplots.map(a => a.t));
    return now() - last >= quiet;
  };
  ik.charts = () => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
  ik.result = () => {
    const charts = ik.charts();
    const drawn = charts.map(c => ik.afterplots.filter(a => a.id === c.__ikId).map(a => a.t));
    const lastDraw = drawn.flat().reduce((a, b) => Math.max(a, b), 0);
    const done = Math.max(ik.idleAt ?? 0, ik.lastMsgAt ?? 0, lastDraw);
    const points = (trace) => Math.max(0, ...['x', 'y', 'z', 'values', 'labels', 'lat', 'lon']
        .map(k => (trace[k] && trace[k].length) || 0)) || ((trace.node && trace.node.label) || []).length;
    return {
      total_ms: done - ik.t0,
      server_ms: (ik.lastMsgAt ?? done) - ik.t0,
      first_message_ms: (ik.firstMsgAt ?? done) - ik.t0,
      browser_ms: done - (ik.lastMsgAt ?? done),
      idle_ms: (ik.idleAt ?? ik.lastMsgAt ?? done) - ik.t0,
      long_tasks_ms: ik.longtasks.filter(([s]) => s >= ik.t0 && s <= done).reduce((a, [, d]) => a + d, 0),
      bytes: ik.bytes,
      messages: ik.messages,
      charts: charts.length,
      charts_redrawn: drawn.filter(d => d.length).length,
      charts_new_node: charts.filter(c => c.__ikBorn >= ik.t0).length,
      spec_bytes: charts.map(c => JSON.stringify({data: c.data, layout: c.layout}).length),
      points: charts.map(c => (c.data || []).reduce((a, t) => a + points(t), 0)),
      dataframes: document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]').length,
      url: location.href,
    };
  };
})();
"""


def filter_options(var: Path) -> dict[str, list[str]]:
    """Every value each sidebar list offers without filters, in the sidebar's order (sidebar.filter_options)."""
    from insatskollen.core.filters import Filters
    from insatskollen.store.db import Database

    db = Database.open(var)
    try:
        options = db.query("filter_options", **Filters().params())
    finally:
        db.close()
    return {key: [str(v) for v in options[options["filter"] == key].value] for key in FILTER_KEYS}


def steps(current: dict[str, list[str]], target: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """The clicks from one filter setting to the next: ('remove'|'add', key, value), removals first."""
    out = [
        ("remove", key, value)
        for key in FILTER_KEYS
        for value in current.get(key, [])
        if value not in target.get(key, [])
    ]
    out += [
        ("add", key, value)
        for key in FILTER_KEYS
        for value in target.get(key, [])
        if value not in current.get(key, [])
    ]
    return out


def wait_idle(page, timeout_ms: int) -> None:
    page.wait_for_function("() => !window.__ik.busy()", timeout=timeout_ms)


def click_change(page, action: str, key: str, value: str, timeout_ms: int) -> bool:
    """Make one change as a person does; False when the value is not offered (the other choices exclude
    it). The click itself is the start of the measurement (the probe is armed just before)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    label = LABELS[key]
    if action == "remove":
        button = sidebar.get_by_role("button", name=f"Remove {value}", exact=True).first
        if not button.count():
            return False
        page.evaluate("window.__ik.arm()")
        button.click()
        return True
    box = sidebar.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(value)  # a long list is virtualised: a person types to find the value
    option = page.get_by_role("option", name=value, exact=True).first
    try:
        option.wait_for(state="visible", timeout=3_000)
    except Exception:  # Playwright's TimeoutError: not offered with the other choices
        box.fill("")
        page.keyboard.press("Escape")
        return False
    page.evaluate("window.__ik.arm()")
    option.click()
    return True


def measure_page(page, base: str, title: str, path: str, cycle, changes: int, timeout_ms: int) -> dict:
    """Open the page without filters, then make `changes` sidebar changes, each timed in the page."""
    page.goto(f"{base}/{path}")
    # a heading, or Presentation's note that the selection holds too many municipalities for a deck
    page.wait_for_selector('h1, [data-testid="stMain"] [data-testid="stAlert"]', timeout=timeout_ms)
    if title == "Presentation":
        page.add_style_tag(content=SHOW_SIDEBAR)
    wait_idle(page, timeout_ms)
    page.wait_for_timeout(QUIET_MS)
    opened = page.evaluate("window.__ik.charts().length")
    current: dict[str, list[str]] = {}
    runs, skipped, position = [], 0, 0
    while len(runs) < changes:
        position += 1
        if position > changes * 10:
            raise RuntimeError(f"{title}: bara {len(runs)} av {changes} ändringar gick att göra")
        target = cycle[position % len(cycle)]
        for action, key, value in steps(current, target):
            if len(runs) >= changes:
                break
            if not click_change(page, action, key, value, timeout_ms):
                skipped += 1
                continue
            page.wait_for_function(f"() => window.__ik.settled({QUIET_MS})", timeout=timeout_ms, polling=50)
            result = page.evaluate("window.__ik.result()")
            result["change"] = f"{'+' if action == 'add' else '−'} {LABELS[key]}: {value}"
            runs.append(result)
            chosen = current.setdefault(key, [])
            if action == "add":
                chosen.append(value)
            else:
                chosen.remove(value)
            page.keyboard.press("Escape")  # close the list, as a person moves on
    errors = page.locator('[data-testid="stException"]').count()
    return summarise_page(title, path, runs, opened, skipped, errors)


def summarise_page(title: str, path: str, runs: list[dict], opened: int, skipped: int, errors: int) -> dict:
    totals = [r["total_ms"] for r in runs]
    charted = [r for r in runs if r["charts"]]

    def stat(key: str) -> dict:
        values = [r[key] for r in runs]
        return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 95), 1)}

    return {
        "page": title,
        "path": "/" + path,
        "changes": len(runs),
        "charts_on_open": opened,
        "charts_max": max((r["charts"] for r in runs), default=0),
        "waits_for": "idle + plotly_afterplot" if charted else "idle (inga diagram)",
        "p50_ms": round(statistics.median(totals), 1),
        "p95_ms": round(percentile(totals, 95), 1),
        "max_ms": round(max(totals), 1),
        "min_ms": round(min(totals), 1),
        "server": stat("server_ms"),
        "browser": stat("browser_ms"),
        "long_tasks_p95_ms": round(percentile([r["long_tasks_ms"] for r in runs], 95), 1),
        "bytes_p50": int(statistics.median(r["bytes"] for r in runs)),
        "bytes_max": max(r["bytes"] for r in runs),
        "spec_bytes_max": max((max(r["spec_bytes"]) for r in charted), default=0),
        "points_max": max((max(r["points"]) for r in charted), default=0),
        "dataframes_max": max(r["dataframes"] for r in runs),
        "charts_redrawn_total": sum(r["charts_redrawn"] for r in runs),
        "charts_new_node_total": sum(r["charts_new_node"] for r in runs),
        "skipped_values": skipped,
        "errors_shown": errors,
        "runs": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()} for r in runs],
    }


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    label = "national" if args.national else "bundled"
    wanted = [p.strip() for p in args.pages.split(",")] if args.pages else MEASURED
    unknown = set(wanted) - set(MEASURED)
    if unknown:
        sys.exit(f"Okända sidor: {', '.join(sorted(unknown))}. Välj bland: {', '.join(MEASURED)}")
    pages = [(title, path) for title, _, path in PAGES if title in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if args.national:
            national = ROOT / "var" / "national"
            if not (national / "var").exists():
                sys.exit("Den nationella databasen saknas: kör först  .venv/bin/python scripts/national.py")
            var = national / "var"
            env |= {"INSATSKOLLEN_VAR": str(var), "INSATSKOLLEN_DATA": str(national / "data")}
        else:
            var = Path(tmp) / "var"
            env |= {"INSATSKOLLEN_VAR": str(var)}
            env.pop("INSATSKOLLEN_DATA", None)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                streamlit_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        load_before = loadavg()
        started = time.perf_counter()
        try:
            wait_healthy(base, lambda: server.poll() is None, 120)
            results = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.add_init_script(PROBE)
                page.goto(base + "/")  # the first visit opens the database and builds the bundled data
                page.wait_for_selector("h1", timeout=args.timeout * 1000)
                cycle = filter_cycle(filter_options(var))
                for title, path in pages:
                    try:
                        results.append(
                            measure_page(page, base, title, path, cycle, args.changes, args.timeout * 1000)
                        )
                    except Exception as error:  # Playwright's errors: said per page, the others still run
                        shot = ROOT / "artifacts" / f"browser-latency-{path or 'oversikt'}-fel.png"
                        shot.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(shot))
                        results.append({"page": title, "path": "/" + path, "failure": str(error)[:500]})
                    print(f"  {title}: klar ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
                browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log = log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "chromium": CHROMIUM,
        "data": label,
        "changes_per_page": args.changes,
        "quiet_ms": QUIET_MS,
        "load_average_before": load_before,
        "load_average_after": loadavg(),
        "target_p95_ms": TARGET_P95_MS[label],
        "pages": results,
        "server_log_has_traceback": "Traceback" in server_log,
    }


def report(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    target = result["target_p95_ms"]
    before, after = result["load_average_before"], result["load_average_after"]
    print(
        f"Svarstid i webbläsaren ({result['data']} data), från klick i sidopanelen tills sidan är ritad igen; "
        f"mål p95 < {target} ms"
    )
    print(f"Belastning (load average 1/5/15 min) före: {before}  efter: {after}")
    head = (
        f"{'sida':<22}{'byten':>6}{'diagram':>8}{'p50':>8}{'p95':>8}{'max':>8}"
        f"{'server p50':>11}{'webbl. p50':>11}{'KB p50':>8}{'spec KB':>9}{'punkter':>8}  väntar på"
    )
    print(head)
    for row in result["pages"]:
        if "failure" in row:
            print(f"{row['page']:<22} MISSLYCKADES: {row['failure'].splitlines()[0]}")
            continue
        ok = "" if row["p95_ms"] < target else " MISSAR"
        print(
            f"{row['page']:<22}{row['changes']:>6}{row['charts_max']:>8}{row['p50_ms']:>8.0f}"
            f"{row['p95_ms']:>8.0f}{row['max_ms']:>8.0f}{row['server']['p50_ms']:>11.0f}"
            f"{row['browser']['p50_ms']:>11.0f}{row['bytes_p50'] / 1024:>8.0f}"
            f"{row['spec_bytes_max'] / 1024:>9.0f}{row['points_max']:>8}  {row['waits_for']}{ok}"
        )
    errors = [row["page"] for row in result["pages"] if row.get("errors_shown")]
    if errors:
        print("Fel visades på: " + ", ".join(errors))
    if result["server_log_has_traceback"]:
        print("Serverns logg innehåller en traceback.")
    print(f"JSON: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--national", action="store_true", help="serve var/national (scripts/national.py)")
    parser.add_argument("--changes", type=int, default=20, help="sidebar changes per page (default 20)")
    parser.add_argument(
        "--pages", default=None, help="comma-separated page titles (default: every filtered page)"
    )
    parser.add_argument("--timeout", type=int, default=60, help="seconds one change may take (default 60)")
    parser.add_argument(
        "--json", type=Path, default=None, help="default artifacts/browser-latency[-national].json"
    )
    args = parser.parse_args()
    out = args.json or ROOT / "artifacts" / f"browser-latency{'-national' if args.national else ''}.json"
    result = run(args)
    report(result, out)
    failed = any(row.get("errors_shown") or "failure" in row for row in result["pages"])
    if failed or result["server_log_has_traceback"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
