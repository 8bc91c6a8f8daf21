"""The Scenarier page's state between reruns: one ActiveScenario, and what the page shows of it.

Widget options on the page are stable ids (line ids, scenario ids); their labels never carry an
amount, so an edit cannot make a selection stale. Streamlit 1.67's selectbox keeps the *formatted
label* as its value on the wire (SelectboxSerde): a label that changes between reruns no longer
matches any option and the selection silently falls back to the first option. Amounts are shown
beside the box instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from insatskollen.core import basis, fmt, key_figures, scenario_evaluation, scenario_undo, theme
from insatskollen.core import scenario as sc
from insatskollen.core.fmt import swedish_time
from insatskollen.export import municipality_charts, scenario_charts
from insatskollen.export.chart_builder import ChartSpec
from insatskollen.store import scenario_store as store
from insatskollen.store.db import Database

STATUS_TEXT = {
    "ok": "uppfylls",
    "under": "under intervallet",
    "över": "över intervallet",
    "okänd": "kan inte prövas",
}


def unique_labels(items: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """Labels for (id, title, context) that tell equal titles apart: 'Title · context', then '(2)', '(3)'."""
    counts: dict[str, int] = {}
    for _, title, _ in items:
        counts[title.casefold()] = counts.get(title.casefold(), 0) + 1
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for item_id, title, context in items:
        label = title if counts[title.casefold()] == 1 or not context else f"{title} · {context}"
        candidate, number = label, 2
        while candidate.casefold() in taken:
            candidate, number = f"{label} ({number})", number + 1
        taken.add(candidate.casefold())
        labels[item_id] = candidate
    return labels


@dataclass
class ActiveScenario:
    """The scenario open on the page: the engine's Scenario plus what the page knows about where it came from."""

    scenario: scenario_undo.Scenario
    frame_id: str
    year: int
    saved_id: str | None = None
    name: str | None = None
    comment: str = ""
    author: str = ""
    stale: bool = False  # the data the saved scenario started from has changed since
    orphaned: bool = False  # its frame is gone from the data: shown as saved, read-only
    owner_subject: str | None = None  # with sign-in, only this subject may change it (auth.Identity.owns)
    stated_sek: int | None = None  # what the document states the frame's rows allocate (headline rule)
    _evaluated: tuple | None = field(default=None, repr=False, compare=False)

    def evaluation(self) -> scenario_evaluation.Evaluation:
        """The rules and what is left, for the current state (computed once per state, not per element)."""
        if self._evaluated is None or self._evaluated[0] is not self.scenario.current:
            self._evaluated = (self.scenario.current, self.scenario.evaluate(self.stated_sek))
        return self._evaluated[1]

    @classmethod
    def new(cls, db: Database, frame_id: str, year: int) -> ActiveScenario:
        state, rules = store.baseline(db, frame_id, year)
        return cls(
            scenario_undo.Scenario.start(state, rules),
            frame_id,
            int(year),
            stated_sek=store.stated_total(db, frame_id, year),
        )

    @classmethod
    def open(cls, db: Database, scenario_id: str) -> ActiveScenario:
        """A saved scenario with its undo history; raises store.ScenarioError when it does not exist."""
        meta, scenario = store.load(db, scenario_id)
        stale = not meta.orphaned and store.baseline_changed(db, meta, scenario)
        return cls(
            scenario,
            meta.frame_id,
            meta.year,
            meta.scenario_id,
            meta.name,
            meta.comment,
            meta.author,
            stale,
            meta.orphaned,
            meta.owner_subject,
            stated_sek=store.stated_total(db, meta.frame_id, meta.year),
        )

    # ------------------------------------------------------------ what the page shows

    @property
    def title(self) -> str:
        draft = "" if self.scenario.is_baseline else " · Utkast"
        return f"{self.name or 'Nytt scenario (inte sparat)'}{draft}"

    def line_labels(self) -> dict[str, str]:
        """Line id -> a label without amounts, unique within the scenario (amounts change, labels do not)."""
        return unique_labels([(x.line_id, x.label, x.committee) for x in self.scenario.current.lines])

    def line_note(self, line_id: str | None) -> str:
        """What the chosen line holds now, shown beside the 'Rad' box."""
        lines = {x.line_id: x for x in self.scenario.current.lines}
        if line_id not in lines:
            return ""
        line = lines[line_id]
        before = {x.line_id: x.amount for x in self.scenario.baseline.lines}
        now = basis.NO_FUNDING.lower() if line.amount is None and line.unfunded else fmt.sek(line.amount)
        parts = [f"Nu: {now}"]
        if line.added:
            parts.append("ny insats i scenariot")
        elif before.get(line_id) != line.amount:
            parts.append(f"utgångsläge {fmt.sek(before.get(line_id))}")
        parts += ["låst"] if line.locked else []
        return " · ".join(parts)

    def balance(self):
        """The current lines against the frame and the document's statement (insatskollen.core.key_figures.Balance)."""
        return self.scenario.balance(self.stated_sek)

    def metrics(self) -> list[tuple[str, str, str | None]]:
        """Ram, Fördelat and Ofördelat or Överfördelat by the one rule (insatskollen.core.key_figures.Balance), the
        third box labelled as on Översikt ("Ofördelat", "Ofördelat, högst", "Överfördelat, minst"): its value is
        the rule's own (`over_sek`, `left_sek`), never computed here."""
        balance = self.balance()
        unknown = balance.lines_without_amount
        bound = "; rader utan belopp saknas i summan." if unknown else "."
        over = balance.over_allocated_sek
        if over:
            third = ("Överfördelat, minst" if balance.over_is_bound else "Överfördelat", fmt.sek(over))
        elif balance.frame_sek is None:
            third = ("Ofördelat", "okänt")
        else:  # a document's contradiction is not ofördelat; with lines without amount it is "högst"
            third = ("Ofördelat, högst" if balance.left_is_bound else "Ofördelat", fmt.sek(balance.left_sek))
        return [
            ("Ram", fmt.sek(self.scenario.current.frame_amount), None),
            (
                "Fördelat",
                balance.allocated_text(fmt.sek) if len(self.scenario.current.lines) else fmt.sek(0),
                f"{unknown} rader utan belopp räknas inte." if unknown else None,
            ),
            (*third, f"{'Minst' if over else 'Högst'} så mycket{bound}" if unknown else None),
        ]

    def _says_documents_contradiction(self) -> bool:
        """The document contradicts itself (its rows sum to less than it states) and the scenario's lines
        still do: the status says it, once on the page, and points to Datakvalitet."""
        base = scenario_evaluation.balance(self.scenario.baseline, self.stated_sek)
        return base.state == key_figures.CONTRADICTION and self.balance().state == key_figures.CONTRADICTION

    def status(self) -> tuple[str, str]:
        """('info' | 'error' | 'success', text) for what is left to allocate."""
        evaluation = self.evaluation()
        if self._says_documents_contradiction():
            return "info", f"{evaluation.remaining_message} Se Datakvalitet."
        if evaluation.over_allocated:
            return "error", evaluation.remaining_message
        fully = evaluation.balance.state == key_figures.FULLY_ALLOCATED
        return ("success" if fully else "info"), evaluation.remaining_message

    def baseline_note(self) -> str | None:
        """When the document itself does not add up to its frame, say so in the one rule's words, unless the
        status above already says the document's contradiction."""
        if self._says_documents_contradiction():
            return None
        base = scenario_evaluation.balance(self.scenario.baseline, self.stated_sek)
        known = [x for x in self.scenario.baseline.lines if x.amount is not None]
        if not known or not (base.free_sek or base.over_sek or base.contradiction_sek):
            return None
        return f"{base.text(fmt.sek)} Se Datakvalitet."

    def rules_summary(self) -> tuple[str, str] | None:
        """One line for all rules: ('error' | 'success' | 'info', text); None without interval rules."""
        results = [r for r in self.evaluation().rules if r.rule.kind == "finansieringsintervall"]
        if not results:
            return None
        broken = [r for r in results if r.status in ("under", "över")]
        unknown = sum(1 for r in results if r.status == "okänd")
        untested = (
            f" {fmt.count_phrase(unknown, 'intervall', 'intervall')} kan inte prövas ännu." if unknown else ""
        )
        if broken:
            names = ", ".join(r.rule.budget_line or r.rule.priority_area or "–" for r in broken)
            return "error", f"{len(broken)} av {len(results)} intervall uppfylls inte: {names}.{untested}"
        if unknown == len(results):
            return (
                "info",
                f"Intervallen kan inte prövas ännu: ange belopp per budgetrad ({len(results)} intervall).",
            )
        return (
            "success",
            f"Alla prövade intervall uppfylls ({len(results) - unknown} av {len(results)}).{untested}",
        )

    def rules_table(self) -> pd.DataFrame:
        """Every rule of the frame with its status and what it means, as text."""
        results = self.evaluation().rules
        return pd.DataFrame(
            {
                "Regel": [
                    "Medfinansiering"
                    if r.rule.kind == "medfinansiering"
                    else (r.rule.budget_line or r.rule.priority_area or "–")
                    for r in results
                ],
                "Status": [
                    "gäller" if r.rule.kind == "medfinansiering" else STATUS_TEXT[r.status] for r in results
                ],
                "Vad det betyder": [
                    r.message.removeprefix(f"{r.rule.budget_line or r.rule.priority_area}: ") for r in results
                ],
            }
        )

    def lines_table(self) -> pd.DataFrame:
        """The lines with baseline and scenario amounts in kronor (None = unknown), for the table and downloads."""
        base = {x.line_id: x.amount for x in self.scenario.baseline.lines}
        lines = self.scenario.current.lines
        labels = self.line_labels()
        table = pd.DataFrame(
            {
                "Rad": [labels[x.line_id] for x in lines],
                "Nämnd": [x.committee or "–" for x in lines],
                "Område": [theme.area_label(x.priority_area) for x in lines],
                "Utgångsläge (kr)": pd.array(
                    [None if x.added else base.get(x.line_id) for x in lines], dtype="Int64"
                ),
                "Scenario (kr)": pd.array([x.amount for x in lines], dtype="Int64"),
                "Låst": ["ja" if x.locked else "" for x in lines],
            }
        )
        # The change is a number only where both amounts are known: an unfunded proposal counts as 0,
        # an unknown amount never does.
        base_known = {x.line_id: x.known_amount for x in self.scenario.baseline.lines}
        changes = [
            x.known_amount
            if x.added  # a measure new in the scenario: all of it is the change
            else (
                None
                if x.known_amount is None or base_known.get(x.line_id) is None
                else x.known_amount - base_known[x.line_id]
            )
            for x in lines
        ]
        table.insert(5, "Ändring (kr)", pd.array(changes, dtype="Int64"))
        table.insert(7, "Ofinansierat förslag", ["ja" if x.unfunded else "" for x in lines])
        return table

    def lines_shown(self) -> pd.DataFrame:
        """The lines table as the page shows it: Swedish amounts, '–' for unknown, no change shown as blank."""
        table = self.lines_table()
        return pd.DataFrame(
            {
                "Rad": table["Rad"],
                "Nämnd": table["Nämnd"],
                "Område": table["Område"],
                "Utgångsläge": [
                    basis.NO_FUNDING if unfunded == "ja" and pd.isna(v) else _amount_or_unknown(v)
                    for v, unfunded in zip(
                        table["Utgångsläge (kr)"], table["Ofinansierat förslag"], strict=True
                    )
                ],
                "Scenario": [
                    basis.NO_FUNDING if unfunded == "ja" and pd.isna(v) else _amount_or_unknown(v)
                    for v, unfunded in zip(table["Scenario (kr)"], table["Ofinansierat förslag"], strict=True)
                ],
                "Ändring": table["Ändring (kr)"].map(
                    lambda v: "" if pd.isna(v) or v == 0 else fmt.signed_sek(v)
                ),
                "Låst": table["Låst"],
            }
        )

    def changes_table(self) -> pd.DataFrame:
        """What differs from the baseline, the frame first: Rad, Före, Efter, Ändring."""
        changes = scenario_evaluation.changed_lines(self.scenario.baseline, self.scenario.current)
        labels = self.line_labels()
        return pd.DataFrame(
            {
                "Rad": [labels.get(c.line_id, c.label) for c in changes],
                "Före": ["ny insats" if c.what == "ny" else _amount_or_unknown(c.before) for c in changes],
                "Efter": [_amount_or_unknown(c.after) for c in changes],
                "Ändring": [_change(c) for c in changes],
            }
        )

    def interval_chart(self) -> ChartSpec | None:
        """The interval bands with the scenario's share per budget line; None without interval rules."""
        intervals = [r for r in self.scenario.rules if r.kind == "finansieringsintervall"]
        if not intervals:
            return None
        rules = pd.DataFrame(
            {
                "budget_line": [r.budget_line for r in intervals],
                "priority_area": [r.priority_area for r in intervals],
                "min_pct": [float(r.min_pct or 0) for r in intervals],
                "max_pct": [float(r.max_pct or 0) for r in intervals],
            }
        )
        results = self.evaluation().rules
        shares = {r.rule.budget_line: float(r.share) / 100 for r in results if r.share is not None}
        return municipality_charts.interval_bands(rules, shares or None, title="Scenariot mot intervallen")

    def difference_chart(self) -> ChartSpec:
        """Baseline and scenario per area and per nämnd."""
        base, now = self.scenario.baseline, self.scenario.current
        by_area = scenario_evaluation.compare_groups(base, now, sc.AREA)
        return scenario_charts.scenario_differences(
            by_area, scenario_evaluation.compare_groups(base, now, sc.COMMITTEE)
        )

    def change_log(self, db: Database) -> pd.DataFrame:
        """The saved change log and the edits made since, oldest first, times in Swedish time."""
        saved = log_table(store.change_log(db, self.saved_id)) if self.saved_id else None
        parts = [t for t in (saved, self.unsaved_log()) if t is not None and len(t)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def unsaved_log(self) -> pd.DataFrame:
        """Edits made since the last save, with the time each was made (Swedish time)."""
        return pd.DataFrame(
            {
                "Tid": [swedish_time(e.at) for e in self.scenario.edits],
                "Vem": ["(inte sparat än)"] * len(self.scenario.edits),
                "Vad": ["ändring"] * len(self.scenario.edits),
                "Detaljer": [e.text for e in self.scenario.edits],
            }
        )


def _amount_or_unknown(value) -> str:
    return "saknas" if value is None or pd.isna(value) else fmt.sek(value)


def _change(change: scenario_evaluation.LineChange) -> str:
    """The change of one line; from or to an unknown amount it is not a number."""
    if change.what == "ny":
        return "–" if change.after is None else fmt.signed_sek(change.after)
    if change.before is None:
        return "finansieras nu" if change.after is not None else "–"
    if change.after is None:
        return "belopp saknas nu"
    return fmt.signed_sek(change.after - change.before)


def _who(entry) -> str:
    """A signed-in author with their e-mail; a typed name marked as such (anyone could have typed it)."""
    if getattr(entry, "identity_kind", "free_text") == "oidc":
        return (
            f"{entry.author} ({entry.email})"
            if isinstance(entry.email, str) and entry.email
            else entry.author
        )
    return f"{entry.author} (inskrivet namn)"


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The stored change log (UTC) as the page shows it: Tid in Swedish time."""
    return pd.DataFrame(
        {
            "Tid": [swedish_time(t) for t in log["logged_at"]],
            "Vem": [_who(r) for r in log.itertuples()],
            "Vad": log["action"],
            "Detaljer": log["detail"].fillna(""),
        }
    )


def compare_saved(
    db: Database, first: str, second: str
) -> tuple[list[pd.DataFrame], dict[str, pd.DataFrame]]:
    """Two saved scenarios side by side: per area and per nämnd (A, B, B − A) as shown, and one sheet each."""
    _, a = store.load(db, first)
    _, b = store.load(db, second)
    tables = []
    for by, label in ((sc.AREA, "Område"), (sc.COMMITTEE, "Nämnd")):
        diff = scenario_evaluation.compare_groups(a.current, b.current, by)
        tables.append(
            pd.DataFrame(
                {
                    label: [d.name or "–" for d in diff],
                    "A": [key_figures.total_text(d.baseline, d.baseline_unknown) for d in diff],
                    "B": [key_figures.total_text(d.scenario, d.scenario_unknown) for d in diff],
                    "B − A": ["–" if d.change is None else fmt.signed_sek(d.change) for d in diff],
                }
            )
        )
    sheets = {
        name: pd.DataFrame(
            {"Rad": [x.label for x in s.current.lines], "Belopp (kr)": [x.amount for x in s.current.lines]}
        )
        for name, s in (("A", a), ("B", b))
    }
    return tables, sheets
