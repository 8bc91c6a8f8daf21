"""Issue 21: an error nobody foresaw shows a Swedish message with an error id, never a traceback, and the
server's log holds that id with the traceback (insatskollen/ui/unexpected.py, run around every page by app.py)."""

from __future__ import annotations

import ast
import logging
import re
import tomllib

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, published_var

SECRET = "hemlig detalj: /srv/insatskollen/var/working.sqlite3"


@pytest.fixture(autouse=True)
def fresh_app_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv(
        "INSATSKOLLEN_VAR", str(published_var(tmp_path_factory.getbasetemp() / "unexpected-var"))
    )
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_page_that_fails_shows_a_swedish_message_with_an_id_that_the_log_holds_with_the_traceback(
    monkeypatch, caplog
):
    from insatskollen.store import scenario_store

    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    monkeypatch.setattr(scenario_store, "list_scenarios", broken)
    with caplog.at_level(logging.ERROR, logger="insatskollen.ui.unexpected"):
        at.switch_page("pages/scenarier.py").run()
    assert not at.exception, [e.value for e in at.exception]  # Streamlit's own error box, with its traceback
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    found = re.fullmatch(
        r"Något gick fel, och sidan kunde inte visas färdigt\. Felkod: ([0-9a-f]{8})\. Försök igen om en stund "
        r"eller ladda om sidan\. Händer det igen, kontakta den som sköter Insatskollen och ange felkoden: "
        r"felet finns i serverns logg under den\.",
        errors[0],
    )
    assert found, errors[0]
    assert SECRET not in errors[0] and "RuntimeError" not in errors[0]
    assert at.title[0].value == "Scenarier"  # what the page drew before the failure stays
    (record,) = [r for r in caplog.records if r.name == "insatskollen.ui.unexpected"]
    assert record.getMessage() == f"Oväntat fel, felkod {found.group(1)}"
    logged = caplog.text
    assert "Traceback (most recent call last)" in logged and f"RuntimeError: {SECRET}" in logged
    assert "list_scenarios" in logged or "broken" in logged


def test_other_pages_and_the_next_rerun_are_unaffected(monkeypatch):
    """The message replaces the failed page only: going to another page works as before."""
    from insatskollen.store import scenario_store

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    monkeypatch.setattr(scenario_store, "list_scenarios", lambda *a, **k: 1 / 0)
    at.switch_page("pages/scenarier.py").run()
    assert "Felkod:" in at.error[0].value
    at.switch_page("pages/kallor.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Källor"


def test_the_shipped_configuration_shows_no_error_details():
    """Streamlit's own error box (an error in a widget callback, which runs before the page) shows its
    generic text only: no message, type or traceback. "none" is one of Streamlit 1.67's values
    (full, stacktrace, type, none)."""
    from streamlit import config

    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["client"]["showErrorDetails"] == "none"
    assert shipped["client"]["showErrorDetails"] in {o.value for o in config.ShowErrorDetailsConfigOptions}
    assert shipped["client"]["toolbarMode"] == "minimal"  # no developer menu (clear cache, rerun, settings)
    assert shipped["client"]["showErrorLinks"] is False  # no links sending an error to Google or ChatGPT


def test_a_failing_button_shows_the_swedish_message_with_an_id_above_the_page(monkeypatch, caplog):
    """A widget callback runs before the page, outside app.py's `reported()`: "Spara som nytt scenario"
    with a store that fails (here a connection lost mid-save) showed Streamlit's error box with its
    traceback."""
    from sqlalchemy.exc import OperationalError

    from insatskollen.store import scenario_store

    def lost(*args, **kwargs):
        raise OperationalError("insert into scenarios …", {}, Exception(SECRET))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/scenarier.py").run()
    at = at.button(key="scn_start").click().run()
    at.text_input(key="scn_author").input("Anna Andersson")
    at.text_input(key="scn_name").input("Förslag mars")
    monkeypatch.setattr(scenario_store, "save_new", lost)
    with caplog.at_level(logging.ERROR, logger="insatskollen.ui.unexpected"):
        at = at.button(key="scn_save_new").click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = at.error[0].value
    found = re.fullmatch(
        r"Något gick fel med det du just gjorde\. Kontrollera resultatet\. Felkod: ([0-9a-f]{8})\. Försök igen "
        r"om en stund eller ladda om sidan\. Händer det igen, kontakta den som sköter Insatskollen och ange "
        r"felkoden: felet finns i serverns logg under den\.",
        said,
    )
    assert found, said
    assert at.title[0].value == "Scenarier" and "scenario" not in at.query_params  # the page, unsaved
    assert f"Oväntat fel, felkod {found.group(1)}" in caplog.text and "in lost" in caplog.text
    at = at.run()  # shown once: the next rerun is clean
    assert not at.error


# on_click/on_change values that are not our code: nothing of ours can fail in them
# Streamlit's own: "rerun" and "ignore" are not callbacks, only how a widget (a lazy expander) answers a change
NOT_OURS = {"st.login", "st.logout", "st.session_state.__setitem__", "'rerun'", "'ignore'"}


def _callbacks() -> list[tuple[str, str]]:
    """(file:line, callback name) of every on_click/on_change in app.py, pages/ and insatskollen/."""
    found = []
    for path in [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "insatskollen").rglob("*.py")),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for keyword in getattr(node, "keywords", []) if isinstance(node, ast.Call) else []:
                if keyword.arg in ("on_click", "on_change") and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value == "ignore"
                ):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(keyword.value)))
    return found


def _decorated() -> set[str]:
    names = set()
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "insatskollen").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and "unexpected.callback" in map(
                ast.unparse, node.decorator_list
            ):
                names.add(node.name)
    return names


def test_every_widget_callback_of_ours_reports_its_errors_in_swedish():
    callbacks = _callbacks()
    assert len(callbacks) > 20  # the scan finds them
    decorated = _decorated()
    missing = [
        (where, name)
        for where, name in callbacks
        if name not in NOT_OURS and name.rsplit(".", 1)[-1] not in decorated
    ]
    assert not missing, f"decorate these with @unexpected.callback: {missing}"
