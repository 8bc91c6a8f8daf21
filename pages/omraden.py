"""Prioriterade områden: allocation per national area, per municipality as shares, and each area's measures."""

from dataclasses import replace

import streamlit as st

from insatskollen.core import fmt, theme
from insatskollen.export import charts
from insatskollen.ui import frame, indicator_panel, session, sidebar, widgets

frame.require_app_frame()
filters = sidebar.current_filters()
widgets.page_header(
    "Prioriterade områden",
    "Fördelningen över regeringens fem prioriterade områden. Välj belopp eller andel av ramen, "
    "och välj ett område för att se dess insatser.",
    filters,
)

by_area = session.query("allocation_by_area", filters)
if by_area.empty:
    widgets.empty_state("Inga fördelningsrader")
    st.stop()

# View controls live in the URL (key = query parameter), so a copied link reopens this view.
mode = st.segmented_control(
    "Visa",
    ["Belopp", "Andel av ramen"],
    default="Belopp",
    key=widgets.VIEW_KEYS["area_mode"],
    required=True,
    bind="query-params",
)
counts = session.query("measure_counts", filters)
spec = session.chart(
    charts.area_bars,
    by_area,
    charts.SHARE if mode == "Andel av ramen" else charts.AMOUNT,
    unknown_measures=int(counts.measures_without_amount.sum()),
)
if by_area.amount_sek.notna().any():
    widgets.render_chart(spec, key="areas_main")
else:
    st.info("Inga belopp per område är kända med de valda filtren; se insatserna nedan.")

municipality_count = by_area.municipality.nunique()
if municipality_count > 1:
    st.subheader("Kommunerna sida vid sida")
    if municipality_count <= charts.MAX_BARS:
        st.markdown(
            "Andelar av varje kommuns fördelade belopp, så att en stor och en liten kommun kan jämföras rättvist."
        )
        widgets.render_chart(session.chart(charts.area_share_by_municipality, by_area), key="areas_share")
    else:
        st.markdown(
            f"Urvalet har {fmt.number(municipality_count)} kommuner. Välj högst {charts.MAX_BARS} i filtret "
            "för att jämföra deras fördelning sida vid sida."
        )

st.subheader("Insatser per område")
# "Inget område angivet" only when a measure lacks an area: offered without one it led to an empty list
no_area = counts.primary_area.isna() | counts.primary_area.eq("")
areas = list(theme.AREA_COLORS) + ([""] if int(counts[no_area].measures.sum()) else [])
# The picked area follows the area filter; a link's own choice (seeded on load) wins over the default.
pick = widgets.VIEW_KEYS["area_pick"]
if (
    pick not in st.session_state
    or st.session_state[pick] not in [*areas, None]  # "" kept from a selection that had measures without area
    or (filters.areas and st.session_state[pick] not in filters.areas)
):
    st.session_state[pick] = filters.areas[0] if filters.areas else areas[0]
chosen = st.pills(
    "Välj område", areas, key=pick, format_func=lambda a: a or theme.NO_AREA, bind="query-params"
)
links = session.query("measure_links", filters)
if chosen is not None:
    in_area = counts[counts.primary_area.fillna("") == chosen]
    count, unknown = int(in_area.measures.sum()), int(in_area.measures_without_amount.sum())
    primary = session.query(
        "measures_page", replace(filters, areas=(chosen,)), sort="kommun", limit=widgets.PAGE_ROWS
    )
    st.markdown(
        f"**{fmt.count_phrase(count, 'insats', 'insatser')} med {theme.area_label(chosen)} som primärt område**"
    )
    if primary.empty:
        st.caption("Inga insatser med de valda filtren.")
    else:
        table = primary.assign(
            Belopp=primary.allocated_sek.map(fmt.sek),
            År=[fmt.years(a, b) for a, b in zip(primary.year_from, primary.year_to, strict=True)],
        ).rename(
            columns={"title": "Insats", "municipality": "Kommun", "committee": "Nämnd", "status": "Status"}
        )
        widgets.table(table[["Insats", "Kommun", "Nämnd", "Belopp", "År", "Status"]])
        if count > len(primary):
            st.caption(widgets.first_rows_note(len(primary), count, "insatser", "kommun och titel"))
        if unknown:
            st.caption(
                f"{fmt.count_phrase(unknown, 'insats', 'insatser')} utan belopp. Beloppen gäller per år."
            )
    secondary = links[links.priority_area == chosen]
    if chosen and len(secondary):
        st.markdown(
            f"**Kopplas också till {chosen} (sekundärt)**: {len(secondary)} insatser. "
            "Deras belopp räknas bara under sitt primära område, aldrig två gånger."
        )
        widgets.table(
            secondary.rename(
                columns={
                    "title": "Insats",
                    "municipality": "Kommun",
                    "primary_area": "Primärt område",
                    "basis": "Kopplingen enligt",
                    "note": "Not",
                }
            )[["Insats", "Kommun", "Primärt område", "Kopplingen enligt", "Not"]],
        )
if chosen:
    indicator_panel.render_for_area(filters, chosen)  # Kolada series beside the money for this area
