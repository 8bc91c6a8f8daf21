"""The bundled data's tables: columns, types, keys, references and allowed values.

This is the single declaration the loader stages, validates and casts against.
The values themselves (areas, statuses, funding sources …) live in `data/`;
here we only say which column must match which table.
"""

from __future__ import annotations

from insatskollen.core.plan_schema import PLAN_TABLES
from insatskollen.core.schema_types import DATE_TEXT, DECIMAL, INT, Column, Table

YEAR = {"min_value": 1990, "max_value": 2100}
AMOUNT = {"min_value": 0, "max_value": 100_000_000_000}  # 100 mdkr: far above any frame
DOC = Column("source_document", required=True, ref=("documents", "document_id"))
SECTION = Column("source_section", required=True)
MUNI = Column("municipality_code", required=True, ref=("municipalities", "municipality_code"))
AREA = ("priority_areas", "priority_area")
# Whether a row states what the document says or our reading of it (shown as "Tolkning: …").
BASIS = Column("basis", required=True, choices=("dokument", "tolkning"))
BASIS_NOTE = Column("basis_note")
NOTE_FOR_READING = (
    "basis = 'tolkning' and basis_note is null",
    "en förklaring i basis_note av vad som är tolkat och varför",
    "basis_note",
)
UNFUNDED = "övrigt förslag utan finansiering"
IMPORTED_DOCUMENT = "Importerad fil"  # documents.kind of a file imported by a municipality (import_preview)

