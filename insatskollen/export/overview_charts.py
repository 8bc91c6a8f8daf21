"""Översikt's chart (and the deck's): frame and allocated per municipality and year, summed per year when the
municipalities are too many to draw (insatskollen.core.breakdowns.per_year)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insatskollen.core import breakdowns, fmt, theme
from insatskollen.export.chart_builder import MAX_BARS, ChartSpec, Figure
from insatskollen.export.chart_template import base_layout, kronor_axis


def frames_overview(totals: pd.DataFrame) -> ChartSpec:
    """Per municipality and year: frame and allocated, side by side. totals: municipality, year, frame_sek,
    allocated_sek (insatskollen.core.key_figures.by_municipality_year). An unknown frame or allocation is not drawn
    as a bar; its label says "okänd" instead, so imported lines without a Ram still show what is allocated."""
    rows = totals.copy()
    title = "Ram och fördelat per kommun och år"
    summary = ""
    if len(rows) > MAX_BARS:  # e.g. 290 municipalities x 10 years: one bar pair per year, summed
        count = rows.municipality.nunique()
        rows = breakdowns.per_year(rows).assign(municipality=f"{fmt.number(count)} kommuner")
        title = f"Ram och fördelat per år, {fmt.number(count)} kommuner sammanlagt"
        summary = (
            f"Staplarna är summor för {fmt.number(count)} kommuner; välj färre kommuner i filtret för att se "
            "dem var för sig."
        )
    labels = [f"{m} {y}" for m, y in zip(rows.municipality, rows.year, strict=True)]
    frame = [None if pd.isna(v) else float(v) for v in rows.frame_sek]
    allocated = [None if pd.isna(v) else float(v) for v in rows.allocated_sek]
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

    fig = Figure(
        [
            bars("Ram", frame, "#9CA3AF", "ram okänd", no_bound),
            bars("Fördelat", allocated, theme.ACCENT, "fördelning okänd", at_least),
        ]
    )
    base_layout(fig, title, height=150 + 64 * max(len(labels), 1))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**kronor_axis([v for v in frame + allocated if v is not None] or [0]))
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
