"""Consistency findings: where the documents contradict themselves, frames are over- or
under-allocated, rules are broken, or amounts are unknown.

Findings are information for officials, not errors. Each names its source and the ids of the
rows involved, so the dashboard can link to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from insatskollen.core import fmt, headline, headline_tables, key_figures, rules, source_names
from insatskollen.core.filters import Filters
from insatskollen.core.headline import Headline
from insatskollen.core.schema import IMPORTED_DOCUMENT

DEVIATION = "avvikelse"
NOTICE = "upplysning"


@dataclass(frozen=True)
class Finding:
    severity: str  # DEVIATION or NOTICE
    category: str  # short Swedish heading
    municipality: str
    years: tuple[int, ...]
    subject: str  # the frame, measure or total concerned
    message: str
    sources: tuple[str, ...] = ()
    row_ids: tuple[str, ...] = ()  # allocation, measure or total ids involved
    # a recorded inconsistency (data/text_inconsistencies.csv): its id, shown by `check`, and a shorter
    # message for a slide (both quotes with their headings, without the explanation)
    finding_id: str = ""
    brief: str = ""
    frame_ids: tuple[str, ...] = ()  # the frames concerned; empty: every frame of the municipality and years

    @property
    def years_text(self) -> str:
        if not self.years:
            return ""
        ys = sorted(self.years)
        if ys == list(range(ys[0], ys[-1] + 1)):
            return fmt.years(ys[0], ys[-1])
        return ", ".join(str(y) for y in ys)


def concerns(municipality: str, years: tuple[int, ...], municipalities, chosen_years) -> bool:
    """Whether a finding (or a stated total) of `municipality` and `years` belongs to a selection of
    municipalities and years (empty: all). One tied to no year (a measure's cost items, a drawn model) belongs
    to every year of its municipality: the documents do not say which year it concerns, and leaving it out
    would hide it from every year's view."""
    if municipalities and municipality not in municipalities:
        return False
    return not chosen_years or not years or bool(set(years) & set(chosen_years))


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    totals_checked: int
    totals_matching: int
    data_version: str | None = None
    extra: dict = field(default_factory=dict)
    headline: Headline | None = None  # the headline figures for the filters checked
    # (municipality, years, matches) of every stated total checked, so a selection can count its own
    totals: tuple[tuple[str, tuple[int, ...], bool], ...] = ()

    @property
    def deviations(self) -> int:
        return sum(f.severity == DEVIATION for f in self.findings)

    def select(self, municipalities=(), years=()) -> Report:
        """The findings and stated totals of these municipalities and years (empty: all), by `concerns`:
        what `check --kommun --ar`, Datakvalitet and the deck's last slide show."""
        if not municipalities and not years:
            return self
        totals = tuple(t for t in self.totals if concerns(t[0], t[1], municipalities, years))
        return replace(
            self,
            findings=tuple(
                f for f in self.findings if concerns(f.municipality, f.years, municipalities, years)
            ),
            totals_checked=len(totals),
            totals_matching=sum(t[2] for t in totals),
            totals=totals,
        )


def _source(document, section) -> str:
    return f"{document}, ”{section}”"


def _imported_documents(documents: pd.DataFrame) -> dict[str, str]:
    """Each imported file's internal id -> how a reader knows it: 'Importerad fil gavle.csv, dnr KS 2025/0123,
    2026-12-06' (issue 23: an imported source is never shown by its id)."""
    out = {}
    for d in documents[documents.kind == IMPORTED_DOCUMENT].itertuples():
        case = f", dnr {d.case_number}" if isinstance(d.case_number, str) and d.case_number else ""
        out[d.document_id] = f"{d.title}{case}, {d.date}"
    return out


def _named(finding: Finding, names: dict[str, str]) -> Finding:
    """The finding with each imported file's id in its sources replaced by the file's name (see _source)."""
    sources = []
    for s in finding.sources:
        document, sep, section = s.partition(", ”")
        sources.append(f"{names[document]}{sep}{section}" if document in names else s)
    return replace(finding, sources=tuple(sources))


def _val(value):
    """A scalar from a DataFrame row, with pandas' missing markers turned into None."""
    return None if value is None or pd.isna(value) else value


def stated_total_findings(
    rows: pd.DataFrame,
) -> tuple[list[Finding], tuple[tuple[str, tuple[int, ...], bool], ...]]:
    """Compare each total a document states with the rows it covers. Returns the findings and, per total,
    (municipality, years, matches)."""
    findings, totals = [], []
    for r in rows.itertuples():
        actual, stated = _val(r.actual_sek), int(r.stated_amount_sek)
        stated_count, actual_count = _val(r.stated_count), _val(r.actual_count)
        subject = _total_subject(r)
        year = (int(r.year),) if _val(r.year) is not None else ()
        source = (_source(r.source_document, r.source_section),)
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
                frame_ids=_frames(getattr(r, "frame_id", None)),
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
        _val(r.frame_sek),
        _val(r.allocated_sek) or 0,
        int(r.lines),
        int(r.lines_without_amount),
        _val(getattr(r, "stated_sek", None)),
    )


