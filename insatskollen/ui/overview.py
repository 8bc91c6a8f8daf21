"""Översikt's figures: the headline (insatskollen.core.key_figures) for the filters, as the page's boxes,
readings, charts and the frame-by-frame table."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, headline_tables, key_figures
from insatskollen.core import headline as headline_rule
from insatskollen.core.filters import Filters
from insatskollen.export import overview_charts
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui import session


def headline(filters: Filters) -> headline_rule.Headline:
    """The headline figures for the filters (its `frame_years` empty when there is no frame)."""
    return headline_rule.from_rows(session.query(headline_rule.QUERY, filters), filters)


def money_boxes(head: headline_rule.Headline) -> list[tuple]:
    """The first row of big numbers: ram, fördelat, ofördelat, överfördelat, each with its reading."""
    return [
        (
            "Ramar att fördela",
            key_figures.mnkr(head.frame_sek),
            f"{key_figures.sek(head.frame_sek)}: ramarnas belopp per år, summerat över ramar med känt belopp.",
            head.reading_part("ram"),
        ),
        (  # the bound in the label: "minst 66,3 mnkr" does not fit a box at 1366×768
            "Fördelat, minst" if head.allocated_is_bound else "Fördelat",
            key_figures.mnkr(head.allocated_sek),
            f"{key_figures.sek(head.allocated_sek)}: summan av rader med känt belopp"
            + (" som filtren väljer" if head.line_filters else "")
            + ("; minst, eftersom rader saknar belopp." if head.allocated_is_bound else "."),
            head.reading_part("fördelat"),
        ),
        (
            "Ofördelat, högst" if head.unallocated_is_bound else "Ofördelat",
            key_figures.mnkr(head.unallocated_sek),
            f"{key_figures.sek(head.unallocated_sek)}: ram minus fördelat i ramar där ramen och raderna har kända "
            "belopp (högst, där några rader saknar belopp). Räknas per ram; en annan rams överskridande dras "
            "aldrig av.",
            head.reading_part("ofördelat"),
        ),
        (
            "Överfördelat, minst" if head.over_allocated_is_bound else "Överfördelat",
            key_figures.mnkr(head.over_allocated_sek),
            f"{key_figures.sek(head.over_allocated_sek)}: fördelat utöver ramen, summerat över de ramar som "
            "överskrids. Dras aldrig av från en annan rams ofördelade medel.",
            head.reading_part("överfördelat"),
        ),
    ]


def count_boxes(head: headline_rule.Headline, measures: int, unknown_measures: int) -> list[tuple]:
    """The second row: ram med okänd fördelning and the counts of what has no amount."""
    return [
        (
            "Ram med okänd fördelning",
            key_figures.mnkr(head.unknown_allocation_frame_sek),
            "Ramar med känt belopp där inget radbelopp är känt: inga rader för året, eller bara rader utan belopp.",
            head.reading_part("okänd"),
        ),
        (
            "Insatser och förslag",
            fmt.number(measures),
            f"{fmt.number(unknown_measures)} av dem saknar belopp.",
        ),
        (
            "Ramar utan belopp",
            fmt.number(len(head.frames_without_amount)),
            "Ramar och år där källan inte anger ramens belopp. De räknas inte in i ramarna.",
        ),
        (
            "Rader utan belopp",
            fmt.number(head.lines_without_amount),
            "Fördelningsrader där källan inte anger beloppet. De räknas som okända, inte som noll.",
        ),
    ]


def readings(filters: Filters) -> pd.DataFrame:
    """The readings behind the figures (headline_tables.readings_table), for widgets.readings_panel."""
    return headline_tables.readings_table(session.query(headline_tables.READINGS_QUERY, filters))


def area_reading(filters: Filters) -> str:
    """What of the per-area amounts rests on a reading, without its 'Tolkning: ' prefix ('' when nothing)."""
    text = headline_tables.area_reading_text(session.query(headline_tables.AREA_READINGS_QUERY, filters))
    return text.removeprefix("Tolkning: ") if text else ""


def frames_chart(head: headline_rule.Headline) -> ChartSpec:
    """Ram, fördelat and ofördelat per kommun and år."""
    return session.chart(overview_charts.frames_overview, headline_tables.by_municipality_year(head))


def frame_table(head: headline_rule.Headline) -> pd.DataFrame:
    """Ram för ram: the rows the headline figures are summed from."""
    return headline_tables.frame_year_table(head)
