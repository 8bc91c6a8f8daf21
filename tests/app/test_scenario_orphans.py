"""A saved scenario whose frame disappears (the import it was made on is undone) stays listed, is flagged,
opens read-only with its saved lines, and never crashes Compare or the Presentation: in the store and in
AppTest."""

from __future__ import annotations

import pytest
import streamlit as st

from insatskollen.core import scenario as sc
from insatskollen.core import scenario_undo
from insatskollen.ingest import committer, previewer
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database
from insatskollen.ui.scenario_session import compare_saved
from tests.app.test_import import CORPUS
from tests.app_kit import open_app
from tests.conftest import published_var

WARNING = "finns inte längre i datan"


def _orphan_db(path):
    """Norrköping imported, a scenario saved on it and one on Malmö, then the import undone."""
    db = Database.open(published_var(path))
    db.ensure_built()
    data = (CORPUS / "files" / "v22_excel_code_as_number.xlsx").read_bytes()
    committer.commit(db, previewer.preview(db, "norrkoping.xlsx", data), author="Test")
    frame_id = db.scalar("select frame_id from main.frame_year where municipality = 'Norrköping'")
    norrkoping = scenario_undo.Scenario.start(*store.baseline(db, frame_id, 2025))
    norrkoping.apply("Läxhjälp 1 300 000", sc.set_amount, norrkoping.current.lines[0].line_id, 1_300_000)
    orphan = store.save_new(
        db, norrkoping, name="Norrköping plan", author="Anna", frame_id=frame_id, year=2025
    )
    malmo = scenario_undo.Scenario.start(*store.baseline(db, "mal-ks", 2022))
    kept = store.save_new(db, malmo, name="Malmö plan", author="Anna", frame_id="mal-ks", year=2022)
    assert committer.undo_last(db)
    return db, orphan, kept


def test_the_store_keeps_and_flags_a_scenario_whose_frame_is_gone(tmp_path):
    db, orphan, kept = _orphan_db(tmp_path / "orphan.duckdb")
    listed = store.list_scenarios(db).set_index("scenario_id")
    assert bool(listed.loc[orphan, "orphaned"]) and not bool(listed.loc[kept, "orphaned"])
    meta, scenario = store.load(db, orphan)
    assert meta.orphaned and scenario.rules == ()
    assert [x.amount for x in scenario.current.lines] == [1_300_000, 500_000]  # the saved lines, as saved
    tables, sheets = compare_saved(db, orphan, kept)  # Compare does not crash
    assert len(tables) == 2 and set(sheets)
    db.close()


@pytest.fixture
def orphan_app(tmp_path, monkeypatch):
    path = tmp_path / "orphan-app.duckdb"
    db, orphan, kept = _orphan_db(path)
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield orphan, kept
    st.cache_data.clear()
    st.cache_resource.clear()


def test_scenarier_opens_it_read_only_and_compare_works(orphan_app):
    orphan, kept = orphan_app
    at = open_app("pages/scenarier.py", {"scenario": orphan})
    assert any(WARNING in w.value for w in at.warning)
    assert not [b for b in at.button if b.key in ("scn_do_set", "scn_save", "scn_save_new")]  # read-only
    assert "Norrköping plan (ramen saknas)" in at.selectbox(key="scn_open_pick").options
    assert not at.exception


def test_presentation_says_so_and_shows_the_filter_deck(orphan_app):
    orphan, _ = orphan_app
    at = open_app("pages/presentation.py", {"scenario": orphan})
    assert any("bygger på en ram som inte längre finns i datan" in w.value for w in at.warning)
