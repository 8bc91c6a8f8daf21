"""Colours and shared labels. One fixed colour per national area on every chart.

Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), with the
yellow darkened to ochre so that every colour has at least 3:1 contrast on white
(WCAG 2.1 1.4.11). Values and names are always written next to the colour as well.
"""

from __future__ import annotations

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
    return AREA_COLORS.get(area or "", NO_AREA_COLOR)


def area_label(area: str | None) -> str:
    return area if area else NO_AREA
