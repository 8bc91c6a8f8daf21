"""The yearly report (återrapportering, issue 15 item 5) of one frame-year as data: the official's draft
paragraph, the measures, the totals per area and nämnd, the document indicators, the imported Kolada values and
the sources. Built from the `follow_up` rows of the frame-year (queries/follow_up_frame_year.sql), the
municipality's document indicators (queries/indicators.sql) and the document list (queries/documents.sql).
The files are insatskollen.export.follow_up_report's (Word and Excel).

Indicators: those the municipality's documents name (data/indicators.csv), tied to the measure itself or
its priority area; and, when imported, the measured Kolada values of the municipality and Riket up to the
report's year (queries/indicator_series.sql), marked "Källa: Kolada" and with the no-causality sentence.

Totals (one rule, as Nyckeltal's *fördelat*): a total is the sum of the known amounts; with every amount
known it is that sum; with some unknown it is "minst X kr" (amounts are never negative, so the known sum is
a lower bound) and the unknown ones are counted; with none known it is "okänt", never 0. A total deviation
is summed only over the measures where both granted and spent are known, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from insatskollen.core import fmt, follow_up, key_figures, plan_chain, theme
from insatskollen.core.follow_up import PAGE_FILE
from insatskollen.core.schema import IMPORTED_DOCUMENT

DRAFT_MARK = "Utkast – redigera"
DRAFT_NOTE = f"{DRAFT_MARK}: texten är skapad ur raderna nedan och har inte redigerats av en handläggare."
TOTAL_LABEL = "Totalt"
STATUSES = ("genomförd", "pågår", "ej påbörjad", "avbruten", "ingen rapport")
TOTALS_RULE = (
    "Summor är summan av de kända beloppen. Är något belopp okänt står det ”minst” och hur många "
    "insatser som saknar belopp; är inget belopp känt står det ”okänt”, aldrig 0. Avvikelsen summeras "
    "bara över insatser där både beviljat och utfall är kända."
)
INDICATOR_NOTE = (
    "Indikatorerna är de som kommunens egna dokument anger för insatsen eller dess område. Uppmätta värden "
    "står under Nyckeltal från Kolada när sådana är importerade."
)
MEASURED_NOTE = (
    "Källa: Kolada (importerad fil, se kolumnen Fil). Kommunens värden och rikets, till och med rapportåret. "
    "Ett tomt värde är okänt, inte noll. Siffrorna visar inget orsakssamband mellan insatserna och utvecklingen."
)
INDICATORS = "Indikatorer (styrdokument)"
# the measures' table: the follow-up columns as the Uppföljning page shows them, then where each comes from
MEASURE_COLUMNS = [*follow_up.MEASURE_COLUMNS, INDICATORS, "Källa beviljat", "Källa rapport"]
MEASURED_COLUMNS = [
    "Nyckeltal-id",
    "Nyckeltal",
    "Område (vår tolkning)",
    "Kommun",
    "År",
    "Värde",
    "Status",
    "Fil",
]


@dataclass(frozen=True)
class YearlyReport:
    """Everything the Word and Excel files show; the tables have Swedish column names and amounts in
    whole kronor (None when unknown)."""

    municipality: str
    year: int
    funding_source: str
    frame_id: str
    created: date
    draft: str
    measures: pd.DataFrame
    by_area: pd.DataFrame
    by_committee: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    measured: pd.DataFrame = field(default_factory=pd.DataFrame)  # imported Kolada values (see _measured)
    plan: pd.DataFrame = field(default_factory=pd.DataFrame)  # the plan chain (plan_chain.table), if any
    plan_summary: str = ""  # where the chain breaks (plan_chain.flag_summary)

    @property
    def title(self) -> str:
        return f"Återrapportering {self.municipality} {self.year}"


def missing(value) -> bool:
    """None, NaN or NaT: an unknown value (a date or a text is known)."""
    return value is None or value is pd.NaT or (not isinstance(value, str | date) and pd.isna(value))


def _int(value) -> int | None:
    return None if missing(value) else int(value)


def _text(value) -> str | None:
    return None if missing(value) else str(value)


def total_text(amount: int | None, unknown: int) -> str:
    """The total rule in words: 1 500 000 kr; minst 1 500 000 kr (2 insatser med okänt belopp); okänt."""
    return key_figures.total_text(None if missing(amount) else amount, unknown)


def _status_counts(rows: pd.DataFrame) -> dict[str, int]:
    return {s: int((rows.status == s).sum()) for s in STATUSES}


def draft_paragraph(rows: pd.DataFrame, balance: key_figures.Balance | None = None) -> str:
    """The paragraph the official edits: counts and sums taken from the rows, nothing else; with `balance`
    (the frame-year's frame against its lines) the headline rule's sentence about the frame."""
    first = rows.iloc[0]
    granted = key_figures.known_sum(rows.granted_sek)
    spent = key_figures.known_sum(rows.spent_sek)
    counts = _status_counts(rows)
    both = rows[rows.granted_sek.notna() & rows.spent_sek.notna()]
    text = (
        f"Återrapporteringen för {first.municipality} {int(first.year)} ({first.funding_source}) omfattar "
        f"{fmt.count_phrase(len(rows), 'insats', 'insatser')}. Beviljat belopp är sammanlagt "
        f"{total_text(granted, int(rows.granted_sek.isna().sum()))}. "
    )
    if balance is not None and balance.frame_sek is not None:
        text += f"Ramen är {fmt.sek(balance.frame_sek)}: {balance.clause(fmt.sek)} "
    if counts["ingen rapport"] == len(rows):
        return (
            text + "Ingen uppföljningsrapport är inläst: utfall och genomförande är okända för alla insatser."
        )
    text += (
        f"Utfallet enligt de inlästa "
        f"uppföljningsrapporterna är {total_text(spent, int(rows.spent_sek.isna().sum()))}. "
        f"{fmt.count_phrase(counts['genomförd'], 'insats är genomförd', 'insatser är genomförda')}, "
        f"{fmt.number(counts['pågår'])} pågår, {fmt.number(counts['ej påbörjad'])} har inte påbörjats och "
        f"{fmt.number(counts['avbruten'])} har avbrutits; "
        f"{fmt.count_phrase(counts['ingen rapport'], 'insats saknar', 'insatser saknar')} rapport."
    )
    if len(both):
        deviation = int(both.deviation_sek.sum())
        direction = "mer" if deviation > 0 else "mindre"
        text += (
            f" För de {fmt.count_phrase(len(both), 'insats', 'insatser')} där både beviljat och utfall är kända "
            + (
                "är utfallet lika med beviljat."
                if deviation == 0
                else f"är utfallet {fmt.sek(abs(deviation))} {direction} än beviljat."
            )
        )
    return text


def _measure_indicators(row, indicators: pd.DataFrame) -> str:
    """The document indicators for one measure: named for it, or for its priority area."""
    if indicators.empty:
        return ""
    own = indicators.measure.eq(row.measure)
    area = indicators.measure.isna() & indicators.priority_area.eq(row.priority_area)
    return "; ".join(dict.fromkeys(indicators[own | area].indicator))


def _measures(rows: pd.DataFrame, indicators: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    out = []
    for r in follow_up.with_flags(rows).itertuples():
        out.append(
            {
                "Insats": r.measure,
                "Flaggor": ", ".join(r.flag_names)
                or None,  # as the Uppföljning page: Överskriden, Efter plan
                "Nämnd": _text(r.committee) or theme.NO_COMMITTEE,
                "Område": theme.area_label(r.priority_area),
                "Beviljat (kr)": _int(r.granted_sek),
                "Utfall (kr)": _int(r.spent_sek),
                "Avvikelse (kr)": _int(r.deviation_sek),
                "Genomförande": r.status,
                "Datum": None if missing(r.status_date) else pd.Timestamp(r.status_date).date(),
                "Resultat": _text(r.result),
                INDICATORS: _measure_indicators(r, indicators) or None,
                "Källa beviljat": granted_source(r, titles),
                "Källa rapport": _report_source(r),
            }
        )
    return pd.DataFrame(out, columns=MEASURE_COLUMNS)


def granted_source(r, titles: dict[str, str]) -> str | None:
    """'section (dnr)'; the dnr once when the section already says it (an imported file's Källa column);
    a document without a dnr by its title, never its internal id."""
    if missing(r.granted_document):
        return None
    case = _text(r.granted_case_number)
    if case and case in str(r.granted_section):
        return str(r.granted_section)
    return f"{r.granted_section} ({case or titles.get(r.granted_document, r.granted_document)})"


def _report_place(file: str, lines) -> str:
    """'rad 2, 3, 4' of an imported file; nothing for a report typed on the page (its 'rad 2' is ours)."""
    if file == PAGE_FILE:
        return "ifylld på sidan"
    return "rad " + ", ".join(str(int(n)) for n in sorted(lines))


def _report_source(r) -> str | None:
    if missing(r.report_file):
        return None
    where = "" if r.report_file == PAGE_FILE else f" rad {int(r.report_line)}"
    return f"{r.report_file}{where}, {r.reported_by} {fmt.swedish_time(r.reported_at)}"


def _named(part: pd.DataFrame, lines: bool = False) -> str:
    """The measures a source covers, by name ('Läxhjälp i Sätra (rad 3); Språkcafé (rad 5)'), so that a
    source list of one line per report still says which measure each is about."""
    names = []
    for r in part.sort_values("report_line" if lines else "measure").itertuples():
        line = f" (rad {int(r.report_line)})" if lines and not missing(r.report_line) else ""
        names.append(f"{r.measure}{line}")
    return "; ".join(dict.fromkeys(names))


def _totals(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """follow_up.summary per area or nämnd, a Totalt row, and the totals in words."""
    table = follow_up.summary(rows, by)
    label = table.columns[0]
    grand = follow_up.summary(rows.assign(_all=TOTAL_LABEL), "_all").rename(columns={"Nämnd": label})
    table = pd.concat([table, grand], ignore_index=True)
    name_of = theme.area_label if by == "priority_area" else theme.committee_label  # as summary
    groups = rows[by].map(name_of)
    both = rows.granted_sek.notna() & rows.spent_sek.notna()
    deviation = []
    for name in table[label]:
        part = rows[both] if name == TOTAL_LABEL else rows[both & groups.eq(name)]
        deviation.append(key_figures.known_sum(part.deviation_sek))
    table.insert(table.columns.get_loc("Utfall okänt") + 1, "Avvikelse där båda är kända (kr)", deviation)
    table.insert(
        table.columns.get_loc("Beviljat (kr)") + 1,
        "Beviljat",
        [total_text(a, u) for a, u in zip(table["Beviljat (kr)"], table["Beviljat okänt"], strict=True)],
    )
    table.insert(
        table.columns.get_loc("Utfall (kr)") + 1,
        "Utfall",
        [total_text(a, u) for a, u in zip(table["Utfall (kr)"], table["Utfall okänt"], strict=True)],
    )
    for column in ("Beviljat (kr)", "Utfall (kr)", "Avvikelse där båda är kända (kr)"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    return table


SOURCE_COLUMNS = [
    "Gäller",
    "Källa",
    "Fil",
    "Avsnitt eller rader",
    "Dnr",
    "Av",
    "När",
    "Insatser",
    "Insatsernas namn",
]


def _sources(rows: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Where the numbers come from: documents and sections for granted; import files, lines, who and when
    for the reported values."""
    titles = dict(zip(documents.document_id, documents.title, strict=True)) if len(documents) else {}
    # an imported file is named by its file name and import date, never by its internal id (issue 23)
    imported = {
        d.document_id: (str(d.title).removeprefix(f"{IMPORTED_DOCUMENT} "), str(d.date))
        for d in documents.itertuples()
        if d.kind == IMPORTED_DOCUMENT
    }
    out = []
    granted = rows[rows.granted_document.notna()]
    for (document, section), part in granted.groupby(["granted_document", "granted_section"], sort=True):
        case = next((c for c in part.granted_case_number if not missing(c)), None)
        out.append(
            {
                "Gäller": "Beviljat",
                "Källa": titles.get(document, document),
                "Fil": imported[document][0] if document in imported else document,
                "Avsnitt eller rader": section,
                "Dnr": case,
                "Av": None,
                "När": imported[document][1] if document in imported else None,
                "Insatser": len(part),
                "Insatsernas namn": _named(part),
            }
        )
    reported = rows[rows.report_file.notna()]
    for (file, who, at), part in reported.groupby(["report_file", "reported_by", "reported_at"], sort=True):
        out.append(
            {
                "Gäller": "Utfall, genomförande och resultat",
                "Källa": "Ifylld på Uppföljningssidan" if file == PAGE_FILE else "Importerad uppföljningsfil",
                "Fil": file,
                "Avsnitt eller rader": _report_place(file, part.report_line),
                "Dnr": None,
                "Av": who,
                "När": fmt.swedish_time(at),
                "Insatser": len(part),
                "Insatsernas namn": _named(part, lines=file != PAGE_FILE),
            }
        )
    return pd.DataFrame(out, columns=SOURCE_COLUMNS)


def _indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    if indicators.empty:
        return pd.DataFrame(columns=["Område", "Insats", "Mål", "Indikator", "Källa", "Avsnitt"])
    return pd.DataFrame(
        {
            "Område": [
                theme.area_label(a) if not missing(a) else lbl
                for a, lbl in zip(indicators.priority_area, indicators.area_label, strict=True)
            ],
            "Insats": [_text(m) for m in indicators.measure],
            "Mål": [_text(g) for g in indicators.goal],
            "Indikator": list(indicators.indicator),
            "Källa": list(indicators.source_document),
            "Avsnitt": list(indicators.source_section),
        }
    )


def _measured(series: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The municipality's and Riket's imported Kolada values up to the report's year (the indicator_series
    query: one KPI's series per municipality), as a table; an unknown value stays empty."""
    if series is None or series.empty:
        return pd.DataFrame(columns=MEASURED_COLUMNS)
    shown = series[series.role.isin(["kommunen", "riket"]) & (series.year <= year)]
    return pd.DataFrame(
        {
            "Nyckeltal-id": list(shown.kpi_id),
            "Nyckeltal": list(shown.kpi_title),
            "Område (vår tolkning)": [_text(a) for a in shown.priority_area],
            "Kommun": list(shown.municipality),
            "År": [int(y) for y in shown.year],
            "Värde": [None if missing(v) else float(v) for v in shown.value],
            "Status": [_text(x) for x in shown.status],
            "Fil": [_text(x) for x in shown.source],
        }
    )


def build(
    rows: pd.DataFrame,
    indicators: pd.DataFrame,
    documents: pd.DataFrame,
    created: date,
    series: pd.DataFrame | None = None,
    balance: key_figures.Balance | None = None,
    plan: pd.DataFrame | None = None,
) -> YearlyReport:
    """The report of one frame-year from its follow_up rows (at least one); `balance` is the frame-year's
    frame against its lines (insatskollen.core.key_figures), said in the draft; `plan` the municipality's
    plan_chain rows (issue 26), its section "Från lägesbild till resultat"."""
    if rows.empty:
        raise ValueError("a yearly report needs the rows of one frame-year")
    first = rows.iloc[0]
    chain = plan_chain.areas(plan) if plan is not None and len(plan) else []
    return YearlyReport(
        municipality=str(first.municipality),
        year=int(first.year),
        funding_source=str(first.funding_source),
        frame_id=str(first.frame_id),
        created=created,
        draft=draft_paragraph(rows, balance),
        measures=_measures(
            rows,
            indicators,
            dict(zip(documents.document_id, documents.title, strict=True)) if len(documents) else {},
        ),
        by_area=_totals(rows, "priority_area"),
        by_committee=_totals(rows, "committee"),
        indicators=_indicator_table(indicators),
        sources=_sources(rows, documents),
        measured=_measured(series, int(first.year)),
        plan=plan_chain.table(chain) if chain else pd.DataFrame(),
        plan_summary=plan_chain.flag_summary(chain) if chain else "",
    )


def is_draft(report: YearlyReport, text: str) -> bool:
    """True while the paragraph is still the generated one (the files then say it is unedited)."""
    return " ".join(text.split()) == " ".join(report.draft.split())
