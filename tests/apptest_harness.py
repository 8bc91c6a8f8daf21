"""AppTest's harness made cheaper, for the tests (tests/conftest.py) and the benchmark (scripts/benchmark.py):
what a page costs is then the page's own work, as on the server, not AppTest's. Nothing here changes what a
page does or shows."""

from __future__ import annotations

import os


def install() -> None:
    """All three, once per process (each checks that it is not installed yet)."""
    scan_components_once()
    wait_for_script_runs_without_polling()
    compile_each_script_once()


def scan_components_once() -> None:
    """Every new AppTest scans all installed distributions' metadata for Streamlit components on its first
    run (streamlit.components.v2.manifest_scanner, ~0.45 s here: ~420 metadata files parsed by the email
    parser). tests/app makes ~120 AppTests, so that was 55 of its 335 s under cProfile (2026-12-07). What is
    installed does not change while the tests run: the scan is done once per test process and its answer
    reused. The server scans as it does for a person (once, at its start)."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "__wrapped__"):  # not wrapped yet
        once = functools.cache(scan)
        manifest_scanner.scan_component_manifests = functools.wraps(scan)(lambda *a, **k: list(once(*a, **k)))


def wait_for_script_runs_without_polling() -> None:
    """AppTest waits for a script run by waking every millisecond to scan the run's whole event list
    (streamlit.testing.v1.local_script_runner.require_widgets_deltas). Each wake takes the GIL from the
    thread that runs the page. Here the wait sleeps on an Event the runner sets when it shuts down; the
    timeout and its error are AppTest's own."""
    import threading
    import time

    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1 import local_script_runner

    original = local_script_runner.require_widgets_deltas
    if getattr(original, "_event_wait", False):
        return

    def require_widgets_deltas(runner, timeout: float = 3) -> None:
        stopped = threading.Event()

        def on_event(sender, event, **kwargs) -> None:
            if event == ScriptRunnerEvent.SHUTDOWN:
                stopped.set()

        runner.on_event.connect(on_event, weak=False)
        try:
            deadline = time.monotonic() + timeout
            while not runner.script_stopped():  # it may have shut down before the handler was connected
                left = deadline - time.monotonic()
                if left <= 0:
                    return original(runner, 0)  # AppTest's own timeout: stop the runner, raise its error
                stopped.wait(min(left, 0.5))
        finally:
            runner.on_event.disconnect(on_event)

    require_widgets_deltas._event_wait = True
    local_script_runner.require_widgets_deltas = require_widgets_deltas


def compile_each_script_once() -> None:
    """Every AppTest run makes a new ScriptCache (streamlit.testing.v1.app_test and local_script_runner), so
    app.py and the page were read, rewritten for magic (an AST walk) and compiled again on every run: 7 ms for
    app.py and 2-18 ms for a page here (Scenarier 18), ~5 s over the 1 099 runs of tests/app (2026-12-07). The
    server keeps one ScriptCache for its life, so the benchmark's page times included work a person's rerun
    never does. Here one compiled script is shared by every cache in
    the process, keyed by the file's path, size and modification time, so a script a test writes or changes
    is compiled anew."""
    import threading

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    original = ScriptCache.get_bytecode
    if getattr(original, "_shared", False):
        return
    compiled: dict[tuple, object] = {}
    lock = threading.Lock()

    def get_bytecode(self, script_path: str):
        path = os.path.abspath(script_path)
        try:
            stat = os.stat(path)
        except OSError:
            return original(self, script_path)  # Streamlit's own error for a missing script
        key = (path, stat.st_size, stat.st_mtime_ns)
        with lock:
            if key not in compiled:
                compiled[key] = original(self, script_path)
            return compiled[key]

    get_bytecode._shared = True
    ScriptCache.get_bytecode = get_bytecode
