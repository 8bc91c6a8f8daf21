"""Charts of the nämnder (Nämnder, the deck): the allocation per nämnd, requested against proposed per
measure, and the flow funding source → nämnd → area. The sums are insatskollen.core.breakdowns'."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import breakdowns, fmt, theme
from insatskollen.export.chart_builder import MAX_BARS, ChartSpec, Figure, rows_height, unknown_note, wrap
from insatskollen.export.chart_template import base_layout, kronor_axis, kronor_bars


def committee_bars(
    rows: pd.DataFrame, title: str = "Fördelning per nämnd", unknown_lines: int | None = None
) -> ChartSpec:
    """Horizontal bars per nämnd. rows: municipality, committee, amount_sek, lines_without_amount.
    unknown_lines, when given, is the number of distinct lines without amount (for the note)."""
    sums = breakdowns.by_committee(rows)
    table = pd.DataFrame({"Nämnd": sums.names, "Belopp (kr)": sums.amounts})
    # e.g. 8 nämnder x 290 kommuner: the largest are drawn, all are in the table
    names, amounts = sums.names[:MAX_BARS], sums.amounts[:MAX_BARS]
    if len(sums.names) > len(names):
        title = f"{title}, de {len(names)} största av {fmt.number(len(sums.names))}"
    fig = Figure(
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
    base_layout(fig, title, height=110 + rows_height(names, 44))
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(**kronor_axis(amounts))
    note = unknown_note(sums.lines_without_amount if unknown_lines is None else unknown_lines)
    if len(sums.names) > len(names):
        rest = f"De övriga {fmt.number(len(sums.names) - len(names))} finns i tabellen."
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
    fig = Figure(
        [
            kronor_bars("Äskat", titles, requested, "#9CA3AF"),
            kronor_bars("Föreslaget", titles, allocated, theme.ACCENT),
        ]
    )
    base_layout(fig, "Äskat och föreslaget per insats", height=140 + rows_height(titles, 38))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**kronor_axis(requested + allocated))
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
    flows = breakdowns.flow(lines)
    sources, committees, areas = flows.sources, flows.committees, flows.areas
    nodes = sources + committees + areas
    index = {("s", s): i for i, s in enumerate(sources)}
    index |= {("c", c): len(sources) + i for i, c in enumerate(committees)}
    index |= {("a", a): len(sources) + len(committees) + i for i, a in enumerate(areas)}
    link_s, link_t, link_v, link_c, link_text = [], [], [], [], []
    for src, com, amount in flows.source_links:
        link_s.append(index[("s", src)])
        link_t.append(index[("c", com)])
        link_v.append(float(amount))
        link_c.append("rgba(0,90,140,0.25)")
        link_text.append(f"{src} → {com}: {fmt.sek(amount)}")
    for com, area, amount in flows.area_links:
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
    height = max(420, 34 * sum(wrap(c, SANKEY_LABEL).count("<br>") + 1 for c in committees) + 160)
    plot = height - 100  # _base_layout's margins, top and bottom
    scale = min((plot - SANKEY_PAD * (len(c) - 1)) / (sum(sizes[i] for i in c) or 1.0) for c in columns if c)
    node_x, node_y = [0.0] * len(nodes), [0.0] * len(nodes)
    for x, column in zip(SANKEY_COLUMNS, columns, strict=True):
        top = 0.0
        for i in column:
            node_x[i], node_y[i] = x, min(max((top + sizes[i] * scale / 2) / plot, 0.001), 0.999)
            top += sizes[i] * scale + SANKEY_PAD
    fig = Figure(
        go.Sankey(
            valueformat=",.0f",
            valuesuffix=" kr",
            arrangement="snap",
            textfont={"size": 13},
            node={
                "label": [wrap(n, SANKEY_LABEL) for n in nodes],
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
    base_layout(fig, "Flödet: finansieringskälla → nämnd → område", height=height)
    table = pd.DataFrame(
        {"Från": [nodes[s] for s in link_s], "Till": [nodes[t] for t in link_t], "Belopp (kr)": link_v}
    )
    alt = "Flödesdiagram från finansieringskälla via nämnd till område. " + "; ".join(link_text) + "."
    note = unknown_note(flows.lines_without_amount)
    return ChartSpec("flode", fig.build(), alt, table, note)
