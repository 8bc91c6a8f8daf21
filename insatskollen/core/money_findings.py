"""Findings about the documents' money: stated totals against their rows, each frame-year's balance by the one
rule (insatskollen.core.key_figures.Balance), proposed against requested amounts, and the frames' rules."""

from __future__ import annotations

import pandas as pd

from insatskollen.core import fmt, key_figures, rules
from insatskollen.core.findings import DEVIATION, NOTICE, Finding, frame_ids_of, has_items, source_text
from insatskollen.core.na import or_none


def stated_total_findings(
    rows: pd.DataFrame,
) -> tuple[list[Finding], tuple[tuple[str, tuple[int, ...], bool], ...]]:
    """Compare each total a document states with the rows it covers. Returns the findings and, per total,
    (municipality, years, matches)."""
    findings, totals = [], []
    for r in rows.itertuples():
        actual, stated = or_none(r.actual_sek), int(r.stated_amount_sek)
        stated_count, actual_count = or_none(r.stated_count), or_none(r.actual_count)
        subject = _total_subject(r)
        year = (int(r.year),) if or_none(r.year) is not None else ()
        source = (source_text(r.source_document, r.source_section),)
        matches = actual == stated and (stated_count is None or stated_count == actual_count)
        totals.append((r.municipality, year, matches))
        if matches:
            continue
        if actual is None:
            message = f"Dokumentet anger ”{r.stated_text}” men raderna saknar belopp."
        elif actual != stated:
            what = "kostnadsposterna" if r.scope == "insats_kostnad" else "raderna"
            if r.scope == "ram_att_disponera":
                what = "ramen"
            message = (
                f"Dokumentet anger ”{r.stated_text}”, men {what} summerar till {fmt.sek(actual)} "
                f"({fmt.signed_sek(actual - stated)} mot dokumentets summa)."
            )
            if r.items_without_amount:
                message += (
                    f" {fmt.count_phrase(int(r.items_without_amount), 'post', 'poster')} saknar belopp."
                )
        else:
            message = (
                f"Dokumentet anger {int(stated_count)} rader (”{r.stated_text}”), "
                f"men {int(actual_count)} rader har belopp."
            )
        findings.append(
            Finding(
                DEVIATION,
                "Dokumentets summa stämmer inte med raderna",
                r.municipality,
                year,
                subject,
                message,
                source,
                (r.total_id,),
                frame_ids=frame_ids_of(getattr(r, "frame_id", None)),
            )
        )
    return findings, tuple(totals)


def _total_subject(r) -> str:
    if r.scope == "insats_kostnad":
        return f"Insats: {r.measure}"
    if r.scope == "område":
        return f"{r.funding_source}, område {r.priority_area}"
    if r.scope == "nämnd":
        return f"{r.funding_source}, {r.decision_label or r.committee}"
    return f"{r.funding_source}"


_BALANCE_FINDINGS = {
    key_figures.OVER_ALLOCATED: "Fördelningen överskrider ramen",
    key_figures.CONTRADICTION: "Motsägelse i dokumentet",
    key_figures.UNALLOCATED: "Ramen är inte fullt fördelad",
    key_figures.PARTLY_KNOWN: "Fördelningen är delvis känd",
}


def _balance(r) -> key_figures.Balance:
    return key_figures.Balance(
        or_none(r.frame_sek),
        or_none(r.allocated_sek) or 0,
        int(r.lines),
        int(r.lines_without_amount),
        or_none(getattr(r, "stated_sek", None)),
    )


