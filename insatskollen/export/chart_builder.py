"""The one chart builder: every chart is a ChartSpec (the figure, a Swedish text alternative that says what the
chart shows, with the numbers, and the table behind it, numbers as numbers, for "Visa som tabell" and the
downloads), its figure collected by Figure and built once, its category labels escaped and wrapped here. Values
are passed to Plotly as plain lists so the figure spec stays readable JSON. The look is chart_template's."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt

MAX_BARS = 24  # more bars than this are unreadable on a projector: the builders summarise instead


@dataclass
class ChartSpec:
    name: str  # file-name friendly
    figure: go.Figure
    alt: str  # text alternative in Swedish, with the numbers
    table: pd.DataFrame  # Swedish column names, numbers as numbers
    note: str = ""  # e.g. "3 insatser utan belopp visas inte"


def _merge(target: dict, updates: dict) -> dict:
    """Deep-merge Plotly-style settings; a plain string title becomes the title's text."""
    for key, value in updates.items():
        if key == "title" and isinstance(value, str) and isinstance(target.get("title"), dict):
            target["title"] = {**target["title"], "text": value}
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


class Figure:
    """Collects traces and layout like go.Figure's update_* methods, then builds the figure once:
    Plotly validates on every update call, which made each chart cost ~15 ms."""

    def __init__(self, data=None):
        self.data = list(data) if isinstance(data, list | tuple) else ([data] if data is not None else [])
        self.layout: dict = {"xaxis": {}, "yaxis": {}}

    def add_trace(self, trace) -> None:
        self.data.append(trace)

    def update_layout(self, **settings) -> None:
        _merge(self.layout, settings)

    def update_xaxes(self, **settings) -> None:
        _merge(self.layout["xaxis"], settings)

    def update_yaxes(self, **settings) -> None:
        _merge(self.layout["yaxis"], settings)

    def build(self) -> go.Figure:
        for (
            trace
        ) in self.data:  # every chart's category labels pass here: names show as typed, long ones wrap
            for key in ("x", "y"):
                values = getattr(trace, key, None)
                if values is not None and len(values) and all(isinstance(v, str) for v in values):
                    setattr(trace, key, [label(v) for v in values])
            if isinstance(trace, go.Sankey) and trace.node.label is not None:
                trace.node.label = [label(v) for v in trace.node.label]
        return go.Figure(data=self.data, layout=self.layout)


LINE_HEIGHT = 21  # px per line of a wrapped category label (the screen draws it at ~16 px)


def rows_height(names, per_row: int) -> int:
    """The plot height of horizontal bars, one row per name: `per_row` px, more when a label wraps (a five-line
    nämnd ran into its neighbours' labels). Plotly gives every category the same band, so every row gets the
    tallest label's height."""
    lines = max((label(str(n)).count("<br>") + 1 for n in names), default=1)
    return max(len(names), 1) * max(per_row, LINE_HEIGHT * lines + 8)


# characters per line of a category label; a 120-character nämnd squeezed its bars into a strip
LABEL_WIDTH = 30


def label(text: str, width: int = LABEL_WIDTH) -> str:
    """A category label as Plotly draws it as typed: '<', '>' and '&' escaped (Plotly renders a subset of HTML:
    "<b>Utbildningsnämnden</b>" was drawn bold with its tags removed), then, after escaping, long labels broken
    onto lines with <br>. The line breaks of a label we wrapped ourselves (wrap) are kept."""
    parts = [html.escape(part, quote=False) for part in str(text).split("<br>")]
    if len(parts) == 1 and len(parts[0]) > width:
        return wrap(parts[0], width)
    return "<br>".join(parts)


def wrap(text: str, width: int = 16) -> str:
    """Break a long axis label onto lines (Plotly uses <br>)."""
    words, lines, current = text.replace(" / ", "/ ").split(), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return "<br>".join(lines + [current])


def unknown_note(n_lines: int, n_measures: int | None = None) -> str:
    """ "3 insatser utan belopp visas inte i diagrammet." (measures when counted, else lines); nothing for 0."""
    if not n_lines:
        return ""
    if n_measures:
        return f"{fmt.count_phrase(n_measures, 'insats', 'insatser')} utan belopp visas inte i diagrammet."
    return f"{fmt.count_phrase(n_lines, 'rad', 'rader')} utan belopp visas inte i diagrammet."
