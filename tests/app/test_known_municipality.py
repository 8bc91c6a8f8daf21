"""Any of Sweden's municipalities is known: a link to one without data shows it as known but empty (not
dropped as unknown), and a hand-edited slide number such as ?bild=² opens the first slide, not a traceback.
In AppTest."""

from __future__ import annotations

import html

from streamlit.testing.v1 import AppTest

from tests.app_kit import open_app
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
EMPTY = "Norrköping finns bland Sveriges 290 kommuner men har inga ramar eller insatser i datan ännu."


def test_a_link_to_a_municipality_without_data_keeps_it_and_says_so(fresh_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommun"] = "Norrköping|Påhittstad"
    at.run()
    assert not at.exception
    assert any(EMPTY in html.unescape(i.value) for i in at.info)
    assert at.query_params["kommun"] == "Norrköping"  # real: kept; invented: dropped


def test_a_slide_number_that_is_not_ascii_opens_the_first_slide(fresh_streamlit):
    at = open_app("pages/presentation.py", {"kommun": "Malmö", "bild": "²"})
    assert "bild" not in at.query_params
    assert any("Bild 1 av " in m.value for m in at.markdown)
