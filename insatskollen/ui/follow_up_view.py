"""Uppföljning's figures: the frame-years to choose from, a frame-year's granted, spent and deviation by the
follow-up rules (insatskollen.core.follow_up), the summaries per area and nämnd, and the measures with
their flags."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from insatskollen.core import fmt, follow_up, key_figures, theme, yearly_report
from insatskollen.core.filters import Filters
from insatskollen.export import follow_up_charts, follow_up_report
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui import session, sidebar, widgets

MEASURE_COLUMNS = {
    "measure": "Insats",
    "granted_sek": "Beviljat (kr)",
    "spent_sek": "Utfall (kr)",
    "deviation_sek": "Avvikelse (kr)",
    "status": "Genomförande",
    "status_date": "Datum",
    "result": "Resultat",
}
# the yearly report's Word table's columns, with the granting source and the report instead of the indicators
MEASURE_ORDER = [
    *(c for c in follow_up_report.WORD_MEASURE_COLUMNS if c != "Indikatorer (styrdokument)"),
    "Källa",
    "Rapport",
]


def municipalities_in_view(filters: Filters) -> tuple[str, ...]:
    return filters.municipalities or tuple(sidebar.filter_options(filters)["municipalities"])


def for_municipality(filters: Filters, municipality: str) -> Filters:
    return replace(filters, municipalities=(municipality,))


def frame_years(filters: Filters) -> pd.DataFrame:
    return session.query("follow_up_frame_years", filters)


def municipalities_of(frame_years: pd.DataFrame) -> list[str]:
    return sorted(frame_years.municipality.unique())


def of_municipality(frame_years: pd.DataFrame, municipality: str) -> pd.DataFrame:
    return frame_years[frame_years.municipality == municipality]


def frame_year_labels(frame_years: pd.DataFrame) -> dict[str, str]:
    """'frame_id|year' -> 'Malmö 2022, Statsbidrag (3 av 8 insatser rapporterade)'; frame-years with reports
    first, so the page opens on one that has something to show."""
    ordered = frame_years.sort_values("reports", ascending=False, kind="stable")
    return {
        f"{r.frame_id}|{r.year}": f"{r.municipality} {r.year}, {r.funding_source} "
        f"({r.reports} av {fmt.count_phrase(r.measures, 'insats', 'insatser')} rapporterade)"
        for r in ordered.itertuples()
    }


def frame_year(chosen: str) -> tuple[pd.DataFrame, str, int]:
    """(the follow_up rows of the chosen 'frame_id|year', frame_id, year)."""
    frame_id, year = chosen.rsplit("|", 1)
    return session.query("follow_up_frame_year", frame_id=frame_id, year=int(year)), frame_id, int(year)


def municipality_of(rows: pd.DataFrame) -> tuple[str, str]:
    """(code, name) of the frame-year's municipality."""
    return rows.municipality_code.iloc[0], rows.municipality.iloc[0]


def _mnkr(value: int | None) -> str:
    return "okänt" if value is None else fmt.mnkr(value)


def _reported(rows: pd.DataFrame) -> int:
    return int((rows.status != "ingen rapport").sum())


def boxes(rows: pd.DataFrame) -> list[tuple]:
    """Beviljat, Utfall, Avvikelse and Rapporterade of a frame-year: known sums, with the bound in the label
    (the one rule, as the import preview's "minst": "minst 7,05 mnkr" does not fit)."""
    granted = key_figures.known_sum(rows.granted_sek)
    spent = key_figures.known_sum(rows.spent_sek)
    both = rows[rows.granted_sek.notna() & rows.spent_sek.notna()]
    deviation = key_figures.known_sum(both.deviation_sek)
    return [
        (
            key_figures.bounded_label("Beviljat", rows.granted_sek),
            _mnkr(granted),
            f"{fmt.sek(granted)}; "
            f"{fmt.count_phrase(int(rows.granted_sek.isna().sum()), 'insats', 'insatser')} utan känt belopp.",
        ),
        (  # unreported measures' spending is unknown, not 0: the known sum is a lower bound
            key_figures.bounded_label("Utfall", rows.spent_sek),
            _mnkr(spent),
            f"{fmt.sek(spent)}; "
            f"{fmt.count_phrase(int(rows.spent_sek.isna().sum()), 'insats', 'insatser')} utan känt utfall.",
        ),
        (
            "Avvikelse",
            _mnkr(deviation),
            follow_up.deviation_help(deviation, len(both)),
        ),
        ("Rapporterade", f"{_reported(rows)} av {len(rows)}", None),
    ]


def notes(rows: pd.DataFrame) -> tuple[str, str, str]:
    """(the deviation note, the flag sentence in markdown, the rules): our words and counts, no data text."""
    both = rows[rows.granted_sek.notna() & rows.spent_sek.notna()]
    return follow_up.deviation_note(len(both)), follow_up.flag_sentence(rows), follow_up.RULES


def summary(rows: pd.DataFrame, by: str, column: str) -> tuple[ChartSpec, pd.DataFrame]:
    """Granted against spent per area or nämnd (`by`), as a chart and as the table shown ("okänt", never 0)."""
    table = follow_up.summary(rows, by)
    title = f"Beviljat och utfall per {column.lower()}"
    chart = session.chart(follow_up_charts.granted_spent_bars, table, column, title)
    return chart, widgets.display_table(table, unknown=("Beviljat (kr)", "Utfall (kr)"))


def measures_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The frame-year's measures with their flags, as shown: the dnr once, a document by its title, never an
    internal id; an unknown amount 'okänt'."""
    flagged = follow_up.with_flags(rows)
    documents = session.query("documents")
    titles = dict(zip(documents.document_id, documents.title, strict=True))
    return widgets.display_table(
        flagged.assign(
            Flaggor=[", ".join(f) for f in flagged.flag_names],
            status_date=[None if pd.isna(d) else f"{d:%Y-%m-%d}" for d in flagged.status_date],
            Område=flagged.priority_area.map(theme.area_label),
            Nämnd=flagged.committee.fillna(theme.NO_COMMITTEE),
            Källa=[yearly_report.granted_source(r, titles) for r in flagged.itertuples()],
            Rapport=[
                f"{r.report_file} rad {r.report_line}, {r.reported_by} {r.reported_at:%Y-%m-%d}"
                if isinstance(r.report_file, str)
                else None
                for r in flagged.itertuples()
            ],
        ).rename(columns=MEASURE_COLUMNS)[MEASURE_ORDER],
        unknown=("Beviljat (kr)", "Utfall (kr)", "Avvikelse (kr)"),
    )


def measure_items(rows: pd.DataFrame) -> dict[str, str]:
    """id -> name of the frame-year's measures (an allocation line without a measure by its own id)."""
    return {
        (r.measure_id if isinstance(r.measure_id, str) else r.allocation_id): r.measure
        for r in rows.itertuples()
    }


def measure_years_chart(item_id: str, name: str) -> ChartSpec:
    """One measure's granted and spent over the years."""
    history = session.query("follow_up_measure_years", item_id=item_id)
    return session.chart(follow_up_charts.measure_years_line, history, name)
