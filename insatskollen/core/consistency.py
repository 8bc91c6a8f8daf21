"""The consistency check: every finding about the data (insatskollen.core.money_findings and text_findings) for a
selection of municipalities and years, with the headline figures, as a Report for Datakvalitet, the deck's last
slide and `python -m insatskollen check`, and as plain Swedish text for the terminal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from insatskollen.core import fmt, headline, headline_tables, money_findings, text_findings
from insatskollen.core.filters import Filters
from insatskollen.core.findings import DEVIATION, Finding, concerns, merge_years
from insatskollen.core.headline import Headline
from insatskollen.core.schema import IMPORTED_DOCUMENT


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


def _imported_documents(documents: pd.DataFrame) -> dict[str, str]:
    """Each imported file's internal id -> how a reader knows it: 'Importerad fil gavle.csv, dnr KS 2025/0123,
    2026-12-06' (issue 23: an imported source is never shown by its id)."""
    out = {}
    for d in documents[documents.kind == IMPORTED_DOCUMENT].itertuples():
        case = f", dnr {d.case_number}" if isinstance(d.case_number, str) and d.case_number else ""
        out[d.document_id] = f"{d.title}{case}, {d.date}"
    return out


def _named(finding: Finding, names: dict[str, str]) -> Finding:
    """The finding with each imported file's id in its sources replaced by the file's name (see findings.source_text)."""
    sources = []
    for s in finding.sources:
        document, sep, section = s.partition(", ”")
        sources.append(f"{names[document]}{sep}{section}" if document in names else s)
    return replace(finding, sources=tuple(sources))


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
    everything; Report.select), and the headline figures for `filters`, computed by insatskollen.core.headline like
    Översikt and the deck."""
    filters = filters or Filters()
    total_rows = db.query("check_stated_totals")
    balance = db.query("check_frame_balance")
    stated, totals = money_findings.stated_total_findings(total_rows)
    findings = (
        stated
        + _with_frames(money_findings.frame_balance_findings(balance), balance)
        + money_findings.requested_allocated_findings(db.query("check_requested_allocated"))
        + money_findings.rule_findings(db.query("check_rules"))
        + text_findings.model_findings(db.query("check_model_cells"))
        + text_findings.replaced_findings(db.query("replaced_frame_years"))
        + text_findings.text_findings(db.query("check_text_inconsistencies"))
        + text_findings.source_name_findings(db.query("check_funding_source_names"))
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
