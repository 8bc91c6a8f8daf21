"""Kommuner's figures: one municipality's frames, its frame rules judged by the one rule evaluator
(insatskollen.core.rules), its activity matrix or model, and the goals, indicators and statistics of its
documents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insatskollen.core import basis, fmt, theme
from insatskollen.core import rules as rules_module
from insatskollen.core.filters import Filters
from insatskollen.export import municipality_charts
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.ui import session
from insatskollen.ui.source_view import document_label
from insatskollen.ui.text import plain


def frames(municipality: str, filters: Filters) -> pd.DataFrame:
    """The municipality's frames in the chosen years (all years without a year filter)."""
    rows = session.query("municipality_frames", municipality=municipality)
    return rows[rows.year.isin(filters.years)] if filters.years else rows


def frames_table(frames: pd.DataFrame) -> pd.DataFrame:
    """The frames as shown: the source by its title (an imported file's names the file) and date, never its
    internal id."""
    return frames.assign(
        Belopp=frames.amount_sek.map(fmt.sek),
        Källa=[
            document_label(t, d, i)
            for t, d, i in frames[["source_title", "source_date", "source_document"]].itertuples(index=False)
        ],
    ).rename(
        columns={
            "year": "År",
            "funding_source": "Finansieringskälla",
            "amount_text": "Enligt dokumentet",
            "case_number": "Dnr",
        }
    )[["År", "Finansieringskälla", "Belopp", "Enligt dokumentet", "Dnr", "Källa"]]


def frame_readings(frames: pd.DataFrame) -> list[str]:
    """Beside the table: where a frame is our reading of the document."""
    return list(basis.frame_readings(frames))


def rules(municipality: str) -> pd.DataFrame:
    return session.query("frame_rules", Filters(municipalities=(municipality,)))


def co_financing_lines(rules: pd.DataFrame) -> list[str]:
    """'- **Medfinansiering:** minst 50 % av bidraget, …' per co-financing rule (markdown)."""
    lines = []
    for rule in rules[rules.rule_kind == "medfinansiering"].itertuples():
        grant = int(rule.frame_sek) if pd.notna(rule.frame_sek) else None
        lines.append(
            f"- **Medfinansiering:** minst {fmt.pct_points(rule.min_pct)} av bidraget, det vill säga "
            f"{fmt.sek(rules_module.required_co_financing(grant, rule.min_pct))} per år i egna medel "
            f"({rule.funding_source}, {fmt.years(rule.year_from, rule.year_to)})."
        )
    return lines


def intervals(rules: pd.DataFrame) -> pd.DataFrame:
    return rules[rules.rule_kind == "finansieringsintervall"]


@dataclass(frozen=True)
class Intervals:
    chart: ChartSpec  # the allowed bands, with the allocated share of the year shown when known
    shown_year: int | None  # the year whose shares are drawn; None when no share is known
    warnings: list[str]  # a share outside its interval, in words (markdown, data escaped)


def judged_intervals(municipality: str, intervals: pd.DataFrame, filters: Filters) -> Intervals:
    """The interval rules judged per frame and year by the one rule evaluator (the same as Datakvalitet and
    Scenarier), for this municipality only: nationally there are 2 900 rules."""
    every_rule = session.query("check_rules")
    judged = rules_module.interval_rows(every_rule[every_rule.municipality == municipality])
    judged = [(r, res) for r, res in judged if not filters.years or r.year in filters.years]
    known = [(r, res) for r, res in judged if res.status != rules_module.UNKNOWN]
    shown_year = min((r.year for r, _ in known), default=None)
    shares = {r.budget_line: float(res.share) / 100 for r, res in known if r.year == shown_year}
    warnings = []
    for r, res in known:
        if res.status in (rules_module.UNDER, rules_module.OVER):
            gap = fmt.sek(res.missing if res.status == rules_module.UNDER else res.excess)
            warnings.append(
                f"{r.year} · {plain(r.budget_line)}: {rules_module.share_text(res)} av ramen, tillåtet "
                f"{fmt.pct_points(r.min_pct)}–{fmt.pct_points(r.max_pct)} ({res.status} med {gap})."
            )
    chart = session.chart(municipality_charts.interval_bands, intervals, shares or None)
    return Intervals(chart, shown_year if shares else None, warnings)


def matrix_chart(matrix: pd.DataFrame, directions: pd.DataFrame) -> ChartSpec:
    """The activity matrix: areas across, the document's directions down."""
    columns = list(dict.fromkeys(matrix.sort_values("area_order").area_label))
    return session.chart(municipality_charts.matrix_heatmap, matrix, list(directions.direction), columns)


def model_chart(model: pd.DataFrame, directions: pd.DataFrame) -> tuple[ChartSpec, list[str]]:
    """The model table's cells, and the directions the document names that the table lacks."""
    cells = model.assign(n=1)
    columns = list(dict.fromkeys(cells.sort_values("area_order").area_label))
    rows = list(dict.fromkeys(cells.sort_values("direction_order").direction))
    spec = session.chart(
        municipality_charts.matrix_heatmap,
        cells,
        rows,
        columns,
        title="Modellens celler (1 = cellen finns i tabellen)",
    )
    return spec, [d for d in directions.direction if d not in rows]


def indicators_table(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators.assign(
        Område=indicators.priority_area.map(lambda a: a if isinstance(a, str) else "–")
    ).rename(
        columns={
            "area_label": "Kommunens område",
            "goal": "Mål",
            "indicator": "Indikator",
            "measure": "Insats",
            "source_document": "Källa",
        }
    )[["Område", "Kommunens område", "Insats", "Mål", "Indikator", "Källa"]]


def statistics_table(stats: pd.DataFrame) -> pd.DataFrame:
    values = [
        (f"{q} " if isinstance(q, str) else "") + (fmt.number(v, 1).removesuffix(",0") + f"\u00a0{u}")
        for q, v, u in zip(stats.qualifier, stats.value, stats.unit, strict=True)
    ]
    return stats.assign(Värde=values).rename(
        columns={"topic": "Mått", "region": "Avser", "period": "Period", "source_document": "Källa"}
    )[["Mått", "Avser", "Period", "Värde", "Källa"]]


def area_labels_table(labels: pd.DataFrame) -> pd.DataFrame:
    return labels.assign(
        Område=labels.priority_area.map(lambda a: a if isinstance(a, str) else theme.NO_AREA)
    ).rename(columns={"label": "Kommunens namn", "note": "Not"})[["Kommunens namn", "Område", "Not"]]
