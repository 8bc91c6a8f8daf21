"""Plotly figures for the dashboard, as pure functions of query results.

Every builder returns a ChartSpec: the figure, a Swedish text alternative that says what the
chart shows (with the numbers), and the table behind it (numbers as numbers) for the
"Visa som tabell" view and the downloads. Values are passed to Plotly as plain lists so the
figure spec stays readable JSON. Unknown amounts are never drawn; the note says how many.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import fmt, key_figures, na, theme

AMOUNT = "amount"
SHARE = "share"
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


class _Fig:
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
    onto lines with <br>. The line breaks of a label we wrapped ourselves (_wrap) are kept."""
    parts = [html.escape(part, quote=False) for part in str(text).split("<br>")]
    if len(parts) == 1 and len(parts[0]) > width:
        return _wrap(parts[0], width)
    return "<br>".join(parts)


def _base_layout(fig: _Fig, title: str, height: int) -> _Fig:
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


def _room_for_labels(values) -> list[float]:
    """An x range with space to the right of the longest bar for its outside label."""
    top = max([v for v in values if v is not None] or [1])
    return [0, top * 1.3]


def _kronor_axis(values) -> dict:
    """Axis settings for kronor: a few round ticks written in mnkr ('0', '10 mnkr'), with room for labels.
    Exact kronor stay on the bars and in the hover text."""
    low, high = _room_for_labels(values)
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


def _unknown_note(n_lines: int, n_measures: int | None = None) -> str:
    if not n_lines:
        return ""
    if n_measures:
        return f"{fmt.count_phrase(n_measures, 'insats', 'insatser')} utan belopp visas inte i diagrammet."
    return f"{fmt.count_phrase(n_lines, 'rad', 'rader')} utan belopp visas inte i diagrammet."


def _ordered_areas(present) -> list[str | None]:
    order = list(theme.AREA_COLORS)
    known = [a for a in order if a in set(present)]
    return known + ([None] if any(a is None or a != a for a in present) else [])