def frame_balance_findings(rows: pd.DataFrame) -> list[Finding]:
    """Frames that are over- or under-allocated, have no amount, or have lines without amount."""
    findings = []
    for r in rows.itertuples():
        frame = or_none(r.frame_sek)
        year = (int(r.year),)
        source = (source_text(r.source_document, r.source_section),)
        known = tuple(r.known_ids) if has_items(r.known_ids) else ()
        unknown = tuple(r.unknown_ids) if has_items(r.unknown_ids) else ()
        subject = r.funding_source
        if frame is None:
            findings.append(
                Finding(
                    NOTICE,
                    "Ramens belopp är okänt",
                    r.municipality,
                    year,
                    subject,
                    "Dokumentet anger inget belopp för ramen.",
                    source,
                    unknown,
                )
            )
        elif category := _BALANCE_FINDINGS.get((balance := _balance(r)).state):
            # the one rule (insatskollen.core.key_figures): an overrun, a document contradicting itself, free money,
            # known and unknown lines ("minst … fördelat, högst … kvar")
            severity = DEVIATION
            if balance.state == key_figures.PARTLY_KNOWN and not balance.over_allocated_sek:
                severity = NOTICE
            elif balance.state == key_figures.PARTLY_KNOWN:
                category = _BALANCE_FINDINGS[key_figures.OVER_ALLOCATED]
            ids = unknown if severity == NOTICE else known
            findings.append(
                Finding(severity, category, r.municipality, year, subject, balance.text(fmt.sek), source, ids)
            )
        elif int(r.lines) == 0:
            findings.append(
                Finding(
                    NOTICE,
                    "Ramen saknar fördelning",
                    r.municipality,
                    year,
                    subject,
                    f"Ingen rad i dokumentet fördelar ramen på {fmt.sek(frame)} per år.",
                    source,
                )
            )
        unfunded = tuple(r.unfunded_ids) if has_items(getattr(r, "unfunded_ids", None)) else ()
        if unfunded:
            findings.append(
                Finding(
                    NOTICE,
                    "Förslag utan finansiering",
                    r.municipality,
                    year,
                    subject,
                    f"{fmt.count_phrase(len(unfunded), 'förslag', 'förslag')} nämns i dokumentet utan finansiering; "
                    "de ingår inte i fördelningen av ramen.",
                    source,
                    unfunded,
                )
            )
        if int(r.lines_without_amount):
            n = int(r.lines_without_amount)
            places, where = _unknown_places(r)
            findings.append(
                Finding(
                    NOTICE,
                    "Rader utan belopp",
                    r.municipality,
                    year,
                    subject,
                    f"{fmt.count_phrase(n, 'rad saknar', 'rader saknar')} belopp i "
                    f"{'filen' if unknown and all(i.startswith('imp-') for i in unknown) else 'dokumentet'}; "
                    f"{'den räknas som okänd' if n == 1 else 'de räknas som okända'}, inte som noll.{where}",
                    places or source,
                    unknown,
                )
            )
    return findings


MAX_PLACES = 10  # lines without amount named in a finding; the rest are counted (all are in its rows)


def _unknown_places(r) -> tuple[tuple[str, ...], str]:
    """The sources of a frame's lines without amount (an imported line's is its own cell, 'gävle.csv rad 3,
    kolumn H (Belopp (kr))', not the frame's Ram column) and a sentence naming each line with its place."""
    if not has_items(getattr(r, "unknown_sections", None)):
        return (), ""
    lines = list(zip(r.unknown_documents, r.unknown_sections, r.unknown_names, strict=True))
    places = tuple(dict.fromkeys(source_text(d, s) for d, s, _ in lines if or_none(s) is not None))
    # each line's place when they differ (an import's rows); one heading for all is said once, as the source
    one_place = len(lines) > 1 and len({s for _, s, _ in lines}) == 1
    named = [
        f"{n} ({s})" if or_none(s) is not None and not one_place else str(n) for _, s, n in lines[:MAX_PLACES]
    ]
    rest = len(lines) - MAX_PLACES
    more = f" och {fmt.count_phrase(rest, 'rad', 'rader')} till" if rest > 0 else ""
    return places[:MAX_PLACES], f" Utan belopp: {'; '.join(named)}{more}."


ROUNDED = "Föreslaget belopp är avrundat enligt dokumentet"