def frame_balance_findings(rows: pd.DataFrame) -> list[Finding]:
    """Frames that are over- or under-allocated, have no amount, or have lines without amount."""
    findings = []
    for r in rows.itertuples():
        frame = _val(r.frame_sek)
        year = (int(r.year),)
        source = (_source(r.source_document, r.source_section),)
        known = tuple(r.known_ids) if _val_list(r.known_ids) else ()
        unknown = tuple(r.unknown_ids) if _val_list(r.unknown_ids) else ()
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
        unfunded = tuple(r.unfunded_ids) if _val_list(getattr(r, "unfunded_ids", None)) else ()
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
    if not _val_list(getattr(r, "unknown_sections", None)):
        return (), ""
    lines = list(zip(r.unknown_documents, r.unknown_sections, r.unknown_names, strict=True))
    places = tuple(dict.fromkeys(_source(d, s) for d, s, _ in lines if _val(s) is not None))
    # each line's place when they differ (an import's rows); one heading for all is said once, as the source
    one_place = len(lines) > 1 and len({s for _, s, _ in lines}) == 1
    named = [
        f"{n} ({s})" if _val(s) is not None and not one_place else str(n) for _, s, n in lines[:MAX_PLACES]
    ]
    rest = len(lines) - MAX_PLACES
    more = f" och {fmt.count_phrase(rest, 'rad', 'rader')} till" if rest > 0 else ""
    return places[:MAX_PLACES], f" Utan belopp: {'; '.join(named)}{more}."


def _frames(frame_id) -> tuple[str, ...]:
    return () if _val(frame_id) is None else (str(frame_id),)


def _val_list(value) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str) and len(value) > 0


ROUNDED = "Föreslaget belopp är avrundat enligt dokumentet"


def requested_allocated_findings(rows: pd.DataFrame) -> list[Finding]:
    """Proposed amounts that differ from the requested ones. Where the measure's document announces that
    it rounds the förvaltningarnas amounts (documents.csv, rounding_quote) and the proposed amount is the
    requested one rounded to the nearest hundred, thousand … kronor, the difference is that announced
    rounding (a notice quoting the document), not a deviation."""
    findings = []
    for r in rows.itertuples():
        quote = _val(getattr(r, "rounding_quote", None))
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
                        _source(r.source_document, r.source_section),
                        _source(r.source_document, r.rounding_section),
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
                (_source(r.source_document, r.source_section),),
                (r.measure_id,),
            )
        )
    return findings


def rule_findings(rows: pd.DataFrame) -> list[Finding]:
    findings = []
    untestable: dict[tuple, list] = {}
    for r in rows.itertuples():
        frame, allocated = _val(r.frame_sek), _val(r.allocated_sek)
        source = (_source(r.source_document, r.source_section),)
        year = (int(r.year),)
        if r.rule_kind == "medfinansiering":
            share = _val(r.min_pct)
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
        low, high = _val(r.min_pct), _val(r.max_pct)
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
                (_source(rs[0].source_document, rs[0].source_section),),
            )
        )
    return findings


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
                (_source(r.source_document, r.source_section),),
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
            dict.fromkeys((_source(r.document_a, r.section_a), _source(r.document_b, r.section_b)))
        )
        measure = _val(getattr(r, "measure_id", None))
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
                frame_ids=_frames(getattr(r, "frame_id", None)),
            )
        )
    return findings


