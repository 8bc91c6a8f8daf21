"""Journey: the PDF cannot be printed (the configured Chromium fails). The official clicks Skapa PDF and reads, in
Swedish, which file failed and that the others still work; no traceback, no PDF offered, PowerPoint still works."""

from __future__ import annotations

import os
import stat

import pytest
from pptx import Presentation

from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.browser.test_journey_presenter import open_panel
from tests.conftest import published_var

pytestmark = pytest.mark.browser
JOURNEY = "export-fel"
FAILED = (
    "PDF-filen kunde inte skapas: Chromium kunde inte skriva ut presentationen. "
    "Felet är loggat på servern; de andra formaten går att ladda ner."
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kit.require_browser()
    folder = tmp_path_factory.mktemp("export-fel")
    broken = folder / "chromium-som-inte-skriver-ut"
    broken.write_text("#!/bin/sh\necho 'printing failed' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    db = Database.open(published_var(folder / "db.duckdb"))
    db.ensure_built()
    db.close()
    base, process = kit.start_server(folder / "db.duckdb", {"INSATSKOLLEN_CHROMIUM": os.fspath(broken)})
    yield base
    kit.stop_server(process)


def test_a_failed_pdf_is_said_in_swedish(server, chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = kit.open_page(context, f"{server}/presentation?kommun=Malmö&kalla=KS+anslag+till+förfogande")
    page.wait_for_selector("h1.ik-title", timeout=60_000)
    open_panel(page)  # the exports live in "Underlag och export"
    kit.click(page, "Skapa PDF")
    page.get_by_text("PDF-filen kunde inte skapas", exact=False).wait_for(timeout=120_000)
    kit.wait_idle(page)
    kit.assert_no_error(page)
    alert = page.locator('[data-testid="stAlertContentError"]')
    assert alert.count() == 1
    assert alert.locator('[data-testid="stMarkdownContainer"]').inner_text().strip() == FAILED
    assert "printing failed" not in kit.main_text(page)  # the details are in the log only
    assert page.get_by_role("button", name="Ladda ner PDF").count() == 0
    kit.shot(page, JOURNEY, "1-pdf-misslyckades")
    deck = Presentation(kit.make_and_download(page, "PowerPoint"))
    assert len(deck.slides) >= 2
    context.close()
