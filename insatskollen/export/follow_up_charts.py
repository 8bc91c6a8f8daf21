"""Uppföljning's charts (issue 15): granted against spent per area or nämnd, and one measure over the years.
Built like every chart (chart_builder, chart_template); the sums are insatskollen.core.follow_up.summary's."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, theme
from insatskollen.export.chart_builder import ChartSpec, Figure, label, rows_height
from insatskollen.export.chart_template import base_layout, kronor_axis, kronor_bars

# the legend on a row of its own between the title and the plot: at the right beside the title it touched a
# long title at 1024×768 ("Feriejobb Andersberg: beviljat och utfall per år")
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"}
# the title's last line stands 44 px above the plot, room for the legend's row (33 px)
TOP = {"margin": {"t": 100}, "title": {"y": 1, "yref": "paper", "yanchor": "bottom", "pad": {"b": 44}}}
SPENT_COLOR = "#B45309"  # amber 700: 4.9:1 on white, apart from the accent blue of granted


def granted_spent_bars(table: pd.DataFrame, group: str, title: str) -> ChartSpec:
    """Grouped horizontal bars, granted and spent per group (a follow_up.summary table). Unknown amounts
    are not drawn; they are counted in the note."""
    names = list(table[group])
    granted = [None if pd.isna(v) else float(v) for v in table["Beviljat (kr)"]]
    spent = [None if pd.isna(v) else float(v) for v in table["Utfall (kr)"]]
    fig = Figure(
        [
            kronor_bars("Beviljat", names, granted, theme.ACCENT),
            kronor_bars("Utfall", names, spent, SPENT_COLOR),
        ]
    )
    base_layout(fig, title, height=200 + rows_height(names, 56))
    fig.update_layout(barmode="group", legend=LEGEND, **TOP)
    fig.update_xaxes(**kronor_axis([v for v in granted + spent if v is not None] or [0]))
    fig.update_yaxes(title=None, automargin=True, autorange="reversed")
    alt = (
        f"Grupperat stapeldiagram, beviljat och utfall per {group.lower()}: "
        + "; ".join(
            f"{r[group]}: beviljat {fmt.sek(r['Beviljat (kr)'])}, utfall {fmt.sek(r['Utfall (kr)'])}"
            for _, r in table.iterrows()
        )
        + "."
    )
    unknown_granted, unknown_spent = int(table["Beviljat okänt"].sum()), int(table["Utfall okänt"].sum())
    parts = []
    if unknown_granted:
        parts.append(f"{fmt.count_phrase(unknown_granted, 'insats', 'insatser')} utan känt beviljat belopp")
    if unknown_spent:
        parts.append(f"{fmt.count_phrase(unknown_spent, 'insats', 'insatser')} utan känt utfall")
    note = ("Visas inte som staplar: " + " och ".join(parts) + " (okänt, inte noll).") if parts else ""
    return ChartSpec(f"uppfoljning-{fmt_slug(group)}", fig.build(), alt, table, note)


def measure_years_line(rows: pd.DataFrame, name: str) -> ChartSpec:
    """One measure's granted and spent per year (the follow_up_measure_years query)."""
    years = [int(y) for y in rows.year]
    granted = [None if pd.isna(v) else float(v) for v in rows.granted_sek]
    spent = [None if pd.isna(v) else float(v) for v in rows.spent_sek]
    fig = Figure(
        [
            go.Scatter(
                name="Beviljat",
                x=years,
                y=granted,
                mode="lines+markers",
                line={"color": theme.ACCENT, "width": 3},
                hovertemplate="%{x}: beviljat %{y:,.0f} kr<extra></extra>",
            ),
            go.Scatter(
                name="Utfall",
                x=years,
                y=spent,
                mode="lines+markers",
                line={"color": SPENT_COLOR, "width": 3, "dash": "dash"},
                marker={"symbol": "diamond", "size": 10},
                hovertemplate="%{x}: utfall %{y:,.0f} kr<extra></extra>",
            ),
        ]
    )
    # Plotly never wraps a title: the measure's name on lines of its own ("Jobbcoacher för utrikes födda kvinnor:
    # beviljat och u" at 1024×768), the legend under it
    title = f"{label(name, 40)}:<br>beviljat och utfall per år"
    base_layout(fig, title, height=340 + 26 * title.count("<br>"))
    fig.update_layout(legend=LEGEND, **TOP)
    # Plotly anchors a title's first line: the lines under it need their own room above the legend
    more = 26 * title.count("<br>")
    fig.update_layout(margin={"t": 100 + more}, title={"pad": {"b": 44 + more}})
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years], title=None)
    fig.update_yaxes(**kronor_axis([v for v in granted + spent if v is not None] or [0]))
    alt = f"Linjediagram för {name}, beviljat och utfall per år: " + "; ".join(
        f"{y}: beviljat {fmt.sek(g)}, utfall {fmt.sek(s)}"
        for y, g, s in zip(years, granted, spent, strict=True)
    )
    table = pd.DataFrame(
        {
            "År": years,
            "Beviljat (kr)": granted,
            "Utfall (kr)": spent,
            "Genomförande": list(rows.status),
        }
    )
    return ChartSpec("uppfoljning-over-aren", fig.build(), alt + ".", table)


def fmt_slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
