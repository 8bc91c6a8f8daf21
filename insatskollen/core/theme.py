"""Colours and shared labels. One fixed colour per national area on every chart.

Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), with the
yellow darkened to ochre so that every colour has at least 3:1 contrast on white
(WCAG 2.1 1.4.11). Values and names are always written next to the colour as well.
"""

from __future__ import annotations

from insatskollen.core import na

AREA_COLORS = {
    "Boende": "#0072B2",
    "Utbildning": "#D55E00",
    "Arbetsmarknad": "#009E73",
    "Demokrati och civilsamhälle": "#CC79A7",
    "Brottslighet": "#8F6A00",
}
NO_AREA = "Inget område angivet"
NO_AREA_COLOR = "#6B6B6B"
NO_COMMITTEE = "Ingen nämnd angiven"
TEXT_COLOR = "#1F2937"
MUTED_TEXT = "#4B5563"  # 7.6:1 on white
GRID_COLOR = "#E5E7EB"
ACCENT = "#005A8C"
FONT = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"

# Decision = first character, thousands = second (a no-break space), used by Plotly's d3 formats.
PLOTLY_SEPARATORS = ",\u00a0"


def area_color(area: str | None) -> str:
    return AREA_COLORS.get(area, NO_AREA_COLOR) if isinstance(area, str) else NO_AREA_COLOR


# A missing value from a query is None in an all-empty column but NaN in a text column with some values
# (pandas' string dtype), and NaN is true in Python: `area or NO_AREA` showed "nan" as a group's name.
def area_label(area: str | None) -> str:
    return NO_AREA if na.missing(area) or not area else area


def committee_label(committee: str | None) -> str:
    return NO_COMMITTEE if na.missing(committee) or not committee else committee
