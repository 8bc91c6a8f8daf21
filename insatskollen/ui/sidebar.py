"""The shared sidebar filters, kept in the URL: read once per session, written on every run, each list
narrowed by the other choices."""

from __future__ import annotations

import streamlit as st

from insatskollen.core import theme
from insatskollen.core.filters import URL_KEYS, Filters, listed
from insatskollen.ui import unexpected
from insatskollen.ui.session import query

FILTER_LABELS = {
    "municipalities": "Kommun",
    "years": "År",
    "funding_sources": "Finansieringskälla",
    "committees": "Nämnd",
    "areas": "Prioriterat område",
    "statuses": "Status",
}
# The pages' own view controls, bound to the URL with Streamlit's bind="query-params": the widget
_STATE_PREFIX = "filter_"
_URL_SEEDED = "_filters_seeded_from_url"


def filter_options(filters: Filters | None = None) -> dict[str, list[str]]:
    """The values each sidebar list offers. With filters, each list is narrowed by the other chosen
    filters (never by itself), and values already chosen stay offered; without, every value in the data."""
    options = query("filter_options", filters)
    offered: dict[str, list[str]] = {key: [] for key in FILTER_LABELS}
    # one pass over plain lists, in the query's order (six boolean masks of the frame cost more than the rest)
    for key, value in zip(options["filter"].tolist(), options["value"].tolist(), strict=True):
        if key in offered:
            offered[key].append(value)
    return offered


def _display(key: str):
    if key == "areas":
        return lambda v: v or theme.NO_AREA
    return str


def sidebar_filters() -> Filters:
    """Draw the shared filters. The URL is read once per session; after that the widgets
    write the URL on every run, so a copied link reopens exactly this view. Each list offers only
    values that give a non-empty view with the other choices (plus what is already chosen)."""
    if not st.session_state.get(_URL_SEEDED):
        allowed = filter_options()
        # any of Sweden's 290 municipalities is known: a link to one without data shows it as empty
        allowed["municipalities"] = allowed["municipalities"] + list(
            query("sweden_municipalities").municipality
        )
        from_url = Filters.from_query_params(st.query_params.to_dict(), allowed)
        for key in FILTER_LABELS:
            st.session_state[_STATE_PREFIX + key] = [str(v) for v in getattr(from_url, key)]
        st.session_state[_STATE_PREFIX + "search"] = from_url.search
        st.session_state[_URL_SEEDED] = True
    options = filter_options(current_filters())
    with st.sidebar:
        st.markdown("### Filter")
        st.text_input(
            "Sök insats, nämnd eller område",
            key=_STATE_PREFIX + "search",
            max_chars=200,
            placeholder="t.ex. Rosengård",
        )
        for key, label in FILTER_LABELS.items():
            # select_all=False: Streamlit 1.67 puts "Select N matches" first in the list, and Enter
            # with no option highlighted picks the first row, so "Tekn" + Enter picked every match.
            st.multiselect(
                label,
                options[key],
                key=_STATE_PREFIX + key,
                format_func=_display(key),
                placeholder="Alla",
                select_all=False,
            )
        st.button("Återställ filter", on_click=reset_filters, width="stretch", icon=":material/restart_alt:")
    filters = current_filters()
    _write_url(filters)
    return filters


def current_filters() -> Filters:
    state = st.session_state
    values = {key: tuple(state.get(_STATE_PREFIX + key, [])) for key in FILTER_LABELS}
    values["years"] = tuple(int(y) for y in values["years"])
    return Filters(**values, search=(state.get(_STATE_PREFIX + "search") or "").strip())


@unexpected.callback
def reset_filters() -> None:
    for key in FILTER_LABELS:
        st.session_state[_STATE_PREFIX + key] = []
    st.session_state[_STATE_PREFIX + "search"] = ""


def _write_url(filters: Filters) -> None:
    """Replace the filter keys in the URL, keeping a page's own keys (e.g. the chosen measure)."""
    wanted = filters.to_query_params()
    for key in URL_KEYS.values():
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def filter_summary(filters: Filters) -> str:
    """'Malmö · 2022 · Boende' or 'Alla kommuner och år'."""
    parts = []
    for key in ("municipalities", "years", "funding_sources", "committees", "areas", "statuses"):
        values = getattr(filters, key)
        if values:
            parts.append(listed(_display(key)(str(v)) for v in values))
    if filters.search:
        parts.append(f"sökning: {filters.search}")
    return " · ".join(parts) if parts else "Alla kommuner, år och områden"
