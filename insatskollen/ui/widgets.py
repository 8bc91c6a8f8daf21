"""The pieces every page lays out with: its header, an empty state, a chart with its table, a table, big
numbers, the readings behind them, and a choice kept in the URL."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, headline_tables
from insatskollen.core.filters import Filters
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui.downloads import download_buttons
from insatskollen.ui.frame import METRIC_LONGEST
from insatskollen.ui.session import query
from insatskollen.ui.sidebar import filter_summary, reset_filters
from insatskollen.ui.text import md_escape, plain

# key is the query parameter, so these are short Swedish words, distinct from the filters' URL_KEYS.
VIEW_KEYS = {
    "area_mode": "visa",  # Prioriterade områden: Belopp / Andel av ramen
    "area_pick": "valt_omrade",  # Prioriterade områden: the area whose measures are listed
    "committee_pick": "vald_namnd",  # Nämnder: the nämnd whose lines are listed
    "municipality_pick": "vald_kommun",  # Kommuner: the municipality shown
    "finding_page": "sida",  # Datakvalitet: the page of findings
    "follow_up_frame": "ram",  # Uppföljning: the frame-year shown (frame_id|year)
    "follow_up_measure": "uppf_insats",  # Uppföljning: the measure followed over the years
    "plan_pick": "plan_kommun",  # Från lägesbild till resultat: the municipality shown
}


def page_header(title: str, lead: str, filters: Filters) -> None:
    st.title(title)
    st.markdown(lead)
    st.caption(f"Visar: {md_escape(filter_summary(filters))}")
    empty = known_without_data(filters)
    if empty:
        st.info(
            f"{md_escape(', '.join(empty))} finns bland Sveriges 290 kommuner men har inga ramar eller insatser "
            "i datan ännu. En kommun kan läsa in sina egna siffror under Importera.",
            icon=":material/location_city:",
        )


def known_without_data(filters: Filters) -> list[str]:
    """Chosen municipalities that are real (SCB) but have no frame or line in the data yet."""
    if not filters.municipalities:
        return []
    sweden = query("sweden_municipalities")
    empty = set(sweden.municipality[~sweden.has_data])
    return [m for m in filters.municipalities if m in empty]


def empty_state(what: str = "Inget att visa") -> None:
    """A filter that leaves nothing gets a plain explanation and a way back, never an empty chart."""
    st.info(
        f"**{what} med de valda filtren.** Prova att ta bort ett filter eller återställ alla filter.",
        icon=":material/filter_alt_off:",
    )
    st.button("Återställ filter", on_click=reset_filters, key=f"reset_empty_{_slug(what)}")


def render_chart(spec: ChartSpec, key: str) -> None:
    """The chart with its text alternative, a visible note on unknown amounts, and a table view with downloads."""
    st.plotly_chart(
        spec.figure, key=key, alt=spec.alt, theme=None, config={"displaylogo": False, "responsive": True}
    )
    if spec.note:
        st.caption(plain(spec.note))
    with lazy_expander("Visa som tabell och ladda ner", key=f"{key}_tabell") as box:
        if box.open:
            st.caption(plain(spec.alt))
            st.dataframe(display_table(spec.table), hide_index=True, width="stretch")
            download_buttons(spec.table, spec.name, key=key)


def lazy_expander(label: str, key: str):
    """An expander whose content is made only while it is open: opening it reruns the page, which then fills it
    (`.open`). A closed one costs nothing, where a chart's table and its CSV and Excel files were made on every
    rerun for an expander almost nobody opens (a third of Översikt's run, issue 25)."""
    return st.expander(label, key=key, on_change="rerun")


# Above this many rows a table's Excel file is made on a click ("Skapa Excel"), not before the buttons: the


def display_table(table: pd.DataFrame, unknown: tuple[str, ...] = ()) -> pd.DataFrame:
    """Swedish-formatted text for on-screen tables (downloads keep the numbers); in the `unknown` amount columns
    a missing amount reads "okänt", never 0."""
    out = table.copy()
    for column in out.columns:
        lowered = str(column).lower()
        if "(kr)" in lowered:
            out[column] = out[column].map(fmt.sek)
            # a bound beside the amount ("Ofördelat, gräns": högst) is read with it: "högst 400 000 kr"
            if (bound := str(column).replace(" (kr)", headline_tables.BOUND)) in out.columns:
                out[column] = [
                    f"{word} {text}" if isinstance(word, str) and word and pd.notna(amount) else text
                    for word, text, amount in zip(out[bound], out[column], table[column], strict=True)
                ]
                out = out.drop(columns=bound)
        elif "andel" in lowered:
            out[column] = out[column].map(fmt.pct)
    for column in unknown:
        out.loc[table[column].isna().to_numpy(), column] = "okänt"
    return out


PAGE_ROWS = 500  # the most rows a table fetches and shows; counts and sums always cover every row


def first_rows_note(shown: int, total: int, plural: str, order: str) -> str:
    """'Visar de 500 första av 1 000 000 insatser, ordnade efter …' for a table cut at PAGE_ROWS."""
    return (
        f"Visar de {fmt.number(shown)} första av {fmt.number(total)} {plural}, ordnade efter {order}. "
        "Smalna av urvalet med filtren eller sökrutan för att se andra."
    )


def table(df: pd.DataFrame, **kwargs):
    """An on-screen table; missing values read '–' instead of None."""
    shown = df.astype(object).where(df.notna(), "–")
    return st.dataframe(shown, hide_index=True, width="stretch", **kwargs)


def linked_selectbox(label: str, options: dict[str, str], param: str) -> str:
    """A select box over stable ids (options: id -> label) kept in the URL as `param`, so a copied link
    reopens the same choice. (Streamlit's bind="query-params" writes the shown label, which changes with
    the data, e.g. a count of reports.) An id in the link that is not an option is ignored."""
    ids = list(options)
    # a new list (another kommun's frame-years, a label with a new count) is a new widget: the browser's select
    # box otherwise kept showing the old label while the page showed the new choice
    shown = hashlib.sha256("\x1f".join(f"{k}\x1e{v}" for k, v in options.items()).encode()).hexdigest()[:10]
    key = f"linked_{param}_{shown}"
    wanted = st.query_params.get(param)
    if (
        wanted in options
        and st.session_state.get(key) != wanted
        and st.session_state.get(f"{key}_seen") != wanted
    ):
        st.session_state[key] = wanted  # a new link: it wins over the session's earlier choice
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
    chosen = st.selectbox(label, ids, format_func=options.get, key=key)
    if st.query_params.get(param) != chosen:
        st.query_params[param] = chosen
    st.session_state[f"{key}_seen"] = chosen
    return chosen


def metric_row(items: list[tuple]) -> None:
    """Big numbers: (label, value, help) or (label, value, help, reading): a non-empty `reading` ("varav
    32,7 mnkr enligt tolkning") is written under the box, labelled "Tolkning"."""
    columns = st.columns(len(items))
    for i, (column, (label, value, help_text, *rest)) in enumerate(zip(columns, items, strict=True)):
        # the box's key carries the number's length, so that _STYLE sizes a long number to fit its box
        # ("minst 3 450 000 kr" was cut to "minst 3 450 00…")
        digest = hashlib.sha256(f"{label}\x1f{value}".encode()).hexdigest()[:8]
        box = column.container(key=f"ikm{min(len(str(value)), METRIC_LONGEST)}_{i}_{digest}")
        box.metric(label, value, help=help_text, border=True)
        if rest and rest[0]:
            box.caption(f"{READING_BADGE} {plain(rest[0])}")


READING_BADGE = ":orange-badge[Tolkning]"


def readings_panel(readings: pd.DataFrame, reading_text: str, key: str) -> None:
    """An expander listing each reading behind the figures above (headline_tables.readings_table) with its note: the
    reading one click away from the number it changes."""
    if readings.empty:
        return
    with lazy_expander(
        f"Tolkning: vad siffrorna vilar på ({fmt.count_phrase(len(readings), 'tolkning', 'tolkningar')})",
        key=f"{key}_panel",
    ) as box:
        if not box.open:
            return
        if reading_text:
            st.markdown(plain(reading_text))
        for r in readings.itertuples(index=False):
            amount = r[4]
            head = " · ".join(
                [
                    plain(r.Vad),
                    plain(f"{r.Kommun} {r.År}"),
                    plain(r.Gäller),
                    plain("belopp saknas" if pd.isna(amount) else f"{fmt.sek(int(amount))} per år"),
                ]
            )
            st.markdown(f"**{head}**  \nTolkning: {plain(r.Tolkning)}")
        download_buttons(readings, "tolkningar", key=key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
