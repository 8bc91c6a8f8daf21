"""Every named query runs with bound parameters and returns what its first line says."""

from __future__ import annotations

import pytest

from insatskollen.core.filters import Filters
from insatskollen.store import queries
from tests.conftest import ALLOCATION_COLUMNS

ALL = sorted(queries.all_queries())
EXTRA_PARAMS = {
    "frame_id": "lkp-tvv",
    "year": 2018,
    "measure_id": "mal-01",
    "municipality": "Linköping",
    "ids": ["a-sos-tn", "mal-03", "mal-sos-totalbelopp"],
    "committee": "Kulturnämnden",
    "limit": 5,
    "sort": "kommun",
    "code": "0580",  # Linköping, for import_bundled_conflicts
    "source": "Statsbidrag Tillväxtverket",
    "municipality_codes": [],  # follow_up: every municipality
    "item_id": "sod-01",  # follow_up_measure_years: Familjecentral, 2018–2020
}


def test_queries_are_found_and_described():
    assert len(ALL) >= 10
    for query in queries.all_queries().values():
        assert query.description, query.name
        assert "{" not in query.sql, f"{query.name} looks like it formats values into SQL"


@pytest.mark.parametrize("name", ALL)
def test_every_query_runs_unfiltered(db, name, no_filters):
    extra = EXTRA_PARAMS | ({"municipality": "Motala"} if name == "model_cells" else {})
    frame = db.query(name, **no_filters, **extra)
    assert len(frame.columns) > 0
    if (
        name
        not in {
            "check_model_cells",
            "check_requested_allocated",
            "replaced_frame_years",
            "check_funding_source_names",  # empty until an import names a source of its own
            "indicator_municipalities",
            "indicator_series",
            "population",  # empty until Kolada's N01951 is imported (tests/unit/test_per_capita.py)
            "plan_municipalities_imported",  # empty until a plan file is imported (tests/store/test_plan_import.py)
            # an empty list names no municipality: a deck asks for its own, never the whole country's chains
            # (rows: tests/store/test_plan_chain.py::test_one_municipality_s_chain_is_the_view_s_rows_for_it)
            "plan_chains",
        }
    ):  # empty until an import replaces a year / imports Kolada values (tests/store/test_kolada_import.py)
        assert len(frame) > 0, name


def test_a_missing_parameter_is_an_error(db):
    with pytest.raises(KeyError, match="measure_id"):
        db.query("measure_detail")


def test_allocation_view_has_the_documented_columns(db):
    columns = [r[0] for r in db.con.execute("describe main.allocation").fetchall()]
    for column in ALLOCATION_COLUMNS:
        assert column in columns


def test_allocation_areas_are_national_or_null(db):
    areas = {r[0] for r in db.con.execute("select distinct priority_area from main.allocation").fetchall()}
    assert areas == {
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
        None,
    }


def test_year_filter_never_double_counts(db):
    all_years = db.query("allocation_lines", **Filters(municipalities=("Södertälje",)).params())
    one_year = db.query("allocation_lines", **Filters(municipalities=("Södertälje",), years=(2018,)).params())
    assert all_years.amount_sek.sum() == 3 * 10_900_000
    assert one_year.amount_sek.sum() == 10_900_000


def test_filters_combine(db):
    f = Filters(municipalities=("Malmö",), areas=("Boende",), committees=("Hälsa, vård och omsorgsnämnden",))
    lines = db.query("allocation_lines", **f.params())
    assert sorted(lines.amount_sek) == [480_000, 500_000]


def test_lines_without_area_are_filtered_with_the_empty_value(db):
    lines = db.query("allocation_lines", **Filters(areas=("",)).params())
    assert set(lines.funding_source) == {"Statsbidrag Socialstyrelsen", "Statsbidrag Tillväxtverket"}
    assert lines.priority_area.isna().all()


@pytest.mark.parametrize("text", ["'; drop table main.measures; --", "%", "_", "Robert'); --", "<script>"])
def test_search_text_is_bound_not_executed(db, text):
    lines = db.query("allocation_lines", **Filters(search=text).params())
    assert lines.empty
    assert db.scalar("select count(*) from main.measures") == 54


def test_search_is_case_insensitive_and_literal(db):
    lines = db.query("measures_list", **Filters(search="ROSENGÅRD").params())
    assert set(lines.measure_id) == {"mal-03", "mal-17"}


def test_measure_detail_has_source_and_areas(db):
    [row] = db.query("measure_detail", measure_id="mal-03").to_dict("records")
    assert row["source_document"] == "002_6537151171d9247a.txt"
    assert row["case_number"] == "STK-2018-1233"
    assert row["primary_area"] == "Demokrati och civilsamhälle"
    assert list(row["secondary_areas"]) == ["Boende"]
    assert row["districts"] == "Rosengård; Herrgården"


def test_documents_list_every_source_with_what_it_is_the_source_of(db):
    docs = db.query("documents").set_index("document_id")
    assert len(docs) == 5
    counts = docs[["frames_citing", "measures_citing", "lines_citing"]]
    assert counts.loc["000_35ce3f8902650d6a.txt"].tolist() == [1, 17, 17]  # Södertälje: KS 18/292
    assert counts.loc["004_653f0594ef9bb87d.txt"].tolist() == [2, 0, 9]  # Malmö: money per nämnd only
    assert (counts.sum(axis=1) + docs.other_citing > 0).all()
    assert set(docs.case_number.dropna()) == {"KS 18/292", "STK-2018-1233"}


