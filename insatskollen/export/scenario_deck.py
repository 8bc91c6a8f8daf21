"""The deck of a scenario: the same slides as the filters' deck (deck.py's builders), computed from the scenario's
lines, plus the scenario against its baseline; the Presentation page shows it for a chosen saved scenario."""

from __future__ import annotations

from datetime import date

import pandas as pd

from insatskollen.core import consistency, fmt, scenario_evaluation, scenario_undo, theme
from insatskollen.core import key_figures as figures
from insatskollen.core import scenario as sc
from insatskollen.core.filters import Filters
from insatskollen.export import overview_charts, scenario_charts
from insatskollen.export.deck import (
    Deck,
    Slide,
    area_slide,
    committee_slide,
    decision_frame,
    deck_frames,
    findings_slide,
    frame_slide,
    unfunded_slide,
)
from insatskollen.export.deck_texts import citations, document_titles, kinds_of, recipients


def _scenario_frame_message(balance: figures.Balance) -> str:
    """A scenario's frame against its lines, in the words of the one rule (as Scenarier's scenario_evaluation.evaluate)."""
    if balance.frame_sek is None:
        return balance.text()
    if balance.state == figures.UNKNOWN_ALLOCATION:
        return f"Ramen är {fmt.mnkr(balance.frame_sek)}. {balance.text()}"
    if balance.state == figures.PARTLY_KNOWN:
        return f"Av {fmt.mnkr(balance.frame_sek)}: {balance.clause()}"
    return f"Av {fmt.mnkr(balance.frame_sek)} är {balance.allocated_text()} fördelat. {balance.text()}"


def from_saved_scenario(db, meta, scenario: scenario_undo.Scenario, frames, today: date) -> Deck:
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
    scenario: scenario_undo.Scenario,
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
    titles = document_titles(db)
    origin = origin.assign(source_document=origin.source_document.map(lambda d: titles.get(d, d)))
    origin = origin.set_index("allocation_id")
    kinds = kinds_of(db)
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
        overview_charts.frames_overview(
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
        frame_slide(
            _scenario_frame_message(balance),
            frame_label,
            spec,
            spec.table["Kommun och år"] if spec else (),
            [(c, tuple(spec.table[c])) for c in ("Ram (kr)", "Fördelat (kr)")] if spec else (),
        )
    ]
    for slide in (
        area_slide(by_area, sum(1 for x in state.lines if x.known_amount is None)),
        committee_slide(by_committee, kinds),
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
        slides.append(unfunded_slide("utan-finansiering", frame_label, municipality, rows))
    by_area_diff = scenario_evaluation.compare_groups(scenario.baseline, state, sc.AREA)
    spec = scenario_charts.scenario_differences(
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
    frames = deck_frames(db.query("scenario_frames"), [municipality], [year], frame_filters.funding_sources)
    slides.append(findings_slide(consistency.run(db), {municipality}, {year}, frames))
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
