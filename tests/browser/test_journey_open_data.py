"""Journey in real Chromium (issue 26, item 3): on Källor, with Malmö chosen in the sidebar, a reader makes the
open-data package and downloads it; the zip holds a valid Frictionless Data Package of Malmö's rows only, whose
2022 lines sum to the Fördelat Översikt shows for Malmö 2022."""

from __future__ import annotations

import zipfile

import pytest
from frictionless import Package, validate

from insatskollen.core import fmt
from tests import browser_kit as kit

pytestmark = pytest.mark.browser


def test_a_reader_downloads_malmos_open_data_from_kallor(live_server, chromium, tmp_path):
    page = kit.open_page(chromium, f"{live_server}/?kommun=Malm%C3%B6&ar=2022", width=1366, height=768)
    try:
        fordelat = page.locator('[data-testid="stMetric"]').filter(has_text="Fördelat").first
        shown = fordelat.locator('[data-testid="stMetricValue"]').inner_text()
        page.goto(f"{live_server}/kallor?kommun=Malm%C3%B6")
        page.get_by_role("heading", name="Öppna data").wait_for(timeout=30_000)
        kit.wait_idle(page)
        assert "för Malmö som ett datapaket" in kit.main_text(page)
        path = kit.make_and_download(page, "datapaketet", tmp_path, make="Skapa datapaketet")
        assert path.name == "insatskollen-oppna-data-malmo.zip"
        kit.shot(page, "open-data", "kallor")
    finally:
        page.close()
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "allocations.csv",
            "datapackage.json",
            "frames.csv",
            "measures.csv",
            "sources.csv",
        ]
        archive.extractall(tmp_path / "paket")
    report = validate(str(tmp_path / "paket" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    rows = Package(str(tmp_path / "paket" / "datapackage.json")).get_resource("allocations").read_rows()
    assert {r["municipality"] for r in rows} == {"Malmö"}
    total = sum(r["amount_sek"] for r in rows if r["year"] == 2022 and r["amount_sek"] is not None)
    assert fmt.mnkr(total) == shown  # "33,6 mnkr" on Översikt
