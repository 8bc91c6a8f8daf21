"""One way to pick a port, start `streamlit run app.py` and wait for it: for the tests (browser_kit,
pg_kit) and the tools in scripts/ (cluster, loadtest, browser_latency), which import it from here."""

from __future__ import annotations

import socket
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(port: int) -> list[str]:
    """`streamlit run app.py` headless on 127.0.0.1:port through our launcher (insatskollen/ui/serve.py: no
    legacy pages/ mode on the first request), as every test and load server is started. As deployed
    (deploy/systemd): no file watcher, so editing the tree while a server runs reloads nothing."""
    return [
        sys.executable,
        "-m",
        "insatskollen.ui.serve",
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]


def wait_healthy(url: str, alive, timeout: float = START_TIMEOUT) -> None:
    """Wait until `url`/_stcore/health says ok; `alive()` False means the process died first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"{url}: the process ended before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
