"""Prioriterade områden: allocation per national area, per municipality as shares, and each area's measures."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import streamlit as st

from insatskollen.export import area_charts, chart_builder
from insatskollen.ui import areas, indicator_panel, per_capita_view, session, sidebar, widgets

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
spec = areas.area_chart(by_area, counts, share=mode == "Andel av ramen")
if by_area.amount_sek.notna().any():
    widgets.render_chart(spec, key="areas_main")
else:
    st.info("Inga belopp per område är kända med de valda filtren; se insatserna nedan.")

municipality_count = areas.municipality_count(by_area)
if municipality_count > 1:
    st.subheader("Kommunerna sida vid sida")
    if municipality_count <= chart_builder.MAX_BARS:
        st.markdown(
            "Andelar av varje kommuns fördelade belopp, så att en stor och en liten kommun kan jämföras rättvist."
        )
        widgets.render_chart(
            session.chart(area_charts.area_share_by_municipality, by_area), key="areas_share"
        )
    else:
        st.markdown(areas.too_many_text(municipality_count))

st.subheader("Insatser per område")
offered = areas.choices(counts)
# The picked area follows the area filter; a link's own choice (seeded on load) wins over the default.
pick = widgets.VIEW_KEYS["area_pick"]
if (
    pick not in st.session_state
    or st.session_state[pick]
    not in [*offered, None]  # "" kept from a selection that had measures without area
    or (filters.areas and st.session_state[pick] not in filters.areas)
):
    st.session_state[pick] = filters.areas[0] if filters.areas else offered[0]
chosen = st.pills("Välj område", offered, key=pick, format_func=areas.area_name, bind="query-params")
if chosen is not None:
    heading, count, unknown = areas.primary_heading(counts, chosen)
    primary = areas.primary_measures(filters, chosen)
    st.markdown(heading)
    if primary.empty:
        st.caption("Inga insatser med de valda filtren.")
    else:
        widgets.table(areas.primary_table(primary))
        if count > len(primary):
            st.caption(widgets.first_rows_note(len(primary), count, "insatser", "kommun och titel"))
        if unknown:
            st.caption(areas.unknown_text(unknown))
    secondary = areas.secondary_table(filters, chosen)
    if chosen and len(secondary):
        st.markdown(
            f"**Kopplas också till {chosen} (sekundärt)**: {len(secondary)} insatser. "
            "Deras belopp räknas bara under sitt primära område, aldrig två gånger."
        )
        widgets.table(secondary)
if chosen:
    per_capita_view.render_area(
        by_area, chosen
    )  # the area's Fördelat per invånare, when population is imported
    indicator_panel.render_for_area(filters, chosen)  # Kolada series beside the money for this area