def merge_years(findings: list[Finding]) -> list[Finding]:
    """Findings identical except for the year become one finding covering all those years."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.severity, f.category, f.municipality, f.subject, f.message, f.sources)
        if key in merged:
            prev = merged[key]
            merged[key] = replace(
                prev,
                years=tuple(sorted(set(prev.years) | set(f.years))),
                row_ids=tuple(dict.fromkeys(prev.row_ids + f.row_ids)),
                frame_ids=tuple(dict.fromkeys(prev.frame_ids + f.frame_ids)),
            )
        else:
            merged[key] = f
    order = {DEVIATION: 0, NOTICE: 1}
    return sorted(merged.values(), key=lambda f: (order[f.severity], f.municipality, f.years, f.category))


def replaced_findings(rows: pd.DataFrame) -> list[Finding]:
    """Bundled frame-years that an import replaced: the documents' lines are not shown while it stands."""
    findings = []
    for r in rows.itertuples():
        known = "" if pd.isna(r.amount_sek) else f", {fmt.sek(int(r.amount_sek))}"
        when = r.replaced_at.strftime("%Y-%m-%d") if pd.notna(r.replaced_at) else "okänt datum"
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
                (_source(r.source_document, _named_in(r.description)),),
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


def _with_frames(findings: list[Finding], rows: pd.DataFrame) -> list[Finding]:
    """Name the frame of each per-frame finding (its subject is the frame's funding source), so a deck of
    some of a municipality's frames lists only theirs."""
    frame_of: dict[tuple, tuple[str, ...]] = {}
    for r in rows.itertuples():
        key = (r.municipality, r.funding_source)
        frame_of[key] = tuple(dict.fromkeys((*frame_of.get(key, ()), r.frame_id)))
    return [replace(f, frame_ids=frame_of.get((f.municipality, f.subject), f.frame_ids)) for f in findings]


def run(db, filters: Filters | None = None) -> Report:
    """The findings for the data in `db` (a Database) of the filters' municipalities and years (default:
    everything; Report.select), and the headline figures for `filters`, computed by insatskollen.core.key_figures like
    Översikt and the deck."""
    filters = filters or Filters()
    total_rows = db.query("check_stated_totals")
    balance = db.query("check_frame_balance")
    stated, totals = stated_total_findings(total_rows)
    findings = (
        stated
        + _with_frames(frame_balance_findings(balance), balance)
        + requested_allocated_findings(db.query("check_requested_allocated"))
        + rule_findings(db.query("check_rules"))
        + model_findings(db.query("check_model_cells"))
        + replaced_findings(db.query("replaced_frame_years"))
        + text_findings(db.query("check_text_inconsistencies"))
        + source_name_findings(db.query("check_funding_source_names"))
    )
    names = _imported_documents(db.query("documents"))
    findings = [_named(f, names) for f in findings]
    head = headline.headline(db, filters)
    report = Report(
        tuple(merge_years(findings)),
        len(totals),
        sum(t[2] for t in totals),
        db.built_version(),
        headline=head,
        totals=totals,
    )
    return report.select(filters.municipalities, filters.years)


def render(report: Report) -> str:
    """The report as plain Swedish text for the terminal."""
    n = len(report.findings)
    lines = [
        f"Kontroll av data (version {report.data_version})",
        f"{fmt.count_phrase(n, 'iakttagelse', 'iakttagelser')}: "
        f"{fmt.count_phrase(report.deviations, 'avvikelse', 'avvikelser')}, "
        f"{fmt.count_phrase(n - report.deviations, 'upplysning', 'upplysningar')}.",
        f"{report.totals_matching} av {report.totals_checked} summor som dokumenten anger stämmer med raderna.",
    ]
    if report.headline is not None and not report.headline.frame_years:
        lines += ["", "Nyckeltal (samma definition som Översikt och presentationen):"]
        lines += ["  Inga ramar eller rader för urvalet."]
    elif report.headline is not None:
        lines += ["", "Nyckeltal (samma definition som Översikt och presentationen):"]
        lines += [f"  {t}" for t in headline_tables.key_figure_lines(report.headline)]
        lines += [f"  {t}" for t in report.headline.balance_sentences(fmt.sek)]
        lines += [f"  {t}" for t in (report.headline.unknown_text(),) if t]
    for f in report.findings:
        when = f" {f.years_text}" if f.years else ""
        lines += [
            "",
            f"{f.severity.upper()} · {f.municipality}{when} · {f.category}",
            f"  {f.subject}: {f.message}",
        ]
        lines += [f"  Källa: {s}" for s in f.sources]
        if f.finding_id:
            lines.append(f"  Id: {f.finding_id}")
    return "\n".join(lines)
