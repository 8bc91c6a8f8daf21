"""The board-meeting deck: its slides as data, and the deck of the current filters.

Pure data: each slide has a title, one message, and either chart data (categories and series,
in kronor) with its Plotly ChartSpec, or a table. The slide builders here serve the filters' deck and a
scenario's (insatskollen.export.scenario_deck); the file formats (deck_pptx, deck_docx, deck_xlsx, deck_pdf)
and the Presentation page draw the same deck, so what is shown is what is exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from insatskollen.core import consistency, fmt, headline, headline_tables, plan_chain, theme
from insatskollen.core import key_figures as figures
from insatskollen.core.filters import Filters
from insatskollen.export import area_charts, committee_charts, overview_charts
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.export.deck_texts import (
    citations,
    citations_by_frame,
    committee_count,
    document_titles,
    frame_title,
    kinds_of,
    recipients,
    scope_text,
)

MAX_MUNICIPALITIES = 6  # a deck is for one meeting; more kommuner would give hundreds of decision slides

DECISION_TOTAL = "Totalbelopp"
DECISION_AVAILABLE = "Att disponera"
DECISION_NOTE = "Anmärkning"  # only when a row has lines without amount: "minst (1 insats med okänt belopp)"
DRAFT = "Utkast"
READINGS_SHEET = "Tolkningar"


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    message: str
    chart: ChartSpec | None = None
    categories: tuple[str, ...] = ()  # chart data for native PowerPoint charts
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = ()
    colors: tuple[str, ...] = ()  # one per category, when the categories are areas
    table: pd.DataFrame | None = None  # decision table or findings; numbers as numbers
    note: str = ""
    balance: figures.Balance | None = None  # a decision slide's frame against its rows (the one rule)
    unknown: int = 0  # a decision slide's lines without amount: its total is "minst" (figures.total_text)
    sources: tuple[str, ...] | None = None  # the rows this slide shows (citations); None: the deck's sources


@dataclass(frozen=True)
class Deck:
    title: str
    scope: str
    slides: tuple[Slide, ...]
    sources: tuple[str, ...]
    created: date
    scenario_name: str | None = None
    draft: bool = False
    extra_sheets: dict = field(default_factory=dict)  # more tables for the Excel workbook
    key_figures: pd.DataFrame | None = None  # Nyckeltal (insatskollen.core.key_figures) for Excel and Word
    reading_text: str = ""  # "Tolkning: varav … enligt tolkning (…)." (headline.Headline.reading_text)
    readings: pd.DataFrame | None = None  # each reading with its note (headline_tables.readings_table)

    @property
    def footer(self) -> str:
        return self.footer_for(None)

    def footer_for(self, slide: Slide | None) -> str:
        """'Källor: … · Datum: …' under a slide: the slide's own rows where it has them, else the deck's."""
        sources = self.sources if slide is None or slide.sources is None else slide.sources
        parts = [
            f"Källor: {'; '.join(sources)}" if sources else "Källor: –",
            f"Datum: {self.created.isoformat()}",
        ]
        if self.scenario_name:
            parts.append(f"Scenario: {self.scenario_name}")
        return " · ".join(parts)


def decision_frame(
    rows: list[tuple[str, int | None]], available: int | None, unknown: list[int] | None = None
) -> pd.DataFrame:
    """'Nämnd | Belopp (kr)' rows, then Totalbelopp and Att disponera, as in a tjänsteskrivelse. `unknown`: per
    row, its lines without amount; where any, a column Anmärkning says which amounts are "minst" and why."""
    known = [a for _, a in rows if a is not None]
    total = sum(known) if known or not rows else None  # no amount known: the total is unknown, never 0
    table = pd.DataFrame(
        rows + [(DECISION_TOTAL, total), (DECISION_AVAILABLE, available)], columns=["Nämnd", "Belopp (kr)"]
    )
    unknown = unknown or [0] * len(rows)
    if sum(unknown):
        amounts = [a for _, a in rows] + [total]
        # "minst" only beside a known sum; a row without any amount just says how many lack one
        notes = [
            ""
            if not n
            else figures.unknown_amounts(n)
            if amount is None
            else f"minst ({figures.unknown_amounts(n)})"
            for n, amount in zip([*unknown, sum(unknown)], amounts, strict=True)
        ]
        table[DECISION_NOTE] = [*notes, ""]
    return table


UNFUNDED = "övrigt förslag utan finansiering"


def unfunded_slide(key: str, what: str, municipality: str, rows: pd.DataFrame) -> Slide:
    """The proposals a document names without funding, apart from the decision table (which holds decided
    money only). rows: measure (the proposal), priority_area, source_section, in the document's order."""
    sections = " och ".join(f"”{x}”" for x in dict.fromkeys(rows.source_section) if isinstance(x, str))
    n = fmt.count_phrase(len(rows), "förslag", "förslag")
    where = f"under {sections} står {n}" if sections else f"dokumentet nämner {n}"
    return Slide(
        key,
        f"Förslag utan finansiering ({len(rows)}) – {what}",
        f"{municipality}: {where} utan finansiering och utan belopp. De ingår inte i beslutstabellen.",
        table=pd.DataFrame(
            {
                "Förslag": list(rows.measure),
                "Område": [theme.area_label(a if isinstance(a, str) else None) for a in rows.priority_area],
            }
        ),
    )


