"""Översikt: frames, allocated, unallocated and unknown amounts; the main chart per national area."""

import streamlit as st

from insatskollen import ui
from insatskollen.core import fmt, headline, headline_tables, key_figures
from insatskollen.export import charts

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Översikt",
    "Hur mycket pengar mot segregation som finns att fördela, hur mycket som är fördelat och till vilka av "
    "de fem nationella prioriterade områdena.",
    filters,
)

head = headline.from_rows(ui.query(headline.QUERY, filters), filters)
if not head.frame_years:
    ui.empty_state("Ingen ram")
    st.stop()

counts = ui.query("measure_counts", filters)
unknown_measures = int(counts.measures_without_amount.sum())
ui.metric_row(
    [
        (
            "Ramar att fördela",
            key_figures.mnkr(head.frame_sek),
            f"{key_figures.sek(head.frame_sek)}: ramarnas belopp per år, summerat över ramar med känt belopp.",
            head.reading_part("ram"),
        ),
        (  # the bound in the label: "minst 66,3 mnkr" does not fit a box at 1366×768
            "Fördelat, minst" if head.allocated_is_bound else "Fördelat",
            key_figures.mnkr(head.allocated_sek),
            f"{key_figures.sek(head.allocated_sek)}: summan av rader med känt belopp"
            + (" som filtren väljer" if head.line_filters else "")
            + ("; minst, eftersom rader saknar belopp." if head.allocated_is_bound else "."),
            head.reading_part("fördelat"),
        ),
        (
            "Ofördelat, högst" if head.unallocated_is_bound else "Ofördelat",
            key_figures.mnkr(head.unallocated_sek),
            f"{key_figures.sek(head.unallocated_sek)}: ram minus fördelat i ramar där ramen och raderna har kända "
            "belopp (högst, där några rader saknar belopp). Räknas per ram; en annan rams överskridande dras "
            "aldrig av.",
            head.reading_part("ofördelat"),
        ),
        (
            "Överfördelat, minst" if head.over_allocated_is_bound else "Överfördelat",
            key_figures.mnkr(head.over_allocated_sek),
            f"{key_figures.sek(head.over_allocated_sek)}: fördelat utöver ramen, summerat över de ramar som "
            "överskrids. Dras aldrig av från en annan rams ofördelade medel.",
            head.reading_part("överfördelat"),
        ),
    ]
)
ui.readings_panel(
    headline_tables.readings_table(ui.query(headline_tables.READINGS_QUERY, filters)),
    head.reading_text(),
    "overview_readings",
)
ui.metric_row(
    [
        (
            "Ram med okänd fördelning",
            key_figures.mnkr(head.unknown_allocation_frame_sek),
            "Ramar med känt belopp där inget radbelopp är känt: inga rader för året, eller bara rader utan belopp.",
            head.reading_part("okänd"),
        ),
        (
            "Insatser och förslag",
            fmt.number(int(counts.measures.sum())),
            f"{fmt.number(unknown_measures)} av dem saknar belopp.",
        ),
        (
            "Ramar utan belopp",
            fmt.number(len(head.frames_without_amount)),
            "Ramar och år där källan inte anger ramens belopp. De räknas inte in i ramarna.",
        ),
        (
            "Rader utan belopp",
            fmt.number(head.lines_without_amount),
            "Fördelningsrader där källan inte anger beloppet. De räknas som okända, inte som noll.",
        ),
    ]
)
for sentence in head.balance_sentences():
    st.caption(ui.plain(sentence))
if unknown_text := head.unknown_text():
    st.caption(ui.plain(unknown_text))
if head.line_filters:
    st.caption(
        "Ram, ofördelat och okänd fördelning gäller hela ramarna; fördelat gäller de rader som filtren för "
        "nämnd, område, status och sökord väljer."
    )

by_area = ui.query("allocation_by_area", filters)
if by_area.amount_sek.notna().any():
    ui.render_chart(
        ui.chart(charts.area_bars, by_area, unknown_measures=unknown_measures), key="overview_area"
    )
    if area_reading := headline_tables.area_reading_text(
        ui.query(headline_tables.AREA_READINGS_QUERY, filters)
    ):
        st.caption(f"{ui.READING_BADGE} {ui.plain(area_reading.removeprefix('Tolkning: '))}")
else:
    st.info("Inga belopp per område är kända med de valda filtren.")

st.subheader("Per kommun och år")
ui.render_chart(
    ui.chart(charts.frames_overview, headline_tables.by_municipality_year(head)), key="overview_frames"
)
st.markdown("**Ram för ram**: raderna som nyckeltalen ovan summeras från.")
table = headline_tables.frame_year_table(head)
ui.table(ui.display_table(table.head(ui.PAGE_ROWS)))
if len(table) > ui.PAGE_ROWS:  # every row is in the downloads and in the figures above
    st.caption(
        ui.first_rows_note(ui.PAGE_ROWS, len(table), "ramar och år", "kommun, år och finansieringskälla")
        + " Hela tabellen finns i nedladdningarna."
    )
ui.download_buttons(table, "per-ram-och-ar", key="overview_table")
