"""Shared fixtures: a DuckDB built from the bundled CSVs, in memory or in a temp file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import streamlit as st

from insatskollen.core.filters import Filters
from insatskollen.store.db import DATA_DIR, Database
from tests import apptest_harness

ROOT = Path(__file__).resolve().parent.parent
# The columns issue 2 promises power users in the `allocation` view (and the README documents).
ALLOCATION_COLUMNS = [
    "municipality",
    "year",
    "funding_source",
    "committee",
    "measure",
    "priority_area",
    "amount_sek",
    "status",
    "source_document",
]
SEEDS = ROOT / "data" / "sources"
_OWN_VAR: tempfile.TemporaryDirectory | None = None
_PUBLISHED: Path | None = None  # this process's var folder with the bundled data published, built once
OWN_VAR_PREFIX = "insatskollen-tests-"


def pytest_configure(config) -> None:
    """A var folder of this test process's own, for anything that opens the default stores: the
    developer's var/ is never touched, and the two pytest-xdist workers never share one."""
    global _OWN_VAR
    given = os.environ.get("INSATSKOLLEN_VAR")
    if given is None or Path(given).name.startswith(OWN_VAR_PREFIX):  # none, or the xdist controller's
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _OWN_VAR = tempfile.TemporaryDirectory(prefix=f"{OWN_VAR_PREFIX}{worker}-")
        os.environ["INSATSKOLLEN_VAR"] = _OWN_VAR.name
    apptest_harness.install()


# The tiers, slowest module first on the whole: with two workers taking modules in this order, the run ends on
# small modules instead of a long journey started last (scripts/dev.py's --no-loadscope-reorder)
TIER_ORDER = ("cluster", "perf", "browser", "store", "app", "unit")


def pytest_collection_modifyitems(config, items) -> None:
    """Collection order by tier (TIER_ORDER), each tier's modules and each module's tests in their own order."""

    def tier(item) -> int:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        return TIER_ORDER.index(parts[0]) if len(parts) > 1 and parts[0] in TIER_ORDER else len(TIER_ORDER)

    items.sort(key=tier)


def pytest_unconfigure(config) -> None:
    if _PUBLISHED is not None:
        shutil.rmtree(_PUBLISHED.parent, ignore_errors=True)
    if _OWN_VAR is not None:
        os.environ.pop("INSATSKOLLEN_VAR", None)
        _OWN_VAR.cleanup()


def _published() -> Path:
    """This process's var folder with the bundled data published, built on first use."""
    global _PUBLISHED
    if _PUBLISHED is None:
        built = Path(tempfile.mkdtemp(prefix="insatskollen-published-")) / "var"
        database = Database.open(built)
        try:
            database.ensure_built()
        finally:
            database.close()
        _PUBLISHED = built
    return _PUBLISHED


def published_var(target: Path) -> Path:
    """`target` as a var folder (read store + working store) with the bundled data already published: a
    copy of one built once per test process, instead of a build (~3-5 s) per test or module. The copy is
    the test's own to write to. With INSATSKOLLEN_DATABASE_URL set (a shared working store) nothing is
    copied and the first open builds as before."""
    target = Path(target)
    if os.environ.get("INSATSKOLLEN_DATABASE_URL") or (target / "read").exists():
        return target
    shutil.copytree(_published(), target, dirs_exist_ok=True)
    return target


def published_read(target: Path) -> Path:
    """`target` as a var folder holding only the bundled data's published read store, bound to no working
    store: for a test that opens it with a working store of its own (`database_url`, SQLite or PostgreSQL),
    which the first open binds to it. An empty working store is what the bundled build was made from, so the
    copy is what `ensure_built` would publish (~0.7 s a test), in milliseconds."""
    from insatskollen.store.read_store import BINDING

    target = Path(target)
    shutil.copytree(_published() / "read", target / "read")
    (target / "read" / BINDING).unlink(missing_ok=True)
    return target


@pytest.fixture(scope="module")
def db():
    """The bundled data in a throwaway in-memory database (read-only use)."""
    database = Database.open(":memory:")
    database.build(DATA_DIR)
    yield database
    database.close()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


@pytest.fixture
def no_filters() -> dict:
    return Filters().params()


def seed_text(document_id: str) -> str:
    """The text of a source document, for tracing amounts back to it."""
    return (SEEDS / document_id).read_text(encoding="utf-8")


@pytest.fixture
def fresh_streamlit(tmp_path, monkeypatch):
    """A database of the test's own for the app, and Streamlit's caches cleared before and after."""
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(published_var(tmp_path / "apptest.duckdb")))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path / "apptest.duckdb"
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """One real Streamlit server per test module, on its own throwaway database."""
    from tests import browser_kit

    browser_kit.require_browser()
    base, process = browser_kit.start_server(published_var(tmp_path_factory.mktemp("live") / "var"))
    yield base
    browser_kit.stop_server(process)


@pytest.fixture(scope="session")
def _chromium_process():
    """Debian's Chromium through Playwright, launched once per test process (~2 s a launch)."""
    from tests import browser_kit

    browser_kit.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = browser_kit.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def chromium(_chromium_process):
    """The process's Chromium for one test module: whatever the module's pages leave open (cookies,
    sign-ins, pages) is closed with it, so the next module starts from no context at all."""
    yield _chromium_process
    for context in list(_chromium_process.contexts):
        context.close()


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL for the session (tests/pg_kit.py); each test takes a database of its own."""
    from tests import pg_kit

    pg_kit.require_postgres()
    with pg_kit.throwaway_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The working store's URL on each backend: a SQLite file of the test's own, or a fresh database in
    the session's throwaway PostgreSQL (skipped where PostgreSQL is not installed, failed in CI)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'working.sqlite3'}"
    server = request.getfixturevalue("postgres_server")
    return server.new_database()
