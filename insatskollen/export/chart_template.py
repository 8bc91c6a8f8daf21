"""The one Plotly template of the charts: title, fonts, colours, margins and axes (base_layout), an axis in
kronor with round ticks in mnkr or mdkr (kronor_axis), and a horizontal bar series in kronor (kronor_bars).
Colours come from insatskollen.core.theme, the same on every chart and in the deck."""

from __future__ import annotations

import plotly.graph_objects as go

from insatskollen.core import fmt, theme
from insatskollen.export.chart_builder import Figure


def base_layout(fig: Figure, title: str, height: int) -> Figure:
    """The template every chart starts from: a bold title at the left, the theme's font and colours, a horizontal
    legend above the plot, grey grid lines."""
    fig.update_layout(
        title={
            "text": f"<b>{title}</b>",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 19, "color": theme.TEXT_COLOR},
        },
        separators=theme.PLOTLY_SEPARATORS,
        font={"family": theme.FONT, "size": 15, "color": theme.TEXT_COLOR},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 10, "r": 30, "t": 60, "b": 40},
        height=height,
        hoverlabel={"font": {"size": 15}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
    )
    axis = {
        "gridcolor": theme.GRID_COLOR,
        "zerolinecolor": theme.GRID_COLOR,
        "tickfont": {"color": theme.TEXT_COLOR, "size": 15},
        "title": {"font": {"color": theme.MUTED_TEXT, "size": 14}},
    }
    fig.update_xaxes(**axis, tickangle=0, nticks=6, automargin=True)
    fig.update_yaxes(**axis, automargin=True)
    return fig


def room_for_labels(values) -> list[float]:
    """An x range with space to the right of the longest bar for its outside label."""
    top = max([v for v in values if v is not None] or [1])
    return [0, top * 1.3]


def kronor_axis(values) -> dict:
    """Axis settings for kronor: a few round ticks written in mnkr ('0', '10 mnkr'), with room for labels.
    Exact kronor stay on the bars and in the hover text."""
    low, high = room_for_labels(values)
    raw = high / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [i * step for i in range(int(high // step) + 1)]
    # one unit per axis: billions once the ticks reach 1 000 mnkr (national totals), else millions
    billions = bool(ticks) and ticks[-1] >= 1_000_000_000
    short = fmt.mdkr if billions else fmt.mnkr
    return {
        "range": [low, high],
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": ["0" if t == 0 else short(t) for t in ticks],
        "title": "Miljarder kronor" if billions else "Miljoner kronor",
    }


def kronor_bars(name: str, labels: list, values: list, color, **more) -> go.Bar:
    """Horizontal bars of one series in kronor, its hover text "<b>label</b><br>name: 1 234 kr"; `more` adds
    Plotly settings (text on the bars)."""
    return go.Bar(
        name=name,
        y=labels,
        x=values,
        orientation="h",
        marker={"color": color},
        hovertemplate="<b>%{y}</b><br>" + name + ": %{x:,.0f} kr<extra></extra>",
        **more,
    )
