"""Charts of the follow-up (issue 15) as pure functions: figure + Swedish text alternative + table, like
insatskollen/export/charts.py (whose layout helpers they share)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, na, theme
from insatskollen.export.charts import ChartSpec, _base_layout, _Fig, _kronor_axis, label, rows_height

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
    granted = [None if na.missing(v) else float(v) for v in table["Beviljat (kr)"]]
    spent = [None if na.missing(v) else float(v) for v in table["Utfall (kr)"]]
    fig = _Fig(
        [
            go.Bar(
                name="Beviljat",
                y=names,
                x=granted,
                orientation="h",
                marker={"color": theme.ACCENT},
                hovertemplate="<b>%{y}</b><br>Beviljat: %{x:,.0f} kr<extra></extra>",
            ),
            go.Bar(
                name="Utfall",
                y=names,
                x=spent,
                orientation="h",
                marker={"color": SPENT_COLOR},
                hovertemplate="<b>%{y}</b><br>Utfall: %{x:,.0f} kr<extra></extra>",
            ),
        ]
    )
    _base_layout(fig, title, height=200 + rows_height(names, 56))
    fig.update_layout(barmode="group", legend=LEGEND, **TOP)
    fig.update_xaxes(**_kronor_axis([v for v in granted + spent if v is not None] or [0]))
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
    granted = [None if na.missing(v) else float(v) for v in rows.granted_sek]
    spent = [None if na.missing(v) else float(v) for v in rows.spent_sek]
    fig = _Fig(
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
    _base_layout(fig, title, height=340 + 26 * title.count("<br>"))
    fig.update_layout(legend=LEGEND, **TOP)
    # Plotly anchors a title's first line: the lines under it need their own room above the legend
    more = 26 * title.count("<br>")
    fig.update_layout(margin={"t": 100 + more}, title={"pad": {"b": 44 + more}})
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years], title=None)
    fig.update_yaxes(**_kronor_axis([v for v in granted + spent if v is not None] or [0]))
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
