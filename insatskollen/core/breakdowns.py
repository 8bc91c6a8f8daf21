"""The allocation broken down for the charts: per national area (with its share of the known frames), each
municipality's split by area, per nämnd, per year, and the flow funding source → nämnd → area. Pure arithmetic
over the rows of the allocation queries; an unknown amount is never added as 0 (a group with no known amount
is unknown), and the charts only draw what these return.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insatskollen.core import theme


def ordered_areas(present) -> list[str | None]:
    """The national areas among `present` in the fixed order of the theme, then None (no area) if any."""
    order = list(theme.AREA_COLORS)
    known = [a for a in order if a in set(present)]
    return known + ([None] if any(a is None or a != a for a in present) else [])


@dataclass(frozen=True)
class AreaSums:
    """Known amounts per area, and the part of each in frames with a known amount. A share of the frame counts
    only lines whose frame has a known amount, against those frames; lines of a frame without amount are left
    out of the shares (unframed_sek, named by unframed_places), so the shares never exceed what the known
    frames hold by an unknown frame's lines."""

    areas: list[str | None]
    amounts: list[float]
    in_known_frames: list[float]
    frame_sek: float | None  # the frames summed once per municipality-year; None when no frame is known
    unframed_sek: float  # allocated in frames without a known amount
    unframed_places: list[str]  # "Malmö 2022" of those frames
    lines_without_amount: int

    @property
    def share_base(self) -> float | None:
        """What the shares are of: the known frames' sum, when there is one above 0."""
        return self.frame_sek if self.frame_sek else None

    def shares(self) -> list[float | None]:
        base = self.share_base
        return [part / base if base else None for part in self.in_known_frames]


def by_area(rows: pd.DataFrame) -> AreaSums:
    """rows (the allocation_by_area query): priority_area, amount_sek, lines_without_amount, municipality, year,
    frame_sek and frame_known, summed over whatever municipality-year rows are given."""
    sums: dict[str | None, float] = {}
    in_known_frames: dict[str | None, float] = {}
    known_frame = rows["frame_known"] if "frame_known" in rows else pd.Series(True, index=rows.index)
    for r, frame_known in zip(rows.itertuples(), known_frame, strict=True):
        if pd.notna(r.amount_sek):
            key = r.priority_area if isinstance(r.priority_area, str) else None
            sums[key] = sums.get(key, 0.0) + float(r.amount_sek)
            if frame_known:
                in_known_frames[key] = in_known_frames.get(key, 0.0) + float(r.amount_sek)
    frame_total = rows.drop_duplicates(["municipality", "year"])["frame_sek"].sum(min_count=1)
    without_frame = rows[~known_frame.astype(bool) & rows.amount_sek.notna()]
    areas = ordered_areas(list(sums))
    return AreaSums(
        areas=areas,
        amounts=[sums[a] for a in areas],
        in_known_frames=[in_known_frames.get(a, 0.0) for a in areas],
        frame_sek=frame_total if pd.notna(frame_total) else None,
        unframed_sek=float(without_frame.amount_sek.sum()),
        unframed_places=list(
            dict.fromkeys(
                f"{m} {y}" for m, y in zip(without_frame.municipality, without_frame.year, strict=True)
            )
        ),
        lines_without_amount=int(rows.lines_without_amount.sum()),
    )


@dataclass(frozen=True)
class AreaSplit:
    """Each municipality's known allocation split by area: cells[(area, municipality)] = (amount, share of the
    municipality's known allocation). Municipalities without a known amount are in `missing`, not drawn as 0."""

    municipalities: list[str]
    areas: list[str | None]
    cells: dict[tuple[str | None, str], tuple[float, float]]
    missing: list[str]


