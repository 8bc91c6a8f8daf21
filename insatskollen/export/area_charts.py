"""Charts of the national areas (Översikt, Områden, the deck): the allocation per area, in kronor or as a share
of the frame, and each municipality's split by area. The sums are insatskollen.core.breakdowns'."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import breakdowns, fmt, key_figures, theme
from insatskollen.export.chart_builder import ChartSpec, Figure, unknown_note
from insatskollen.export.chart_template import base_layout, kronor_axis, room_for_labels

AMOUNT = "amount"
SHARE = "share"


def area_bars(
    rows: pd.DataFrame,
    measure: str = AMOUNT,
    title: str = "Fördelning per prioriterat område",
    unknown_measures: int | None = None,
) -> ChartSpec:
    """Horizontal bars per national area. rows: priority_area, amount_sek, lines_without_amount,
    measures, frame_sek, frame_known (summed over whatever municipality/year rows are given). unknown_measures,
    when given, is the number of distinct measures without amount (for the note).
    A share of the frame is breakdowns.by_area's: of the frames with a known amount only; the lines of a frame
    without amount are named in the note."""
    sums = breakdowns.by_area(rows)
    areas, amounts = sums.areas, sums.amounts
    allocated_total = sum(amounts)
    denominator = sums.share_base if measure == SHARE else None
    shares = sums.shares() if denominator else [None] * len(areas)
    frame_note = ""
    if measure == SHARE and sums.unframed_places:
        frame_note = (
            f"{fmt.mnkr(sums.unframed_sek)} fördelat i ramar utan känt belopp ({', '.join(sums.unframed_places)}) "
            "ingår inte i andelarna."
        )
    labels = [theme.area_label(a) for a in areas]
    if measure == SHARE and denominator:
        values = shares
        # every share names its base (README, "Nyckeltal")
        text = [
            key_figures.share_text(part, denominator, key_figures.OF_FRAME) for part in sums.in_known_frames
        ]
        axis = {
            "tickformat": ".0%",
            "title": "Andel av ramarna med känt belopp" if frame_note else "Andel av ramen",
        }
    else:
        values = amounts
        text = [fmt.mnkr(a) for a in amounts]  # as the documents write it ("2,08 mnkr"); exact kr on hover
        axis = kronor_axis(values)
    fig = Figure(
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
    base_layout(fig, title, height=110 + 60 * max(len(areas), 1))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(**axis)
    if measure == SHARE and denominator:
        fig.update_xaxes(range=room_for_labels(values))
    note = " ".join(p for p in (unknown_note(sums.lines_without_amount, unknown_measures), frame_note) if p)
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
        table.insert(2, "Varav i ramar med känt belopp (kr)", sums.in_known_frames)
    return ChartSpec("omraden", fig.build(), alt, table, note)


def area_share_by_municipality(rows: pd.DataFrame) -> ChartSpec:
    """100 % stacked bars: each municipality's known allocation split by national area.
    rows: municipality, priority_area, amount_sek (any years; summed)."""
    split = breakdowns.area_split(rows)
    municipalities = split.municipalities
    fig = Figure()
    table_rows = []
    for area in split.areas:
        values = []
        for m in municipalities:
            amount, share = split.cells[(area, m)]
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
    base_layout(fig, "Andel per område i varje kommun", height=230 + 70 * max(len(municipalities), 1))
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
    note = ""
    if split.missing:
        note = "Saknar belopp och visas inte: " + ", ".join(split.missing) + "."
        alt += " " + note
    return ChartSpec("andel-per-kommun", fig.build(), alt, table, note)
