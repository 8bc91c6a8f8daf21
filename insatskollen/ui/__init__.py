"""Streamlit pieces shared by all pages: the database handle, cached queries, the sidebar
filters (kept in the URL), chart rendering with a table alternative and downloads, and
empty states. Pages call these; they hold no SQL and no business rules.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from insatskollen.core import fmt, headline_tables, na, theme
from insatskollen.core.filters import URL_KEYS, Filters, listed
from insatskollen.core.schema import IMPORTED_DOCUMENT
from insatskollen.export import table_files
from insatskollen.export.charts import ChartSpec
from insatskollen.store.db import Database, default_data_dir
from insatskollen.ui import unexpected

FILTER_LABELS = {
    "municipalities": "Kommun",
    "years": "År",
    "funding_sources": "Finansieringskälla",
    "committees": "Nämnd",
    "areas": "Prioriterat område",
    "statuses": "Status",
}
# The pages' own view controls, bound to the URL with Streamlit's bind="query-params": the widget
# key is the query parameter, so these are short Swedish words, distinct from the filters' URL_KEYS.
VIEW_KEYS = {
    "area_mode": "visa",  # Prioriterade områden: Belopp / Andel av ramen
    "area_pick": "valt_omrade",  # Prioriterade områden: the area whose measures are listed
    "committee_pick": "vald_namnd",  # Nämnder: the nämnd whose lines are listed
    "municipality_pick": "vald_kommun",  # Kommuner: the municipality shown
    "finding_page": "sida",  # Datakvalitet: the page of findings
    "follow_up_frame": "ram",  # Uppföljning: the frame-year shown (frame_id|year)
    "follow_up_measure": "uppf_insats",  # Uppföljning: the measure followed over the years
}
LOG = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATE_PREFIX = "filter_"
_URL_SEEDED = "_filters_seeded_from_url"


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
def _cached_query(name: str, params: tuple, version: str | None) -> pd.DataFrame:
    return database().query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def _freeze(params: dict) -> tuple:
    """Query parameters as a hashable cache key (lists become tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def query(name: str, filters: Filters | None = None, **extra) -> pd.DataFrame:
    """A named query, cached per parameters and data version. Treat the result as read-only."""
    params = (filters or Filters()).params() | extra
    return _cached_query(name, _freeze(params), database().built_version())


@st.cache_resource(show_spinner=False, max_entries=500, ttl=CACHE_TTL)
def _cached_chart(builder_name: str, args: tuple, kwargs: tuple, version: str | None) -> ChartSpec:
    from insatskollen.export import charts, follow_up_charts

    module_name, _, name = builder_name.rpartition(".")
    module = follow_up_charts if module_name == follow_up_charts.__name__ else charts
    return getattr(module, name)(*args, **dict(kwargs))


def chart(builder, *args, **kwargs) -> ChartSpec:
    """A chart spec from a builder in insatskollen.export.charts (or follow_up_charts), cached per input (shared:
    do not mutate it). Building a Plotly figure costs ~15 ms and a pickled copy as much, hence cache_resource."""
    name = f"{builder.__module__}.{builder.__name__}"
    return _cached_chart(name, args, tuple(sorted(kwargs.items())), database().built_version())


def filter_options(filters: Filters | None = None) -> dict[str, list[str]]:
    """The values each sidebar list offers. With filters, each list is narrowed by the other chosen
    filters (never by itself), and values already chosen stay offered; without, every value in the data."""
    options = query("filter_options", filters)
    return {key: list(options[options["filter"] == key].value) for key in FILTER_LABELS}


# ------------------------------------------------------------------ filters


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


# ------------------------------------------------------------------ rendering


def page_header(title: str, lead: str, filters: Filters) -> None:
    st.title(title)
    st.markdown(lead)
    st.caption(f"Visar: {_md_escape(filter_summary(filters))}")
    empty = known_without_data(filters)
    if empty:
        st.info(
            f"{_md_escape(', '.join(empty))} finns bland Sveriges 290 kommuner men har inga ramar eller insatser "
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
    with st.expander("Visa som tabell och ladda ner"):
        st.caption(plain(spec.alt))
        st.dataframe(display_table(spec.table), hide_index=True, width="stretch")
        download_buttons(spec.table, spec.name, key=key)


# Above this many rows a table's Excel file is made on a click ("Skapa Excel"), not before the buttons: the
# national "per ram och år" table (2 900 rows) took longer to write than the rest of Översikt (issue 16).
EAGER_EXCEL_ROWS = 1_000


def download_buttons(table: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel buttons. The files are made before the buttons (cached per table), so a failure is
    said here in Swedish instead of being lost in a click; a file that could not be made has no button.
    A large table's Excel file is made on a click instead (`EAGER_EXCEL_ROWS`)."""
    left, right = st.columns(2)
    csv = _ready_button(left, "CSV", "csv", "text/csv", table, name, key)
    if len(table) > EAGER_EXCEL_ROWS:
        token = hashlib.sha256(csv or repr(table).encode()).hexdigest()  # the CSV is the table, exactly
        download_after_click(
            "Excel",
            f"Skapa Excel ({fmt.count_phrase(len(table), 'rad', 'rader')})",
            lambda: _table_file("xlsx", table, name),
            f"insatskollen-{name}.xlsx",
            XLSX_MIME,
            "table",
            token,
            right,
            key=f"{key}_xlsx",
        )
    else:
        _ready_button(right, "Excel", "xlsx", XLSX_MIME, table, name, key)


def _ready_button(
    column, what: str, kind: str, mime: str, table: pd.DataFrame, name: str, key: str
) -> bytes | None:
    """The table's file of this kind, made now, and its "Ladda ner …" button in `column`; None (said in
    Swedish by export_bytes, no button) when it could not be made."""
    data = export_bytes(what, lambda: _table_file(kind, table, name))
    if data is not None:
        column.download_button(
            f"Ladda ner {what}",
            data,
            file_name=f"insatskollen-{name}.{kind}",
            mime=mime,
            key=f"{key}_{kind}",
            icon=":material/download:",
            on_click="ignore",
        )
    return data


@st.cache_data(show_spinner=False, max_entries=200, ttl=CACHE_TTL)
def _table_file(kind: str, table: pd.DataFrame, name: str) -> bytes:
    return table_files.to_csv(table) if kind == "csv" else table_files.to_xlsx({name: table})


def export_bytes(what: str, make: Callable[[], bytes]) -> bytes | None:
    """The file `make` returns, or None after saying in Swedish which file failed (details go to the log)."""
    try:
        return make()
    except Exception as error:  # the boundary: whatever broke, the person reads Swedish, never a traceback
        LOG.exception("Export failed: %s", what)
        st.error(table_files.failure_text(what, error), icon=":material/error:")
        return None


@st.cache_data(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def _deck_file(kind: str, fingerprint: str, _deck) -> bytes:
    from insatskollen.export import deck_files

    return {"pptx": deck_files.to_pptx, "docx": deck_files.to_docx, "xlsx": deck_files.to_xlsx}[kind](_deck)


def deck_bytes(kind: str, deck) -> bytes:
    """The deck as a PowerPoint (pptx), Word (docx) or Excel (xlsx) file, made once per deck content."""
    from insatskollen.export import deck_files

    return _deck_file(kind, deck_files.fingerprint(deck), deck)


def download_after_click(
    what: str,
    label: str,
    make: Callable[[], bytes],
    file_name: str,
    mime: str,
    icon: str,
    token: str,
    column,
    key: str | None = None,
) -> None:
    """A file made on a click (the deck's Office files, PDF or PNG through Chromium, a large table's Excel):
    a button in `column` makes it, with a spinner; then a download button hands it out. A failure is said in
    Swedish below the buttons; nothing empty is handed out. `token` names what the file was made from: a file
    made for another deck, slide or table is not offered. `key` tells apart two files of the same kind on a
    page (default: `what`)."""
    key = key or what
    made: dict = st.session_state.setdefault("_made_files", {})
    wanted = f"_make_{key}"  # set by the click's callback, so a rerun in between cannot lose the click
    column.button(
        label,
        key=f"exp_make_{key}",
        icon=f":material/{icon}:",
        on_click=st.session_state.__setitem__,
        args=(wanted, True),
    )
    if st.session_state.pop(wanted, False):
        # said beside the button that was clicked (in the presentation's panel, not below the slide)
        with column, st.spinner(f"Skapar {what} …"):
            data = export_bytes(what, make)
        if data is None:
            made.pop(key, None)
        else:
            made[key] = (token, data)
    if key in made and made[key][0] == token:
        column.download_button(
            f"Ladda ner {what}",
            made[key][1],
            file_name=file_name,
            mime=mime,
            key=f"exp_{key}",
            on_click="ignore",
            icon=":material/download:",
        )


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """Swedish-formatted text for on-screen tables (downloads keep the numbers)."""
    out = table.copy()
    for column in out.columns:
        lowered = str(column).lower()
        if "(kr)" in lowered:
            out[column] = out[column].map(fmt.sek)
            # a bound beside the amount ("Ofördelat, gräns": högst) is read with it: "högst 400 000 kr"
            if (bound := str(column).replace(" (kr)", headline_tables.BOUND)) in out.columns:
                out[column] = [
                    f"{word} {text}" if isinstance(word, str) and word and not na.missing(amount) else text
                    for word, text, amount in zip(out[bound], out[column], table[column], strict=True)
                ]
                out = out.drop(columns=bound)
        elif "andel" in lowered:
            out[column] = out[column].map(fmt.pct)
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
    with st.expander(
        f"Tolkning: vad siffrorna vilar på ({fmt.count_phrase(len(readings), 'tolkning', 'tolkningar')})"
    ):
        if reading_text:
            st.markdown(plain(reading_text))
        for r in readings.itertuples(index=False):
            amount = r[4]
            head = " · ".join(
                [
                    plain(r.Vad),
                    plain(f"{r.Kommun} {r.År}"),
                    plain(r.Gäller),
                    plain("belopp saknas" if na.missing(amount) else f"{fmt.sek(int(amount))} per år"),
                ]
            )
            st.markdown(f"**{head}**  \nTolkning: {plain(r.Tolkning)}")
        download_buttons(readings, "tolkningar", key=key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# Static CSS for source passages (no user data): tables from the documents, amounts right-aligned.
SOURCE_STYLE = """<style>
.ik-source, .ik-source-row { border-left: 4px solid #D1D5DB; padding: 0.2rem 0 0.2rem 0.9rem; margin: 0.3rem 0 0.8rem; }
.ik-source table, .ik-source-row table { border-collapse: collapse; margin: 0.3rem 0; }
.ik-source th, .ik-source td, .ik-source-row th, .ik-source-row td { border-bottom: 1px solid #D1D5DB;
  padding: 0.2rem 0.7rem; text-align: left; vertical-align: top; }
.ik-source .num, .ik-source-row .num { text-align: right; white-space: nowrap; }
.ik-source.ik-document { border-left: none; padding-left: 0; }
.ik-scroll { max-height: 420px; overflow-y: auto; border: 1px solid #D1D5DB; border-radius: 0.5rem;
  padding: 0.2rem 1rem; }
.ik-scroll:focus-visible { outline: 2px solid #005A8C; outline-offset: 2px; }
</style>"""


IMPORTED_KIND = IMPORTED_DOCUMENT


def document_label(title, date, document_id: str) -> str:
    """A source as a reader knows it: 'Importerad fil gavle.xlsx, 2026-12-06' or a document's title and date;
    the internal id only when the document is not in the data."""
    if or_text(title, "") == "":
        return str(document_id)
    return f"{title}, {date}" if or_text(date, "") else str(title)


def _document_citation(document_id: str) -> str:
    """'Title, dnr X, date' of a bundled document, escaped for markdown."""
    docs = query("documents").set_index("document_id")
    if document_id not in docs.index:
        return _md_escape(document_id)
    doc = docs.loc[document_id]
    case = f", dnr {doc['case_number']}" if isinstance(doc["case_number"], str) else ""
    return f"{_md_escape(doc['title'])}{_md_escape(case)}, {_md_escape(doc['date'])}"


def source_block(document_id: str, section: str, *hints: str, measure=None) -> None:
    """'Källa: title (dnr), avsnitt …' with the passage from the document. For a measure (a measure_detail
    row) the passage runs up to its amount, and the table row its allocated amount comes from is cited and
    shown with the table's header. The document's markdown is rendered as formatting, safely."""
    from insatskollen.store import sources

    docs = query("documents").set_index("document_id")
    imported = document_id in docs.index and docs.loc[document_id, "kind"] == IMPORTED_KIND
    st.markdown(  # an imported file is named by its title; its internal id says nothing to a reader
        f"**Källa:** {_document_citation(document_id)}  \n"
        f"Avsnitt: {_md_escape(section)}" + ("" if imported else f"  \nFil: {_md_escape(document_id)}")
    )
    if imported:  # its text is not kept (Källor says so): say what is known instead of a passage not found
        doc = docs.loc[document_id]
        case = or_text(doc["case_number"], "")
        st.caption(  # the section names the file and its row ("gavle.xlsx rad 4"), often the dnr too
            "Den importerade filens text sparas inte, så det finns inget avsnitt att visa. Insatsen kommer från "
            + plain(section)
            + (f", dnr {plain(case)}" if case and case not in str(section) else "")
            + f", importerad {plain(doc['date'])}."
        )
        return
    shown = sources.MeasureSource(sources.excerpt(document_id, section, *hints))
    amount = None
    if measure is not None:
        lines = query("measure_sources", measure_id=measure.measure_id)
        allocations = tuple(
            (r.source_document, r.source_section, na.int_or_none(r.amount_sek)) for r in lines.itertuples()
        )
        shown = sources.for_measure(
            document_id,
            section,
            measure.title,
            measure.description if isinstance(measure.description, str) else "",
            measure.requested_text if isinstance(measure.requested_text, str) else None,
            na.int_or_none(measure.requested_sek),
            allocations,
        )
        amount = next(
            (a for d, s, a in allocations if (d, s) == (shown.table_document, shown.table_section)), None
        )
    if shown.table and amount is not None:
        st.markdown(
            f"**Beloppet {_md_escape(fmt.sek(amount))}:** {_document_citation(shown.table_document)}, "
            f"tabellen ”{_md_escape(shown.table_section)}”"
        )
    with st.expander("Visa texten i källdokumentet"):
        if shown.passage:
            st.markdown(
                f'{SOURCE_STYLE}<div class="ik-source">{sources.to_html(shown.passage)}</div>',
                unsafe_allow_html=True,
            )
        else:
            st.caption("Avsnittet kunde inte hittas automatiskt i texten; se hela dokumentet under Källor.")
        if shown.table:
            st.caption(f"Raden som beloppet {fmt.sek(amount)} kommer från, med tabellens rubrikrad:")
            st.markdown(
                f'{SOURCE_STYLE}<div class="ik-source-row">{sources.to_html(shown.table)}</div>',
                unsafe_allow_html=True,
            )


_MARKUP = re.compile(r"[\\`*_{}\[\]<>()#+\-.!|~:$@&=\"']")


# GFM turns http://…, www.… and e-mail addresses into links even when written with character references;
# a WORD JOINER (U+2060, invisible, zero width) after the scheme or before the @ keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=&#58;|&#46;)|(?=&#64;)")


def _md_escape(value: str) -> str:
    """Show data as text inside Streamlit markdown: every character that could start markup (emphasis,
    links, images, HTML, autolinks like http:// or www., :emoji: and :material/…: codes, $LaTeX$) becomes
    a numeric character reference, which the markdown renderer shows as that very character. Backslash
    escapes are not enough: inside a GFM autolink (http://…) they stay visible as backslashes."""
    escaped = _MARKUP.sub(lambda m: f"&#{ord(m.group())};", str(value))
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060", escaped)


def text_heading(value: str, level: int = 3) -> None:
    """A heading whose text comes from data: shown literally, never as markdown or HTML."""
    st.markdown(f"{'#' * level} {_md_escape(value)}")


def data_error(failure, shown_at_most: int = 50) -> None:
    """A file that cannot be imported (DataError): its heading, that nothing was saved, and its problems as
    text, the first `shown_at_most` listed and the rest counted."""
    total = failure.total  # beyond errors.MAX_COLLECTED problems are counted, not kept
    st.error(f"**{plain(failure.heading)}.** Ingenting har sparats. {total} fel:")
    shown = failure.problems[:shown_at_most]
    st.markdown("\n".join(f"- {plain(str(p))}" for p in shown))
    if total > len(shown):
        st.caption(f"… och {total - len(shown)} fel till.")


def or_text(value, missing: str) -> str:
    """A data value as text, or `missing` when it is empty or unknown (None, NaN, NA): never 'nan'."""
    if na.missing(value) or str(value).strip() == "":
        return missing
    return str(value)


def plain(value) -> str:
    """Data text made safe for st.markdown."""
    return _md_escape("" if value is None else value)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_findings(version: str | None):
    """Computed once per data version and shared (the report is immutable)."""
    from insatskollen.core import consistency as check

    return check.run(database())


def findings():
    """The consistency report for the current data (cached per data version)."""
    return _cached_findings(database().built_version())


def require_app_frame() -> None:
    """Make sure a page runs inside app.py's st.navigation, not as a legacy `pages/` script.

    Workaround: with a `pages/` folder next to the entrypoint, Streamlit starts in its legacy
    multipage mode and, if the very first request after a server start is a deep link
    (e.g. /omraden), runs that page script directly, without app.py's navigation and filters.
    The flag is only cleared by an st.navigation call (streamlit/streamlit#10276), so clear it
    here and rerun through app.py, which routes to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


LAST_PAGE_KEY = "ik_last_page"  # the script of the last page shown before the presentation (app.py)


def html_text(value) -> str:
    """Data text made safe inside our own HTML snippets: every markup character (HTML and markdown) is a
    character reference and line breaks are spaces, so the text can neither end the HTML block (a blank
    line would) nor be read as markdown around it."""
    text = re.sub(r"\s*\n\s*", " ", "" if value is None else str(value))
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", text)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def _cached_deck(params: tuple, version: str | None, today):
    from insatskollen.export import deck

    filters = Filters(**{k: (tuple(v) if isinstance(v, list | tuple) else v) for k, v in params})
    return deck.from_filters(database(), filters, today, findings())


def deck_for(filters: Filters, today):
    """The presentation deck for these filters, built once per filter set, data version and day (shared)."""
    return _cached_deck(_freeze(filters.params()), database().built_version(), today)


# A metric's number in its box: a character of Source Sans (digits, spaces) is under 0,5 em and the box's padding
# about 15 % of its width, so a value of n characters fits at 190/n cqi; never above Översikt's 12,5 cqi.
METRIC_LONGEST = 40
_METRIC_SIZES = "\n".join(
    f'[class*="st-key-ikm{n}_"] [data-testid="stMetricValue"], [class*="st-key-ikm{n}_"] [data-testid="stMetricValue"] > div'
    f" {{ font-size: clamp(0.9rem, {min(190 / n, 12.5):.2f}cqi, 2.25rem) !important; }}"
    for n in range(16, METRIC_LONGEST + 1)
)

# Contrast fixes for WCAG 2.1 AA found by axe-core: Streamlit draws captions and the keyboard-shortcut
# badge in primary buttons with translucency (opacity 0.6, < 4.5:1 on white). Static CSS, no user data.
_STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4B5563 !important; opacity: 1 !important; }
button kbd { color: inherit !important; opacity: 1 !important; }
/* Big numbers shrink with their box, not the window: a column is a size container, and four boxes of
   '117,14 mnkr' fit beside the sidebar at 1024×768 as at 1366×768; a label that still does not fit wraps. */
[data-testid="stColumn"]:has([data-testid="stMetric"]) { container-type: inline-size; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div { font-size: clamp(1.05rem, 12.5cqi, 2.25rem) !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* a number is never cut: where even the smallest size is too wide, it wraps between its words */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* a download button's label wraps instead of ending in "…" ("Mall för uppföljning (Excel, med insa…" at 1024) */
[data-testid="stDownloadButton"] button { height: auto !important; }
[data-testid="stDownloadButton"] button * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* A focus ring a keyboard user can see (WCAG 2.4.7). Streamlit marks a focused input or list only by a 1px
   border colour, and a focused menu link by a faint grey background; tests/test_keyboard_journeys.py. */
[data-testid="stTextInputRootElement"]:focus-within, [data-testid="stTextAreaRootElement"]:focus-within,
[data-testid="stDateInputField"]:focus-within, .react-aria-ComboBox [role="group"]:focus-within {
  box-shadow: 0 0 0 2px #005A8C !important; }
[data-testid="stSidebarNavLink"]:focus-visible { outline: 2px solid #005A8C !important; outline-offset: -2px; }
</style>"""


def apply_style() -> None:
    st.markdown(_STYLE.replace("</style>", _METRIC_SIZES + "\n</style>"), unsafe_allow_html=True)
