"""Uppföljning: per frame-year, granted against spent per area and per nämnd, the flagged measures,
each measure's granted and spent over the years (the follow_up view; read-only), and the yearly report
(återrapportering) as Word and Excel with a paragraph the official edits."""

from dataclasses import replace

import streamlit as st

from insatskollen import ui
from insatskollen.core import fmt, follow_up, key_figures, na, theme
from insatskollen.export import follow_up_charts, follow_up_report
from insatskollen.ui import follow_up_entry, follow_up_report_view, follow_up_upload

MAX_FRAME_OPTIONS = 60  # as on Scenarier: a longer list is chosen in two steps, kommun then frame-year
MAX_MUNICIPALITIES = 12  # more kommuner in view: the kommun is chosen before the frame-years are counted

ui.require_app_frame()
filters = ui.current_filters()
ui.page_header(
    "Uppföljning",
    "Från beslut till utfall: vad varje insats har använt av det beviljade, hur långt den har kommit och "
    "vad den har gett, enligt de uppföljningsrapporter som har lästs in under Importera.",
    filters,
)

in_view = filters.municipalities or tuple(ui.filter_options(filters)["municipalities"])
if len(in_view) > MAX_MUNICIPALITIES:
    # the kommun first, before any frame-year is counted: counting every frame-year's measures and reports
    # nationally (11 600 frame-years, 1 M lines) took ~0.6 s on each change, for a list nobody reads whole
    kommun = st.selectbox("Kommun", sorted(in_view), key="uppf_municipality")
    filters = replace(filters, municipalities=(kommun,))
frame_years = ui.query("follow_up_frame_years", filters)
if frame_years.empty:
    ui.empty_state("Inga ramar med insatser att följa upp")
    st.stop()
if len(frame_years) > MAX_FRAME_OPTIONS and len(in_view) <= MAX_MUNICIPALITIES:  # a few kommuner, many years
    kommun = st.selectbox("Kommun", sorted(frame_years.municipality.unique()), key="uppf_municipality")
    frame_years = frame_years[frame_years.municipality == kommun]
# frame-years with reports first, so the page opens on one that has something to show
frame_years = frame_years.sort_values("reports", ascending=False, kind="stable")
labels = {
    f"{r.frame_id}|{r.year}": f"{r.municipality} {r.year}, {r.funding_source} "
    f"({r.reports} av {fmt.count_phrase(r.measures, 'insats', 'insatser')} rapporterade)"
    for r in frame_years.itertuples()
}
chosen = ui.linked_selectbox("Ram och år", labels, ui.VIEW_KEYS["follow_up_frame"])
frame_id, year = chosen.rsplit("|", 1)
rows = ui.query("follow_up_frame_year", frame_id=frame_id, year=int(year))
granted = key_figures.known_sum(rows.granted_sek)
spent = key_figures.known_sum(rows.spent_sek)
both = rows[rows.granted_sek.notna() & rows.spent_sek.notna()]
deviation = key_figures.known_sum(both.deviation_sek)


def _mnkr(value: int | None) -> str:
    return "okänt" if value is None else fmt.mnkr(value)


ui.metric_row(
    [
        (  # the bound in the label (the one rule, as the import preview's "minst"): "minst 7,05 mnkr" does not fit
            key_figures.bounded_label("Beviljat", rows.granted_sek),
            _mnkr(granted),
            f"{fmt.sek(granted)}; "
            f"{fmt.count_phrase(int(rows.granted_sek.isna().sum()), 'insats', 'insatser')} utan känt belopp.",
        ),
        (  # unreported measures' spending is unknown, not 0: the known sum is a lower bound
            key_figures.bounded_label("Utfall", rows.spent_sek),
            _mnkr(spent),
            f"{fmt.sek(spent)}; "
            f"{fmt.count_phrase(int(rows.spent_sek.isna().sum()), 'insats', 'insatser')} utan känt utfall.",
        ),
        (
            "Avvikelse",
            _mnkr(deviation),
            follow_up.deviation_help(deviation, len(both)),
        ),
        ("Rapporterade", f"{int((rows.status != 'ingen rapport').sum())} av {len(rows)}", None),
    ]
)
if (balance := follow_up_report_view.frame_year_balance(rows)) is not None:
    st.caption(
        ui.plain(f"Ramen: {balance.clause()}")
    )  # the headline rule (insatskollen.core.key_figures), as Översikt
