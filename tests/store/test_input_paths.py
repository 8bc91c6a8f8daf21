"""Input paths an attacker tried without reading the code (issue: fix-input): a misspelt --kommun,
short rows, totals with unknown amounts, formula-looking text in `sql --format csv` and in an import, and
the small words ("1 rader", an empty cell, an English OS error)."""

from __future__ import annotations

import pytest

from insatskollen import cli
from insatskollen.core.fmt import sek
from tests.conftest import published_var

HEADER = (
    "Kommun;Kommunkod;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Beskrivning;Område;Belopp (kr);"
    "Äskat (kr);Status;Källa"
)
GOOD = "Norrköping;0581;2023;KS anslag till förfogande;5 000 000;Socialnämnden;Läxhjälp;;Utbildning;300 000;;föreslagen;"


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    folder = tmp_path_factory.mktemp("input") / "var"
    assert cli.main(["--var", str(folder), "check"]) == 0
    return folder


def run(var, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--var", str(var), *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, text: str, name: str = "fil.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ 1. check --kommun


@pytest.mark.parametrize("given", ["Malmo", "1280", "Malmö stad", "malmö"])
def test_check_resolves_a_municipality_as_the_import_does(var, capsys, given):
    code, exact, _ = run(var, capsys, "check", "--kommun", "Malmö")
    assert code == 0 and "Malmö" in exact and "Ram: okänt" not in exact
    assert run(var, capsys, "check", "--kommun", given) == (0, exact, "")


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (
            "Norrkoping",
            "--kommun Norrkoping: Norrköping (0581) finns inte i datan. Kommuner med data: Linköping, Malmö, "
            "Motala, Södertälje.",
        ),
        (
            "Norrköpings kommun",
            "--kommun Norrköpings kommun: Norrköping (0581) finns inte i datan. Kommuner med data: Linköping, "
            "Malmö, Motala, Södertälje.",
        ),
        (
            "Atlantis",
            "--kommun Atlantis: ingen av Sveriges 290 kommuner heter så eller har den koden. Kommuner med data: "
            "Linköping, Malmö, Motala, Södertälje.",
        ),
        (
            "Malmoo",
            "--kommun Malmoo: ingen av Sveriges 290 kommuner heter så eller har den koden. Menade du 'Malmö'? "
            "Kommuner med data: Linköping, Malmö, Motala, Södertälje.",
        ),
    ],
)
def test_check_refuses_a_municipality_not_in_the_data(var, capsys, given, said):
    code, out, err = run(var, capsys, "check", "--kommun", given)
    assert (code, out, err.strip()) == (1, "", said)


def test_check_says_an_empty_year_is_empty(var, capsys):
    code, out, _ = run(var, capsys, "check", "--ar", "2001")
    assert code == 0
    assert "  Inga ramar eller rader för urvalet." in out.splitlines()
    assert "Ram: okänt" not in out


# ------------------------------------------------------------------ 2. field counts


def test_a_row_with_too_few_fields_is_refused(var, capsys, tmp_path):
    short = "Norrköping;0581;2023;KS anslag till förfogande;5 000 000;Socialnämnden;Kortare;B"
    code, out, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{GOOD}\n{short}\n"), "--dry-run")
    assert code == 1 and out == ""
    assert (
        "- fil.csv, rad 3: raden har 8 fält, förväntat 13 som rubrikraden (saknas det ett semikolon, eller "
        "har en radbrytning hamnat mitt i en cell?)"
    ) in err.splitlines()


def test_a_row_split_by_a_line_break_is_refused_at_both_halves(var, capsys, tmp_path):
    broken = GOOD.replace("Läxhjälp;", "Läxhjälp\n;")
    code, _, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{broken}\n"), "--dry-run")
    assert code == 1
    assert "(2 fel)" in err
    assert "- fil.csv, rad 2: raden har 7 fält, förväntat 13 som rubrikraden" in err
    assert "- fil.csv, rad 3: raden har 7 fält, förväntat 13 som rubrikraden" in err


def test_a_comma_file_names_the_comma(var, capsys, tmp_path):
    text = HEADER.replace(";", ",") + "\n" + "Norrköping,0581,2023\n"
    code, _, err = run(var, capsys, "import", write(tmp_path, text), "--dry-run")
    assert code == 1
    assert "rad 2: raden har 3 fält, förväntat 13 som rubrikraden (saknas det ett kommatecken" in err


def test_a_row_with_too_many_fields_says_expected(var, capsys, tmp_path):
    code, _, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{GOOD};extra\n"), "--dry-run")
    assert code == 1
    assert "- fil.csv, rad 2: raden har 14 fält, förväntat 13 som rubrikraden" in err.splitlines()


