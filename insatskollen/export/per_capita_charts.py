"""Kommuner's comparison chart: Ram and Fördelat per invånare per municipality and year, highest Ram per
invånare first (the figures are insatskollen.core.per_capita's; this module only draws them)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, theme
from insatskollen.export.chart_builder import MAX_BARS, ChartSpec, Figure, rows_height
from insatskollen.export.chart_template import base_layout, room_for_labels

TITLE = "Kronor per invånare per kommun och år"


def per_capita_bars(rows: pd.DataFrame) -> ChartSpec:
    """rows: per_capita.chart_rows (label, frame, frame_text, allocated, allocated_text), already sorted. An
    unknown figure is no bar: its label says "okänt", never 0. At most MAX_BARS municipality-years are drawn;
    the table behind the chart holds them all."""
    drawn = rows.head(MAX_BARS)
    labels = list(drawn.label)

    def bars(name: str, values: list, texts: list, color: str) -> go.Bar:
        return go.Bar(
            name=name,
            y=labels,
            x=[0.0 if v is None or pd.isna(v) else v for v in values],  # zero width: the label says okänt
            orientation="h",
            marker={"color": color},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=texts,
            hovertemplate="<b>%{y}</b><br>" + name + ": %{customdata}<extra></extra>",
        )

    frame, allocated = list(drawn.frame), list(drawn.allocated)
    fig = Figure(
        [
            bars("Ram per invånare", frame, list(drawn.frame_text), "#9CA3AF"),
            bars("Fördelat per invånare", allocated, list(drawn.allocated_text), theme.ACCENT),
        ]
    )
    base_layout(fig, TITLE, height=150 + rows_height(labels, 64))
    fig.update_layout(barmode="group")
    known = [v for v in frame + allocated if v is not None and not pd.isna(v)]
    fig.update_xaxes(range=room_for_labels(known or [1]), ticksuffix="\u00a0kr", title=None)
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    note = (
        f"Diagrammet visar de {MAX_BARS} första av {fmt.number(len(rows))}; tabellen har alla."
        if len(rows) > MAX_BARS
        else ""
    )
    alt = (
        "Grupperat stapeldiagram med ram och fördelat per invånare, högst ram per invånare först. "
        + "; ".join(
            f"{lab}: ram {f}, fördelat {a}"
            for lab, f, a in zip(rows.label, rows.frame_text, rows.allocated_text, strict=True)
        )
        + "."
        + (f" {note}" if note else "")
    ).replace("\u00a0", " ")
    # the figures as the page writes them, to öre ("(kr)" columns would be shown in whole kronor)
    table = pd.DataFrame(
        {
            "Kommun och år": list(rows.label),
            "Ram per invånare": list(rows.frame_text),
            "Fördelat per invånare": list(rows.allocated_text),
        }
    )
    return ChartSpec("kronor-per-invanare", fig.build(), alt, table, note)
