#!/usr/bin/env python3
"""Set up and run Insatskollen with nothing but Python 3.11+.

    python3 scripts/dev.py start   # create .venv, install, build the database, open the dashboard
    python3 scripts/dev.py test    # create .venv, install, lint and run the whole test suite
    python3 scripts/dev.py setup   # only create .venv and install (a server's deployment, deploy/)

The virtual environment lives in .venv/ and is reinstalled only when a requirements
file changes. Extra arguments after `test` go to pytest, which runs on two workers (pytest-xdist,
-n 2 --dist loadfile) unless they say -n themselves (`test -n 0` runs in one process).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".requirements.sha256"
AXE_VERSION = "4.14.1"  # axe-core, for the accessibility check (from the npm registry)
AXE = VENV / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def _requirements_hash() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("Insatskollen behöver Python 3.11 eller senare.")
    if not PY.exists():
        print("Skapar .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _requirements_hash()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Installerar beroenden …", flush=True)
        run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([PY, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-dev.txt"])
        STAMP.write_text(wanted)
    npm = shutil.which("npm")
    if npm and not AXE.exists():
        print("Installerar axe-core (tillgänglighetskontroll) …", flush=True)
        subprocess.run(
            [
                npm,
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(VENV / "axe"),
                f"axe-core@{AXE_VERSION}",
            ],
            cwd=ROOT,
            check=False,
        )


def run(cmd: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def start(args: list[str]) -> None:
    run([PY, "-m", "insatskollen", "build"])
    # `streamlit run app.py`, through the launcher that keeps Streamlit's legacy pages/ mode off
    run([PY, "-m", "insatskollen.ui.serve", *args])


# Both cores (pytest-xdist); a module's tests stay on one worker, so its server and browser start once.
# `test -n 0` (or any -n/--numprocesses/-p no:xdist) replaces this: e.g. `test -n 0 tests/unit/test_x.py`.
# Modules are handed out in collection order, which tests/conftest.py sorts slowest tier first (xdist's own
# reorder puts the modules with the most tests first: the one-test browser journeys, the slowest, came last
# and left one worker idle at the end).
PARALLEL = ["-n", "2", "--dist", "loadfile", "--no-loadscope-reorder"]


def test(args: list[str]) -> None:
    run([PY, "-m", "ruff", "check", "."])
    run([PY, "-m", "ruff", "format", "--check", "."])
    # the layers (pyproject.toml [tool.importlinter]): imports go one way, core stays pure
    run([str(BIN / "lint-imports")])
    # The project's own modules compiled once: every server, command and script the tests start imports them,
    # and with PYTHONDONTWRITEBYTECODE set (as on the CI machine) each would compile them from source again.
    run([PY, "-m", "compileall", "-q", "-j", "0", "insatskollen", "pages", "scripts", "app.py"])
    chosen = any(
        a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=")) for a in args
    )
    run([PY, "-m", "pytest", *([] if chosen else PARALLEL), *args])


def main() -> None:
    commands = {"start": start, "test": test, "setup": lambda _args: None}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    ensure_environment()
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
