"""The board-meeting deck: the slides, built from the current filters or from a scenario.

Pure data: each slide has a title, one message, and either chart data (categories and series,
in kronor) with its Plotly ChartSpec, or a table. Exports (insatskollen.export.deck_files) and the
Presentation page draw the same deck, so what is shown is what is exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from insatskollen.core import (
    consistency,
    fmt,
    headline,
    headline_tables,
    na,
    scenario_evaluation,
    schema,
    theme,
)
from insatskollen.core import key_figures as figures
from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters, listed
from insatskollen.core.findings import DEVIATION
from insatskollen.core.scenario_undo import Scenario
from insatskollen.export import charts

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
    chart: charts.ChartSpec | None = None
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


# What a count of decision recipients calls them, by committees.kind (data/committees.csv).
KIND_WORDS = {
    "nämnd": ("nämnd", "nämnder"),
    "kontor": ("kontor", "kontor"),
    "förvaltning": ("förvaltning", "förvaltningar"),
}
ANY_RECIPIENT = ("mottagare", "mottagare")
UNFUNDED = "övrigt förslag utan finansiering"


def frame_title(source: str, years: str) -> str:
    """'Egna medel, KF budget 2025 · 2025': the year apart from the funding source, whose own name may end in a
    year ('… KF budget 2025 2025' read as a doubled year)."""
    return f"{source} · {years}"


def recipients(kinds: list[str | None], unnamed: int = 0) -> str:
    """'2 kontor', '11 nämnder' for recipients of one recorded kind; 'N mottagare' where the kinds differ or
    are not recorded; rows naming no recipient are counted apart ('… och 1 rad utan angiven nämnd')."""
    words = KIND_WORDS.get(kinds[0]) if kinds and len(set(kinds)) == 1 else None
    text = fmt.count_phrase(len(kinds), *(words or ANY_RECIPIENT)) if kinds else ""
    if unnamed:
        rest = fmt.count_phrase(unnamed, "rad utan angiven nämnd", "rader utan angiven nämnd")
        text = f"{text} och {rest}" if text else rest
    return text


def _kinds(db) -> dict[tuple[str, str], str | None]:
    """(municipality, nämnd or kontor as named) -> its kind, None where not recorded or ambiguous."""
    out: dict[tuple[str, str], str | None] = {}
    for r in db.query("committee_kinds").itertuples():
        key, kind = (r.municipality, r.committee), (r.kind if isinstance(r.kind, str) else None)
        out[key] = kind if out.get(key, kind) == kind else None
    return out


def _unfunded_slide(key: str, what: str, municipality: str, rows: pd.DataFrame) -> Slide:
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


def citations(db, filters: Filters) -> tuple[str, ...]:
    """One line per document the amounts in these filters come from, naming every heading or table used:
    'title (kommun, dnr X, date) – heading; table'. The lines' own sources, the decision table that names
    their nämnder, and the frame's source (query deck_sources)."""
    rows = db.query("deck_sources", **filters.params())
    docs = db.query("documents").set_index("document_id")
    # an imported file's nämnd cites the first row that named it, not a row of these amounts: left out
    imported = set(docs.index[docs.kind == schema.IMPORTED_DOCUMENT])
    rows = rows[~((rows.kind == 2) & rows.document_id.isin(imported))]
    out = []
    for document_id, group in rows.groupby("document_id", sort=False):
        if document_id not in docs.index:
            continue
        d = docs.loc[document_id]
        case = f", dnr {d.case_number}" if isinstance(d.case_number, str) else ""
        sections = "; ".join(
            compact_sections([str(x) for x in group.section if isinstance(x, str)], d.case_number)
        )
        out.append(f"{d.title} ({d.municipality}{case}, {d.date})" + (f" – {sections}" if sections else ""))
    return tuple(out)


# An imported file's cell: "gavle.xlsx rad 2, kolumn K (Belopp (kr)); källa: dnr KS 2025/0123" (import_preview)
_FILE_CELL = re.compile(r"^(?P<file>.+?) rad (?P<row>\d+)(?:, kolumn [^;]*?)?(?:; källa: (?P<cited>.+))?$")


