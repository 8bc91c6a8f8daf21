"""The plan chain's tables (issue 26, item 1): a municipality's lägesbild problems, its goals per area and
which measures answer which goal. Declared like the other bundled tables (core/schema.py appends them), so
the build stages, validates and casts them, and an imported plan file's rows join them in the snapshot.

From problem to result: plan_problems (what the lägesbild says, with the indicator or figure that shows it)
-> plan_goals (the åtgärdsplan's goal, per area, answering a problem) -> plan_goal_measures (the measures
that answer a goal). The money comes from the allocations, spent and status from follow-up; the view
`plan_chain` (queries/model/08_plan_chain.sql) puts them together.
"""

from __future__ import annotations

from insatskollen.core.schema_types import Column, Table

_AREA = ("priority_areas", "priority_area")
_MUNI = Column("municipality_code", required=True, ref=("municipalities", "municipality_code"))
_DOC = Column("source_document", required=True, ref=("documents", "document_id"))
_SECTION = Column("source_section", required=True)
_QUOTE = Column("quote")  # the document's own words, exactly (a test finds them in the document)
_BASIS = Column("basis", required=True, choices=("dokument", "tolkning"))
_BASIS_NOTE = Column("basis_note")
_NOTE_FOR_READING = (
    "basis = 'tolkning' and basis_note is null",
    "en förklaring i basis_note av vad som är tolkat och varför",
    "basis_note",
)
_QUOTE_FOR_DOCUMENT = (
    "basis = 'dokument' and quote is null",
    "dokumentets egna ord i quote (en rad med basis dokument citerar dokumentet)",
    "quote",
)

PLAN_TABLES: tuple[Table, ...] = (
    Table(
        "plan_problems",
        (
            Column("problem_id", required=True),
            _MUNI,
            Column("area_label"),
            Column("priority_area", ref=_AREA),
            Column("problem", required=True),
            Column("indicator_id", ref=("indicators", "indicator_id")),
            Column("stat_id", ref=("statistics", "stat_id")),
            _DOC,
            _SECTION,
            _QUOTE,
        ),
        key=("problem_id",),
        description="Lägesbildens problem per område, med indikatorn eller siffran som visar dem.",
    ),
    Table(
        "plan_goals",
        (
            Column("goal_id", required=True),
            _MUNI,
            Column("area_label"),
            Column("priority_area", ref=_AREA),
            Column("goal", required=True),
            _DOC,
            _SECTION,
            _QUOTE,
            _BASIS,
            _BASIS_NOTE,
        ),
        key=("goal_id",),
        description="Åtgärdsplanens mål per område; de möter lägesbildens problem i samma område.",
        row_checks=(_NOTE_FOR_READING,),
    ),
    Table(
        "plan_goal_measures",
        (
            Column("goal_id", required=True, ref=("plan_goals", "goal_id")),
            Column("measure_id", required=True, ref=("measures", "measure_id")),
            _MUNI,
            _BASIS,
            _BASIS_NOTE,
            _QUOTE,
            _DOC,
            _SECTION,
        ),
        key=("goal_id", "measure_id"),
        description="Vilka insatser som svarar mot vilket mål: dokumentets ord eller vår tolkning.",
        row_checks=(_NOTE_FOR_READING, _QUOTE_FOR_DOCUMENT),
    ),
)