TABLES: tuple[Table, ...] = (
    Table(
        "municipalities",
        (Column("municipality_code", required=True), Column("municipality", required=True)),
        key=("municipality_code",),
        description="Kommuner med SCB:s fyrsiffriga kommunkod.",
        row_checks=(
            (
                "not regexp_full_match(municipality_code, '[0-9]{4}')",
                "en kommunkod med fyra siffror, t.ex. 0180",
                "municipality_code",
            ),
        ),
    ),
    Table(
        "sweden_municipalities",
        (
            Column("municipality_code", required=True),
            Column("municipality", required=True),
            Column("county_code", required=True),
            Column("county", required=True),
        ),
        key=("municipality_code",),
        description="Sveriges 290 kommuner med kommunkod och län (SCB), för att känna igen kommuner vid import.",
        row_checks=(
            (
                "not regexp_full_match(municipality_code, '[0-9]{4}')",
                "en kommunkod med fyra siffror, t.ex. 0180",
                "municipality_code",
            ),
            (
                "left(municipality_code, 2) <> county_code",
                "länskoden ska vara kommunkodens två första siffror",
                "county_code",
            ),
        ),
    ),
    Table(
        "documents",
        (
            Column("document_id", required=True),
            MUNI,
            Column("date", DATE_TEXT, required=True),
            Column("case_number"),
            Column("title", required=True),
            Column("kind", required=True),
            Column("taken", required=True),
            # the document's own sentence saying its amounts are rounded, and its heading (check.py)
            Column("rounding_section"),
            Column("rounding_quote"),
        ),
        key=("document_id",),
        description="Källdokumenten och vad som hämtats ur dem.",
        row_checks=(
            (
                "(rounding_section is null) <> (rounding_quote is null)",
                "både rubrik och citat (eller ingetdera) för dokumentets avrundning",
                "rounding_quote",
            ),
        ),
    ),
    Table(
        "priority_areas",
        (
            Column("priority_area", required=True),
            Column("sort_order", INT, required=True),
            Column("goal", required=True),
        ),
        key=("priority_area",),
        description="De fem nationella prioriterade områdena och deras delmål.",
    ),
    Table(
        "statuses",
        (
            Column("status", required=True),
            Column("sort_order", INT, required=True),
            Column("description", required=True),
        ),
        key=("status",),
        description="Tillåtna statusar för insatser och fördelningsrader.",
    ),
    Table(
        "funding_sources",
        (
            Column("funding_source", required=True),
            Column("kind", required=True, choices=("statsbidrag", "egna medel", "annat", "okänd")),
            Column("description", required=True),
        ),
        key=("funding_source",),
        description="Finansieringskällor: de kända, och de som importerade filer namnger (typ okänd när filen "
        "inte anger den).",
    ),
    Table(
        "area_labels",
        (
            Column("municipality_code", ref=("municipalities", "municipality_code")),
            Column("label", required=True),
            Column("priority_area", ref=AREA),
            Column("secondary_area", ref=AREA),
            DOC,
            SECTION,
            Column("note"),
        ),
        key=("municipality_code", "label"),
        description="Kommunernas egna områdesnamn och vilket nationellt område de motsvarar.",
    ),
    Table(
        "frames",
        (
            Column("frame_id", required=True),
            MUNI,
            Column("funding_source", required=True, ref=("funding_sources", "funding_source")),
            Column("year_from", INT, required=True, **YEAR),
            Column("year_to", INT, required=True, **YEAR),
            Column("amount_sek", INT, **AMOUNT),
            Column("amount_text", required=True),
            DOC,
            SECTION,
            Column("note"),
            BASIS,
            BASIS_NOTE,
        ),
        key=("frame_id",),
        description="Ramar: belopp per år att fördela.",
        row_checks=(
            ("year_to < year_from", "ett slutår som inte ligger före startåret", "year_to"),
            NOTE_FOR_READING,
        ),
    ),
    Table(
        "frame_year_basis",
        (
            Column("frame_id", required=True, ref=("frames", "frame_id")),
            Column("year", INT, required=True, **YEAR),
            BASIS,
            BASIS_NOTE,
            DOC,
            SECTION,
        ),
        key=("frame_id", "year"),
        description="Ett års grund för en ram där den skiljer sig från ramens (t.ex. ett år vars belopp inte är beslutat).",
        row_checks=(NOTE_FOR_READING,),
    ),
    Table(
        "frame_rules",
        (
            Column("rule_id", required=True),
            Column("frame_id", required=True, ref=("frames", "frame_id")),
            Column("rule_kind", required=True, choices=("finansieringsintervall", "medfinansiering")),
            Column("budget_line"),
            Column("min_pct", DECIMAL, min_value=0, max_value=100),
            Column("max_pct", DECIMAL, min_value=0, max_value=100),
            DOC,
            SECTION,
        ),
        key=("rule_id",),
        description="Regler för en ram: finansieringsintervall per område, medfinansiering.",
        row_checks=(
            ("min_pct > max_pct", "en minsta andel som inte är större än största andelen", "min_pct"),
            (
                "rule_kind = 'finansieringsintervall' and budget_line is null",
                "en budgetrad (finansieringsintervall gäller en budgetrad)",
                "budget_line",
            ),
            (
                "min_pct is null and max_pct is null",
                "minsta eller största andel (regeln anger ingen)",
                "min_pct",
            ),
        ),
    ),
    Table(
        "committees",
        (
            Column("committee_id", required=True),
            MUNI,
            Column("committee", required=True),
            Column("administration"),
            Column("decision_label"),
            DOC,
            SECTION,
            # what the recipient is, so a count names it ("2 kontor", "11 nämnder"); empty for imported rows
            Column("kind", choices=("nämnd", "kontor", "förvaltning")),
        ),
        key=("committee_id",),
        description="Nämnder och förvaltningar (eller kontor) som tar emot medel.",
    ),
    Table(
        "directions",
        (
            MUNI,
            Column("direction", required=True),
            Column("sort_order", INT, required=True),
            DOC,
            SECTION,
        ),
        key=("municipality_code", "direction"),
        description="Inriktningar/dimensioner som går på tvärs över områdena.",
    ),
    Table(
        "model_cells",
        (MUNI, Column("area_label", required=True), Column("direction", required=True), DOC, SECTION),
        key=("municipality_code", "area_label", "direction"),
        description="Celler i en kommuns modell område × inriktning som dokumentet ritar upp.",
    ),
    Table(
        "measures",
        (
            Column("measure_id", required=True),
            MUNI,
            Column("title", required=True),
            Column("description", required=True),
            Column("committee_id", ref=("committees", "committee_id")),
            Column("committee_basis", choices=("dokument", "tolkning")),
            Column("area_label"),
            Column("primary_area", ref=AREA),
            Column("area_basis", choices=("dokument", "tolkning")),
            Column("direction"),
            Column("districts"),
            Column("status", required=True, ref=("statuses", "status")),
            Column("requested_sek", INT, **AMOUNT),
            Column("requested_text"),
            DOC,
            SECTION,
            Column("interpretation"),
        ),
        key=("measure_id",),
        description="Insatser och förslag.",
        row_checks=(
            (
                "primary_area is not null and area_basis is null",
                '"dokument" eller "tolkning" i area_basis när ett område anges',
                "area_basis",
            ),
            (
                "committee_id is not null and committee_basis is null",
                '"dokument" eller "tolkning" i committee_basis när en nämnd eller ett kontor anges',
                "committee_basis",
            ),
            (
                "requested_sek is not null and requested_text is null",
                "dokumentets egen formulering av beloppet i requested_text",
                "requested_text",
            ),
        ),
    ),
    Table(
        "measure_links",
        (
            Column("measure_id", required=True, ref=("measures", "measure_id")),
            Column("priority_area", required=True, ref=AREA),
            Column("basis", required=True, choices=("dokument", "tolkning")),
            Column("note"),
            DOC,
            SECTION,
        ),
        key=("measure_id", "priority_area"),
        description="Sekundära områden som en insats också kopplas till.",
    ),
    Table(
        "allocations",
        (
            Column("allocation_id", required=True),
            Column("frame_id", required=True, ref=("frames", "frame_id")),
            Column("year", INT, **YEAR),
            Column("measure_id", ref=("measures", "measure_id")),
            Column("committee_id", ref=("committees", "committee_id")),
            Column("priority_area", ref=AREA),
            Column("amount_sek", INT, **AMOUNT),
            Column("status", ref=("statuses", "status")),
            DOC,
            SECTION,
            Column("note"),
            BASIS,
            BASIS_NOTE,
        ),
        key=("allocation_id",),
        description="Fördelningsrader: delar av en ram till en insats, en nämnd eller ett område.",
        row_checks=(
            (
                "measure_id is null and committee_id is null and priority_area is null",
                "en insats, en nämnd eller ett område på raden",
                "measure_id",
            ),
            (
                "measure_id is null and status is null",
                "en status (raden har ingen insats att ärva den från)",
                "status",
            ),
            (
                f"status = '{UNFUNDED}' and amount_sek is not null",
                f"inget belopp på ett {UNFUNDED} (dokumentet finansierar det inte)",
                "amount_sek",
            ),
            NOTE_FOR_READING,
        ),
    ),
    Table(
        "cost_items",
        (
            Column("measure_id", required=True, ref=("measures", "measure_id")),
            Column("item", required=True),
            Column("amount_sek", INT, **AMOUNT),
            DOC,
            SECTION,
        ),
        key=("measure_id", "item"),
        description="Kostnadsposter som ett dokument räknar upp för en insats.",
    ),
    Table(
        "stated_totals",
        (
            Column("total_id", required=True),
            Column(
                "scope",
                required=True,
                choices=("ram_summa", "ram_att_disponera", "område", "nämnd", "insats_kostnad"),
            ),
            Column("frame_id", ref=("frames", "frame_id")),
            Column("year", INT, **YEAR),
            Column("priority_area", ref=AREA),
            Column("committee_id", ref=("committees", "committee_id")),
            Column("measure_id", ref=("measures", "measure_id")),
            Column("stated_amount_sek", INT, required=True, **AMOUNT),
            Column("stated_count", INT, min_value=0),
            Column("stated_text", required=True),
            DOC,
            SECTION,
        ),
        key=("total_id",),
        description="Summor som dokumenten själva anger, för att pröva raderna mot.",
        row_checks=(
            (
                "scope in ('ram_summa', 'ram_att_disponera', 'område', 'nämnd') and frame_id is null",
                "en ram för den här sortens summa",
                "frame_id",
            ),
            ("scope = 'område' and priority_area is null", "ett område för en områdessumma", "priority_area"),
            ("scope = 'nämnd' and committee_id is null", "en nämnd för en nämndsumma", "committee_id"),
            (
                "scope = 'insats_kostnad' and measure_id is null",
                "en insats för en kostnadssumma",
                "measure_id",
            ),
        ),
    ),
    Table(
        "text_inconsistencies",
        (
            Column("inconsistency_id", required=True),
            MUNI,
            Column("year_from", INT, required=True, **YEAR),
            Column("year_to", INT, required=True, **YEAR),
            Column("subject", required=True),
            Column("document_a", required=True, ref=("documents", "document_id")),
            Column("section_a", required=True),
            Column("quote_a", required=True),
            Column("document_b", required=True, ref=("documents", "document_id")),
            Column("section_b", required=True),
            Column("quote_b", required=True),
            Column("message", required=True),
            Column("measure_id", ref=("measures", "measure_id")),
            Column("frame_id", ref=("frames", "frame_id")),
        ),
        key=("inconsistency_id",),
        description="Ställen där dokumentens egen text säger emot sig själv, med exakta citat.",
        row_checks=(("year_to < year_from", "ett slutår som inte ligger före startåret", "year_to"),),
    ),
    Table(
        "indicators",
        (
            Column("indicator_id", required=True),
            MUNI,
            Column("area_label"),
            Column("measure_id", ref=("measures", "measure_id")),
            Column("goal", required=True),
            Column("indicator", required=True),
            DOC,
            SECTION,
        ),
        key=("indicator_id",),
        description="Mål och indikatorer för uppföljning.",
    ),
    Table(
        "statistics",
        (
            Column("stat_id", required=True),
            MUNI,
            Column("topic", required=True),
            Column("region", required=True),
            Column("period"),
            Column("qualifier", choices=("ca", "över", "under")),
            Column("value", DECIMAL, required=True),
            Column("unit", required=True),
            DOC,
            SECTION,
        ),
        key=("stat_id",),
        description="Statistik som dokumenten citerar.",
    ),
    Table(
        "kpi_areas",
        (
            Column("kpi_id", required=True),
            Column("kpi_title", required=True),
            Column("priority_area", required=True, ref=AREA),
            Column("indicator_id", ref=("indicators", "indicator_id")),
            Column("rationale", required=True),
            Column("kpi_source", required=True),
            # whether id and title were checked against a public source quoting Kolada (issue 23, item 7)
            Column("verified", required=True, choices=("yes", "no")),
            Column("verified_source"),  # the source(s), files at a fixed commit, "; "-separated
            Column("verified_note"),  # what the source says, in Swedish
        ),
        key=("kpi_id",),
        description="Vilket nationellt område ett nyckeltal från Kolada visas under (vår tolkning, med motivering).",
        row_checks=(
            (
                "not regexp_full_match(kpi_id, '[A-Z][0-9]{5}')",
                "ett nyckeltals-id som N07403",
                "kpi_id",
            ),
            (
                "verified = 'yes' and verified_source is null",
                "källa saknas (en rad med verified yes anger adressen till filen som ger nyckeltalets namn)",
                "verified_source",
            ),
        ),
    ),
    *PLAN_TABLES,  # the plan chain: lägesbild, goals and which measures answer them (issue 26)
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