def compact_sections(sections: list[str], case_number=None) -> list[str]:
    """The headings a deck cites, with an imported file's cells as its rows: 'gavle.xlsx rad 2–5, 9' instead of
    one entry per cell; a row's cited source is kept unless it is the document's own dnr (said before)."""
    out: dict[str, None] = {}
    rows: dict[str, set[int]] = {}
    cited: dict[str, dict[str, None]] = {}
    own = f"dnr {case_number}" if isinstance(case_number, str) else None
    for section in sections:
        match = _FILE_CELL.match(section)
        if match is None:
            out[section] = None
            continue
        name = match["file"]
        out.setdefault(name, None)
        rows.setdefault(name, set()).add(int(match["row"]))
        if match["cited"] and match["cited"] not in (own, case_number):
            cited.setdefault(name, {})[match["cited"]] = None
    return [
        f"{s} rad {_ranges(sorted(rows[s]))}" + (f"; källa: {', '.join(cited[s])}" if cited.get(s) else "")
        if s in rows
        else s
        for s in out
    ]


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 5, 9] -> '2–5, 9'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _area_slide(by_area: pd.DataFrame, unknown: int, reading: str = "") -> Slide | None:
    """The areas' chart; `reading` ("Tolkning: varav … har fått sitt område enligt tolkning …") ends the message."""
    if not by_area.amount_sek.notna().any():
        return None
    spec = charts.area_bars(by_area, unknown_measures=unknown)
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


def _committee_slide(
    by_committee: pd.DataFrame, kinds: dict[tuple[str, str], str | None], unknown: int | None = None
) -> Slide | None:
    if not by_committee.amount_sek.notna().any():
        return None
    spec = charts.committee_bars(by_committee, unknown_lines=unknown)
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


