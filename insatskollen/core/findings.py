"""What a consistency finding is: where the documents contradict themselves, frames are over- or
under-allocated, rules are broken, or amounts are unknown.

Findings are information for officials, not errors. Each names its source and the ids of the
rows involved, so the dashboard can link to them. They are made by insatskollen.core.money_findings (amounts,
frames and rules) and insatskollen.core.text_findings (the documents' words, models, imports), and gathered
into a Report by insatskollen.core.consistency.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from insatskollen.core import fmt
from insatskollen.core.na import or_none

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


def source_text(document, section) -> str:
    """A finding's source: 'document, ”section”'."""
    return f"{document}, ”{section}”"


def frame_ids_of(frame_id) -> tuple[str, ...]:
    return () if or_none(frame_id) is None else (str(frame_id),)


def has_items(value) -> bool:
    """A list cell (ids, sections) with at least one item; None, NaN or a text is not one."""
    return hasattr(value, "__len__") and not isinstance(value, str) and len(value) > 0


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
