"""Kommuner: one municipality's frames, rules (intervals as bands), activity matrix, indicators and statistics."""

import streamlit as st

from insatskollen import ui
from insatskollen.core import basis, fmt, na, theme
from insatskollen.core import rules as rules_module
from insatskollen.core.filters import Filters
from insatskollen.export import charts
from insatskollen.ui import indicator_panel

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Kommuner",
    "En kommun i taget: dess ramar och regler, hur aktiviteterna fördelar sig på områden och inriktningar, "
    "och de indikatorer och den statistik som dokumenten anger.",
    filters,
)

options = list(filters.municipalities) or ui.filter_options()["municipalities"]
municipality = st.selectbox(
    "Välj kommun",
    options,
    key=ui.VIEW_KEYS["municipality_pick"],
    placeholder="Välj kommun",
    bind="query-params",
)

st.subheader("Ramar")
frames = ui.query("municipality_frames", municipality=municipality)
frames = frames[frames.year.isin(filters.years)] if filters.years else frames
if frames.empty:
    ui.empty_state("Ingen ram för kommunen")
else:
    ui.table(  # the source by its title (an imported file's names the file) and date, never its internal id
        frames.assign(
            Belopp=frames.amount_sek.map(fmt.sek),
            Källa=[
                ui.document_label(t, d, i)
                for t, d, i in frames[["source_title", "source_date", "source_document"]].itertuples(
                    index=False
                )
            ],
        ).rename(
            columns={
                "year": "År",
                "funding_source": "Finansieringskälla",
                "amount_text": "Enligt dokumentet",
                "case_number": "Dnr",
            }
        )[["År", "Finansieringskälla", "Belopp", "Enligt dokumentet", "Dnr", "Källa"]],
    )
    for reading in basis.frame_readings(frames):  # beside the table: where the frame is our reading
        st.caption(ui.plain(reading))

rules = ui.query("frame_rules", Filters(municipalities=(municipality,)))
if len(rules):
    st.subheader("Regler för ramen")
    for rule in rules[rules.rule_kind == "medfinansiering"].itertuples():
        grant = na.int_or_none(rule.frame_sek)
        st.markdown(
            f"- **Medfinansiering:** minst {fmt.pct_points(rule.min_pct)} av bidraget, det vill säga "
            f"{fmt.sek(rules_module.required_co_financing(grant, rule.min_pct))} per år i egna medel "
            f"({rule.funding_source}, {fmt.years(rule.year_from, rule.year_to)})."
        )
    intervals = rules[rules.rule_kind == "finansieringsintervall"]
    if len(intervals):
        # judged per frame and year by the one rule evaluator (the same as Datakvalitet and Scenarier)
        every_rule = ui.query("check_rules")  # judged for this municipality only: nationally 2 900 rules
        judged = rules_module.interval_rows(every_rule[every_rule.municipality == municipality])
        judged = [(r, res) for r, res in judged if not filters.years or r.year in filters.years]
        known = [(r, res) for r, res in judged if res.status != rules_module.UNKNOWN]
        shown_year = min((r.year for r, _ in known), default=None)
        shares = {r.budget_line: float(res.share) / 100 for r, res in known if r.year == shown_year}
        ui.render_chart(
            ui.chart(charts.interval_bands, intervals, shares or None), key="municipality_intervals"
        )
        if shares:
            st.caption(f"Fördelad andel visas för {shown_year}.")
        else:
            st.caption("Dokumentet anger inga belopp per område, så bara de tillåtna intervallen kan visas.")
        for r, res in known:
            if res.status in (rules_module.UNDER, rules_module.OVER):
                gap = fmt.sek(res.missing if res.status == rules_module.UNDER else res.excess)
                st.warning(
                    f"{r.year} · {ui.plain(r.budget_line)}: {rules_module.share_text(res)} av ramen, tillåtet "
                    f"{fmt.pct_points(r.min_pct)}–{fmt.pct_points(r.max_pct)} ({res.status} med {gap}).",
                    icon=":material/rule:",
                )

matrix = ui.query("activity_matrix", municipality=municipality)
model = ui.query("model_cells", municipality=municipality)
directions = ui.query("directions", municipality=municipality)
if len(matrix):
    columns = list(dict.fromkeys(matrix.sort_values("area_order").area_label))
    ui.render_chart(
        ui.chart(charts.matrix_heatmap, matrix, list(directions.direction), columns),
        key="municipality_matrix",
    )
elif len(model):
    st.subheader("Modellen: fokusområden och inriktningar")
    cells = model.assign(n=1)
    columns = list(dict.fromkeys(cells.sort_values("area_order").area_label))
    rows = list(dict.fromkeys(cells.sort_values("direction_order").direction))
    spec = ui.chart(
        charts.matrix_heatmap, cells, rows, columns, title="Modellens celler (1 = cellen finns i tabellen)"
    )
    ui.render_chart(spec, key="municipality_model")
    missing = [d for d in directions.direction if d not in rows]
    if missing:
        st.caption(
            "Inriktningar som dokumentet nämner men som inte finns i modelltabellen: "
            + "; ".join(missing)
            + "."
        )
else:  # the page's intro promises it: say why it is not here
    st.caption(
        "Områden och inriktningar: kommunens underlag anger inga inriktningar eller modelltabell, så "
        "fördelningen på inriktningar kan inte visas; fördelningen på områden finns under Prioriterade områden."
    )

indicators = ui.query("indicators", municipality=municipality)
stats = ui.query("statistics", municipality=municipality)
if not len(indicators) and not len(stats):  # said here, not under the Kolada heading that follows
    st.caption("Mål, indikatorer och statistik: kommunens dokument anger inga som verktyget har läst in.")
indicator_panel.render_municipality(municipality)  # Kolada series per area beside the money
if len(indicators):
    st.markdown("**Mål och indikatorer i dokumenten**")
    ui.table(
        indicators.assign(
            Område=indicators.priority_area.map(lambda a: a if isinstance(a, str) else "–")
        ).rename(
            columns={
                "area_label": "Kommunens område",
                "goal": "Mål",
                "indicator": "Indikator",
                "measure": "Insats",
                "source_document": "Källa",
            }
        )[["Område", "Kommunens område", "Insats", "Mål", "Indikator", "Källa"]],
    )

if len(stats):
    st.markdown("**Statistik i dokumenten**")
    values = [
        (f"{q} " if isinstance(q, str) else "") + (fmt.number(v, 1).removesuffix(",0") + f"\u00a0{u}")
        for q, v, u in zip(stats.qualifier, stats.value, stats.unit, strict=True)
    ]
    ui.table(
        stats.assign(Värde=values).rename(
            columns={"topic": "Mått", "region": "Avser", "period": "Period", "source_document": "Källa"}
        )[["Mått", "Avser", "Period", "Värde", "Källa"]],
    )

labels = ui.query("area_labels", municipality=municipality)
if len(labels):
    with st.expander("Kommunens egna namn på områdena"):
        ui.table(
            labels.assign(
                Område=labels.priority_area.map(lambda a: a if isinstance(a, str) else theme.NO_AREA)
            ).rename(columns={"label": "Kommunens namn", "note": "Not"})[["Kommunens namn", "Område", "Not"]],
        )
