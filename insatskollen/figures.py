"""The headline figures, defined once: ram, fördelat, ofördelat and what is unknown.

Översikt, the Presentation's first slide, every export (they draw the same deck) and
`python -m insatskollen check` take their numbers from `headline()`. The rules (README, "Nyckeltal"):

- The unit is a frame-year: one frame (ram) in one year (a 2018–2020 grant is three frame-years).
- A frame-year's lines are its allocation lines, except proposals the document does not fund
  (status "övrigt förslag utan finansiering"), which are counted separately.
- **Ram** is the sum of the frame-years whose amount is known. Frame-years without an amount are
  counted and named, never added as 0.
- **Fördelat** is the sum of the known line amounts that every filter keeps. It is unknown (None),
  not 0, when no line in view has an amount and some frame-year's allocation is unknown.
- A frame-year's allocation is **known** when it has at least one line and every line has an amount.
  No lines at all (e.g. a multi-year grant whose document details only the first year) is unknown.
- **Ofördelat** is the sum of ram − fördelat over the frame-years where the frame and every line
  amount are known (whole frame, whatever the nämnd/område/status/sök filters). A negative part is
  over-allocation and is named.
- **Okänt** is named, never guessed: frame-years without an amount, frame-years whose allocation is
  unknown (their ram is summed as "ram med okänd fördelning"), and lines without an amount.

So for the frame-years with a known frame: ram = fördelat + ofördelat + ram med okänd fördelning,
when no line filter is set and every known amount sits in a complete frame-year.

**Varav enligt tolkning**: how much of each figure rests on our reading of a document (data/README.md,
"Tolkning"): a frame-year whose basis is `tolkning` (its amount or its year is our reading) counts with its whole
ram and every line amount in it; otherwise a line counts when its own basis is `tolkning`. A frame-year's
ofördelat rests on a reading when the frame-year or any of its lines does.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insatskollen import fmt
from insatskollen.filters import Filters

QUERY = "frame_year_figures"
READINGS_QUERY = "readings"
AREA_READINGS_QUERY = "area_readings"
READING = "tolkning"
LINE_FILTERS = ("committees", "areas", "statuses", "search")


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


@dataclass(frozen=True)
class FrameYear:
    """One frame in one year and its lines (amounts in whole kronor; None = unknown)."""

    frame_id: str
    municipality: str
    year: int
    funding_source: str
    frame_sek: int | None
    lines: int  # every funded line of the frame-year
    lines_without_amount: int
    allocated_all_sek: int | None  # sum of every known line amount of the frame-year
    view_lines: int  # funded lines that every filter keeps
    view_lines_without_amount: int
    view_unfunded: int  # proposals without funding that every filter keeps
    view_known_sek: int | None  # sum of known amounts of the lines in view
    frame_basis: str | None = None  # the frame-year's basis: dokument, tolkning, or None (not stated)
    frame_reading_lines: int = 0  # funded lines of the frame-year that are our reading
    view_reading_sek: int | None = None  # known amounts of the lines in view that are our reading

    @property
    def frame_is_reading(self) -> bool:
        """The frame-year's amount or year is our reading (e.g. Linköping's years, Södertälje 2019–2020)."""
        return self.frame_basis == READING

    @property
    def rests_on_reading(self) -> bool:
        """The frame-year or one of its lines is our reading: its ofördelat rests on a reading."""
        return self.frame_is_reading or self.frame_reading_lines > 0

    @property
    def frame_reading_sek(self) -> int:
        """The part of the ram that is our reading (0 when the frame-year is the document's or has no amount)."""
        return self.frame_sek if self.frame_is_reading and self.frame_sek is not None else 0

    @property
    def allocated_reading_sek(self) -> int:
        """The part of fördelat in view that is our reading."""
        if self.frame_is_reading:
            return self.view_known_sek or 0
        return self.view_reading_sek or 0

    @property
    def allocation_known(self) -> bool:
        """At least one line, and every line has an amount."""
        return self.lines > 0 and self.lines_without_amount == 0

    @property
    def complete(self) -> bool:
        """The frame and every line amount are known: ofördelat can be computed."""
        return self.frame_sek is not None and self.allocation_known

    @property
    def allocated_sek(self) -> int | None:
        """Fördelat in view: exact (0 when no line is in view) when the allocation is known, otherwise
        the known part, or None when nothing in view has an amount."""
        if self.allocation_known:
            return self.view_known_sek or 0
        return self.view_known_sek

    @property
    def unallocated_sek(self) -> int | None:
        """Ram − fördelat for the whole frame-year; None unless complete."""
        return self.frame_sek - (self.allocated_all_sek or 0) if self.complete else None

    @property
    def label(self) -> str:
        return f"{self.municipality} {self.year}"


def frame_years(rows: pd.DataFrame) -> tuple[FrameYear, ...]:
    """FrameYear records from the `frame_year_figures` query."""
    return tuple(
        FrameYear(
            r.frame_id,
            r.municipality,
            int(r.year),
            r.funding_source,
            _int(r.frame_sek),
            int(r.frame_lines),
            int(r.frame_lines_without_amount),
            _int(r.frame_allocated_sek),
            int(r.view_lines),
            int(r.view_lines_without_amount),
            int(r.view_unfunded),
            _int(r.view_allocated_sek),
            getattr(r, "frame_basis", None) if isinstance(getattr(r, "frame_basis", None), str) else None,
            int(getattr(r, "frame_reading_lines", 0) or 0),
            _int(getattr(r, "view_reading_sek", None)),
        )
        for r in rows.itertuples()
    )


def _sum(values) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


NAMED_AT_MOST = 8  # municipalities named in a sentence; national data would otherwise list all 290


def names(items: tuple[FrameYear, ...]) -> str:
    """'Linköping 2018–2020, Motala 2018 (2 ramar)': frame-years grouped by municipality, years merged.
    More than NAMED_AT_MOST municipalities: the first ones and how many more (each is in the tables)."""
    by_municipality: dict[str, list[FrameYear]] = {}
    for item in items:
        by_municipality.setdefault(item.municipality, []).append(item)
    parts = []
    for municipality, group in by_municipality.items():
        years = sorted({x.year for x in group})
        runs, start, prev = [], years[0], years[0]
        for year in years[1:]:
            if year != prev + 1:
                runs.append(fmt.years(start, prev))
                start = year
            prev = year
        runs.append(fmt.years(start, prev))
        frames = len({x.frame_id for x in group})
        tail = f" ({frames} ramar)" if frames > 1 else ""
        parts.append(f"{municipality} {', '.join(runs)}{tail}")
    if len(parts) > NAMED_AT_MOST:
        shown = NAMED_AT_MOST - 1
        return (
            ", ".join(parts[:shown])
            + f" och {fmt.count_phrase(len(parts) - shown, 'kommun', 'kommuner')} till"
        )
    return ", ".join(parts)


@dataclass(frozen=True)
class Headline:
    """The headline figures for one set of filters (see the module docstring for the rules)."""

    frame_years: tuple[FrameYear, ...]
    line_filters: bool = False  # nämnd, område, status or sök is set: fördelat covers those lines only

    @property
    def frame_sek(self) -> int | None:
        return _sum(x.frame_sek for x in self.frame_years)

    @property
    def allocated_sek(self) -> int | None:
        return _sum(x.allocated_sek for x in self.frame_years)

    @property
    def unallocated_sek(self) -> int | None:
        return _sum(x.unallocated_sek for x in self.frame_years)

    @property
    def complete(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.complete)

    @property
    def frames_without_amount(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.frame_years if x.frame_sek is None)

    @property
    def allocation_unknown(self) -> tuple[FrameYear, ...]:
        """Frame-years with a known frame whose allocation is unknown (no lines, or lines without amount)."""
        return tuple(x for x in self.frame_years if x.frame_sek is not None and not x.allocation_known)

    @property
    def unknown_allocation_frame_sek(self) -> int:
        """Ram med okänd fördelning: the frames of `allocation_unknown`, summed."""
        return sum(x.frame_sek for x in self.allocation_unknown)

    @property
    def over_allocated(self) -> tuple[FrameYear, ...]:
        return tuple(x for x in self.complete if x.unallocated_sek < 0)

    @property
    def lines_without_amount(self) -> int:
        return sum(x.view_lines_without_amount for x in self.frame_years)

    @property
    def unfunded(self) -> int:
        return sum(x.view_unfunded for x in self.frame_years)

    def unknown_text(self) -> str:
        """What is unknown, named: the sentence Översikt, the first slide and `check` all print."""
        parts = []
        if self.allocation_unknown:
            parts.append(
                f"Fördelningen av {fmt.mnkr(self.unknown_allocation_frame_sek)} är okänd "
                f"({names(self.allocation_unknown)})."
            )
        if self.frames_without_amount:
            parts.append(
                f"{fmt.count_phrase(len(self.frames_without_amount), 'ram', 'ramar')} saknar belopp "
                f"({names(self.frames_without_amount)})."
            )
        if self.lines_without_amount:
            parts.append(
                f"{fmt.count_phrase(self.lines_without_amount, 'rad', 'rader')} saknar belopp och räknas "
                "som okända, inte som noll."
            )
        return " ".join(parts)

    def unallocated_text(self, named: bool = True) -> str:
        """'0,92 mnkr återstår att fördela …' with its basis and (when `named`) the frames and any
        over-allocation named."""
        rest = self.unallocated_sek
        if rest is None:
            return "Ofördelat kan inte räknas: ingen ram har både känt belopp och kända belopp på alla rader."
        text = (
            f"{fmt.mnkr(rest)} återstår att fördela"
            if rest > 0
            else f"ramarna överskrids med {fmt.mnkr(-rest)}"
            if rest < 0
            else "hela ramen är fördelad"
        )
        if len(self.complete) < len(self.frame_years):
            text += " i ramar där alla belopp är kända"
            text += f" ({names(self.complete)})" if named else ""
        text += "."
        over = self.over_allocated
        if over and rest >= 0 and named:
            text += f" Överfördelat i {names(over)}: {fmt.mnkr(-sum(x.unallocated_sek for x in over))}."
        return text

    def slide_message(self) -> str:
        """The first slide's message: short enough for a projector, the same numbers as Översikt."""
        frame, allocated = self.frame_sek, self.allocated_sek
        if frame is None:
            text = "Ramarna saknar belopp i källan"
            text += "." if allocated is None else f"; {fmt.mnkr(allocated)} är fördelat."
        elif allocated is None:
            text = f"Av {fmt.mnkr(frame)} i ramarna: fördelat är okänt."
        else:
            text = f"Av {fmt.mnkr(frame)} är {fmt.mnkr(allocated)} fördelat."
        if self.unallocated_sek is not None:
            rest = self.unallocated_text(named=False)
            text += f" {rest[0].upper()}{rest[1:]}"
        if self.allocation_unknown:
            text += (
                f" Fördelningen av {fmt.mnkr(self.unknown_allocation_frame_sek)} är okänd "
                f"({names(self.allocation_unknown)})."
            )
        return text

    # ---------------------------------------------------------------- varav enligt tolkning

    @property
    def frame_reading_sek(self) -> int:
        """How much of Ram is our reading."""
        return sum(x.frame_reading_sek for x in self.frame_years)

    @property
    def allocated_reading_sek(self) -> int:
        """How much of Fördelat is our reading."""
        return sum(x.allocated_reading_sek for x in self.frame_years)

    @property
    def unknown_allocation_reading_sek(self) -> int:
        """How much of Ram med okänd fördelning is our reading."""
        return sum(x.frame_sek for x in self.allocation_unknown if x.frame_is_reading)

    @property
    def unallocated_readings(self) -> tuple[FrameYear, ...]:
        """Complete frame-years whose ofördelat rests on a reading."""
        return tuple(x for x in self.complete if x.rests_on_reading)

    @property
    def unallocated_reading_sek(self) -> int | None:
        """How much of Ofördelat (as summed today, signed) rests on a reading; None when ofördelat is unknown."""
        if self.unallocated_sek is None:
            return None
        return sum(x.unallocated_sek for x in self.unallocated_readings)

    @property
    def free_reading_sek(self) -> int:
        """The free money (ram − fördelat > 0) of frame-years that rest on a reading."""
        return sum(max(x.unallocated_sek, 0) for x in self.unallocated_readings)

    @property
    def over_reading_sek(self) -> int:
        """The over-allocation (fördelat − ram > 0) of frame-years that rest on a reading."""
        return sum(max(-x.unallocated_sek, 0) for x in self.unallocated_readings)

    @property
    def reading_frame_years(self) -> tuple[FrameYear, ...]:
        """Frame-years whose ram or fördelat in view has an amount that is our reading, for naming them."""
        return tuple(x for x in self.frame_years if x.frame_reading_sek or x.allocated_reading_sek)

    def reading_part(self, figure: str) -> str:
        """'varav 32,7 mnkr enligt tolkning' for a headline box ('ram', 'fördelat', 'ofördelat', 'okänd');
        '' when nothing of the figure rests on a reading."""
        amount = {
            "ram": self.frame_reading_sek,
            "fördelat": self.allocated_reading_sek,
            "okänd": self.unknown_allocation_reading_sek,
        }.get(figure)
        if figure == "ofördelat":
            parts = []
            if self.free_reading_sek:
                parts.append(f"varav {fmt.mnkr(self.free_reading_sek)} ofördelat enligt tolkning")
            if self.over_reading_sek:
                parts.append(f"varav överfördelat {fmt.mnkr(self.over_reading_sek)} enligt tolkning")
            if not parts:
                return ""
            return "; ".join(parts) + f" ({names(self.unallocated_readings)})"
        if not amount:
            return ""
        return f"varav {fmt.mnkr(amount)} enligt tolkning"

    def reading_text(self, named: bool = True) -> str:
        """One sentence for a slide and a document: 'Tolkning: varav 63,1 mnkr av ramen och 32,7 mnkr av det
        fördelade enligt tolkning (Linköping 2018–2020, Södertälje 2018–2020).' ('' when there is none);
        without the frame-years when not `named` (a slide: they are listed in its panel)."""
        parts = []
        if self.frame_reading_sek:
            parts.append(f"{fmt.mnkr(self.frame_reading_sek)} av ramen")
        if self.allocated_reading_sek:
            parts.append(f"{fmt.mnkr(self.allocated_reading_sek)} av det fördelade")
        if not parts:
            return ""
        where = f" ({names(self.reading_frame_years)})" if named else ""
        return f"Tolkning: varav {' och '.join(parts)} enligt tolkning{where}."

    def key_figures(self) -> pd.DataFrame:
        """Nyckeltal as a table (numbers as numbers, empty where unknown) for Excel and Word."""
        rows = [
            ("Ram", self.frame_sek, "Ramarnas belopp per år, summerat över ramar med känt belopp."),
            (
                "Fördelat",
                self.allocated_sek,
                "Rader med känt belopp" + (" som filtren väljer." if self.line_filters else "."),
            ),
            ("Ofördelat", self.unallocated_sek, self.unallocated_text()),
            (
                "Ram med okänd fördelning",
                self.unknown_allocation_frame_sek,
                self.unknown_text() or "Ingen.",
            ),
        ]
        table = pd.DataFrame(rows, columns=["Nyckeltal", "Belopp (kr)", "Förklaring"])
        table["Belopp (kr)"] = table["Belopp (kr)"].astype("Int64")
        table["Varav enligt tolkning (kr)"] = pd.array(
            [
                self.frame_reading_sek,
                None if self.allocated_sek is None else self.allocated_reading_sek,
                self.unallocated_reading_sek,
                self.unknown_allocation_reading_sek,
            ],
            dtype="Int64",
        )
        return table


def headline(db, filters: Filters) -> Headline:
    """The headline figures for the filters, from the one query."""
    rows = db.query(QUERY, **filters.params())
    return from_rows(rows, filters)


def from_rows(rows: pd.DataFrame, filters: Filters) -> Headline:
    return Headline(frame_years(rows), any(getattr(filters, k) for k in LINE_FILTERS))


def by_municipality_year(head: Headline) -> pd.DataFrame:
    """Per municipality and year, for the chart and table: frames (sum of known, NaN when none is
    known), allocated in view (NaN when unknown), unallocated (only when every frame-year is complete)."""
    groups: dict[tuple[str, int], list[FrameYear]] = {}
    for x in head.frame_years:
        groups.setdefault((x.municipality, x.year), []).append(x)
    rows = []
    for (municipality, year), items in groups.items():
        complete = all(x.complete for x in items)
        rows.append(
            {
                "municipality": municipality,
                "year": year,
                "frames": len(items),
                "frame_sek": _sum(x.frame_sek for x in items),
                "frames_without_amount": sum(x.frame_sek is None for x in items),
                "allocated_sek": _sum(x.allocated_sek for x in items),
                "unallocated_sek": _sum(x.unallocated_sek for x in items) if complete else None,
                "lines_without_amount": sum(x.view_lines_without_amount for x in items),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "municipality",
            "year",
            "frames",
            "frame_sek",
            "frames_without_amount",
            "allocated_sek",
            "unallocated_sek",
            "lines_without_amount",
        ],
    )
    for column in ("frame_sek", "allocated_sek", "unallocated_sek"):
        table[column] = table[column].astype("Int64")
    return table


def frame_year_table(head: Headline) -> pd.DataFrame:
    """One row per frame-year with its figures, Swedish column names, numbers as numbers: the rows
    every headline figure is summed from."""
    return pd.DataFrame(
        {
            "Kommun": [x.municipality for x in head.frame_years],
            "År": [x.year for x in head.frame_years],
            "Finansieringskälla": [x.funding_source for x in head.frame_years],
            "Ram (kr)": pd.array([x.frame_sek for x in head.frame_years], dtype="Int64"),
            "Fördelat (kr)": pd.array([x.allocated_sek for x in head.frame_years], dtype="Int64"),
            "Ofördelat (kr)": pd.array([x.unallocated_sek for x in head.frame_years], dtype="Int64"),
            "Rader utan belopp": [x.view_lines_without_amount for x in head.frame_years],
            "Fördelning": [_state(x) for x in head.frame_years],
        }
    )


def _state(x: FrameYear) -> str:
    if x.frame_sek is None:
        return "ramens belopp okänt"
    if x.lines == 0:
        return "okänd: inga rader för året"
    if x.lines_without_amount:
        return f"okänd: {fmt.count_phrase(x.lines_without_amount, 'rad', 'rader')} utan belopp"
    return "känd"


def mnkr(value: int | None) -> str:
    """A headline amount in mnkr; 'okänt' when it is unknown (never 0)."""
    return "okänt" if value is None else fmt.mnkr(value)


def sek(value: int | None) -> str:
    return "okänt" if value is None else fmt.sek(value)


def readings_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Each reading behind the headline figures (query `readings`), one row per reading (lines that share a
    note are one row): what it is, where, the years, the amount per year (empty when unknown or when it differs
    between the years) and our note. Swedish column names, amounts as numbers."""
    columns = ["Vad", "Kommun", "År", "Gäller", "Belopp per år (kr)", "Tolkning"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    keys = ["kind", "municipality", "funding_source", "basis_note"]
    for (kind, municipality, source, note), group in rows.groupby(keys, sort=False, dropna=False):
        subjects = list(dict.fromkeys(group.subject))
        if kind == "Ram":
            what, about = "Ram", source
        else:
            what = "Fördelningsrad" if len(subjects) == 1 else "Fördelningsrader"
            about = subjects[0] if len(subjects) == 1 else f"{len(subjects)} rader: {_first(subjects)}"
        per_year = {
            int(year): (None if part.amount_sek.isna().any() else int(part.amount_sek.sum()))
            for year, part in group.groupby("year")
        }
        amounts = set(per_year.values())
        out.append(
            {
                "Vad": what,
                "Kommun": municipality,
                "År": fmt.years(min(per_year), max(per_year)),
                "Gäller": about,
                "Belopp per år (kr)": next(iter(amounts)) if len(amounts) == 1 else None,
                "Tolkning": note,
            }
        )
    table = pd.DataFrame(out, columns=columns)
    table["Belopp per år (kr)"] = table["Belopp per år (kr)"].astype("Int64")
    return table


def readings(db, filters: Filters) -> pd.DataFrame:
    """The readings behind the headline figures for the filters (see readings_table)."""
    return readings_table(db.query(READINGS_QUERY, **filters.params()))


def _first(items: list[str], shown: int = 4) -> str:
    """'a, b, c, d' or, for more, 'a, b, c och 10 till' (every line is in the Fördelningsrader sheet)."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[: shown - 1])} och {len(items) - shown + 1} till"


def area_reading_text(rows: pd.DataFrame) -> str:
    """'Tolkning: varav 32,7 mnkr har fått sitt område enligt tolkning (Boende 11,1 mnkr, Utbildning 21,6 mnkr).'
    from the query `area_readings`; '' when every area in view is the document's."""
    if rows.empty or not rows.amount_sek.notna().any():
        return ""
    total = int(rows.amount_sek.sum())
    parts = ", ".join(f"{r.priority_area} {fmt.mnkr(int(r.amount_sek))}" for r in rows.itertuples())
    return f"Tolkning: varav {fmt.mnkr(total)} har fått sitt område enligt tolkning ({parts})."
