"""Översikt: frames, allocated, unallocated and unknown amounts; the main chart per national area."""

import streamlit as st

from insatskollen import charts, fmt, ui

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Översikt",
    "Hur mycket pengar mot segregation som finns att fördela, hur mycket som är fördelat och till vilka av "
    "de fem nationella prioriterade områdena.",
    filters,
)

totals = ui.query("totals_by_municipality_year", filters)
if totals.empty:
    ui.empty_state("Ingen ram")
    st.stop()

frame_known = totals.frame_sek.sum(min_count=1)
allocated_known = totals.allocated_sek.sum(min_count=1)
unallocated = totals.unallocated_sek.sum(min_count=1)
unknown_frames = int(totals.frames_without_amount.sum())
counts = ui.query("measure_counts", filters)
unknown_measures = int(counts.measures_without_amount.sum())
ui.metric_row(
    [
        (
            "Ramar att fördela",
            fmt.mnkr(frame_known),
            f"{fmt.sek(frame_known)}: ramarnas belopp per år, summerat.",
        ),
        ("Fördelat", fmt.mnkr(allocated_known), f"{fmt.sek(allocated_known)}: rader med känt belopp."),
        (
            "Ofördelat",
            fmt.mnkr(unallocated),
            f"{fmt.sek(unallocated)}: ram minus fördelat, för år där båda är kända. Negativt betyder att ramen "
            "överskrids.",
        ),
        (
            "Insatser och förslag",
            fmt.number(int(counts.measures.sum())),
            f"{fmt.number(unknown_measures)} av dem saknar belopp.",
        ),
    ]
)
if unknown_measures or unknown_frames:
    st.caption(
        f"{fmt.count_phrase(unknown_measures, 'insats', 'insatser')} och "
        f"{fmt.count_phrase(unknown_frames, 'ram', 'ramar')} saknar belopp i källdokumenten. "
        "De räknas som okända, inte som noll."
    )

by_area = ui.query("allocation_by_area", filters)
if by_area.amount_sek.notna().any():
    ui.render_chart(
        ui.chart(charts.area_bars, by_area, unknown_measures=unknown_measures), key="overview_area"
    )
else:
    st.info("Inga belopp per område är kända med de valda filtren.")

st.subheader("Per kommun och år")
ui.render_chart(ui.chart(charts.frames_overview, totals), key="overview_frames")
table = totals.rename(
    columns={
        "municipality": "Kommun",
        "year": "År",
        "frames": "Ramar",
        "frame_sek": "Ram (kr)",
        "allocated_sek": "Fördelat (kr)",
        "unallocated_sek": "Ofördelat (kr)",
        "lines_without_amount": "Rader utan belopp",
        "measures": "Insatser",
    }
)[["Kommun", "År", "Ramar", "Ram (kr)", "Fördelat (kr)", "Ofördelat (kr)", "Insatser", "Rader utan belopp"]]
ui.table(ui.display_table(table))
ui.download_buttons(table, "per-kommun-och-ar", key="overview_table")