def requested_allocated_findings(rows: pd.DataFrame) -> list[Finding]:
    """Proposed amounts that differ from the requested ones. Where the measure's document announces that
    it rounds the förvaltningarnas amounts (documents.csv, rounding_quote) and the proposed amount is the
    requested one rounded to the nearest hundred, thousand … kronor, the difference is that announced
    rounding (a notice quoting the document), not a deviation."""
    findings = []
    for r in rows.itertuples():
        quote = or_none(getattr(r, "rounding_quote", None))
        unit = rules.rounding_unit(int(r.requested_sek), int(r.allocated_sek)) if quote else None
        if unit:
            findings.append(
                Finding(
                    NOTICE,
                    ROUNDED,
                    r.municipality,
                    tuple(range(int(r.year_from), int(r.year_to) + 1)),
                    f"Insats: {r.title}",
                    f"Äskat {fmt.sek(r.requested_sek)} (”{r.requested_text}”), föreslaget "
                    f"{fmt.sek(r.allocated_sek)} ({fmt.signed_sek(r.difference_sek)}): avrundat till närmaste "
                    f"{rules.ROUNDING_UNITS[unit]} kronor, som dokumentet självt anger under "
                    f"”{r.rounding_section}”: ”{quote}”. Ingen avvikelse.",
                    (
                        source_text(r.source_document, r.source_section),
                        source_text(r.source_document, r.rounding_section),
                    ),
                    (r.measure_id,),
                )
            )
            continue
        higher = r.difference_sek > 0
        findings.append(
            Finding(
                DEVIATION if higher else NOTICE,
                "Föreslaget belopp är högre än det äskade"
                if higher
                else "Föreslaget belopp är lägre än det äskade",
                r.municipality,
                tuple(range(int(r.year_from), int(r.year_to) + 1)),
                f"Insats: {r.title}",
                f"Äskat {fmt.sek(r.requested_sek)} (”{r.requested_text}”), föreslaget {fmt.sek(r.allocated_sek)} "
                f"({fmt.signed_sek(r.difference_sek)}).",
                (source_text(r.source_document, r.source_section),),
                (r.measure_id,),
            )
        )
    return findings


def rule_findings(rows: pd.DataFrame) -> list[Finding]:
    findings = []
    untestable: dict[tuple, list] = {}
    for r in rows.itertuples():
        frame, allocated = or_none(r.frame_sek), or_none(r.allocated_sek)
        source = (source_text(r.source_document, r.source_section),)
        year = (int(r.year),)
        if r.rule_kind == "medfinansiering":
            share = or_none(r.min_pct)
            own = rules.required_co_financing(None if frame is None else int(frame), share)
            findings.append(
                Finding(
                    NOTICE,
                    "Medfinansiering krävs",
                    r.municipality,
                    year,
                    r.funding_source,
                    f"Ramen kräver minst {fmt.pct_points(share)} medfinansiering: {fmt.sek(own)} per år i "
                    "egna medel. Dokumentet anger inget belopp för den egna insatsen.",
                    source,
                )
            )
            continue
        low, high = or_none(r.min_pct), or_none(r.max_pct)
        result = rules.interval(
            None if allocated is None else int(allocated), None if frame is None else int(frame), low, high
        )
        if result.status == rules.UNKNOWN:
            untestable.setdefault((r.municipality, r.funding_source, r.frame_id), []).append(r)
            continue
        if result.status in (rules.UNDER, rules.OVER):
            gap = (
                f"{fmt.sek(result.missing)} under intervallet"
                if result.status == rules.UNDER
                else f"{fmt.sek(result.excess)} över intervallet"
            )
            findings.append(
                Finding(
                    DEVIATION,
                    "Finansieringsintervall bryts",
                    r.municipality,
                    year,
                    r.funding_source,
                    f"{r.budget_line}: {rules.share_text(result)} av ramen ({fmt.sek(allocated)}), "
                    f"tillåtet {fmt.pct_points(low)}–{fmt.pct_points(high)}: {gap}.",
                    source,
                )
            )
    for (municipality, funding_source, _frame), rs in untestable.items():
        lines = sorted({r.budget_line for r in rs})
        year_set = tuple(sorted({int(r.year) for r in rs}))
        findings.append(
            Finding(
                NOTICE,
                "Regler kan inte prövas",
                municipality,
                year_set,
                funding_source,
                f"Finansieringsintervallen för {fmt.count_phrase(len(lines), 'budgetrad', 'budgetrader')} "
                f"({', '.join(lines)}) kan inte prövas eftersom dokumentet inte anger några belopp per område.",
                (source_text(rs[0].source_document, rs[0].source_section),),
            )
        )
    return findings