def area_split(rows: pd.DataFrame) -> AreaSplit:
    """rows: municipality, priority_area, amount_sek (any years; summed)."""
    known = rows[rows.amount_sek.notna()]
    per = known.groupby(["municipality", "priority_area"], dropna=False)["amount_sek"].sum().reset_index()
    totals = per.groupby("municipality")["amount_sek"].sum()
    municipalities = [m for m in sorted(totals.index) if totals[m] > 0]
    areas = ordered_areas(list(per.priority_area))
    cells = {}
    for area in areas:
        part = per[per.priority_area.isna()] if area is None else per[per.priority_area == area]
        for m in municipalities:
            amount = float(part[part.municipality == m].amount_sek.sum())
            cells[(area, m)] = (amount, amount / totals[m])
    return AreaSplit(municipalities, areas, cells, sorted(set(rows.municipality) - set(municipalities)))


@dataclass(frozen=True)
class CommitteeSums:
    """The nämnder with a known amount, largest first, and the lines without amount of every nämnd."""

    names: list[str]
    amounts: list[float]
    lines_without_amount: int


def by_committee(rows: pd.DataFrame) -> CommitteeSums:
    """Per nämnd ("Nämnd (Kommun)" when the rows hold several municipalities, where the same name recurs), the
    known amounts summed; a nämnd with no known amount is unknown, not 0, and left out.
    rows: municipality, committee, amount_sek, lines_without_amount."""
    rows = rows.assign(committee=rows.committee.fillna(theme.NO_COMMITTEE))
    if rows.municipality.nunique() > 1:
        rows = rows.assign(committee=rows.committee + " (" + rows.municipality + ")")
    per = rows.groupby("committee").agg(
        amount_sek=("amount_sek", "sum"),
        known_amounts=("amount_sek", "count"),
        lines_without_amount=("lines_without_amount", "sum"),
    )
    per = per.assign(amount_sek=per.amount_sek.where(per.known_amounts > 0))
    known = per[per.amount_sek.notna()].sort_values("amount_sek", ascending=False)
    return CommitteeSums(
        list(known.index), [float(v) for v in known.amount_sek], int(per.lines_without_amount.sum())
    )


def per_year(totals: pd.DataFrame) -> pd.DataFrame:
    """Frame and allocated per year, summed over the municipalities of `totals` (key_figures.by_municipality_year):
    a sum with no known amount stays unknown, never 0. Columns: year, frame_sek, allocated_sek,
    lines_without_amount."""
    return (
        totals.groupby("year")
        .agg(
            frame_sek=("frame_sek", lambda s: s.sum(min_count=1)),
            allocated_sek=("allocated_sek", lambda s: s.sum(min_count=1)),
            lines_without_amount=("lines_without_amount", "sum"),
        )
        .reset_index()
    )


@dataclass(frozen=True)
class Flow:
    """The known allocation as links: funding source → nämnd and nämnd → area label, each summed."""

    sources: list[str]
    committees: list[str]  # largest first
    areas: list[str]  # area labels in the theme's order
    source_links: list[tuple[str, str, float]]  # (funding source, nämnd, amount)
    area_links: list[tuple[str, str, float]]  # (nämnd, area label, amount)
    lines_without_amount: int


def flow(lines: pd.DataFrame) -> Flow:
    """lines (the allocation_flow query): funding_source, committee, priority_area, amount_sek,
    lines_without_amount."""
    known = lines[lines.amount_sek.notna()].copy()
    known["committee"] = known.committee.fillna(theme.NO_COMMITTEE)
    known["area"] = known.priority_area.map(theme.area_label)
    return Flow(
        sources=sorted(known.funding_source.unique()),
        committees=list(known.groupby("committee").amount_sek.sum().sort_values(ascending=False).index),
        areas=[theme.area_label(a) for a in ordered_areas(list(known.priority_area))],
        source_links=[
            (src, com, amount)
            for (src, com), amount in known.groupby(["funding_source", "committee"]).amount_sek.sum().items()
        ],
        area_links=[
            (com, area, amount)
            for (com, area), amount in known.groupby(["committee", "area"]).amount_sek.sum().items()
        ],
        lines_without_amount=int(lines.lines_without_amount.sum()),
    )