def _frame_slide(
    message: str,
    label: str,
    spec: charts.ChartSpec | None = None,
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


def _scenario_frame_message(balance: figures.Balance) -> str:
    """A scenario's frame against its lines, in the words of the one rule (as Scenarier's scenario_evaluation.evaluate)."""
    if balance.frame_sek is None:
        return balance.text()
    if balance.state == figures.UNKNOWN_ALLOCATION:
        return f"Ramen är {fmt.mnkr(balance.frame_sek)}. {balance.text()}"
    if balance.state == figures.PARTLY_KNOWN:
        return f"Av {fmt.mnkr(balance.frame_sek)}: {balance.clause()}"
    return f"Av {fmt.mnkr(balance.frame_sek)} är {balance.allocated_text()} fördelat. {balance.text()}"


def _findings_slide(
    report: consistency.Report, municipalities: set[str], years: set[int], frame_ids: set[str] | None = None
) -> Slide:
    """The deviations of the deck's municipalities and years (consistency.Report.select, as `check --kommun --ar`);
    with `frame_ids`, a finding about another frame of the same municipality (another funding source) is
    left out."""
    chosen = report.select(tuple(municipalities), tuple(years)).findings if municipalities else ()
    relevant = [
        f
        for f in chosen
        if f.severity == DEVIATION and (frame_ids is None or not f.frame_ids or set(f.frame_ids) & frame_ids)
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


def _deck_frames(frames: pd.DataFrame, municipalities, years, funding_sources) -> set[str]:
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
    kinds = _kinds(db)
    municipalities = sorted(set(totals.municipality))
    years = sorted(set(int(y) for y in totals.year))
    label = f"{', '.join(municipalities)} {fmt.years(years[0], years[-1])}" if years else "inget urval"
    spec = charts.frames_overview(totals) if len(totals) else None
    reading_text = head.reading_text()
    readings = headline_tables.readings(db, filters)
    slides = [
        _frame_slide(
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
        _area_slide(
            by_area,
            unknown,
            headline_tables.area_reading_text(db.query(headline_tables.AREA_READINGS_QUERY, **params)),
        ),
        _committee_slide(
            by_committee,
            kinds,
            int(lines[lines.amount_sek.isna() & (lines.status != UNFUNDED)].allocation_id.nunique()),
        ),
    ):
        if slide:
            slides.append(slide)
    for (municipality, year, source), rows in decisions.groupby(
        ["municipality", "year", "funding_source"], sort=True
    ):
        if rows.amount_sek.notna().sum() == 0:
            continue
        frame = frames[
            (frames.municipality == municipality) & (frames.year == year) & (frames.funding_source == source)
        ]
        available = na.int_or_none(frame.amount_sek.iloc[0]) if len(frame) else None
        table = decision_frame(
            [(r.decision_label, na.int_or_none(r.amount_sek)) for r in rows.itertuples()],
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
                f"{municipality}: {figures.total_text(total, unknown)} till {_committee_count(rows, kinds)} ur {source}"
                f"{'' if available is None or said else ', att disponera ' + fmt.sek(available)}." + said,
                table=table,
                balance=balance,
                unknown=unknown,
                sources=citations(
                    db,
                    replace(
                        filters, municipalities=(municipality,), years=(int(year),), funding_sources=(source,)
                    ),
                ),
            )
        )
    for (municipality, source), rows in unfunded.groupby(["municipality", "funding_source"], sort=True):
        what = frame_title(source, fmt.years(int(rows.year_from.min()), int(rows.year_to.max())))
        slide = _unfunded_slide(f"utan-finansiering-{municipality}-{source}", what, municipality, rows)
        # right after the frame's last decision slide, else before the findings
        at = [
            i
            for i, x in enumerate(slides)
            if x.key.startswith(f"beslut-{municipality}-") and x.key.endswith(source)
        ]
        slides.insert(at[-1] + 1 if at else len(slides), slide)
    slides.append(
        _findings_slide(
            findings or consistency.run(db),
            set(municipalities),
            set(years),
            _deck_frames(frames, municipalities, years, filters.funding_sources),
        )
    )
    return Deck(
        f"Medel mot segregation – {label}",
        _scope(filters),
        tuple(slides),
        citations(db, filters),
        today,
        extra_sheets={
            "Fördelningsrader": _lines_sheet(lines, _titles(db)),
            "Ram för ram": headline_tables.frame_year_table(head),
            **({READINGS_SHEET: readings} if len(readings) else {}),
        },
        key_figures=headline_tables.key_figure_table(head),
        reading_text=reading_text,
        readings=readings,
    )


def _committee_count(rows: pd.DataFrame, kinds: dict[tuple[str, str], str | None]) -> str:
    """'11 nämnder', '2 kontor' (committees.kind), and the decision table's own row count where the document
    splits a nämnd in two (Malmö: Grundskolenämnden and Grundskolenämnden avseende den gemensamma
    skolförvaltningen)."""
    named = rows.dropna(subset=["committee"]).drop_duplicates("committee")
    unnamed = int(rows.committee.isna().any())
    text = recipients([kinds.get((r.municipality, r.committee)) for r in named.itertuples()], unnamed)
    return text if len(named) + unnamed == len(rows) else f"{text} ({len(rows)} rader i beslutstabellen)"


def _scope(filters: Filters) -> str:
    parts = [
        listed(getattr(filters, k))
        for k in ("municipalities", "years", "funding_sources", "committees", "areas", "statuses")
        if getattr(filters, k)
    ]
    return " · ".join(parts) or "Alla kommuner, år och områden"


def _titles(db) -> dict[str, str]:
    """Each source document's title by its stored file's name ('002_6537151171d9247a.txt')."""
    docs = db.query("documents")
    return dict(zip(docs.document_id, docs.title, strict=True))


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


def from_saved_scenario(db, meta, scenario: Scenario, frames, today: date) -> Deck:
    """The deck of a saved scenario (its stored `meta` and lines), titled by its frame as the Presentation page
    shows it; `frames` is the `scenario_frames` query (the page passes its cached copy)."""
    frame = frames[(frames.frame_id == meta.frame_id) & (frames.year == meta.year)].iloc[0]
    return from_scenario(
        db,
        meta.name,
        f"{frame.municipality} {meta.year} · {frame.funding_source}",
        frame.municipality,
        int(meta.year),
        scenario,
        today=today,
        funding_source=frame.funding_source,
    )


def from_scenario(
    db,
    name: str,
    frame_label: str,
    municipality: str,
    year: int,
    scenario: Scenario,
    sources: tuple[str, ...] | None = None,
    today: date | None = None,
    funding_source: str | None = None,
) -> Deck:
    """The deck for a scenario: the same slides, computed from the scenario's lines, plus scenario vs baseline.
    Without `sources`, it cites the documents and tables the frame's lines, decision table and frame come from."""
    today = today or date.today()
    frame_filters = Filters(
        municipalities=(municipality,),
        years=(year,),
        funding_sources=(funding_source,) if funding_source else (),
    )
    if sources is None:
        sources = citations(db, frame_filters)
    origin = db.query("allocation_lines", **frame_filters.params()).drop_duplicates("allocation_id")
    titles = _titles(db)
    origin = origin.assign(source_document=origin.source_document.map(lambda d: titles.get(d, d)))
    origin = origin.set_index("allocation_id")
    kinds = _kinds(db)
    state = scenario.current
    draft = not scenario.is_baseline
    by_area = pd.DataFrame(
        [
            {
                "municipality": municipality,
                "year": year,
                "priority_area": x.priority_area,
                "amount_sek": x.amount,
                "lines_without_amount": int(x.known_amount is None),
                "measures": 1,
                "frame_sek": state.frame_amount,
            }
            for x in state.lines
        ]
    )
    by_committee = pd.DataFrame(
        [
            {
                "municipality": municipality,
                "committee": x.committee,
                "amount_sek": x.amount,
                "lines_without_amount": int(x.known_amount is None),
            }
            for x in state.lines
        ]
    )
    allocated = state.allocated if any(x.amount is not None for x in state.lines) else None
    frames = db.query("scenario_frames")
    stated = frames[
        (frames.municipality == municipality)
        & (frames.year == year)
        & ((frames.funding_source == funding_source) if funding_source else True)
        & frames.stated_sek.notna()
    ].stated_sek
    # the document's statement keeps holding while the scenario's lines sum to at most it (figures.Balance)
    balance = scenario_evaluation.balance(state, int(stated.iloc[0]) if len(stated) == 1 else None, not draft)
    # The same chart as the filters' frame slide, so every format draws it; an unknown frame draws nothing.
    spec = (
        charts.frames_overview(
            pd.DataFrame(
                [
                    {
                        "municipality": municipality,
                        "year": year,
                        "frame_sek": state.frame_amount,
                        "allocated_sek": allocated,
                    }
                ]
            )
        )
        if state.frame_amount is not None
        else None
    )
    slides = [
        _frame_slide(
            _scenario_frame_message(balance),
            frame_label,
            spec,
            spec.table["Kommun och år"] if spec else (),
            [(c, tuple(spec.table[c])) for c in ("Ram (kr)", "Fördelat (kr)")] if spec else (),
        )
    ]
    for slide in (
        _area_slide(by_area, sum(1 for x in state.lines if x.known_amount is None)),
        _committee_slide(by_committee, kinds),
    ):
        if slide:
            slides.append(slide)
    # decided money only: a proposal the document does not fund, and the scenario has not funded, is listed apart
    apart = [x for x in state.lines if x.unfunded and x.amount is None]
    groups: dict[str, int | None] = {}
    missing: dict[str, int] = {}
    group_kind: dict[str, str | None] = {}
    for line in state.lines:
        if line.unfunded and line.amount is None:
            continue
        key = line.committee or line.label if line.budget_line is None else line.budget_line
        group_kind[key] = kinds.get((municipality, line.committee)) if line.committee else None
        if line.amount is not None:
            groups[key] = (groups.get(key) or 0) + line.amount
        else:
            groups.setdefault(key, None)
        missing[key] = missing.get(key, 0) + int(line.amount is None)
    table = decision_frame(sorted(groups.items()), state.frame_amount, [missing[k] for k in sorted(groups)])
    first_column = "Budgetrad" if any(x.budget_line for x in state.lines) else "Nämnd"
    if first_column == "Budgetrad":
        count = fmt.count_phrase(len(groups), "budgetrad", "budgetrader")
    else:
        named = [k for k in groups if k in group_kind and any(x.committee == k for x in state.lines)]
        count = recipients([group_kind[k] for k in named], len(groups) - len(named))
    slides.append(
        Slide(
            "beslut",
            f"Förslag till beslut – {frame_label}",
            f"{figures.total_text(table['Belopp (kr)'].iloc[-2], sum(missing.values()))} till {count}, att disponera "
            f"{fmt.sek(state.frame_amount)}."
            + ("" if balance.state == figures.FULLY_ALLOCATED else f" {balance.text()}"),
            table=table.rename(columns={"Nämnd": first_column}),
            balance=balance,
            unknown=sum(missing.values()),
        )
    )
    if apart:
        rows = pd.DataFrame(
            {
                "measure": [x.label for x in apart],
                "priority_area": [x.priority_area for x in apart],
                "source_section": [_origin(origin, x, "source_section") for x in apart],
            }
        )
        slides.append(_unfunded_slide("utan-finansiering", frame_label, municipality, rows))
    by_area_diff = scenario_evaluation.compare_groups(scenario.baseline, state, sc.AREA)
    spec = charts.scenario_differences(
        by_area_diff, scenario_evaluation.compare_groups(scenario.baseline, state, sc.COMMITTEE)
    )
    changed = [d for d in by_area_diff if d.changed]
    message = (  # against an unknown baseline no difference: "okänt → 300 000 kr"
        "Jämfört med utgångsläget: "
        + ", ".join(f"{theme.area_label(d.name or None)} {d.text()}" for d in changed)
        + "."
        if changed
        else "Scenariot är lika med utgångsläget per område."
    )
    slides.append(
        Slide(
            "scenario",
            "Scenario jämfört med utgångsläget",
            message,
            spec,
            tuple(theme.area_label(d.name or None) for d in by_area_diff),
            (
                ("Utgångsläge (kr)", tuple(_float(d.baseline) for d in by_area_diff)),
                ("Scenario (kr)", tuple(_float(d.scenario) for d in by_area_diff)),
            ),
            # the Excel sheet: the change and, where a side is unknown, what it was instead of a difference
            table=pd.DataFrame(
                {
                    "Kategori": [theme.area_label(d.name or None) for d in by_area_diff],
                    "Utgångsläge (kr)": pd.array([d.baseline for d in by_area_diff], dtype="Int64"),
                    "Scenario (kr)": pd.array([d.scenario for d in by_area_diff], dtype="Int64"),
                    "Ändring (kr)": pd.array([d.change for d in by_area_diff], dtype="Int64"),
                    "Anmärkning": [d.note for d in by_area_diff],
                }
            ),
        )
    )
    frames = _deck_frames(db.query("scenario_frames"), [municipality], [year], frame_filters.funding_sources)
    slides.append(_findings_slide(consistency.run(db), {municipality}, {year}, frames))
    lines_sheet = pd.DataFrame(
        {
            "Rad": [x.label for x in state.lines],
            "Nämnd": [x.committee for x in state.lines],
            "Område": [x.priority_area for x in state.lines],
            "Utgångsläge (kr)": [
                None if x.added else scenario.baseline.line(x.line_id).amount for x in state.lines
            ],
            "Scenario (kr)": [x.amount for x in state.lines],
            "Låst": ["ja" if x.locked else "" for x in state.lines],
            "Dnr": [_origin(origin, x, "case_number") for x in state.lines],
            "Källdokument": [_origin(origin, x, "source_document") for x in state.lines],
            "Avsnitt": [
                "Tillagd i scenariot" if x.added else _origin(origin, x, "source_section")
                for x in state.lines
            ],
        }
    )
    return Deck(
        f"Medel mot segregation – {frame_label}",
        f"Scenario: {name}",
        tuple(slides),
        sources,
        today,
        scenario_name=name,
        draft=draft,
        extra_sheets={"Scenariorader": lines_sheet},
    )


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


def _origin(origin: pd.DataFrame, line: sc.Line, column: str) -> str | None:
    """Where a scenario line's baseline amount comes from (None for a line added in the scenario)."""
    if line.added or line.line_id not in origin.index:
        return None
    value = origin.at[line.line_id, column]
    return value if isinstance(value, str) else None
