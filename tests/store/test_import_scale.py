"""Files of thousands of frames, sources or titles (attack on issue 23, F1 and F9): what the preview says
stays bounded (the first ones named, the rest counted), and the work is done once per file, not once per
frame or title. The timings of the attack's 9 999-row files are measured by hand (scripts, not tests)."""

from __future__ import annotations

import pytest

from insatskollen.core.errors import DataError
from insatskollen.ingest import committer, previewer
from insatskollen.store.db import Database
from tests.conftest import published_var

HEAD = "Kommun;År;Finansieringskälla;Typ av finansiering;Ram (kr);Nämnd;Insats;Område;Belopp (kr)"
GAVLE_MEASURES = (
    "Kommun;År;Finansieringskälla;Insats;Belopp (kr)\r\n"
    "Gävle;2025;Statsbidrag Delmos;Familjecentral Sätra;400 000\r\n"
    "Gävle;2025;Statsbidrag Delmos;Läxhjälp i Sätra;250 000\r\n"
)
FOLLOW_UP_HEAD = "Insats;År;Utfall (kr);Genomförande;Resultat"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The bundled data and Gävle's own two measures."""
    database = Database.open(published_var(tmp_path_factory.mktemp("scale") / "var"))
    database.ensure_built()
    committer.commit(
        database, previewer.preview(database, "gavle.csv", GAVLE_MEASURES.encode()), author="Test"
    )
    yield database
    database.close()


def _csv(head: str, rows: list[str]) -> bytes:
    return ("\r\n".join([head, *rows]) + "\r\n").encode("utf-8")


def test_thirty_near_misses_name_ten_and_count_the_rest_and_so_do_their_frames(db):
    rows = [
        f"Gävle;2025;Statsbidrag Delmo{chr(97 + i % 26)}{i};egna medel;1 000 000;KS;Insats {i};Boende;400 000"
        for i in range(30)
    ]
    findings = previewer.preview(db, "spam.csv", _csv(HEAD, rows)).findings
    near = [f for f in findings if "Menade du ”Statsbidrag Delmos”?" in f]
    assert near[0] == (
        "Rad 2, kolumn C (Finansieringskälla): ”Statsbidrag Delmoa0” är inte en av de kända "
        "finansieringskällorna och importeras som en egen källa. Menade du ”Statsbidrag Delmos”?"
    )
    assert len(near) == 10
    assert (
        "Ytterligare 20 egna källor i kolumn C (Finansieringskälla) liknar en av de kända "
        "finansieringskällorna (visas bara för de första 10). Kontrollera stavningen."
    ) in findings
    frames = [f for f in findings if "av ramen på 1 000 000 kr är ofördelat" in f.replace("\xa0", " ")]
    assert len(frames) == 20
    assert (
        "Ytterligare 10 ramar är inte fördelade precis eller har rader utan belopp (visas bara för de "
        "första 20)."
    ) in findings
    assert any(f.startswith("Egna finansieringskällor i filen:") for f in findings)  # not cut off


def test_thirty_unknown_titles_get_a_suggestion_for_the_first_twenty_only(db):
    rows = [f"Läxhjälp i Sätr{i};2025;1 000;pågår;" for i in range(30)]
    with pytest.raises(DataError) as raised:
        previewer.preview(db, "okända.csv", _csv(FOLLOW_UP_HEAD, rows))
    problems = [str(p) for p in raised.value.problems]
    assert raised.value.total == 30
    suggested = [p for p in problems if p.endswith("Menade du 'Läxhjälp i Sätra'?")]
    assert len(suggested) == 20  # import_follow_up.MAX_SUGGESTIONS
    assert problems[20] == (
        'okända.csv, rad 22, kolumn Insats: värdet "Läxhjälp i Sätr20" – förväntat namnet på en insats i '
        "någon kommuns data"
    )


def test_twenty_reports_without_a_grant_name_ten_and_count_the_rest(db):
    rows = [
        f"{title};{year};1 000;pågår;"
        for year in range(2015, 2025)
        for title in ("Familjecentral Sätra", "Läxhjälp i Sätra")
    ]
    preview = previewer.preview(db, "gamla år.csv", _csv(FOLLOW_UP_HEAD, rows))
    assert len(preview.rows) == 20
    ungranted = [f for f in preview.findings if "har inget beviljat belopp" in f]
    assert ungranted[0] == (
        "Rad 2, kolumn A (Insats): Familjecentral Sätra har inget beviljat belopp 2015; utfallet visas utan avvikelse."
    )
    assert len(ungranted) == 10
    assert (
        "Ytterligare 10 rader i kolumn A (Insats) gäller en insats utan beviljat belopp det året; utfallet "
        "visas utan avvikelse (visas bara för de första 10)."
    ) in preview.findings


def test_a_file_of_own_sources_asks_the_store_about_bundled_frames_only_for_bundled_sources(db, monkeypatch):
    rows = [f"Gävle;2025;Egen källa {i};egna medel;1 000 000;KS;Insats {i};Boende;400 000" for i in range(30)]
    rows.append("Gävle;2025;Statsbidrag Delmos;statsbidrag;;KS;Läxhjälp;Boende;1 000")
    preview = previewer.preview(db, "egna.csv", _csv(HEAD, rows))
    asked = []
    query = db.query

    def counted(name, **params):
        if name == "import_bundled_conflicts":
            asked.append(params["source"])
        return query(name, **params)

    monkeypatch.setattr(db, "query", counted)
    committer.conflicts(db, preview)
    assert asked == ["Statsbidrag Delmos"]  # once, not once per own frame (31 before)