def area_bars(
    rows: pd.DataFrame,
    measure: str = AMOUNT,
    title: str = "Fördelning per prioriterat område",
    unknown_measures: int | None = None,
) -> ChartSpec:
    """Horizontal bars per national area. rows: priority_area, amount_sek, lines_without_amount,
    measures, frame_sek, frame_known (summed over whatever municipality/year rows are given). unknown_measures,
    when given, is the number of distinct measures without amount (for the note).
    A share of the frame counts only lines whose frame has a known amount, against those frames; lines of a
    frame without amount are left out of the shares and named in the note, so the shares never exceed what
    the known frames hold by an unknown frame's lines."""
    by_area: dict[str | None, float] = {}
    in_known_frames: dict[str | None, float] = {}
    known_frame = rows["frame_known"] if "frame_known" in rows else pd.Series(True, index=rows.index)
    for r, frame_known in zip(rows.itertuples(), known_frame, strict=True):
        if not na.missing(r.amount_sek):
            key = r.priority_area if isinstance(r.priority_area, str) else None
            by_area[key] = by_area.get(key, 0.0) + float(r.amount_sek)
            if frame_known:
                in_known_frames[key] = in_known_frames.get(key, 0.0) + float(r.amount_sek)
    frame_total = rows.drop_duplicates(["municipality", "year"])["frame_sek"].sum(min_count=1)
    without_frame = rows[~known_frame.astype(bool) & rows.amount_sek.notna()]
    areas = _ordered_areas(list(by_area))
    amounts = [by_area[a] for a in areas]
    allocated_total = sum(amounts)
    denominator = frame_total if measure == SHARE and not na.missing(frame_total) and frame_total else None
    shares = [in_known_frames.get(a, 0.0) / denominator if denominator else None for a in areas]
    frame_note = ""
    if measure == SHARE and len(without_frame):
        places = ", ".join(
            dict.fromkeys(
                f"{m} {y}" for m, y in zip(without_frame.municipality, without_frame.year, strict=True)
            )
        )
        frame_note = (
            f"{fmt.mnkr(float(without_frame.amount_sek.sum()))} fördelat i ramar utan känt belopp ({places}) "
            "ingår inte i andelarna."
        )
    labels = [theme.area_label(a) for a in areas]
    if measure == SHARE and denominator:
        values = shares
        # every share names its base (README, "Nyckeltal")
        text = [
            key_figures.share_text(in_known_frames.get(a, 0.0), denominator, key_figures.OF_FRAME)
            for a in areas
        ]
        axis = {
            "tickformat": ".0%",
            "title": "Andel av ramarna med känt belopp" if frame_note else "Andel av ramen",
        }
    else:
        values = amounts
        text = [fmt.mnkr(a) for a in amounts]  # as the documents write it ("2,08 mnkr"); exact kr on hover
        axis = _kronor_axis(values)
    fig = _Fig(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": [theme.area_color(a) for a in areas]},
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [fmt.sek(a), fmt.pct(s) if s is not None else "–"]
                for a, s in zip(amounts, shares, strict=True)
            ],
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>Andel av ramen: %{customdata[1]}<extra></extra>",
        )
    )
    _base_layout(fig, title, height=110 + 60 * max(len(areas), 1))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(**axis)
    if measure == SHARE and denominator:
        fig.update_xaxes(range=_room_for_labels(values))
    unknown_lines = int(rows.lines_without_amount.sum())
    note = " ".join(p for p in (_unknown_note(unknown_lines, unknown_measures), frame_note) if p)
    parts = [f"{lab}: {t}" for lab, t in zip(labels, text, strict=True)]
    alt = (
        f"Stapeldiagram, {title.lower()}. "
        + "; ".join(parts)
        + f". Totalt fördelat {fmt.sek(allocated_total)}."
    )
    if note:
        alt += " " + note
    table = pd.DataFrame(
        {
            "Område": labels,
            "Belopp (kr)": amounts,
            "Andel av ramen": shares,
        }
    )
    if frame_note:  # the part the shares are computed from, so every share can be checked by hand
        table.insert(2, "Varav i ramar med känt belopp (kr)", [in_known_frames.get(a, 0.0) for a in areas])
    return ChartSpec("omraden", fig.build(), alt, table, note)


def area_share_by_municipality(rows: pd.DataFrame) -> ChartSpec:
    """100 % stacked bars: each municipality's known allocation split by national area.
    rows: municipality, priority_area, amount_sek (any years; summed)."""
    known = rows[rows.amount_sek.notna()]
    per = known.groupby(["municipality", "priority_area"], dropna=False)["amount_sek"].sum().reset_index()
    totals = per.groupby("municipality")["amount_sek"].sum()
    municipalities = [m for m in sorted(totals.index) if totals[m] > 0]
    fig = _Fig()
    table_rows = []
    for area in _ordered_areas(list(per.priority_area)):
        part = per[per.priority_area.isna()] if area is None else per[per.priority_area == area]
        values = []
        for m in municipalities:
            amount = float(part[part.municipality == m].amount_sek.sum())
            share = amount / totals[m]
            values.append(share)
            if amount:
                table_rows.append(
                    {
                        "Kommun": m,
                        "Område": theme.area_label(area),
                        "Belopp (kr)": amount,
                        "Andel av kommunens fördelning": share,
                    }
                )
        fig.add_trace(
            go.Bar(
                name=theme.area_label(area),
                x=values,
                y=municipalities,
                orientation="h",
                marker={"color": theme.area_color(area)},
                text=[fmt.pct(v, 0) if v >= 0.06 else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "white"},
                hovertemplate="<b>%{y}</b> · " + theme.area_label(area) + ": %{x:.1%}<extra></extra>",
            )
        )
    _base_layout(fig, "Andel per område i varje kommun", height=230 + 70 * max(len(municipalities), 1))
    fig.update_layout(
        barmode="stack", legend={"y": -0.42, "yanchor": "top", "traceorder": "normal"}, margin={"b": 130}
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1], title="Andel av kommunens fördelade belopp")
    fig.update_yaxes(autorange="reversed", title=None)
    table = pd.DataFrame(
        table_rows, columns=["Kommun", "Område", "Belopp (kr)", "Andel av kommunens fördelning"]
    )
    parts = []
    for m in municipalities:
        sub = table[table.Kommun == m]
        parts.append(f"{m}: " + ", ".join(f"{r.Område} {fmt.pct(r._4)}" for r in sub.itertuples()))
    alt = "Staplat diagram med andelar per område för varje kommun. " + "; ".join(parts) + "."
    missing = sorted(set(rows.municipality) - set(municipalities))
    note = ""
    if missing:
        note = "Saknar belopp och visas inte: " + ", ".join(missing) + "."
        alt += " " + note
    return ChartSpec("andel-per-kommun", fig.build(), alt, table, note)


