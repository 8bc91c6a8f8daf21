"""Scenarier's chart (and the deck's): baseline and scenario per national area."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, key_figures, theme
from insatskollen.export.chart_builder import ChartSpec, Figure
from insatskollen.export.chart_template import base_layout, kronor_axis, kronor_bars


def scenario_differences(by_area: list, by_committee: list) -> ChartSpec:
    """Baseline and scenario per national area, side by side, with the change written on each pair.
    by_area/by_committee: insatskollen.core.scenario.Difference rows."""
    order = {a: i for i, a in enumerate(theme.AREA_COLORS)}
    rows = sorted(by_area, key=lambda d: order.get(d.name, 99))
    labels = [theme.area_label(d.name or None) for d in rows]
    # an unknown sum is no bar (never a bar of 0); the scenario's label then says "okänt → …"
    base = [None if d.baseline is None else float(d.baseline) for d in rows]
    scen = [None if d.scenario is None else float(d.scenario) for d in rows]
    fig = Figure(
        [
            kronor_bars("Utgångsläge", labels, base, "#9CA3AF"),
            kronor_bars(
                "Scenario",
                labels,
                scen,
                [theme.area_color(d.name or None) for d in rows],
                text=[d.text() if d.changed else "" for d in rows],
                textposition="outside",
                cliponaxis=False,
            ),
        ]
    )
    base_layout(fig, "Utgångsläge och scenario per område", height=150 + 70 * max(len(rows), 1))
    fig.update_layout(barmode="group")
    fig.update_xaxes(**kronor_axis(base + scen))
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
