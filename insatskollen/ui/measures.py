"""Insatser's figures: the counts, the sortable list of measures, and one measure's detail (amounts, facts,
the readings beside them and the findings that involve it)."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import basis, fmt, theme
from insatskollen.core.filters import Filters
from insatskollen.ui import session

# the download's columns, in the page's words
DOWNLOAD_COLUMNS = {
    "measure_id": "Id",
    "title": "Insats",
    "municipality": "Kommun",
    "committee": "Nämnd",
    "primary_area": "Område",
    "allocated_sek": "Belopp per år (kr)",
    "requested_sek": "Äskat (kr)",
    "year_from": "Från år",
    "year_to": "Till år",
    "status": "Status",
    "source_title": "Källdokument",
    "case_number": "Dnr",
    "source_section": "Avsnitt",
}


def counts(filters: Filters) -> tuple[int, int]:
    """(measures and proposals, of them without an amount) in the filters."""
    per_area = session.query("measure_counts", filters)
    return int(per_area.measures.sum()), int(per_area.measures_without_amount.sum())


def count_metric(count: int, unknown: int) -> tuple[str, str, str]:
    """(label, value, help) of the count beside the list."""
    return "Insatser", fmt.number(count), f"{fmt.number(unknown)} av dem saknar belopp."


def shown_table(ordered: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: amounts and years in words, an unfunded proposal said as such."""
    return pd.DataFrame(
        {
            "Insats": ordered.title,
            "Kommun": ordered.municipality,
            "Nämnd": ordered.committee.fillna("–"),
            "Område": ordered.primary_area.map(theme.area_label),
            "Belopp per år": [
                basis.allocated_text(a, s) for a, s in zip(ordered.allocated_sek, ordered.status, strict=True)
            ],
            "Äskat": ordered.requested_sek.map(lambda v: "–" if pd.isna(v) else fmt.sek(v)),
            "År": [fmt.years(a, b) for a, b in zip(ordered.year_from, ordered.year_to, strict=True)],
            "Status": ordered.status,
        }
    )


def download_table(ordered: pd.DataFrame) -> pd.DataFrame:
    """The list as downloaded: numbers kept, the source named."""
    return ordered[list(DOWNLOAD_COLUMNS)].rename(columns=DOWNLOAD_COLUMNS)


def detail(measure_id: str):
    """The measure_detail row of a measure, or None when it is not in the data."""
    rows = session.query("measure_detail", measure_id=measure_id)
    return None if rows.empty else rows.iloc[0]


def detail_boxes(m) -> list[tuple]:
    """The big numbers of one measure: allocated, requested, years and status."""
    return [
        (
            "Föreslaget/beviljat per år",
            basis.allocated_text(m.allocated_sek, m.status),
            "Beloppet på insatsens fördelningsrad."
            if m.status != basis.UNFUNDED
            else "Dokumentet finansierar inte förslaget; det är inte ett okänt belopp.",
        ),
        (
            "Äskat",
            fmt.sek(m.requested_sek) if pd.notna(m.requested_sek) else "–",
            f"Dokumentets formulering: {m.requested_text}" if isinstance(m.requested_text, str) else None,
        ),
        ("År", fmt.years(m.year_from, m.year_to), None),
        ("Status", m.status, None),
    ]


def detail_notes(m) -> list[str]:
    """Beside the amount: where it is our reading of the document, and what the document says of itself."""
    return [basis.tolkning_text(note) for note in m.basis_notes] + [
        basis.document_text(note) for note in m.document_notes
    ]


def facts(m) -> list[tuple[str, str]]:
    """(label, value) of one measure: kommun, nämnd, areas, direction, places, funding."""
    committee_basis = basis.basis_label(m.committee_basis) if m.committee_basis == basis.READING else ""
    return [
        ("Kommun", m.municipality),
        (
            "Nämnd/förvaltning",
            (
                " / ".join(dict.fromkeys(x for x in [m.committee, m.administration] if isinstance(x, str)))
                + (f" ({committee_basis})" if committee_basis else "")
            )
            or "Anges inte i dokumentet",
        ),
        (
            "Primärt område",
            f"{theme.area_label(m.primary_area)} ({basis.basis_label(m.area_basis) or 'anges inte'})"
            if isinstance(m.primary_area, str)
            else theme.NO_AREA,
        ),
        ("Kopplas också till", ", ".join(m.secondary_areas) if len(m.secondary_areas) else "–"),
        ("Kommunens områdesnamn", m.area_label if isinstance(m.area_label, str) else "–"),
        ("Inriktning/dimension", m.direction if isinstance(m.direction, str) else "–"),
        ("Områden och platser", m.districts if isinstance(m.districts, str) else "Anges inte"),
        ("Finansiering", ", ".join(m.funding_sources) if len(m.funding_sources) else "–"),
    ]


def related_findings(measure_id: str) -> list:
    """The consistency findings that involve this measure."""
    return [f for f in session.findings().findings if measure_id in f.row_ids]