def test_trailing_empty_fields_are_still_fine(var, capsys, tmp_path):
    code, out, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{GOOD};;;\n"), "--dry-run")
    assert code == 0, err
    assert f"fil.csv: 1 rad, totalt {sek(300_000)}." in out


# ------------------------------------------------------------------ 3. totals with unknown amounts


def test_the_preview_total_is_a_bound_when_an_amount_is_unknown(var, capsys, tmp_path):
    unknown = GOOD.replace("Läxhjälp", "Trygghet").replace("Utbildning;300 000", "Brottslighet;")
    known = GOOD.replace("Läxhjälp", "Grannsamverkan").replace("Utbildning;300 000", "Brottslighet;1 000 000")
    code, out, err = run(
        var, capsys, "import", write(tmp_path, f"{HEADER}\n{GOOD}\n{unknown}\n{known}\n"), "--dry-run"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert f"fil.csv: 3 rader, totalt minst {sek(1_300_000)}." in lines
    assert f"  Brottslighet: minst {sek(1_000_000)}" in lines
    assert f"  Utbildning: {sek(300_000)}" in lines


# ------------------------------------------------------------------ 4. sql --format csv


def test_sql_csv_neutralises_formula_looking_text(var, capsys):
    query = "select '+cmd|'' /C calc''!A0' as a, '=1+1' as b, -5 as c, 'Malmö' as d"
    code, out, _ = run(var, capsys, "sql", query, "--format", "csv")
    assert (code, out) == (0, "a,b,c,d\n'+cmd|' /C calc'!A0,'=1+1,-5,Malmö\n")


# ------------------------------------------------------------------ 5. formula-looking text at import


@pytest.mark.parametrize("text", ["+cmd|' /C calc'!A0", "-2+3", "+SUM(A1:A2)", "{=1+1}", "-A1*2"])
def test_formula_looking_text_is_refused(var, capsys, tmp_path, text):
    row = GOOD.replace("Läxhjälp", text)
    code, _, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{row}\n"), "--dry-run")
    assert code == 1
    assert f'rad 2, kolumn Insats: värdet "{text}" – förväntat text, inte en formel' in err


@pytest.mark.parametrize("text", ["-Trygghet i Hageby", "+46 8 123 45 67", "- punkt (två)", "Läxhjälp (DDE)"])
def test_ordinary_text_with_a_sign_is_accepted(var, capsys, tmp_path, text):
    row = GOOD.replace("Läxhjälp", text)
    code, out, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{row}\n"), "--dry-run")
    assert code == 0, err


# ------------------------------------------------------------------ 6. small words


def test_one_row_is_one_rad(var, capsys, tmp_path):
    code, out, _ = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{GOOD}\n"), "--dry-run")
    assert code == 0 and f"fil.csv: 1 rad, totalt {sek(300_000)}." in out
    code, out, _ = run(var, capsys, "sql", "select 1 as a")
    assert (code, out) == (0, "a\n1\n(1 rad)\n")


def test_an_empty_required_cell_says_the_value_is_missing(var, capsys, tmp_path):
    row = GOOD.replace("Läxhjälp", "")
    code, _, err = run(var, capsys, "import", write(tmp_path, f"{HEADER}\n{row}\n"), "--dry-run")
    assert code == 1
    assert "- fil.csv, rad 2, kolumn Insats: värdet saknas – förväntat insatsens namn" in err.splitlines()


def test_kolada_import_of_a_missing_file_is_swedish(var, capsys, tmp_path):
    code, _, err = run(var, capsys, "kolada", "import", str(tmp_path / "finns-inte.csv"))
    assert code == 1
    assert "- finns-inte.csv: filen kan inte läsas (filen finns inte)" in err.splitlines()


def test_the_importera_page_says_minst_in_totalt_and_per_group(tmp_path, monkeypatch):
    from tests.app.test_import import importera_page

    monkeypatch.setenv("INSATSKOLLEN_VAR", str(published_var(tmp_path / "page.duckdb")))
    unknown = GOOD.replace("Läxhjälp", "Trygghet").replace("Utbildning;300 000", "Brottslighet;")
    known = GOOD.replace("Läxhjälp", "Grannsamverkan").replace("Utbildning;300 000", "Brottslighet;1 000 000")
    data = f"{HEADER}\n{GOOD}\n{unknown}\n{known}\n".encode()
    at = importera_page()
    at.file_uploader(key="import_file").set_value(("fil.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Totalt"] == f"minst {sek(1_300_000)}"
    by_area = at.dataframe[1].value
    assert dict(zip(by_area["Område"], by_area["Belopp (kr)"], strict=True)) == {
        "Brottslighet": f"minst {sek(1_000_000)}",
        "Utbildning": sek(300_000),
    }
    by_committee = at.dataframe[2].value
    assert list(by_committee["Belopp (kr)"]) == [f"minst {sek(1_300_000)}"]