st.caption(follow_up.deviation_note(len(both)))
st.markdown(follow_up.flag_sentence(rows))  # our words and counts, no data text
st.caption(follow_up.RULES)

area, committee = st.tabs(["Per område", "Per nämnd"])
for tab, by, column, key in (
    (area, "priority_area", "Område", "uppf_area"),
    (committee, "committee", "Nämnd", "uppf_committee"),
):
    with tab:
        table = follow_up.summary(rows, by)
        title = f"Beviljat och utfall per {column.lower()}"
        ui.render_chart(ui.chart(follow_up_charts.granted_spent_bars, table, column, title), key=key)
        summary = ui.display_table(table)
        for column in ("Beviljat (kr)", "Utfall (kr)"):
            summary.loc[table[column].isna().to_numpy(), column] = "okänt"
        ui.table(summary)

st.subheader("Insatserna")
flagged = follow_up.with_flags(rows)
documents = ui.query("documents")
titles = dict(zip(documents.document_id, documents.title, strict=True))
shown = ui.display_table(
    flagged.assign(
        Flaggor=[", ".join(f) for f in flagged.flag_names],
        status_date=[None if na.missing(d) else f"{d:%Y-%m-%d}" for d in flagged.status_date],
        Område=flagged.priority_area.map(theme.area_label),
        Nämnd=flagged.committee.fillna(theme.NO_COMMITTEE),
        Källa=[  # as the yearly report: the dnr once, a document by its title, never an internal id
            follow_up_report.granted_source(r, titles) for r in flagged.itertuples()
        ],
        Rapport=[
            f"{r.report_file} rad {r.report_line}, {r.reported_by} {r.reported_at:%Y-%m-%d}"
            if isinstance(r.report_file, str)
            else None
            for r in flagged.itertuples()
        ],
    ).rename(
        columns={
            "measure": "Insats",
            "granted_sek": "Beviljat (kr)",
            "spent_sek": "Utfall (kr)",
            "deviation_sek": "Avvikelse (kr)",
            "status": "Genomförande",
            "status_date": "Datum",
            "result": "Resultat",
        }
    )[
        [
            "Insats",
            "Flaggor",
            "Nämnd",
            "Område",
            "Beviljat (kr)",
            "Utfall (kr)",
            "Avvikelse (kr)",
            "Genomförande",
            "Datum",
            "Resultat",
            "Källa",
            "Rapport",
        ]
    ]
)
for source, column in (
    ("granted_sek", "Beviljat (kr)"),
    ("spent_sek", "Utfall (kr)"),
    ("deviation_sek", "Avvikelse (kr)"),
):
    shown.loc[flagged[source].isna().to_numpy(), column] = "okänt"
ui.table(shown)

follow_up_entry.render(ui.database(), rows, int(year))
follow_up_upload.render(ui.database(), rows.municipality_code.iloc[0], rows.municipality.iloc[0])

st.subheader("En insats över åren")
items = {
    (r.measure_id if isinstance(r.measure_id, str) else r.allocation_id): r.measure for r in rows.itertuples()
}
item = ui.linked_selectbox("Insats", items, ui.VIEW_KEYS["follow_up_measure"])
history = ui.query("follow_up_measure_years", item_id=item)
ui.render_chart(ui.chart(follow_up_charts.measure_years_line, history, items[item]), key="uppf_years")

follow_up_report_view.section(rows, frame_id, int(year))
