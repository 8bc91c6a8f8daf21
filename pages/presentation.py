"""Presentation: full-screen slides for the kommunstyrelse meeting, and the exports of the same deck."""

import re
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from insatskollen import deck as deck_module
from insatskollen import fmt, report, ui, unexpected
from insatskollen import scenario_store as store

ui.require_app_frame()
db = ui.database()
filters = ui.current_filters()

# Slides fill the screen: no sidebar, header or toolbar; large type. Static CSS, no user data in it.
st.markdown(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
    [data-testid="stToolbar"] { display: none !important; }
    .block-container { padding-top: 1.2rem !important; max-width: 1500px; }
    .ik-title { font-size: 2.6rem; font-weight: 700; line-height: 1.15; margin: 0.2rem 0 0.4rem; color: #1F2937; }
    .ik-message { font-size: 1.55rem; line-height: 1.35; margin: 0 0 0.8rem; color: #1F2937; }
    .ik-draft { display: inline-block; color: #B91C1C; border: 3px solid #B91C1C; font-weight: 700;
                font-size: 1.3rem; padding: 0 0.6rem; margin-bottom: 0.4rem; }
    .ik-table table { font-size: 1.3rem; border-collapse: collapse; width: 100%; }
    .ik-table th, .ik-table td { padding: 0.25rem 0.8rem; border-bottom: 1px solid #D1D5DB; text-align: left; }
    .ik-table th { color: #374151; } .ik-table .num { text-align: right; white-space: nowrap; }
    .ik-table tr.total td { font-weight: 700; }
    </style>""",
    unsafe_allow_html=True,
)

saved = store.list_scenarios(db)
names = dict(zip(saved.scenario_id, saved.name, strict=True))
SAVED = "Sparat scenario"
# The link decides on arrival: /presentation?scenario=<id> opens that saved scenario's deck.
linked = st.query_params.get("scenario")
if linked and linked != st.session_state.get("deck_linked"):
    st.session_state["deck_linked"] = linked
    if linked in names:
        st.session_state["deck_basis"], st.session_state["deck_scenario"] = SAVED, linked
    else:
        st.warning(
            "Scenariot i länken finns inte bland de sparade; presentationen visar de aktuella filtren."
        )
with st.expander("Underlag och export", expanded=False):
    basis = st.radio(
        "Underlag", ["Aktuella filter"] + ([SAVED] if names else []), horizontal=True, key="deck_basis"
    )
    if basis == SAVED:
        st.selectbox("Scenario", list(names), format_func=names.get, key="deck_scenario")
    st.caption(f"Filter: {ui.plain(ui.filter_summary(filters))}. Ändra filtren på de andra sidorna.")

chosen = st.session_state.get("deck_scenario") if st.session_state.get("deck_basis") == SAVED else None
orphaned = set(saved.scenario_id[saved.orphaned]) if len(saved) else set()
if chosen in orphaned:  # its frame is gone (an import undone): said plainly, the filter deck instead
    st.warning(
        f"Scenariot ”{ui.plain(names[chosen])}” bygger på en ram som inte längre finns i datan (importen kan "
        "ha ångrats eller datan byggts om). Öppna det under Scenarier för att se de sparade raderna. "
        "Här visas presentationen för de aktuella filtren.",
        icon=":material/link_off:",
    )
    chosen = None
if chosen in names:
    st.query_params["scenario"] = st.session_state["deck_linked"] = chosen  # the link reopens this deck
    meta, scenario = store.load(db, chosen)
    frames = ui.query("scenario_frames")
    frame = frames[(frames.frame_id == meta.frame_id) & (frames.year == meta.year)].iloc[0]
    deck = deck_module.from_scenario(
        db,
        meta.name,
        f"{frame.municipality} {meta.year} · {frame.funding_source}",
        frame.municipality,
        int(meta.year),
        scenario,
        today=date.today(),
        funding_source=frame.funding_source,
    )
else:
    if "scenario" in st.query_params:
        del st.query_params["scenario"]
    st.session_state["deck_linked"] = None
    in_selection = ui.query("totals_by_municipality_year", filters).municipality.nunique()
    if in_selection > deck_module.MAX_MUNICIPALITIES:
        st.info(
            f"Presentationen är gjord för ett möte om en eller några kommuner. Urvalet har "
            f"{fmt.number(in_selection)} kommuner: välj högst {deck_module.MAX_MUNICIPALITIES} i filtret "
            "på någon av de andra sidorna.",
            icon=":material/filter_alt:",
        )
        st.stop()
    deck = ui.deck_for(filters, date.today())

slides = deck.slides
count = len(slides)
if "slide" not in st.session_state:
    wanted = st.query_params.get("bild", "1")
    wanted = int(wanted) if re.fullmatch(r"[0-9]{1,3}", wanted) else 1  # '²' is a digit to isdigit()
    st.session_state["slide"] = min(max(wanted, 1), count) - 1
st.session_state["slide"] = min(st.session_state["slide"], count - 1)


@unexpected.callback
def step_to(step: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + step, 0), count - 1)


@unexpected.callback
def pick() -> None:
    st.session_state["slide"] = st.session_state["slide_pick"]


index = st.session_state["slide"]
st.query_params["bild"] = str(index + 1)
slide = slides[index]

nav_prev, nav_list, nav_next = st.columns([1, 4, 1])
nav_prev.button(
    "← Föregående",
    on_click=step_to,
    args=(-1,),
    disabled=index == 0,
    key="slide_prev",
    shortcut="PageUp",
    width="stretch",
)
st.session_state["slide_pick"] = index
nav_list.selectbox(
    "Bildlista",
    list(range(count)),
    format_func=lambda i: f"{i + 1}/{count} · {slides[i].title}",
    key="slide_pick",
    on_change=pick,
    label_visibility="collapsed",
)
nav_next.button(
    "Nästa →",
    on_click=step_to,
    args=(1,),
    disabled=index == count - 1,
    key="slide_next",
    shortcut="PageDown",
    width="stretch",
    type="primary",
)

# A clicker sends PageDown/PageUp. Streamlit's button shortcuts ignore keys while the focus is in a select box
# (right after choosing a slide or a scenario), so catch those keys first, leave the box and press the button.
# Static script, no user data; it only acts while this page's slide buttons exist.
st.html(
    """<script>
(() => {
  if (window.__ikSlideKeys) return;
  window.__ikSlideKeys = true;
  document.addEventListener("keydown", (event) => {
    if ((event.key !== "PageDown" && event.key !== "PageUp") || event.ctrlKey || event.metaKey || event.altKey) return;
    const inBox = event.target && event.target.closest &&
      event.target.closest('input, textarea, select, [role="combobox"], [role="listbox"], [contenteditable="true"]');
    const button = document.querySelector(event.key === "PageDown" ? ".st-key-slide_next button" : ".st-key-slide_prev button");
    if (!inBox || !button) return;
    event.preventDefault();
    event.stopPropagation();
    document.activeElement && document.activeElement.blur();
    if (!button.disabled) button.click();
  }, true);
})();
</script>""",
    unsafe_allow_javascript=True,
)

if deck.draft:
    st.markdown(f'<div class="ik-draft">{deck_module.DRAFT.upper()}</div>', unsafe_allow_html=True)
st.markdown(f'<h1 class="ik-title">{ui.html_text(slide.title)}</h1>', unsafe_allow_html=True)
st.markdown(f'<div class="ik-message">{ui.html_text(slide.message)}</div>', unsafe_allow_html=True)
if slide.chart is not None:
    untitled = go.Figure(slide.chart.figure).update_layout(title_text="", margin={"t": 30})  # heading says it
    st.plotly_chart(
        untitled,
        key=f"slide_chart_{index}",
        alt=slide.chart.alt,
        theme=None,
        config={"displaylogo": False, "displayModeBar": False},
    )
    if slide.note:
        st.caption(ui.plain(slide.note))
elif slide.table is not None and len(slide.table):
    st.markdown(f'<div class="ik-table">{report.table_html(slide.table)}</div>', unsafe_allow_html=True)
st.caption(ui.plain(deck.footer))

st.divider()
st.markdown("**Exportera hela presentationen**")
stem = "insatskollen-" + (deck.scenario_name or "presentation")
stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:60]
OFFICE = "application/vnd.openxmlformats-officedocument"
OFFICE_FILES = [  # label, kind, mime, icon
    ("PowerPoint", "pptx", f"{OFFICE}.presentationml.presentation", "slideshow"),
    ("Word", "docx", f"{OFFICE}.wordprocessingml.document", "description"),
    ("Excel", "xlsx", f"{OFFICE}.spreadsheetml.sheet", "table"),
]
# Every file is made on a click ("Skapa …", with a spinner), then offered ("Ladda ner …"); a failure is said
# here in Swedish. Making the three Office files on every rerun was more than half of the page's time
# (issue 16), and the page reruns on every filter change and slide.
token = report.fingerprint(deck)
columns = st.columns(5)
for column, (label, kind, mime, icon) in zip(columns, OFFICE_FILES, strict=False):
    ui.download_after_click(
        label,
        f"Skapa {label}",
        lambda kind=kind: ui.deck_bytes(kind, deck),
        f"{stem}.{kind}",
        mime,
        icon,
        token,
        column,
    )
if report.static_export_available():  # PDF and PNG take Chromium seconds
    ui.download_after_click(
        "PDF",
        "Skapa PDF",
        lambda: report.to_pdf(deck),
        f"{stem}.pdf",
        "application/pdf",
        "picture_as_pdf",
        token,
        columns[3],
    )
    if slide.chart is not None:
        ui.download_after_click(
            "PNG",
            "Skapa PNG av diagrammet",
            lambda: report.chart_png(slide.chart.figure),
            f"{stem}-bild-{index + 1}.png",
            "image/png",
            "image",
            f"{token}-{index}",
            columns[4],
        )
if not report.static_export_available():
    st.info(report.NO_CHROMIUM, icon=":material/info:")
st.caption(
    f"{fmt.count_phrase(count, 'bild', 'bilder')}. Bläddra med PageUp/PageDown (som en presentationsklicker). "
    "Helskärm: F11 i webbläsaren."
)