def area_slide(by_area: pd.DataFrame, unknown: int, reading: str = "") -> Slide | None:
    """The areas' chart; `reading` ("Tolkning: varav … har fått sitt område enligt tolkning …") ends the message."""
    if not by_area.amount_sek.notna().any():
        return None
    spec = area_charts.area_bars(by_area, unknown_measures=unknown)
    table = spec.table
    total = table["Belopp (kr)"].sum()
    national = table[table["Område"] != theme.NO_AREA].sort_values("Belopp (kr)", ascending=False)
    without = table.loc[table["Område"] == theme.NO_AREA, "Belopp (kr)"].sum()
    # an area with a line without amount has at least its known sum (amounts are never negative)
    missing = by_area.groupby(
        by_area.priority_area.map(lambda a: theme.area_label(a if isinstance(a, str) else None))
    ).lines_without_amount.sum()
    if len(national):
        top = national.iloc[0]
        at_least = "minst " if missing.get(top["Område"], 0) else ""
        message = (
            f"{top['Område']} får mest: {at_least}{fmt.mnkr(top['Belopp (kr)'])} av "
            f"{'minst ' if unknown else ''}{fmt.mnkr(total)} fördelat "
            f"({figures.share_text(top['Belopp (kr)'], total, figures.OF_ALLOCATED)})."
        )
    else:
        message = "Inget av beloppen är knutet till ett område."
    if without:
        message += f" {fmt.mnkr(without)} är fördelat per nämnd utan område."
    if reading:
        message += f" {reading}"
    return Slide(
        "omraden",
        "Fördelning per prioriterat område",
        message,
        spec,
        tuple(table["Område"]),
        (("Belopp (kr)", tuple(float(v) for v in table["Belopp (kr)"])),),
        tuple(theme.area_color(None if a == theme.NO_AREA else a) for a in table["Område"]),
        note=spec.note,
    )


def committee_slide(
    by_committee: pd.DataFrame, kinds: dict[tuple[str, str], str | None], unknown: int | None = None
) -> Slide | None:
    if not by_committee.amount_sek.notna().any():
        return None
    spec = committee_charts.committee_bars(by_committee, unknown_lines=unknown)
    table = spec.table
    top = table.iloc[0]
    paid = by_committee[by_committee.amount_sek.notna()]
    named = paid.dropna(subset=["committee"]).drop_duplicates(["municipality", "committee"])
    count = recipients(
        [kinds.get((m, c)) for m, c in zip(named.municipality, named.committee, strict=True)],
        int(paid.committee.isna().any()),
    )
    missing = by_committee.groupby(
        by_committee.committee.fillna(theme.NO_COMMITTEE)
    ).lines_without_amount.sum()
    at_least = "minst " if by_committee.municipality.nunique() == 1 and missing.get(top["Nämnd"], 0) else ""
    message = f"{top['Nämnd']} får mest: {at_least}{fmt.mnkr(top['Belopp (kr)'])}; {count} får medel."
    return Slide(
        "namnder",
        "Fördelning per nämnd",
        message,
        spec,
        tuple(table["Nämnd"]),
        (("Belopp (kr)", tuple(float(v) for v in table["Belopp (kr)"])),),
        note=spec.note,
    )


def frame_slide(
    message: str,
    label: str,
    spec: ChartSpec | None = None,
    categories=(),
    series=(),
    note: str = "",
) -> Slide:
    return Slide(
        "ram",
        f"Ramen och vad som är fördelat – {label}",
        message,
        spec,
        tuple(categories),
        tuple(series),
        note=note,
    )


