"""Findings about the documents' words and what stands beside them: a document contradicting itself in its text,
a drawn model missing directions, bundled frame-years an import replaced, and an imported funding source whose name
is a near miss of a known one."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, source_names
from insatskollen.core.findings import DEVIATION, NOTICE, Finding, frame_ids_of, source_text
from insatskollen.core.na import missing, or_none


def model_findings(rows: pd.DataFrame) -> list[Finding]:
    findings = []
    for r in rows.itertuples():
        findings.append(
            Finding(
                NOTICE,
                "Modellen är ofullständigt återgiven",
                r.municipality,
                (),
                "Aktivitetsmodell",
                f"Dokumentet anger {int(r.directions)} inriktningar men modelltabellen visar bara "
                f"{int(r.drawn)}: {r.drawn_list}.",
                (source_text(r.source_document, r.source_section),),
            )
        )
    return findings


TEXT_CATEGORY = "Dokumentets text är motsägelsefull"


def text_findings(rows: pd.DataFrame) -> list[Finding]:
    """Places where a document's wording contradicts itself or another document of the same case,
    recorded in data/text_inconsistencies.csv with both exact quotes and their headings."""
    findings = []
    for r in rows.itertuples():
        sources = tuple(
            dict.fromkeys((source_text(r.document_a, r.section_a), source_text(r.document_b, r.section_b)))
        )
        measure = or_none(getattr(r, "measure_id", None))
        findings.append(
            Finding(
                DEVIATION,
                TEXT_CATEGORY,
                r.municipality,
                tuple(range(int(r.year_from), int(r.year_to) + 1)),
                r.subject,
                f"Under ”{r.section_a}” står ”{r.quote_a}”; under ”{r.section_b}” står ”{r.quote_b}”. "
                f"{r.message}",
                sources,
                () if measure is None else (str(measure),),
                finding_id=r.inconsistency_id,
                brief=f"”{r.quote_a}” ({r.section_a}) mot ”{r.quote_b}” ({r.section_b}).",
                frame_ids=frame_ids_of(getattr(r, "frame_id", None)),
            )
        )
    return findings


def replaced_findings(rows: pd.DataFrame) -> list[Finding]:
    """Bundled frame-years that an import replaced: the documents' lines are not shown while it stands."""
    findings = []
    for r in rows.itertuples():
        known = "" if missing(r.amount_sek) else f", {fmt.sek(int(r.amount_sek))}"
        when = r.replaced_at.strftime("%Y-%m-%d") if not missing(r.replaced_at) else "okänt datum"
        findings.append(
            Finding(
                NOTICE,
                "Ersatt av import",
                r.municipality,
                (int(r.year),),
                r.funding_source,
                f"Källdokumentens {fmt.count_phrase(int(r.lines), 'rad', 'rader')}{known} är ersatta av "
                f"importen av {r.file} ({when}). De visas igen om importen ångras.",
                (),
                tuple(r.allocation_ids) if r.allocation_ids is not None else (),
            )
        )
    return findings


SOURCE_NAME_CATEGORY = "Finansieringskällans namn liknar en känd källa"


def source_name_findings(rows: pd.DataFrame) -> list[Finding]:
    """An imported funding source whose name is a near miss of a bundled one ("Statsbidrag Delmo"): shown
    as its own source, as typed, with "Menade du …?" (source_names.near_bundled_source, as the import's
    preview says it). rows: the check_funding_source_names query."""
    findings = []
    for r in rows.itertuples():
        near = source_names.near_bundled_source(r.funding_source, list(r.bundled))
        if near is None:
            continue
        findings.append(
            Finding(
                NOTICE,
                SOURCE_NAME_CATEGORY,
                r.municipality,
                tuple(int(y) for y in r.years),
                r.funding_source,
                f"”{r.funding_source}” är inte en av de kända finansieringskällorna och visas som en egen "
                f"källa. Menade du ”{near}”? Rätta namnet i filen och importera den igen om det är samma "
                "pengar.",
                (source_text(r.source_document, _named_in(r.description)),),
                frame_ids=tuple(r.frame_ids),
            )
        )
    return findings


def _named_in(description) -> str:
    """The cells an imported source was named in ('gävle.csv rad 6, kolumn C (Finansieringskälla)'), from the
    description the import gives it."""
    text = str(description or "")
    prefix = "Egen finansieringskälla, namngiven i "
    return text.removeprefix(prefix) if text.startswith(prefix) else "kolumnen Finansieringskälla"
