"""Issue 13: with a server running and a page open, the command line works (check, import --dry-run,
import, sql, undo-import, build all exit 0) and the open dashboard shows the new data on the person's
next click, without a restart, a page error or losing the filters they chose."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser
STOCKHOLM = (
    kit.ROOT / "tests" / "import_corpus" / "files" / "v11_new_municipality.csv"
)  # Stockholm 2025, 2 mnkr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    kit.require_browser()
    var = tmp_path_factory.mktemp("serving") / "var"
    base, process = kit.start_server(published_var(var))
    yield base, var
    kit.stop_server(process)


def cli(var, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"INSATSKOLLEN_VAR": str(var)}
    env.pop("INSATSKOLLEN_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "insatskollen", *args], cwd=kit.ROOT, env=env, capture_output=True, text=True
    )


def chart_points(page) -> dict[str, float]:
    """Översikt's per-kommun chart, as the browser has it: municipality (y label) -> amount, all traces."""
    return page.evaluate(
        """() => {
            const out = {};
            for (const el of document.querySelectorAll('.js-plotly-plot')) {
                for (const trace of (el.data || [])) {
                    (trace.y || []).forEach((label, i) => {
                        const v = (trace.x || [])[i];
                        if (typeof v === 'number') out[String(label)] = (out[String(label)] || 0) + v;
                    });
                }
            }
            return out;
        }"""
    )


def rerun_by_navigation(page) -> None:
    """The person's next click: to Nämnder and back to Översikt in the sidebar."""
    page.get_by_role("link", name="Nämnder").click()
    kit.wait_idle(page)
    page.get_by_role("link", name="Översikt").first.click()
    kit.wait_idle(page)
    kit.wait_charts(page, 1)


def test_every_command_works_while_the_dashboard_serves_and_the_page_follows(served, chromium):
    base, var = served
    page = kit.open_page(chromium, base + "/")
    kit.multiselect(page, "Finansieringskälla", ["Statsbidrag Delmos"])
    kit.wait_charts(page, 1)
    before = chart_points(page)
    assert not any("Stockholm" in k for k in before)
    kit.shot(page, "cli-while-serving", "1-before")

    checked = cli(var, "check")
    assert checked.returncode == 0, checked.stderr
    assert "Södertälje" in checked.stdout
    dry = cli(var, "import", str(STOCKHOLM), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Förhandsgranskning: ingenting har skrivits." in dry.stdout
    done = cli(var, "import", str(STOCKHOLM), "--author", "Anna")
    assert done.returncode == 0, done.stderr
    sql = cli(
        var, "sql", "select municipality, sum(amount_sek) as kr from allocation where year = 2025 group by 1"
    )
    assert sql.returncode == 0, sql.stderr
    assert sql.stdout.splitlines()[1].split() == ["Stockholm", "2000000"]

    rerun_by_navigation(page)
    after = chart_points(page)
    stockholm = [v for k, v in after.items() if "Stockholm" in k]
    assert stockholm == [2_000_000]
    # the filter the person chose is still chosen
    assert "Statsbidrag Delmos" in page.locator('[data-testid="stSidebar"]').inner_text()
    kit.assert_no_error(page)
    kit.shot(page, "cli-while-serving", "2-after-import")

    undone = cli(var, "undo-import")
    assert undone.returncode == 0, undone.stderr
    assert "Senaste importen är ångrad: v11_new_municipality.csv (1 rad, importerad av Anna " in undone.stdout
    rerun_by_navigation(page)
    assert not any("Stockholm" in k for k in chart_points(page))

    built = cli(var, "build")
    assert built.returncode == 0, built.stderr
    rerun_by_navigation(page)
    kit.assert_no_error(page)
    assert chart_points(page) == before
    assert "Statsbidrag Delmos" in page.locator('[data-testid="stSidebar"]').inner_text()
    kit.shot(page, "cli-while-serving", "3-after-build")