def findings_slide(
    report: consistency.Report, municipalities: set[str], years: set[int], frame_ids: set[str] | None = None
) -> Slide:
    """The deviations of the deck's municipalities and years (consistency.Report.select, as `check --kommun --ar`);
    with `frame_ids`, a finding about another frame of the same municipality (another funding source) is
    left out."""
    chosen = report.select(tuple(municipalities), tuple(years)).findings if municipalities else ()
    relevant = [
        f
        for f in chosen
        if f.severity == consistency.DEVIATION
        and (frame_ids is None or not f.frame_ids or set(f.frame_ids) & frame_ids)
    ]
    table = pd.DataFrame(
        {
            "Iakttagelse": [f.category for f in relevant],
            "Gäller": [f"{f.municipality} {f.years_text}".strip() for f in relevant],
            "Beskrivning": [f"{f.subject}: {f.brief or f.message}" for f in relevant],
        }
    )
    message = (
        f"{fmt.count_phrase(len(relevant), 'avvikelse', 'avvikelser')} i underlaget berör beslutet."
        if relevant
        else "Inga avvikelser i underlaget berör beslutet."
    )
    return Slide("iakttagelser", "Att känna till inför beslutet", message, table=table)


def plan_slides(db, municipalities: list[str]) -> list[Slide]:
    """One slide per municipality with a plan chain (issue 26): a row per goal with its measures, money and
    indicator, and where the chain breaks; before the decisions, which it puts in context."""
    slides = []
    chains = plan_chain.rows_for(db.query, municipalities)
    for municipality in municipalities if chains is not None else []:
        rows = chains[chains.municipality == municipality].reset_index(drop=True)
        if rows.empty:
            continue
        chain = plan_chain.areas(rows)
        slides.append(
            Slide(
                f"plan-{municipality}",
                f"Från lägesbild till resultat – {municipality}",
                f"{plan_chain.flag_summary(chain)} {plan_chain.NO_CAUSAL_CLAIM}",
                table=plan_chain.table(chain),
            )
        )
    return slides


def deck_frames(frames: pd.DataFrame, municipalities, years, funding_sources) -> set[str]:
    """The frames a deck covers: those of its municipalities and years, of the chosen funding sources."""
    chosen = frames[frames.municipality.isin(list(municipalities)) & frames.year.isin(list(years))]
    if funding_sources:
        chosen = chosen[chosen.funding_source.isin(list(funding_sources))]
    return set(chosen.frame_id)


