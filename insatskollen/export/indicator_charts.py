"""The indicator panel's chart: one Kolada KPI over the years beside the years with a frame."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, theme
from insatskollen.export.chart_builder import ChartSpec, Figure
from insatskollen.export.chart_template import base_layout


def indicator_lines(series: pd.DataFrame, funded_years: tuple[int, ...], municipality: str) -> ChartSpec:
    """One Kolada KPI over the years: a line for the municipality, Riket and each other imported
    municipality, with the years the municipality had a frame shaded. series: rows of the
    indicator_series query for one kpi_id. An unknown value is a gap in the line, never zero; the note
    names those years. The chart shows values side by side, never an effect of the money."""
    rows = series.sort_values("year")
    title = str(rows.kpi_title.iloc[0])
    years = sorted(int(y) for y in rows.year.unique())
    order = {"kommunen": 0, "riket": 1, "jämförelse": 2}
    names = sorted(
        rows.municipality.fillna(rows.municipality_code).unique(),
        key=lambda m: (
            order.get(rows[rows.municipality.fillna(rows.municipality_code) == m].role.iloc[0], 3),
            m,
        ),
    )
    palette = ["#B45309", "#047857", "#7C3AED", "#BE185D"]
    fig = Figure()
    lines_text, unknown, table_rows = [], [], []
    for i, name in enumerate(names):
        own = rows[rows.municipality.fillna(rows.municipality_code) == name]
        role = own.role.iloc[0]
        by_year = {
            int(y): (None if pd.isna(v) else float(v)) for y, v in zip(own.year, own.value, strict=True)
        }
        values = [by_year.get(y) for y in years]
        style = (
            {"color": theme.ACCENT, "width": 4}
            if role == "kommunen"
            else {"color": "#6B7280", "width": 2, "dash": "dash"}
            if role == "riket"
            else {"color": palette[i % len(palette)], "width": 2, "dash": "dot"}
        )
        fig.add_trace(
            go.Scatter(
                name=html.escape(str(name), quote=False),
                x=years,
                y=values,
                mode="lines+markers",
                line=style,
                connectgaps=False,
                hovertemplate=f"<b>{html.escape(str(name), quote=False)}</b> %{{x}}: %{{y:,.1f}}<extra></extra>",
            )
        )
        missing = [y for y in years if y in by_year and by_year[y] is None]
        if missing:
            unknown.append(f"{name} {', '.join(str(y) for y in missing)}")
        lines_text.append(
            f"{name}: "
            + ", ".join(f"{y} {fmt.number(by_year[y], 1)}" for y in years if by_year.get(y) is not None)
        )
        for y, v, st_, src in zip(own.year, own.value, own.status, own.source, strict=True):
            table_rows.append(
                {
                    "Nyckeltal": title,
                    "Kommun": name,
                    "År": int(y),
                    "Värde": None if pd.isna(v) else float(v),
                    "Status": None if pd.isna(st_) else st_,
                    "Källa": src,
                }
            )
    base_layout(fig, html.escape(title, quote=False), height=380)
    marked = [y for y in years if y in set(funded_years)]
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": y - 0.5,
            "x1": y + 0.5,
            "y0": 0,
            "y1": 1,
            "fillcolor": "#FDE68A",
            "opacity": 0.45,
            "line": {"width": 0},
            "layer": "below",
        }
        for y in marked
    ]
    annotations = (
        [
            {
                "x": marked[0] - 0.45,
                "y": 0.99,
                "xref": "x",
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "text": f"År med ram för {html.escape(municipality, quote=False)}",
                "showarrow": False,
                "font": {"size": 13, "color": theme.MUTED_TEXT},
            }
        ]
        if marked
        else []
    )
    fig.update_layout(shapes=shapes, annotations=annotations, margin={"t": 90})
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years], title=None)
    fig.update_yaxes(title=None, rangemode="tozero", tickformat=",.0f")
    note = ("Värde saknas (okänt, inte noll): " + "; ".join(unknown) + ".") if unknown else ""
    funded = (
        f" Skuggade år: år då {municipality} hade en ram ({', '.join(str(y) for y in marked)})."
        if marked
        else ""
    )
    alt = f"Linjediagram över {title}. " + "; ".join(lines_text) + "." + funded + (f" {note}" if note else "")
    table = pd.DataFrame(table_rows, columns=["Nyckeltal", "Kommun", "År", "Värde", "Status", "Källa"])
    return ChartSpec(f"nyckeltal-{rows.kpi_id.iloc[0]}", fig.build(), alt, table, note)
