"""Issue 21 in a real server: a store that breaks while the dashboard runs (the working store loses its
scenario table, as after a restore from the wrong backup) gives the person a Swedish message with an error
id, not a traceback, and the server's log holds that id with the traceback."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    var = tmp_path_factory.mktemp("unexpected") / "var"
    base, process = kit.start_server(published_var(var))
    try:
        yield base, var, process
    finally:
        kit.stop_server(process)


def test_a_broken_store_shows_a_swedish_error_id_and_the_log_has_its_traceback(server, chromium):
    base, var, process = server
    page = kit.open_page(chromium, base + "/scenarier")
    kit.assert_no_error(page)
    assert page.get_by_role("heading", name="Scenarier").count() == 1
    with sqlite3.connect(var / "working.sqlite3") as broken:  # the server keeps running on it
        broken.execute("alter table scenarios rename to scenarios_gone")

    page.reload()
    alert = page.locator('[data-testid="stAlertContentError"] [data-testid="stMarkdownContainer"]')
    alert.wait_for(timeout=30_000)
    kit.wait_idle(page)
    said = alert.inner_text()
    found = re.search(r"Felkod: ([0-9a-f]{8})\.", said)
    assert found, said
    assert said.startswith("Något gick fel, och sidan kunde inte visas färdigt. Felkod: ")
    assert "kontakta den som sköter Insatskollen och ange felkoden" in said
    content = page.content()
    for leak in ("Traceback", "OperationalError", "no such table", "sqlalchemy", "working.sqlite3", 'File "'):
        assert leak not in content, leak
    assert page.locator('[data-testid="stException"]').count() == 0
    kit.shot(page, "unexpected-error", "01-felkod")
    page.close()

    kit.stop_server(process)  # the log is the server's output
    log = process.stdout.read()
    at = log.index(f"Oväntat fel, felkod {found.group(1)}")
    after = log[at:]
    assert after.splitlines()[1] == "Traceback (most recent call last):"
    assert "no such table: scenarios" in after and "list_scenarios" in after
