"""Every message points at the cell (issue 23, item 4): the import preview, `check` and Datakvalitet name the
file's own row and its own column header for a finding about an imported row. Gävle is a municipality the
bundled documents never saw; its 2025 file has a frame in column D and a measure without amount on row 3."""

from __future__ import annotations

import html

import streamlit as st

from insatskollen.core import consistency
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from tests.app_kit import open_app
from tests.conftest import published_var

GAVLE = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Gävle;2025;Statsbidrag Delmos;3 000 000;Kommunstyrelsen;Trygga mötesplatser;Brottslighet;400 000;beslutad\n"
    "Gävle;2025;Statsbidrag Delmos;3 000 000;Utbildningsnämnden;Läxhjälp i Sätra;Utbildning;;beslutad\n"
    "Gävle;2025;Statsbidrag Delmos;3 000 000;Socialnämnden;Familjecentral;Utbildning;;beslutad\n"
    "Gävle;2025;Statsbidrag Delmos;3 000 000;Kommunstyrelsen;Språkcafé;Arbetsmarknad;150 000;beslutad\n"
)
# the same in English headers and another column order: the findings name these headers, not ours
ENGLISH = (
    "Municipality;Year;Funding source;Measure;Amount;Frame\n"
    "Gävle;2025;Statsbidrag Delmos;Trygga mötesplatser;400 000;3 000 000\n"
    "Gävle;2025;Statsbidrag Delmos;Läxhjälp i Sätra;;3 000 000\n"
)


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")


def _open(tmp_path) -> Database:
    db = Database.open(published_var(tmp_path / "var"))
    db.ensure_built()
    return db


def test_the_preview_names_the_rows_and_the_column_of_the_missing_amounts(tmp_path):
    db = _open(tmp_path)
    try:
        preview = previewer.preview(db, "gavle.csv", GAVLE.encode())
        assert [_plain(f) for f in preview.findings] == [
            "Gävle 2025, Statsbidrag Delmos (ramen: rad 2, kolumn D (Ram (kr))): minst 550 000 kr fördelat, "
            "högst 2 450 000 kr kvar (2 rader saknar belopp). Belopp saknas på rad 3 (Läxhjälp i Sätra), "
            "rad 4 (Familjecentral), kolumn H (Belopp (kr))."
        ]
        english = previewer.preview(db, "gavle-en.csv", ENGLISH.encode())
        assert [_plain(f) for f in english.findings] == [
            "Gävle 2025, Statsbidrag Delmos (ramen: rad 2, kolumn F (Frame)): minst 400 000 kr fördelat, "
            "högst 2 600 000 kr kvar (1 rad saknar belopp). Belopp saknas på rad 3 (Läxhjälp i Sätra), "
            "kolumn E (Amount)."
        ]
    finally:
        db.close()


def test_check_points_a_missing_amount_at_its_row_and_belopp_not_at_the_column_ram(tmp_path):
    db = _open(tmp_path)
    try:
        committer.commit(db, previewer.preview(db, "gavle.csv", GAVLE.encode()))
        # an imported file is named as a reader knows it (file, date), never by its internal id
        date = db.scalar("select date from main.documents where title = 'Importerad fil gavle.csv'")
        document = f"Importerad fil gavle.csv, {date}"
        findings = {f.category: f for f in consistency.run(db).select(("Gävle",)).findings}
        unknown = findings["Rader utan belopp"]
        assert unknown.sources == (
            f"{document}, ”gavle.csv rad 3, kolumn H (Belopp (kr))”",
            f"{document}, ”gavle.csv rad 4, kolumn H (Belopp (kr))”",
        )
        assert unknown.message == (
            "2 rader saknar belopp i filen; de räknas som okända, inte som noll. Utan belopp: "
            "Läxhjälp i Sätra (gavle.csv rad 3, kolumn H (Belopp (kr))); "
            "Familjecentral (gavle.csv rad 4, kolumn H (Belopp (kr)))."
        )
        # the frame's balance is about the frame: its amount's own cell
        partly = findings["Fördelningen är delvis känd"]
        assert partly.sources == (f"{document}, ”gavle.csv rad 2, kolumn D (Ram (kr))”",)
        assert not any("kolumnen Ram" in s for f in findings.values() for s in f.sources)
    finally:
        db.close()


def test_a_file_without_a_frame_column_says_so_where_the_frame_is_cited(tmp_path):
    db = _open(tmp_path)
    try:
        no_frame = "\n".join(
            ";".join(line.split(";")[:3] + line.split(";")[4:]) for line in GAVLE.splitlines()
        )
        committer.commit(db, previewer.preview(db, "utan-ram.csv", no_frame.encode()))
        sections = set(db.query("municipality_frames", municipality="Gävle").source_section)
        assert sections == {"utan-ram.csv (filen har ingen kolumn för ramen)"}
    finally:
        db.close()


def test_datakvalitet_shows_the_cell_and_no_empty_count_of_totals(tmp_path, monkeypatch):
    db = _open(tmp_path)
    committer.commit(db, previewer.preview(db, "gavle.csv", GAVLE.encode()))
    db.close()
    monkeypatch.setenv("INSATSKOLLEN_VAR", str(tmp_path / "var"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_app("pages/datakvalitet.py", {"kommun": "Gävle"})
        assert not at.exception, [e.value for e in at.exception]
        # Gävle's file states no total of its own: no "0 av 0", one line saying what would fill it
        assert {m.label: m.value for m in at.metric} == {"Avvikelser": "0", "Upplysningar": "2"}
        assert [c.value for c in at.caption if c.value.startswith("Summor som stämmer")] == [
            "Summor som stämmer: inga att pröva. Urvalets dokument och filer anger inga egna summor; en summa "
            "som ett dokument anger (”Totalt”, ”sammanlagt”) prövas här mot raderna."
        ]
        shown = _plain(html.unescape("\n".join(m.value for m in at.markdown)))
        assert "Läxhjälp i Sätra (gavle.csv rad 3, kolumn H (Belopp (kr)))" in shown
        assert "kolumnen Ram" not in "\n".join(c.value for c in at.caption)
        sources = html.unescape("\n".join(c.value for c in at.caption if c.value.startswith("Källa")))
        assert "Källa: Importerad fil gavle.csv, " in sources and "import-" not in sources
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
