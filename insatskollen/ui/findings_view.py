"""Datakvalitet's pieces: the counts of the consistency findings, one finding as a card with the rows it
involves and links to its measures, and the whole list with its summary per kind."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from insatskollen.core import consistency as check
from insatskollen.core import fmt
from insatskollen.core.filters import Filters
from insatskollen.ui import session, source_view, widgets
from insatskollen.ui.text import plain

CARDS = 25  # findings shown in full per page; the summary and the download at the end cover every one
MAX_LINKS = 8  # links to the measures a finding involves; more are named by count


def report(filters: Filters):
    """The findings for the chosen kommuner and years, as `check --kommun --ar`."""
    return session.findings().select(filters.municipalities, filters.years)


def count_boxes(report) -> list[tuple]:
    """Avvikelser, Upplysningar, and the document totals checked (when there were any: "0 av 0" would read as a
    check that passed)."""
    shown = list(report.findings)
    deviations = sum(f.severity == check.DEVIATION for f in shown)
    boxes = [
        ("Avvikelser", fmt.number(deviations), "Motsägelser, överskridna ramar och brutna regler."),
        (
            "Upplysningar",
            fmt.number(len(shown) - deviations),
            "Okända belopp och regler som inte kan prövas.",
        ),
    ]
    if report.totals_checked:
        boxes.append(
            (
                "Summor som stämmer",
                f"{report.totals_matching} av {report.totals_checked}",
                "Summor som dokumenten själva anger, prövade mot raderna.",
            )
        )
    return boxes


def page_count(findings: list) -> int:
    return math.ceil(len(findings) / CARDS)


def on_page(findings: list, page: int) -> list:
    """The findings on page `page` (from 1)."""
    return findings[(page - 1) * CARDS : page * CARDS]


@dataclass(frozen=True)
class Involved:
    """The rows the cards on screen involve, fetched once for all of them."""

    rows: pd.DataFrame
    imported: set  # documents that are imported files
    titles: dict  # measure id -> its title


def involved(cards: list) -> Involved:
    rows = session.query("rows_by_ids", ids=sorted({i for f in cards for i in f.row_ids}))
    documents = session.query("documents")
    imported = set(documents.document_id[documents.kind == source_view.IMPORTED_KIND])
    # a link names the measure by its title: a measure row's, else its allocation line's (a stated total's
    # name is its text)
    titles = {
        r.measure_id: r.name
        for r in rows.sort_values("kind", key=lambda k: k == "Insats").itertuples()
        if r.kind != "Summa i dokumentet" and isinstance(r.measure_id, str) and isinstance(r.name, str)
    }
    return Involved(rows, imported, titles)


def card(finding, context: Callable[[], Involved], position: int = 0) -> None:
    """One finding: kind, kommun, years and category; what and where; the rows involved and their measures, made
    only while their expander is open (widgets.lazy_expander): a page of findings made every card's table and
    links on every rerun, ~70 % of Datakvalitet's rerun for expanders almost nobody opens. `position` is the
    card's place on the page, part of its expander's key (a card on another page of findings starts closed);
    `context` gives the rows of the page's cards when the first open card asks (involved, cached by the caller)."""
    with st.container(border=True):
        label = "Avvikelse" if finding.severity == check.DEVIATION else "Upplysning"
        icon = ":material/warning:" if finding.severity == check.DEVIATION else ":material/info:"
        when = f" {finding.years_text}" if finding.years else ""
        st.markdown(f"{icon} **{label} · {plain(finding.municipality)}{when} · {plain(finding.category)}**")
        st.markdown(f"{plain(finding.subject)}: {plain(finding.message)}")
        st.caption(
            "Källa: "
            + plain("; ".join(finding.sources))
            + (f" · Id: {plain(finding.finding_id)}" if finding.finding_id else "")
        )
        if finding.row_ids:
            label = f"Visa {fmt.count_phrase(len(finding.row_ids), 'rad', 'rader')} som berörs"
            with widgets.lazy_expander(label, key=rows_key(finding, position)) as box:
                if box.open:
                    _rows(finding, context())


def rows_key(finding, position: int) -> str:
    """The key of a card's "Visa … rader som berörs": its place on the page and what it says."""
    digest = hashlib.sha1(
        "\x1f".join(
            [
                finding.finding_id or "",
                finding.municipality,
                finding.category,
                finding.subject,
                finding.message,
            ]
        ).encode("utf-8")
    ).hexdigest()[:12]
    return f"finding_rows_{position}_{digest}"


def _rows(finding, context: Involved) -> None:
    rows = context.rows[context.rows.id.isin(finding.row_ids)]
    # an imported file's rows have internal ids ('imp-5c576651-a6') that say nothing to a reader: they are
    # named by title and cell (Namn, Avsnitt) only (issue 23)
    own_ids = not rows.source_document.isin(context.imported).all()
    widgets.table(
        rows.assign(
            Belopp=rows.amount_sek.map(fmt.sek),
            År=[fmt.years(a, b) for a, b in zip(rows.year_from, rows.year_to, strict=True)],
        ).rename(columns={"kind": "Typ", "id": "Id", "name": "Namn", "source_section": "Avsnitt"})[
            ["Typ", *(["Id"] if own_ids else []), "Namn", "År", "Belopp", "Avsnitt"]
        ],
    )
    linked = list(dict.fromkeys(m for m in rows.measure_id if isinstance(m, str)))
    if len(linked) > MAX_LINKS:
        st.caption(
            f"{fmt.count_phrase(len(linked), 'insats', 'insatser')} berörs; öppna dem från sidan "
            "Insatser (sök på id)."
        )
        linked = []
    for measure_id in linked:
        st.page_link(
            "pages/insatser.py",
            label=f"Öppna insatsen {plain(context.titles.get(measure_id, measure_id))}",  # a label is markdown
            query_params={"insats": measure_id},
            icon=":material/open_in_new:",
        )


def all_findings(findings: list) -> pd.DataFrame:
    """Every finding as a table (the download)."""
    return pd.DataFrame(
        {
            "Typ": ["Avvikelse" if f.severity == check.DEVIATION else "Upplysning" for f in findings],
            "Kommun": [f.municipality for f in findings],
            "År": [f.years_text for f in findings],
            "Kategori": [f.category for f in findings],
            "Gäller": [f.subject for f in findings],
            "Iakttagelse": [f.message for f in findings],
        }
    )


def summary(everything: pd.DataFrame) -> pd.DataFrame:
    """How many findings of each kind and category."""
    return everything.groupby(["Typ", "Kategori"]).size().rename("Antal").reset_index()


def pages_text(count: int) -> str:
    return (
        f"{fmt.number(count)} iakttagelser, {CARDS} per sida. Längst ned finns en sammanfattning per "
        "slag och hela listan att ladda ner."
    )


def page_label(pages: int) -> str:
    return f"Sida (1–{fmt.number(pages)})"


def summary_text(count: int) -> str:
    return f"Sammanfattning per slag. Hela listan med {fmt.number(count)} iakttagelser finns i nedladdningen."