def test_filter_options_cover_every_filter(db, no_filters):
    options = db.query("filter_options", **no_filters)
    assert set(options["filter"]) == {
        "municipalities",
        "years",
        "funding_sources",
        "committees",
        "areas",
        "statuses",
    }
    assert list(options[options["filter"] == "areas"].value) == [
        "Boende",
        "Utbildning",
        "Arbetsmarknad",
        "Demokrati och civilsamhälle",
        "Brottslighet",
        "",  # lines without an area (Malmö's Socialstyrelsen money, Motala)
    ]
    assert sorted(options[options["filter"] == "years"].value) == ["2018", "2019", "2020", "2022"]


def _offered(db, **chosen) -> dict[str, list[str]]:
    options = db.query("filter_options", **(Filters(**chosen).params()))
    return {key: list(group.value) for key, group in options.groupby("filter")}


def test_filter_options_narrow_to_the_chosen_municipality(db):
    offered = _offered(db, municipalities=("Malmö",))
    assert "Utbildningskontoret" not in offered["committees"]  # Södertälje's
    assert "Tekniska nämnden" in offered["committees"]
    assert offered["funding_sources"] == ["KS anslag till förfogande", "Statsbidrag Socialstyrelsen"]
    assert offered["years"] == ["2022"]
    assert offered["statuses"] == ["föreslagen"]
    # a list is not narrowed by its own choice: the other municipalities stay offered
    assert offered["municipalities"] == ["Linköping", "Malmö", "Motala", "Södertälje"]


def test_filter_options_keep_chosen_values_and_drop_unknown_ones(db):
    offered = _offered(db, municipalities=("Malmö",), committees=("Utbildningskontoret", "Påhittad nämnd"))
    assert "Utbildningskontoret" in offered["committees"]
    assert "Påhittad nämnd" not in offered["committees"]
    assert offered["municipalities"] == ["Malmö", "Södertälje"]
    assert "years" not in offered  # nothing matches both, so no year gives a view


def test_filter_options_offer_frames_without_lines_until_a_line_filter_is_chosen(db):
    assert "Statsbidrag Delmos" in _offered(db, municipalities=("Motala",))["funding_sources"]
    offered = _offered(db, municipalities=("Malmö",), committees=("Tekniska nämnden",))
    assert offered["funding_sources"] == ["KS anslag till förfogande", "Statsbidrag Socialstyrelsen"]
    assert offered["areas"] == ["Demokrati och civilsamhälle", ""]


@pytest.mark.parametrize(
    ("sort", "columns", "ascending"),
    [
        ("kommun", ["municipality", "title"], [True, True]),
        ("belopp_hog", ["allocated_sek", "title"], [False, True]),
        ("belopp_lag", ["allocated_sek", "title"], [True, True]),
        ("titel", ["title"], [True]),
        ("status", ["status", "title"], [True, True]),
    ],
)
def test_a_page_of_measures_is_the_start_of_the_full_list_in_that_order(db, sort, columns, ascending):
    params = Filters(municipalities=("Malmö", "Södertälje")).params()
    everything = db.query("measures_list", **params)
    page = db.query("measures_page", **params, sort=sort, limit=7)
    expected = everything.sort_values(columns, ascending=ascending, na_position="last", kind="stable")
    assert list(page.measure_id) == list(expected.measure_id[:7])


def test_measure_counts_agree_with_the_full_list(db):
    for filters in (
        Filters(),
        Filters(municipalities=("Motala",)),
        Filters(years=(2019,), areas=("Boende",)),
    ):
        everything = db.query("measures_list", **filters.params())
        counts = db.query("measure_counts", **filters.params())
        assert counts.measures.sum() == len(everything)
        assert counts.measures_without_amount.sum() == everything.allocated_sek.isna().sum()


def test_the_flow_and_a_page_of_lines_agree_with_the_lines(db):
    params = Filters(municipalities=("Malmö",)).params()
    lines = db.query("allocation_lines", **params)
    flow = db.query("allocation_flow", **params)
    assert flow.amount_sek.sum() == lines.amount_sek.sum()
    assert flow.lines_without_amount.sum() == lines[lines.amount_sek.isna()].allocation_id.nunique()
    mine = lines[lines.committee == "Kulturnämnden"]
    page = db.query("allocation_lines_page", **params, committee="Kulturnämnden", limit=2)
    assert len(page) == 2 and page.total_rows[0] == len(mine) and page.total_sek[0] == mine.amount_sek.sum()
    assert list(page.amount_sek) == sorted(mine.amount_sek.dropna(), reverse=True)[:2]


def test_statements_name_tables_only_by_identifiers():
    """The stores' own statements (queries/model, build, snapshot) fill `{table}` from the schema's names only."""
    sql = queries.statement("model/union_view", table="frames")
    assert "bundled.frames" in sql and "imported.frames" in sql and "{" not in sql
    with pytest.raises(ValueError):
        queries.statement("model/union_view", table="frames; drop table x")
    with pytest.raises(KeyError):
        queries.statement("model/union_view")  # a placeholder left unfilled
    for path in sorted(queries.QUERY_DIR.glob("*/**/*.sql")):
        assert path.read_text(encoding="utf-8").startswith("--"), path
