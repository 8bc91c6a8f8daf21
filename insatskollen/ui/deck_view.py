"""Presentation's data: the saved scenarios a deck can be made from, the deck of a saved scenario, how many
kommuner the filters select, and the words of an empty selection."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from insatskollen.core import fmt
from insatskollen.core.filters import Filters
from insatskollen.export import deck as deck_module
from insatskollen.export import deck_pdf, scenario_deck
from insatskollen.store import scenario_store
from insatskollen.ui import session, sidebar, unexpected


@dataclass(frozen=True)
class Saved:
    names: dict[str, str]  # scenario id -> name, in the store's order
    orphaned: set[str]  # scenarios whose frame is gone (an import undone)


def saved_scenarios() -> Saved:
    saved = scenario_store.list_scenarios(session.database())
    names = dict(zip(saved.scenario_id, saved.name, strict=True))
    return Saved(names, set(saved.scenario_id[saved.orphaned]) if len(saved) else set())


def saved_deck(scenario_id: str, today: date):
    """The deck of a saved scenario, on its own frame."""
    db = session.database()
    meta, scenario = scenario_store.load(db, scenario_id)
    return scenario_deck.from_saved_scenario(db, meta, scenario, session.query("scenario_frames"), today)


def _by_municipality_year(filters: Filters) -> pd.DataFrame:
    return session.query("totals_by_municipality_year", filters)


def municipality_count(filters: Filters) -> int:
    """How many kommuner the filters select (a deck is made for a few)."""
    return _by_municipality_year(filters).municipality.nunique()


def too_many_text(count: int) -> str:
    return (
        f"Presentationen är gjord för ett möte om en eller några kommuner. Urvalet har "
        f"{fmt.number(count)} kommuner: välj högst {deck_module.MAX_MUNICIPALITIES} i filtret "
        "på någon av de andra sidorna."
    )


def empty_message(filters: Filters) -> str:
    """What an empty selection is, and the years the chosen kommuner do have (when a year filter emptied it)."""
    text = f"Urvalet {sidebar.filter_summary(filters)} har inga ramar eller fördelningar i underlaget."
    if filters.years:
        other = _by_municipality_year(dataclasses.replace(filters, years=()))
        for municipality, rows in other.groupby("municipality", sort=True):
            text += f" {municipality} har underlag för {fmt.years(rows.year.min(), rows.year.max())}."
    return text


@unexpected.callback
def panel_toggled() -> None:
    """The export panel was opened or closed: opened, Kaleido's browser for the PDF and the chart's PNG starts in
    the background (deck_pdf.warm_up), so "Skapa PDF" does not wait for it."""
    if st.session_state.get("deck_panel"):
        deck_pdf.warm_up()


def panel_caption(count: int) -> str:
    return (
        f"{fmt.count_phrase(count, 'bild', 'bilder')}. Bläddra med PageDown/PageUp (som en presentationsklicker), "
        "→/←, mellanslag, Home/End. Helskärm: F11 i webbläsaren."
    )


def reading_lines(deck) -> list[str]:
    """The readings behind the deck's figures, one line each (empty when there are none)."""
    if deck.readings is None or not len(deck.readings):
        return []
    return [
        f"{r.Vad} · {r.Kommun} {r.År} · {r.Gäller}: {r.Tolkning}"
        for r in deck.readings.itertuples(index=False)
    ]