def committee_bars(
    rows: pd.DataFrame, title: str = "Fördelning per nämnd", unknown_lines: int | None = None
) -> ChartSpec:
    """Horizontal bars per nämnd. rows: municipality, committee, amount_sek, lines_without_amount.
    unknown_lines, when given, is the number of distinct lines without amount (for the note)."""
    rows = rows.assign(committee=rows.committee.fillna(theme.NO_COMMITTEE))
    if rows.municipality.nunique() > 1:  # the same nämnd name exists in several municipalities
        rows = rows.assign(committee=rows.committee + " (" + rows.municipality + ")")
    per = rows.groupby("committee").agg(
        amount_sek=("amount_sek", "sum"),
        known_amounts=("amount_sek", "count"),
        lines_without_amount=("lines_without_amount", "sum"),
    )
    per = per.assign(
        amount_sek=per.amount_sek.where(per.known_amounts > 0)
    )  # no known amount: unknown, not 0
    known = per[per.amount_sek.notna()].sort_values("amount_sek", ascending=False)
    table = pd.DataFrame({"Nämnd": list(known.index), "Belopp (kr)": [float(v) for v in known.amount_sek]})
    drawn = known.head(MAX_BARS)  # e.g. 8 nämnder x 290 kommuner: the largest are drawn, all are in the table
    names, amounts = list(drawn.index), [float(v) for v in drawn.amount_sek]
    if len(known) > len(drawn):
        title = f"{title}, de {len(drawn)} största av {fmt.number(len(known))}"
    fig = _Fig(
        go.Bar(
            x=amounts,
            y=names,
            orientation="h",
            marker={"color": theme.ACCENT},
            text=[fmt.sek(a) for a in amounts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b><br>%{x:,.0f} kr<extra></extra>",
        )
    )
    _base_layout(fig, title, height=110 + rows_height(names, 44))
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(**_kronor_axis(amounts))
    note = _unknown_note(int(per.lines_without_amount.sum()) if unknown_lines is None else unknown_lines)
    if len(known) > len(drawn):
        rest = f"De övriga {fmt.number(len(known) - len(drawn))} finns i tabellen."
        note = f"{rest} {note}" if note else rest
    alt = (
        f"Stapeldiagram, {title[0].lower() + title[1:]}. "
        + "; ".join(f"{n}: {fmt.sek(a)}" for n, a in zip(names, amounts, strict=True))
        + "."
        + (f" {note}" if note else "")
    )
    return ChartSpec("namnder", fig.build(), alt, table, note)


def requested_vs_allocated(rows: pd.DataFrame) -> ChartSpec:
    """Grouped bars per measure where both amounts are known. rows: title, requested_sek, allocated_sek."""
    both = rows[rows.requested_sek.notna() & rows.allocated_sek.notna()].sort_values("allocated_sek")
    titles = list(both.title)
    requested = [float(v) for v in both.requested_sek]
    allocated = [float(v) for v in both.allocated_sek]
    fig = _Fig(
        [
            go.Bar(
                name="Äskat",
                y=titles,
                x=requested,
                orientation="h",
                marker={"color": "#9CA3AF"},
                hovertemplate="<b>%{y}</b><br>Äskat: %{x:,.0f} kr<extra></extra>",
            ),
            go.Bar(
                name="Föreslaget",
                y=titles,
                x=allocated,
                orientation="h",
                marker={"color": theme.ACCENT},
                hovertemplate="<b>%{y}</b><br>Föreslaget: %{x:,.0f} kr<extra></extra>",
            ),
        ]
    )
    _base_layout(fig, "Äskat och föreslaget per insats", height=140 + rows_height(titles, 38))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**_kronor_axis(requested + allocated))
    fig.update_yaxes(title=None, automargin=True)
    differing = both[both.requested_sek != both.allocated_sek]
    alt = f"Grupperat stapeldiagram med äskat och föreslaget belopp för {len(titles)} insatser. " + (
        "Skillnader: "
        + "; ".join(
            f"{r.title}: äskat {fmt.sek(r.requested_sek)}, föreslaget {fmt.sek(r.allocated_sek)}"
            for r in differing.itertuples()
        )
        + "."
        if len(differing)
        else "Alla belopp är lika."
    )
    table = pd.DataFrame({"Insats": titles, "Äskat (kr)": requested, "Föreslaget (kr)": allocated})
    missing = int((rows.requested_sek.isna() | rows.allocated_sek.isna()).sum())
    note = (
        f"{fmt.count_phrase(missing, 'insats', 'insatser')} saknar äskat eller föreslaget belopp och visas inte."
        if missing
        else ""
    )
    return ChartSpec("askat-foreslaget", fig.build(), alt, table, note)


