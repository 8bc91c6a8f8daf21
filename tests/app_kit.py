"""One way for the AppTest tests to open a page of the app, as a person opens its link.

The page's own run is the first: AppTest.switch_page before the first run opens the page whose file name
matches (every page but Översikt, whose url_path is "start", has its file's name as url_path). Running
app.py first and switching after ran Översikt on the way, cold, in every test that opened another page
(0.2-0.4 s each, measured 2026-12-07)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def open_app(page: str | None = None, query_params: dict | None = None, timeout: float = 60) -> AppTest:
    """The app at `page` ("pages/kallor.py"; None or Översikt's file: the start page) with `query_params` in
    its address, after its first run, which must raise nothing."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    if page and page != "pages/oversikt.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_expanders(at: AppTest, label_part: str) -> AppTest:
    """Open every expander whose label contains `label_part`, as the reader clicks each, and rerun: a lazy
    expander (insatskollen.ui.widgets.lazy_expander) is filled only while open."""
    for expander in at.expander:
        if label_part in expander.label and expander.key:
            at.session_state[expander.key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
