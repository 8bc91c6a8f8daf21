"""Filters survive a trip through the URL; stale values from an edited link are dropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from insatskollen.core.filters import Filters


def test_url_round_trip():
    f = Filters(municipalities=("Malmö", "Motala"), years=(2022,), areas=("Boende", ""), search="Rosengård")
    params = f.to_query_params()
    assert params == {"kommun": "Malmö|Motala", "ar": "2022", "omrade": "Boende|", "sok": "Rosengård"}
    assert Filters.from_query_params(params) == f


def test_unknown_values_in_a_link_are_dropped():
    allowed = {"municipalities": ["Malmö"], "years": ["2022"]}
    f = Filters.from_query_params({"kommun": "Malmö|Atlantis", "ar": "2022|tjugo"}, allowed)
    assert f == Filters(municipalities=("Malmö",), years=(2022,))


@given(
    st.lists(st.sampled_from(["Malmö", "Motala", "Linköping", "Södertälje"]), unique=True),
    st.lists(st.integers(2018, 2030), unique=True),
    st.text(max_size=50).filter(lambda s: "|" not in s),
)
def test_round_trip_property(municipalities, years, search):
    f = Filters(municipalities=tuple(municipalities), years=tuple(years), search=search)
    assert Filters.from_query_params(f.to_query_params()) == f


def test_view_controls_and_filters_use_different_url_keys():
    """A page's view control (bound to the URL by its widget key) never overwrites a sidebar filter."""
    from insatskollen.core.filters import URL_KEYS
    from insatskollen.ui.widgets import VIEW_KEYS

    assert not set(VIEW_KEYS.values()) & set(URL_KEYS.values())
    assert len(set(VIEW_KEYS.values())) == len(VIEW_KEYS)


@given(st.lists(st.text(min_size=1, max_size=120), unique=True, max_size=5))
def test_any_funding_source_name_survives_the_link(names):
    """An imported source may be called anything: commas, quotes, the list separator | and backslashes."""
    f = Filters(funding_sources=tuple(names))
    assert Filters.from_query_params(f.to_query_params()) == f


def test_a_name_with_the_separator_is_escaped_and_old_links_read_as_before():
    f = Filters(funding_sources=("Egna medel, KF budget 2025", 'Trygghets-"miljonen"', "A | B"))
    assert f.to_query_params() == {"kalla": 'Egna medel, KF budget 2025|Trygghets-"miljonen"|A \\| B'}
    assert Filters.from_query_params({"kalla": "Statsbidrag Delmos|KS anslag till förfogande"}) == Filters(
        funding_sources=("Statsbidrag Delmos", "KS anslag till förfogande")
    )


def test_several_chosen_names_with_commas_read_as_one_each():
    from insatskollen.core.filters import listed

    assert listed(["Egna medel, KF budget 2025"]) == "Egna medel, KF budget 2025"
    assert listed(["Egna medel, KF budget 2025", "Trygghetsmiljonen"]) == (
        "”Egna medel, KF budget 2025”, Trygghetsmiljonen"
    )
    assert listed(["Malmö", "Motala"]) == "Malmö, Motala"
