"""Charts of one municipality (Kommuner, Scenarier): the funding intervals per budget line with the allocated
share, and the activity matrix of directions against areas."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, theme
from insatskollen.export.chart_builder import ChartSpec, Figure, wrap
from insatskollen.export.chart_template import base_layout


def _range_text(low: float, high: float) -> str:
    """0.1, 0.3 -> '10–30 %'."""
    return f"{fmt.pct(low, 0).removesuffix(chr(160) + '%')}–{fmt.pct(high, 0)}"


def interval_bands(
    rules: pd.DataFrame,
    shares: dict[str, float] | None = None,
    title: str = "Finansieringsintervall per budgetrad",
) -> ChartSpec:
    """The allowed share range per budget line as a band, with the actual share as a marker when known.
    rules: budget_line, priority_area, min_pct, max_pct."""
    rules = rules.reset_index(drop=True)
    lines = list(rules.budget_line)
    fig = Figure()
    low = [float(v) / 100 for v in rules.min_pct]
    high = [float(v) / 100 for v in rules.max_pct]
    ranges = [_range_text(lo, h) for lo, h in zip(low, high, strict=True)]
    fig.add_trace(
        go.Bar(
            name="Tillåtet intervall",
            y=lines,
            x=[h - lo for lo, h in zip(low, high, strict=True)],
            base=low,
            orientation="h",
            marker={
                "color": [theme.area_color(a if isinstance(a, str) else None) for a in rules.priority_area],
                "opacity": 0.55,
            },
            customdata=ranges,
            hovertemplate="<b>%{y}</b><br>Tillåtet: %{customdata}<extra></extra>",
        )
    )
    if shares:
        present = [line for line in lines if shares.get(line) is not None]
        fig.add_trace(
            go.Scatter(
                name="Fördelat",
                y=present,
                x=[shares[line] for line in present],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 16, "color": theme.TEXT_COLOR},
                text=[fmt.pct(shares[line]) for line in present],
                textposition="top center",
                hovertemplate="<b>%{y}</b><br>Fördelat: %{x:.1%}<extra></extra>",
            )
        )
    base_layout(fig, title, height=130 + 56 * max(len(lines), 1))
    fig.update_xaxes(tickformat=".0%", range=[0, max(high + [0.5]) * 1.05], title="Andel av årets ram")
    fig.update_yaxes(
        autorange="reversed",
        title=None,
        automargin=True,
        tickmode="array",
        tickvals=lines,
        ticktext=[f"{line}  <b>{r}</b>" for line, r in zip(lines, ranges, strict=True)],
    )
    alt = (
        "Intervalldiagram. "
        + "; ".join(
            f"{line}: tillåtet {r}"
            + (f", fördelat {fmt.pct(shares[line])}" if shares and shares.get(line) is not None else "")
            for line, r in zip(lines, ranges, strict=True)
        )
        + "."
    )
    table = pd.DataFrame(
        {
            "Budgetrad": lines,
            "Lägst andel": low,
            "Högst andel": high,
            "Fördelad andel": [shares.get(line) if shares else None for line in lines],
        }
    )
    return ChartSpec("intervall", fig.build(), alt, table)


def matrix_heatmap(
    cells: pd.DataFrame,
    rows_order: list[str],
    cols_order: list[str],
    title: str = "Antal aktiviteter per område och dimension",
) -> ChartSpec:
    """Count of activities per (direction, area label). cells: direction, area_label, n."""
    z, text = [], []
    for r in rows_order:
        z_row, t_row = [], []
        for c in cols_order:
            match = cells[(cells.direction == r) & (cells.area_label == c)]
            n = int(match.n.sum()) if len(match) else 0
            z_row.append(n)
            t_row.append(str(n) if n else "–")
        z.append(z_row)
        text.append(t_row)
    fig = Figure(
        go.Heatmap(
            z=z,
            x=[wrap(c) for c in cols_order],
            y=[wrap(r, 28) for r in rows_order],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 18},
            colorscale=[[0, "#F3F4F6"], [1, theme.ACCENT]],
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y} × %{x}: %{z} aktiviteter<extra></extra>",
        )
    )
    base_layout(fig, title, height=190 + 80 * max(len(rows_order), 1))
    fig.update_xaxes(side="top", title=None, tickangle=0, tickfont={"size": 14})
    fig.update_layout(margin={"t": 130})  # room for the title above the wrapped column labels
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    alt = (
        f"Matris med {len(rows_order)} inriktningar och {len(cols_order)} områden. "
        + "; ".join(
            f"{r} × {c}: {z[i][j]}"
            for i, r in enumerate(rows_order)
            for j, c in enumerate(cols_order)
            if z[i][j]
        )
        + ". Övriga celler är tomma."
    )
    table = pd.DataFrame(z, index=rows_order, columns=cols_order).reset_index(names="Inriktning")
    return ChartSpec("matris", fig.build(), alt, table)
