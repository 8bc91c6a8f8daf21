#!/usr/bin/env python3
"""How many concurrent sessions 1, 2 and 4 server processes hold (issue 16, item 5).

    .venv/bin/python scripts/scaling.py [--servers 1 2 4] [--steps 4 8 12 16 24 32 48 64 96]
                                        [--seconds 30] [--think 1.0] [--json PATH] [--png PATH]
                                        [--national [--national-dir var/national]]

For each server count it starts the cluster of scripts/cluster.py (PostgreSQL, one build of the bundled
data, or with --national of var/national/data from scripts/national.py, N Streamlit servers, nginx with
sticky sessions), then runs the load test of scripts/loadtest.py
through nginx with more and more concurrent sessions, each step for --seconds, and stops at the first
step that misses: p95 of a filter change >= 1 s or a failed session. "Held" is the largest session count
that met both. Per step it records changes, p50/p95/max, failed sessions, each server's peak RSS in that
step (VmHWM, reset before the step through /proc/PID/clear_refs), the CPU seconds spent by the servers,
nginx, PostgreSQL and this client, how busy the whole machine was, and the load average before and after.

Writes artifacts/scaling.json after every step (so an interrupted run keeps what it measured) and, at
the end, artifacts/scaling.png: sessions held against server processes. Speed is reported, never judged
here; the cores are shared, so read the figures with the load average and the machine's busy share.

Every process it starts is stopped on a normal end, on an error, on Ctrl-C and on SIGTERM (a second
Ctrl-C during the cleanup is ignored). PostgreSQL is a daemon: after SIGKILL of this script see
scripts/cluster.py for how to stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import loadtest  # noqa: E402
from benchmark import machine, status_mb  # noqa: E402
from cluster import Cluster  # noqa: E402

TARGET_P95_MS = loadtest.TARGET_P95_MS
DEFAULT_SERVERS = (1, 2, 4)
DEFAULT_STEPS = (4, 8, 12, 16, 24, 32, 48, 64, 96)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ what /proc says


def load_average() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the state on; the name may hold spaces


def process_tree(pid: int | None) -> list[int]:
    """pid and all its descendants that are alive now."""
    if pid is None or _stat(pid) is None:
        return []
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (all their threads)."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def peak_rss_mb(pid: int | None) -> float | None:
    return None if pid is None else status_mb(pid, "VmHWM")


def reset_peak_rss(pid: int | None) -> bool:
    """Set a process's VmHWM back to its current RSS, so the next reading is the peak of one step."""
    if pid is None:
        return False
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def postmaster_pid(cluster: Cluster) -> int | None:
    if cluster.pg is None:
        return None
    try:
        return int((cluster.pg.data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# ------------------------------------------------------------------ one cluster, steps up


INTERRUPTED: list[str] = []  # the signal that asked us to stop, once one has


def _interrupt(signum, frame) -> None:
    """Ctrl-C and SIGTERM: remember it and raise KeyboardInterrupt, which also leaves asyncio.run.

    Our own handler, not asyncio's: asyncio.run turns Ctrl-C into a cancellation of the sessions and
    drops it when they have just ended on their own, which they do at once when the terminal's Ctrl-C
    also reached the servers (seen: the run went on to report a "missed" step)."""
    INTERRUPTED.append(signal.Signals(signum).name)
    raise KeyboardInterrupt(INTERRUPTED[0])


@contextlib.contextmanager
def shielded():
    """No Ctrl-C or SIGTERM while the cluster is being stopped: a half-done cleanup leaves processes."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def start_time(pid: int) -> int | None:
    """When a process started (clock ticks after boot): with the pid, names a process even after the
    pid is reused (pid_max is 32768 here; busy test runs wrap it within minutes)."""
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def cluster_facts(cluster: Cluster) -> dict:
    """What the run started, so a test can check that all of it is gone afterwards."""
    facts = {
        "ports": {
            "nginx": cluster.nginx_port,
            "servers": list(cluster.ports),
            "postgres": cluster.pg.port if cluster.pg else None,
        },
        "pids": {
            "nginx": process_tree(cluster.nginx.pid if cluster.nginx else None),
            "servers": [pid for pid in cluster.pids if pid],
            "postgres": process_tree(postmaster_pid(cluster)),
        },
        "dirs": [str(cluster.root)] + ([str(cluster.pg.root)] if cluster.pg else []),
    }
    pids = [pid for group in facts["pids"].values() for pid in group]
    facts["processes"] = [{"pid": pid, "start": start_time(pid)} for pid in pids]
    return facts


def run_step(cluster: Cluster, sessions: int, seconds: float, think: float, timeout: float) -> dict:
    """One load test of `sessions` sessions through nginx; the figures of the step."""
    servers = [pid for pid in cluster.pids if pid]
    nginx = process_tree(cluster.nginx.pid if cluster.nginx else None)
    postgres = process_tree(postmaster_pid(cluster))
    reset = all([reset_peak_rss(pid) for pid in servers])
    load_before = load_average()
    busy_before, total_before = machine_ticks()
    cpu_before = {
        "servers": [cpu_seconds([pid]) for pid in servers],
        "nginx": cpu_seconds(nginx),
        "postgres": cpu_seconds(postgres),
        "client": time.process_time(),
    }
    started = time.monotonic()
    args = argparse.Namespace(
        sessions=sessions,
        seconds=seconds,
        think=think,
        timeout=timeout,
        save_every=0,
        run_id=datetime.now(UTC).strftime("%H%M%S%f"),
    )
    # in this thread, not loadtest.load's: Ctrl-C then cancels the sessions at once
    result = loadtest.summarise(*asyncio.run(loadtest.run_users(cluster.nginx_url, args)), args)
    duration = time.monotonic() - started
    busy_after, total_after = machine_ticks()
    # the new processes PostgreSQL forked for connections during the step count too
    postgres = sorted(set(postgres) | set(process_tree(postmaster_pid(cluster))))
    cpu = {
        "servers": [
            round(cpu_seconds([pid]) - before, 2)
            for pid, before in zip(servers, cpu_before["servers"], strict=True)
        ],
        "nginx": round(cpu_seconds(nginx) - cpu_before["nginx"], 2),
        "postgres": round(max(0.0, cpu_seconds(postgres) - cpu_before["postgres"]), 2),
        "client": round(time.process_time() - cpu_before["client"], 2),
    }
    cores = os.cpu_count() or 1
    machine_cpu_s = (busy_after - busy_before) / CLOCK_TICKS
    ours = sum(cpu["servers"]) + cpu["nginx"] + cpu["postgres"] + cpu["client"]
    changes = result["changes"]
    held = bool(changes) and result["p95_ms"] < TARGET_P95_MS and result["failed_sessions"] == 0
    return {
        "sessions": sessions,
        "seconds": seconds,
        "duration_s": round(duration, 1),
        "changes": changes,
        "changes_per_s": round(changes / seconds, 1),
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "max_ms": result["max_ms"],
        "failed_sessions": result["failed_sessions"],
        "failures": result["failures"][:10],
        "held": held,
        "sessions_per_upstream": result["sessions_per_upstream"],
        "peak_rss_mb": [peak_rss_mb(pid) for pid in servers],
        "peak_rss_is_per_step": reset,
        "cpu_s": cpu,
        "server_cpu_ms_per_change": round(1000 * sum(cpu["servers"]) / changes, 1) if changes else None,
        "machine_busy_pct": round(100 * (busy_after - busy_before) / max(1, total_after - total_before), 1),
        "other_cpu_s": round(max(0.0, machine_cpu_s - ours), 1),  # other people's work on the cores
        "cores": cores,
        "loadavg_before": load_before,
        "loadavg_after": load_average(),
    }


def measure(servers: int, steps: list[int], args, report: dict, save) -> dict:
    """Start a cluster of `servers`, step the sessions up until one misses; always stop the cluster."""
    run = {"servers": servers, "steps": [], "sessions_held": 0, "ended_by": None}
    report["runs"].append(run)
    cluster = Cluster(servers=servers, postgres=True, data_dir=args.data_dir)
    try:
        print(f"\n{servers} server(ar): startar klustret …", flush=True)
        cluster.__enter__()  # stops what it started when the start fails
        run["started_in_s"] = cluster.started_in_s
        run |= cluster_facts(cluster)
        save()
        print(f"  startade på {cluster.started_in_s} s, nginx {cluster.nginx_url}", flush=True)
        print_header()
        for sessions in steps:
            step = run_step(cluster, sessions, args.seconds, args.think, args.timeout)
            if INTERRUPTED:  # a step cut short by the stop is not a measurement
                raise KeyboardInterrupt(INTERRUPTED[0])
            run["steps"].append(step)
            print_step(step, flush=True)
            if step["held"]:
                run["sessions_held"] = sessions
            save()
            if not step["held"]:
                run["ended_by"] = "missed"
                break
            time.sleep(args.pause)
        else:
            run["ended_by"] = "steps_exhausted"
    finally:
        with shielded():
            cluster.stop()
        run["stopped"] = True
        save()
    return run


# ------------------------------------------------------------------ output


def print_header() -> None:
    print(
        f"  {'sessioner':>9} {'byten':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'fel':>4} "
        f"{'CPU ms/byte':>11} {'RSS MB per server':<22} {'upptaget (andras)':>17} {'last före→efter':<16} klarar"
    )


def print_step(step: dict, flush: bool = False) -> None:
    rss = "/".join(f"{mb:.0f}" if mb is not None else "–" for mb in step["peak_rss_mb"])
    per_change = step["server_cpu_ms_per_change"]
    # the share of all cores used by processes that are not this run's (other people's tests)
    others = 100 * step["other_cpu_s"] / max(0.1, step["duration_s"] * step["cores"])
    print(
        f"  {step['sessions']:>9} {step['changes']:>6} {_ms(step['p50_ms']):>8} {_ms(step['p95_ms']):>8} "
        f"{_ms(step['max_ms']):>8} {step['failed_sessions']:>4} "
        f"{(f'{per_change:.0f}' if per_change is not None else '–'):>11} {rss:<22} "
        f"{step['machine_busy_pct']:>8.0f} % ({others:>3.0f} %) {step['loadavg_before'][0]:>5.2f} → {step['loadavg_after'][0]:<6.2f} "
        f"{'ja' if step['held'] else 'NEJ'}",
        flush=flush,
    )


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def print_summary(report: dict) -> None:
    print("\nSkalning: sessioner som klarar p95 < 1 s utan misslyckade sessioner")
    for run in report["runs"]:
        print(f"\n{run['servers']} server(ar), start {run.get('started_in_s', '–')} s")
        print_header()
        for step in run["steps"]:
            print_step(step)
    print("\nKurva (servrar → sessioner):")
    for point in report["curve"]:
        print(f"  {point['servers']} → {'minst ' if point['at_least'] else ''}{point['sessions_held']}")
    print(f"Maskin: {report['machine']['cpus']} kärnor, {report['machine']['processor']}")
    print(f"Körtid: {report.get('run_time_s', '–')} s")


def chart(report: dict, path: Path) -> None:
    """Sessions held against server processes, as a small PNG (Kaleido with the machine's Chromium)."""
    import plotly.graph_objects as go

    curve = report["curve"]
    loads = [s["loadavg_before"][0] for run in report["runs"] for s in run["steps"]]
    loads += [s["loadavg_after"][0] for run in report["runs"] for s in run["steps"]]
    cores = report["machine"]["cpus"]
    figure = go.Figure(
        go.Scatter(
            x=[p["servers"] for p in curve],
            y=[p["sessions_held"] for p in curve],
            mode="lines+markers+text",
            text=[("≥ " if p["at_least"] else "") + str(p["sessions_held"]) for p in curve],
            textposition="top center",
            line={"color": "#1f4e79", "width": 3},
            marker={"size": 10},
        )
    )
    load_text = (
        f"systembelastning {min(loads):.1f}–{max(loads):.1f}".replace(".", ",")  # Swedish decimal comma
        if loads
        else "systembelastning okänd"
    )
    figure.update_layout(
        title={
            "text": (
                "Samtidiga sessioner med p95 < 1 s och inga fel<br>"
                f"<sup>{'nationell' if report['data'] == 'national' else 'medföljande'} data, "
                f"{cores} kärnor, {load_text}, "
                f"{report['settings']['seconds']:.0f} s per steg, {report['measured_at'][:10]}</sup>"
            )
        },
        xaxis={"title": {"text": "Serverprocesser"}, "tickvals": [p["servers"] for p in curve]},
        yaxis={"title": {"text": "Sessioner som klaras"}, "rangemode": "tozero"},
        width=640,
        height=400,
        margin={"l": 70, "r": 30, "t": 80, "b": 60},
        plot_bgcolor="white",
        font={"size": 13},
    )
    figure.update_yaxes(gridcolor="#e5e7eb")
    figure.update_xaxes(gridcolor="#e5e7eb")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(figure.to_image(format="png", scale=1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servers", type=int, nargs="+", default=list(DEFAULT_SERVERS))
    parser.add_argument("--steps", type=int, nargs="+", default=list(DEFAULT_STEPS), help="session counts")
    parser.add_argument("--seconds", type=float, default=30, help="length of each step (default 30)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between changes, s (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=30, help="a rerun slower than this fails (default 30)"
    )
    parser.add_argument("--pause", type=float, default=2, help="rest between steps, s (default 2)")
    parser.add_argument("--json", type=Path, default=ROOT / "artifacts" / "scaling.json")
    parser.add_argument("--png", type=Path, default=ROOT / "artifacts" / "scaling.png")
    parser.add_argument("--no-png", action="store_true", help="skip the chart (no Chromium needed)")
    parser.add_argument(
        "--national",
        action="store_true",
        help="build the clusters from the synthetic national data (scripts/national.py) instead of data/",
    )
    parser.add_argument("--national-dir", type=Path, default=ROOT / "var" / "national")
    args = parser.parse_args()
    args.data_dir = None
    if args.national:
        args.data_dir = args.national_dir / "data"
        if not (args.data_dir / "allocations.csv").exists():
            sys.exit(
                f"Den nationella datan saknas i {args.data_dir}: kör först  .venv/bin/python scripts/national.py"
            )

    started = time.monotonic()
    report = {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "data": "national" if args.national else "bundled",
        "settings": {
            "servers": args.servers,
            "steps": sorted(args.steps),
            "seconds": args.seconds,
            "think_s": args.think,
            "timeout_s": args.timeout,
            "target_p95_ms": TARGET_P95_MS,
        },
        "loadavg_at_start": load_average(),
        "runs": [],
        "curve": [],
        "complete": False,
        "interrupted": None,
    }

    def save() -> None:
        report["curve"] = [
            {
                "servers": run["servers"],
                "sessions_held": run["sessions_held"],
                # no step missed: the servers hold at least this many, the steps ended first
                "at_least": run["ended_by"] == "steps_exhausted",
            }
            for run in report["runs"]
            if run["ended_by"]
        ]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    print(f"Maskin: {report['machine']['cpus']} kärnor; belastning nu {report['loadavg_at_start']}")
    try:
        for servers in args.servers:
            measure(servers, sorted(args.steps), args, report, save)
        report["complete"] = True
    except KeyboardInterrupt as stop:
        report["interrupted"] = INTERRUPTED[0] if INTERRUPTED else str(stop) or "SIGINT"
        print(f"\nAvbruten ({report['interrupted']}): allt som startades är stoppat.", flush=True)
    finally:
        with shielded():
            report["loadavg_at_end"] = load_average()
            report["run_time_s"] = round(time.monotonic() - started, 1)
            save()
    print_summary(report)
    if report["complete"] and not args.no_png:
        chart(report, args.png)
        print(f"Diagram: {args.png}")
    print(f"JSON: {args.json}")
    if not report["complete"]:
        sys.exit(130)


if __name__ == "__main__":
    main()
