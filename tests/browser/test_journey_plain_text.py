"""No data string is rendered as markdown or HTML anywhere, checked in real Chromium.

Names that carry markdown images, links, emphasis and HTML arrive the way real data arrives: a
municipality's import (nämnd, insats, beskrivning, källa) and a saved scenario (name, author, comment,
an added measure). Every page that can show them is opened; each name must appear as its literal text,
and the browser must never fetch the image URLs (a loopback server counts the requests).

One tab goes through the pages by the sidebar's menu, as a person does (a full load costs Chromium a second
or more of CPU); a measure and a saved scenario are opened by their links."""

from __future__ import annotations

import http.server
import threading

import pytest

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_undo
from insatskollen.ingest import committer, previewer
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from tests import browser_kit as kit
from tests.conftest import published_var

pytestmark = pytest.mark.browser
JOURNEY = "klartext"


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def trap():
    """A loopback server that records every request: any hit means data was rendered as markup."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def hostile(trap, tmp_path_factory):
    names = {
        "committee": f"![n]({trap}/namnd.png) **Fetnämnden**",
        "measure": f"![i]({trap}/insats.png) <b>Läxhjälp</b> _kursiv_",
        "description": f"<img src={trap}/beskrivning.png> [länk]({trap}/lank)",
        "source": f"Protokoll ![k]({trap}/kalla.png)",
        "scenario": f"![s]({trap}/scenario.png) # Rubrik",
        "author": f"<i>Anna</i> ![a]({trap}/vem.png)",
        "added": f"![ny]({trap}/ny.png) Ny insats",
    }
    csv = (
        "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Beskrivning;Område;Belopp (kr);Status;Källa\n"
        f"Norrköping;0581;2024;Statsbidrag Delmos;2 000 000;{names['committee']};{names['measure']};"
        f"{names['description']};Utbildning;1 200 000;föreslagen;{names['source']}\n"
    )
    path = tmp_path_factory.mktemp("klartext") / "klartext.duckdb"
    db = Database.open(published_var(path))
    db.ensure_built()
    committer.commit(db, previewer.preview(db, "norrkoping.csv", csv.encode("utf-8")), author="Test")
    frame_id = db.scalar("select frame_id from main.frame_year where municipality = 'Norrköping'")
    names["measure_id"] = db.scalar("select measure_id from main.measures where municipality_code = '0581'")
    scenario = scenario_undo.Scenario.start(*store.baseline(db, frame_id, 2024))
    scenario.apply("Ny insats", sc.add_line, names["added"], None, "Boende", 100_000)
    scenario_id = store.save_new(
        db,
        scenario,
        name=names["scenario"],
        author=names["author"],
        comment=f"Se ![c]({trap}/kommentar.png)",
        frame_id=frame_id,
        year=2024,
    )
    db.close()
    base, process = kit.start_server(path)
    yield base, names, scenario_id
    kit.stop_server(process)


def _flat(text: str) -> str:
    """As read: spaces folded, and the invisible word joiner that keeps http:// from becoming a link dropped."""
    return " ".join(text.replace("\xa0", " ").replace("\u2060", "").split())


PAGES = [  # (page, its link when it is opened by one, names that must be shown literally there)
    ("oversikt", "?kommun=Norrk%C3%B6ping", []),
    ("omraden", None, []),  # Norrköping stays chosen in the sidebar
    ("namnder", None, ["committee"]),
    ("kommuner", None, []),
    ("insatser", "insatser?insats={measure_id}", ["measure", "description", "committee", "source"]),
    ("kallor", None, []),  # every kommun: the link above chose none
    ("datakvalitet", None, []),
]
TITLES = {
    "oversikt": "Översikt",
    "omraden": "Prioriterade områden",
    "namnder": "Nämnder",
    "kommuner": "Kommuner",
    "insatser": "Insatser",
    "kallor": "Källor",
    "datakvalitet": "Datakvalitet",
}


def test_data_is_shown_as_text_and_nothing_is_fetched(hostile, chromium, trap):
    base, names, scenario_id = hostile
    _Counter.hits.clear()
    requests: list[str] = []
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.on("request", lambda r: requests.append((r.frame.url, r.url)) if r.url.startswith(trap) else None)
    page = context.new_page()
    for name, link, expected in PAGES:
        if link is not None:
            kit.load(page, f"{base}/{link.format(measure_id=names['measure_id'])}")
        else:
            kit.go_to(page, TITLES[name])
        shown = _flat(kit.main_text(page))
        for key in expected:
            assert _flat(names[key]) in shown, (name, key, shown[-3000:])
        assert page.locator(f'a[href^="{trap}"], img[src^="{trap}"]').count() == 0, name  # no link, no image
        kit.assert_no_error(page)
        kit.shot(page, JOURNEY, name)
    kit.load(page, f"{base}/scenarier?scenario={scenario_id}")
    page.get_by_text("Hantera sparade scenarier").wait_for(timeout=30_000)  # the page's last section
    kit.wait_idle(page)
    shown = _flat(kit.main_text(page))
    for key in ("scenario", "added"):
        assert _flat(names[key]) in shown, (key, shown[:3000])
    assert page.locator(f'a[href^="{trap}"], img[src^="{trap}"]').count() == 0
    kit.shot(page, JOURNEY, "scenarier")
    kit.load(page, f"{base}/presentation?scenario={scenario_id}")
    assert _flat(names["scenario"]) in _flat(kit.main_text(page))
    kit.shot(page, JOURNEY, "presentation")
    page.close()
    context.close()
    assert requests == [] and _Counter.hits == [], (requests, _Counter.hits)