def from_filters(
    db, filters: Filters, today: date | None = None, findings: consistency.Report | None = None
) -> Deck:
    """The deck for whatever the current filters show. `findings` saves re-running the check."""
    today = today or date.today()
    params = filters.params()
    head = headline.headline(db, filters)
    totals = headline_tables.by_municipality_year(head)
    by_area = db.query("allocation_by_area", **params)
    by_committee = db.query("allocation_by_committee", **params)
    decisions = db.query("decision_table", **params)
    lines = db.query("allocation_lines", **params)
    measures = db.query("measures_list", **params)
    frames = db.query("scenario_frames")
    unfunded = db.query("unfunded_proposals", **params)
    documents = db.query("documents")  # once for every slide's sources, not once a slide
    kinds = kinds_of(db)
    municipalities = sorted(set(totals.municipality))
    years = sorted(set(int(y) for y in totals.year))
    label = f"{', '.join(municipalities)} {fmt.years(years[0], years[-1])}" if years else "inget urval"
    spec = overview_charts.frames_overview(totals) if len(totals) else None
    reading_text = head.reading_text()
    readings = headline_tables.readings(db, filters)
    slides = [
        frame_slide(
            " ".join(p for p in (head.slide_message(), head.reading_text(named=False)) if p),
            label,
            spec,
            spec.table["Kommun och år"] if spec else (),
            [(c, tuple(spec.table[c])) for c in ("Ram (kr)", "Fördelat (kr)")] if spec else (),
            note=" ".join(p for p in (head.unallocated_text(), head.unknown_text()) if p),
        )
    ]
    # an unfunded proposal has no money, which is not an unknown amount: it is listed on a slide of its own
    unknown = int((measures.allocated_sek.isna() & (measures.status != UNFUNDED)).sum())
    for slide in (
        area_slide(
            by_area,
            unknown,
            headline_tables.area_reading_text(db.query(headline_tables.AREA_READINGS_QUERY, **params)),
        ),
        committee_slide(
            by_committee,
            kinds,
            int(lines[lines.amount_sek.isna() & (lines.status != UNFUNDED)].allocation_id.nunique()),
        ),
    ):
        if slide:
            slides.append(slide)
    slides += plan_slides(db, municipalities)
    frame_sources = citations_by_frame(db, filters, documents) if len(decisions) else {}
    for (municipality, year, source), rows in decisions.groupby(
        ["municipality", "year", "funding_source"], sort=True
    ):
        if rows.amount_sek.notna().sum() == 0:
            continue
        frame = frames[
            (frames.municipality == municipality) & (frames.year == year) & (frames.funding_source == source)
        ]
        available = (
            int(frame.amount_sek.iloc[0]) if len(frame) and pd.notna(frame.amount_sek.iloc[0]) else None
        )
        table = decision_frame(
            [
                (r.decision_label, None if pd.isna(r.amount_sek) else int(r.amount_sek))
                for r in rows.itertuples()
            ],
            available,
            [int(n) for n in rows.lines_without_amount],
        )
        total = table["Belopp (kr)"].iloc[-2]
        unknown = int(rows.lines_without_amount.sum())
        balance = next(
            (
                x.balance
                for x in head.frame_years
                if (x.municipality, x.year, x.funding_source) == (municipality, year, source)
            ),
            None,
        )
        # the frame against its rows in the rule's words; the table shows "Att disponera", so the sentence need not
        said = "" if balance is None or balance.state == figures.FULLY_ALLOCATED else f" {balance.text()}"
        slides.append(
            Slide(
                f"beslut-{municipality}-{year}-{source}",
                f"Förslag till beslut – {frame_title(source, str(year))}",
                f"{municipality}: {figures.total_text(total, unknown)} till {committee_count(rows, kinds)} ur {source}"
                f"{'' if available is None or said else ', att disponera ' + fmt.sek(available)}." + said,
                table=table,
                balance=balance,
                unknown=unknown,
                sources=frame_sources.get((municipality, int(year), source), ()),
            )
        )
    for (municipality, source), rows in unfunded.groupby(["municipality", "funding_source"], sort=True):
        what = frame_title(source, fmt.years(int(rows.year_from.min()), int(rows.year_to.max())))
        slide = unfunded_slide(f"utan-finansiering-{municipality}-{source}", what, municipality, rows)
        # right after the frame's last decision slide, else before the findings
        at = [
            i
            for i, x in enumerate(slides)
            if x.key.startswith(f"beslut-{municipality}-") and x.key.endswith(source)
        ]
        slides.insert(at[-1] + 1 if at else len(slides), slide)
    slides.append(
        findings_slide(
            findings or consistency.run(db),
            set(municipalities),
            set(years),
            deck_frames(frames, municipalities, years, filters.funding_sources),
        )
    )
    return Deck(
        f"Medel mot segregation – {label}",
        scope_text(filters),
        tuple(slides),
        citations(db, filters, documents),
        today,
        extra_sheets={
            "Fördelningsrader": _lines_sheet(lines, document_titles(db, documents)),
            "Ram för ram": headline_tables.frame_year_table(head),
            **({READINGS_SHEET: readings} if len(readings) else {}),
        },
        key_figures=headline_tables.key_figure_table(head),
        reading_text=reading_text,
        readings=readings,
    )


def _lines_sheet(lines: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """The allocation lines for Excel; the source document named by its title, as the slides' sources do."""
    lines = lines.assign(source_document=lines.source_document.map(lambda d: titles.get(d, d)))
    return lines.rename(
        columns={
            "municipality": "Kommun",
            "year": "År",
            "funding_source": "Finansieringskälla",
            "committee": "Nämnd",
            "measure": "Insats",
            "priority_area": "Område",
            "amount_sek": "Belopp (kr)",
            "status": "Status",
            "source_document": "Källdokument",
            "source_section": "Avsnitt",
            "case_number": "Dnr",
        }
    )[
        [
            "Kommun",
            "År",
            "Finansieringskälla",
            "Nämnd",
            "Insats",
            "Område",
            "Belopp (kr)",
            "Status",
            "Dnr",
            "Källdokument",
            "Avsnitt",
        ]
    ]
