"""This rerun's data: the pinned snapshot of the stores, and the named queries, charts, findings and decks
cached per data version. The one place the pages and the other ui modules reach the database through."""

from __future__ import annotations

import importlib

import pandas as pd
import streamlit as st

from insatskollen.core.filters import Filters
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.store.db import Database, default_data_dir
from insatskollen.ui.text import plain

_PIN = "_ik_database"


def database() -> Database:
    """This rerun's view of the data: the snapshot pinned by `begin_rerun` (app.py, at the start of every
    rerun), so that a rerun finishes on the data it started with while another process imports or
    rebuilds. A store that cannot be opened is explained, never shown as a traceback."""
    pinned = st.session_state.get(_PIN)
    if pinned is not None:
        return pinned
    return _stores_view().pinned()


def begin_rerun() -> None:
    """Pin the newest snapshot for this rerun (new data from another server or the command line shows
    from here on, within a second of it landing)."""
    st.session_state[_PIN] = _stores_view().pinned()


def end_rerun() -> None:
    """Let go of this rerun's snapshot, so that an old version is freed and its file removed even while
    the session sits idle."""
    st.session_state.pop(_PIN, None)


def _stores_view() -> Database:
    from insatskollen.core.errors import DatabaseBusyError

    try:
        return _open_database()
    except DatabaseBusyError as error:
        st.error(plain(str(error)), icon=":material/database:")
        st.stop()


# Every cache is bounded twice: by entries (a deck holds its figures and can be megabytes, hence few) and by
# age, so entries of an old data version or a filter nobody uses any more are let go within the hour.
CACHE_TTL = "1h"


@st.cache_resource(show_spinner=False)
def _open_database() -> Database:
    """The stores, opened once per process; the read store is published from data/ when missing or
    stale, the working store's schema migrated."""
    db = Database.open()
    db.ensure_built(default_data_dir())
    return db


@st.cache_data(show_spinner=False, max_entries=2000, ttl=CACHE_TTL)
def _cached_query(key: str, _name: str, _params: tuple) -> pd.DataFrame:
    """Cached by `key` alone, the repr of (name, parameters, data version): Streamlit hashes one string instead of
    walking the nested tuples (a hit took ~1 ms, half of it hashing; a page asks 5-16 a rerun)."""
    return database().query(_name, **{k: list(v) if isinstance(v, tuple) else v for k, v in _params})


def _freeze(params: dict) -> tuple:
    """Query parameters as a hashable cache key (lists become tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def query(name: str, filters: Filters | None = None, **extra) -> pd.DataFrame:
    """A named query, cached per parameters and data version. Treat the result as read-only."""
    params = _freeze((filters or Filters()).params() | extra)
    return _cached_query(repr((name, params, database().built_version())), name, params)


@st.cache_resource(show_spinner=False, max_entries=500, ttl=CACHE_TTL)
def _cached_chart(builder_name: str, args: tuple, kwargs: tuple, version: str | None) -> ChartSpec:
    module_name, _, name = builder_name.rpartition(".")
    return getattr(importlib.import_module(module_name), name)(*args, **dict(kwargs))


def chart(builder, *args, **kwargs) -> ChartSpec:
    """A chart spec from a builder of an insatskollen.export.*_charts module, cached per input (shared:
    do not mutate it). Building a Plotly figure costs ~15 ms and a pickled copy as much, hence cache_resource."""
    name = f"{builder.__module__}.{builder.__name__}"
    return _cached_chart(name, args, tuple(sorted(kwargs.items())), database().built_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_findings(version: str | None):
    """Computed once per data version and shared (the report is immutable)."""
    from insatskollen.core import consistency as check

    return check.run(database())


def findings():
    """The consistency report for the current data (cached per data version)."""
    return _cached_findings(database().built_version())


@st.cache_resource(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def _cached_deck(params: tuple, version: str | None, today):
    from insatskollen.export import deck

    filters = Filters(**{k: (tuple(v) if isinstance(v, list | tuple) else v) for k, v in params})
    return deck.from_filters(database(), filters, today, findings())


def deck_for(filters: Filters, today):
    """The presentation deck for these filters, built once per filter set, data version and day (shared)."""
    return _cached_deck(_freeze(filters.params()), database().built_version(), today)


# A metric's number in its box: a character of Source Sans (digits, spaces) is under 0,5 em and the box's padding