SANKEY_COLUMNS = (0.001, 0.3, 0.999)  # x of funding sources, nämnder, areas
SANKEY_PAD = 14  # px between two nodes of a column
SANKEY_LABEL = 16  # characters per line of a node label


def flow_sankey(lines: pd.DataFrame) -> ChartSpec:
    """Funding source → nämnd → area. lines (the allocation_flow query): funding_source, committee,
    priority_area, amount_sek, lines_without_amount."""
    known = lines[lines.amount_sek.notna()].copy()
    known["committee"] = known.committee.fillna(theme.NO_COMMITTEE)
    known["area"] = known.priority_area.map(theme.area_label)
    sources = sorted(known.funding_source.unique())
    committees = list(known.groupby("committee").amount_sek.sum().sort_values(ascending=False).index)
    areas = [theme.area_label(a) for a in _ordered_areas(list(known.priority_area))]
    nodes = sources + committees + areas
    index = {("s", s): i for i, s in enumerate(sources)}
    index |= {("c", c): len(sources) + i for i, c in enumerate(committees)}
    index |= {("a", a): len(sources) + len(committees) + i for i, a in enumerate(areas)}
    link_s, link_t, link_v, link_c, link_text = [], [], [], [], []
    for (src, com), amount in known.groupby(["funding_source", "committee"]).amount_sek.sum().items():
        link_s.append(index[("s", src)])
        link_t.append(index[("c", com)])
        link_v.append(float(amount))
        link_c.append("rgba(0,90,140,0.25)")
        link_text.append(f"{src} → {com}: {fmt.sek(amount)}")
    for (com, area), amount in known.groupby(["committee", "area"]).amount_sek.sum().items():
        link_s.append(index[("c", com)])
        link_t.append(index[("a", area)])
        link_v.append(float(amount))
        color = theme.area_color(None if area == theme.NO_AREA else area).lstrip("#")
        link_c.append(f"rgba({int(color[0:2], 16)},{int(color[2:4], 16)},{int(color[4:6], 16)},0.45)")
        link_text.append(f"{com} → {area}: {fmt.sek(amount)}")
    node_colors = (
        ["#374151"] * len(sources)
        + [theme.ACCENT] * len(committees)
        + [theme.area_color(None if a == theme.NO_AREA else a) for a in areas]
    )
    # Plotly writes the middle column's labels to the right of its nodes and the last column's to the left: both
    # in the gap between them ("SamhällsbyggnadsnämBoende" at 1024×768). So the nämnder stand at a third of the
    # width, the widest gap holds the two columns' labels, and labels wrap at SANKEY_LABEL characters.
    sizes = dict.fromkeys(range(len(nodes)), 0.0)
    for s, t, v in zip(link_s, link_t, link_v, strict=True):
        sizes[s] += v if s < len(sources) else 0.0
        sizes[t] += v
    columns = [
        list(range(len(sources))),
        [index[("c", c)] for c in committees],
        [index[("a", a)] for a in areas],
    ]
    # the nodes placed as Plotly's own layout would (one scale for all columns, SANKEY_PAD px between nodes),
    # only at our x: centres as shares of the plot's height
    height = max(420, 34 * sum(_wrap(c, SANKEY_LABEL).count("<br>") + 1 for c in committees) + 160)
    plot = height - 100  # _base_layout's margins, top and bottom
    scale = min((plot - SANKEY_PAD * (len(c) - 1)) / (sum(sizes[i] for i in c) or 1.0) for c in columns if c)
    node_x, node_y = [0.0] * len(nodes), [0.0] * len(nodes)
    for x, column in zip(SANKEY_COLUMNS, columns, strict=True):
        top = 0.0
        for i in column:
            node_x[i], node_y[i] = x, min(max((top + sizes[i] * scale / 2) / plot, 0.001), 0.999)
            top += sizes[i] * scale + SANKEY_PAD
    fig = _Fig(
        go.Sankey(
            valueformat=",.0f",
            valuesuffix=" kr",
            arrangement="snap",
            textfont={"size": 13},
            node={
                "label": [_wrap(n, SANKEY_LABEL) for n in nodes],
                "color": node_colors,
                "pad": SANKEY_PAD,
                "thickness": 18,
                "x": node_x,
                "y": node_y,
            },
            link={
                "source": link_s,
                "target": link_t,
                "value": link_v,
                "color": link_c,
                "customdata": link_text,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    _base_layout(fig, "Flödet: finansieringskälla → nämnd → område", height=height)
    table = pd.DataFrame(
        {"Från": [nodes[s] for s in link_s], "Till": [nodes[t] for t in link_t], "Belopp (kr)": link_v}
    )
    alt = "Flödesdiagram från finansieringskälla via nämnd till område. " + "; ".join(link_text) + "."
    note = _unknown_note(int(lines.lines_without_amount.sum()))
    return ChartSpec("flode", fig.build(), alt, table, note)


def _range_text(low: float, high: float) -> str:
    """0.1, 0.3 -> '10–30 %'."""
    return f"{fmt.pct(low, 0).removesuffix(chr(160) + '%')}–{fmt.pct(high, 0)}"


def _wrap(label: str, width: int = 16) -> str:
    """Break a long axis label onto lines (Plotly uses <br>)."""
    words, lines, current = label.replace(" / ", "/ ").split(), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return "<br>".join(lines + [current])


def interval_bands(
    rules: pd.DataFrame,
    shares: dict[str, float] | None = None,
    title: str = "Finansieringsintervall per budgetrad",
) -> ChartSpec:
    """The allowed share range per budget line as a band, with the actual share as a marker when known.
    rules: budget_line, priority_area, min_pct, max_pct."""
    rules = rules.reset_index(drop=True)
    lines = list(rules.budget_line)
    fig = _Fig()
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
    _base_layout(fig, title, height=130 + 56 * max(len(lines), 1))
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
    fig = _Fig(
        go.Heatmap(
            z=z,
            x=[_wrap(c) for c in cols_order],
            y=[_wrap(r, 28) for r in rows_order],
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
    _base_layout(fig, title, height=190 + 80 * max(len(rows_order), 1))
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


def frames_overview(totals: pd.DataFrame) -> ChartSpec:
    """Per municipality and year: frame and allocated, side by side. totals: municipality, year, frame_sek,
    allocated_sek (insatskollen.core.headline_tables.by_municipality_year). An unknown frame or allocation is not drawn
    as a bar; its label says "okänd" instead, so imported lines without a Ram still show what is allocated."""
    rows = totals.copy()
    title = "Ram och fördelat per kommun och år"
    summary = ""
    if len(rows) > MAX_BARS:  # e.g. 290 municipalities x 10 years: one bar pair per year, summed
        count = rows.municipality.nunique()
        rows = (
            rows.groupby("year")
            .agg(
                frame_sek=("frame_sek", lambda s: s.sum(min_count=1)),
                allocated_sek=("allocated_sek", lambda s: s.sum(min_count=1)),
                lines_without_amount=("lines_without_amount", "sum"),
            )
            .reset_index()
            .assign(municipality=f"{fmt.number(count)} kommuner")
        )
        title = f"Ram och fördelat per år, {fmt.number(count)} kommuner sammanlagt"
        summary = (
            f"Staplarna är summor för {fmt.number(count)} kommuner; välj färre kommuner i filtret för att se "
            "dem var för sig."
        )
    labels = [f"{m} {y}" for m, y in zip(rows.municipality, rows.year, strict=True)]
    frame = [None if na.missing(v) else float(v) for v in rows.frame_sek]
    allocated = [None if na.missing(v) else float(v) for v in rows.allocated_sek]
    # a municipality-year with lines without amount has at least its known sum allocated
    at_least = [
        "minst " if n else "" for n in rows.get("lines_without_amount", pd.Series(0, index=rows.index))
    ]
    no_bound = [""] * len(labels)

    def bars(name: str, values: list, color: str, unknown: str, bound: list[str]) -> go.Bar:
        return go.Bar(
            name=name,
            y=labels,
            x=[0.0 if v is None else v for v in values],  # zero width: nothing drawn, the label says okänd
            orientation="h",
            marker={"color": color},
            text=[unknown if v is None else b + fmt.mnkr(v) for v, b in zip(values, bound, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=[unknown if v is None else b + fmt.sek(v) for v, b in zip(values, bound, strict=True)],
            hovertemplate="<b>%{y}</b><br>" + name + ": %{customdata}<extra></extra>",
        )

    fig = _Fig(
        [
            bars("Ram", frame, "#9CA3AF", "ram okänd", no_bound),
            bars("Fördelat", allocated, theme.ACCENT, "fördelning okänd", at_least),
        ]
    )
    _base_layout(fig, title, height=150 + 64 * max(len(labels), 1))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**_kronor_axis([v for v in frame + allocated if v is not None] or [0]))
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    unknown = [lab for lab, f in zip(labels, frame, strict=True) if f is None]
    note = (
        "Ram utan känt belopp: " + ", ".join(unknown) + "."
        if 0 < len(unknown) <= MAX_BARS
        else f"{fmt.count_phrase(len(unknown), 'ram', 'ramar')} utan känt belopp."
        if unknown
        else ""
    )
    note = " ".join(part for part in (summary, note) if part)
    alt = (
        "Grupperat stapeldiagram med ram och fördelat belopp. "
        + "; ".join(
            f"{lab}: ram {'okänd' if f is None else fmt.sek(f)}, fördelat {'okänt' if a is None else b + fmt.sek(a)}"
            for lab, f, a, b in zip(labels, frame, allocated, at_least, strict=True)
        )
        + "."
        + (f" {note}" if note else "")
    )
    table = pd.DataFrame({"Kommun och år": labels, "Ram (kr)": frame, "Fördelat (kr)": allocated})
    return ChartSpec("ramar", fig.build(), alt, table, note)


def scenario_differences(by_area: list, by_committee: list) -> ChartSpec:
    """Baseline and scenario per national area, side by side, with the change written on each pair.
    by_area/by_committee: insatskollen.core.scenario_evaluation.Difference rows."""
    order = {a: i for i, a in enumerate(theme.AREA_COLORS)}
    rows = sorted(by_area, key=lambda d: order.get(d.name, 99))
    labels = [theme.area_label(d.name or None) for d in rows]
    # an unknown sum is no bar (never a bar of 0); the scenario's label then says "okänt → …"
    base = [None if d.baseline is None else float(d.baseline) for d in rows]
    scen = [None if d.scenario is None else float(d.scenario) for d in rows]
    fig = _Fig(
        [
            go.Bar(
                name="Utgångsläge",
                y=labels,
                x=base,
                orientation="h",
                marker={"color": "#9CA3AF"},
                hovertemplate="<b>%{y}</b><br>Utgångsläge: %{x:,.0f} kr<extra></extra>",
            ),
            go.Bar(
                name="Scenario",
                y=labels,
                x=scen,
                orientation="h",
                marker={"color": [theme.area_color(d.name or None) for d in rows]},
                text=[d.text() if d.changed else "" for d in rows],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="<b>%{y}</b><br>Scenario: %{x:,.0f} kr<extra></extra>",
            ),
        ]
    )
    _base_layout(fig, "Utgångsläge och scenario per område", height=150 + 70 * max(len(rows), 1))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**_kronor_axis(base + scen))
    fig.update_yaxes(autorange="reversed", title=None)
    changed = [d for d in rows if d.changed]
    alt = "Grupperat stapeldiagram med utgångsläge och scenario per område. " + (
        "; ".join(
            f"{theme.area_label(d.name or None)}: {key_figures.total_text(d.baseline, d.baseline_unknown)} → "
            f"{key_figures.total_text(d.scenario, d.scenario_unknown)}"
            + ("" if d.change is None else f" ({fmt.signed_sek(d.change)})")
            for d in changed
        )
        + "."
        if changed
        else "Inga ändringar mot utgångsläget."
    )
    table = pd.DataFrame(
        [
            {
                "Grupp": "Område",
                "Namn": theme.area_label(d.name or None),
                "Utgångsläge (kr)": d.baseline,
                "Scenario (kr)": d.scenario,
                "Ändring (kr)": d.change,
                "Anmärkning": d.note,
            }
            for d in rows
        ]
        + [
            {
                "Grupp": "Nämnd",
                "Namn": d.name or theme.NO_COMMITTEE,
                "Utgångsläge (kr)": d.baseline,
                "Scenario (kr)": d.scenario,
                "Ändring (kr)": d.change,
                "Anmärkning": d.note,
            }
            for d in by_committee
        ]
    )
    for column in ("Utgångsläge (kr)", "Scenario (kr)", "Ändring (kr)"):
        table[column] = table[column].astype("Int64")  # empty where unknown, never 0
    return ChartSpec("scenario-jamforelse", fig.build(), alt, table)


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
    fig = _Fig()
    lines_text, unknown, table_rows = [], [], []
    for i, name in enumerate(names):
        own = rows[rows.municipality.fillna(rows.municipality_code) == name]
        role = own.role.iloc[0]
        by_year = {
            int(y): (None if na.missing(v) else float(v)) for y, v in zip(own.year, own.value, strict=True)
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
                    "Värde": None if na.missing(v) else float(v),
                    "Status": na.or_none(st_),
                    "Källa": src,
                }
            )
    _base_layout(fig, html.escape(title, quote=False), height=380)
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
