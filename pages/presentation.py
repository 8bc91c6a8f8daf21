"""Presentation: full-screen slides for the kommunstyrelse meeting, and the exports of the same deck."""

from insatskollen.ui import frame

# First, before the imports below take their time: the first run after a server start shows no menu of
# file names (frame.leave_legacy_pages_mode).
frame.require_app_frame()

import re
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from insatskollen.export import deck as deck_module
from insatskollen.export import deck_layout, deck_pdf
from insatskollen.ui import deck_view, downloads, session, sidebar, text, unexpected

filters = sidebar.current_filters()

# The whole window is the slide (issue 22): no sidebar, header or toolbar; a thin bar of controls; the slide
# below it exactly as tall as what is left of the window, its chart taking the height the title, message and
# sources leave. Nothing scrolls at 1366×768 or 1024×768
# (tests/browser/test_journey_presenter.py::test_every_slide_fits_the_window). Static CSS, no user data in it.
st.markdown(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
    [data-testid="stToolbar"] { display: none !important; }
    .block-container { padding: 0.5rem 1.5rem 0 !important; max-width: 1500px; }
    [data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0.4rem; }
    /* the page's style and key script take no room */
    [data-testid="stElementContainer"]:has(style), [data-testid="stElementContainer"]:has(script) {
      display: none !important; }
    .st-key-ik_slide { height: calc(100dvh - 4.2rem) !important; overflow: hidden; gap: 0.3rem !important;
      flex-wrap: nowrap !important; flex: 0 0 auto !important; }
    [data-testid="stLayoutWrapper"]:has(> .st-key-ik_slide) { flex: 0 0 auto !important; }
    .st-key-ik_slide > div { flex: 0 0 auto !important; }
    .st-key-ik_slide > div:has([data-testid="stPlotlyChart"]) { flex: 1 1 0 !important; min-height: 0; }
    .st-key-ik_slide [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
    .st-key-ik_slide h1.ik-title { font-size: clamp(1.5rem, 4.2vh, 2.6rem); font-weight: 700; line-height: 1.15;
                margin: 0; color: #1F2937; padding: 0.3rem 0 0 !important; }
    .ik-message { font-size: clamp(1.05rem, 2.9vh, 1.55rem); line-height: 1.3; margin: 0; color: #1F2937; }
    .ik-head { display: flex; align-items: center; gap: 0.8rem; }
    .ik-draft { flex: none; display: inline-block; color: #B91C1C; border: 3px solid #B91C1C; font-weight: 700;
                font-size: 1.1rem; padding: 0 0.6rem; }
    .ik-table table { font-size: clamp(0.85rem, 2.3vh, 1.3rem); border-collapse: collapse; width: 100%; }
    .ik-table table.fixed { table-layout: fixed; }
    .ik-table th, .ik-table td { padding: 0.12rem 0.8rem; border-bottom: 1px solid #D1D5DB; text-align: left;
      line-height: 1.3; vertical-align: top; }
    .ik-table th { color: #374151; } .ik-table .num { text-align: right; white-space: nowrap; }
    .ik-table tr.total td { font-weight: 700; }
    .ik-sources, .ik-sources p { font-size: 0.75rem !important; line-height: 1.25; margin: 0; color: #4B5563; }
    /* the panel ends inside the window (768 px high with every file made and a scenario to choose): it
       scrolls within itself */
    [data-testid="stPopoverBody"] { max-height: calc(100dvh - 4.5rem) !important; overflow-y: auto !important; }
    .ik-count { font-size: 1rem; color: #374151; text-align: center; padding-top: 0.45rem; white-space: nowrap; }
    </style>""",
    unsafe_allow_html=True,
)

saved = deck_view.saved_scenarios()
names = saved.names
SAVED = "Sparat scenario"
SAVED_SCOPE = "Bilderna visar scenariots egen ram och rader; filtren i sidopanelen påverkar dem inte."
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
bar = st.columns([1.95, 0.75, 1.35, 0.9, 1.3, 0.7, 1.9], vertical_alignment="center")
# "Avsluta presentationen": back to the page the presentation was opened from, with the same filters
came_from = st.session_state.get(frame.LAST_PAGE_KEY) or "pages/oversikt.py"
bar[0].page_link(
    came_from,
    label="Avsluta presentationen",
    icon=":material/close:",
    query_params=filters.to_query_params(),
)
panel = bar[6].popover(
    "Underlag och export",
    icon=":material/tune:",
    width="stretch",
    key="deck_panel",
    on_change=deck_view.panel_toggled,  # opened: the PDF's browser starts while the person reads the panel
)
# The popover's widgets exist in the browser only while it is open: one opened after some reruns would start
# from its default ("Aktuella filter") and send that back. Setting the values again on every run sends them
# with the page, so the panel always shows (and keeps) the deck on screen.
if "deck_basis" in st.session_state:
    st.session_state["deck_basis"] = st.session_state["deck_basis"]
if st.session_state.get("deck_scenario") in names:
    st.session_state["deck_scenario"] = st.session_state["deck_scenario"]
with panel:
    basis = st.radio(
        "Underlag", ["Aktuella filter"] + ([SAVED] if names else []), horizontal=True, key="deck_basis"
    )
    if basis == SAVED:
        st.selectbox("Scenario", list(names), format_func=names.get, key="deck_scenario")
        # a saved scenario's deck is its own frame and lines: the sidebar's filters are not what it shows
        st.caption(SAVED_SCOPE)
    else:
        st.caption(
            f"Filter: {text.plain(sidebar.filter_summary(filters))}. Ändra filtren på sidan du kom från "
            "(Avsluta presentationen)."
        )

chosen = st.session_state.get("deck_scenario") if st.session_state.get("deck_basis") == SAVED else None
if chosen in saved.orphaned:  # its frame is gone (an import undone): said plainly, the filter deck instead
    st.warning(
        f"Scenariot ”{text.plain(names[chosen])}” bygger på en ram som inte längre finns i datan (importen kan "
        "ha ångrats eller datan byggts om). Öppna det under Scenarier för att se de sparade raderna. "
        "Här visas presentationen för de aktuella filtren.",
        icon=":material/link_off:",
    )
    chosen = None
empty = False  # the filters select nothing: one slide says so and leads back (no deck of "inget urval")
if chosen in names:
    st.query_params["scenario"] = st.session_state["deck_linked"] = chosen  # the link reopens this deck
    deck = deck_view.saved_deck(chosen, date.today())
else:
    if "scenario" in st.query_params:
        del st.query_params["scenario"]
    st.session_state["deck_linked"] = None
    in_selection = deck_view.municipality_count(filters)
    if in_selection > deck_module.MAX_MUNICIPALITIES:
        st.info(deck_view.too_many_text(in_selection), icon=":material/filter_alt:")
        st.stop()
    empty = in_selection == 0
    deck = session.deck_for(filters, date.today())


EMPTY_TITLE = "Inget att visa för urvalet"
slides = (  # the same slides as the PowerPoint and the PDF, "(forts.)" included
    [deck_layout.Page(deck_module.Slide("tomt", EMPTY_TITLE, deck_view.empty_message(filters)), EMPTY_TITLE)]
    if empty
    else deck_layout.pages(deck)
)
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
def pick(key: str) -> None:
    st.session_state["slide"] = st.session_state[key]


index = st.session_state["slide"]
# The slide is not written to the URL: every URL change is a browser history entry, and Back must leave the
# presentation, not page back through it. ?bild=N in a link still opens that slide.
if "bild" in st.query_params:
    del st.query_params["bild"]
page_ = slides[index]
slide = page_.slide

bar[1].button(
    "Första",
    help="Första bilden (Home)",
    on_click=step_to,
    args=(-count,),
    disabled=index == 0,
    key="slide_first",
    width="stretch",
)
bar[2].button(
    "Föregående",
    icon=":material/arrow_back:",
    on_click=step_to,
    args=(-1,),
    disabled=index == 0,
    key="slide_prev",
    help="Föregående bild (PageUp, ←)",
    width="stretch",
)
bar[3].markdown(
    f'<div class="ik-count">{deck_layout.slide_number(index + 1, count)}</div>', unsafe_allow_html=True
)
bar[4].button(
    "Nästa",
    icon=":material/arrow_forward:",
    icon_position="right",
    on_click=step_to,
    args=(1,),
    disabled=index == count - 1,
    key="slide_next",
    help="Nästa bild (PageDown, →, mellanslag)",
    width="stretch",
    type="primary",
)
bar[5].button(
    "Sista",
    help="Sista bilden (End)",
    on_click=step_to,
    args=(count,),
    disabled=index == count - 1,
    key="slide_last",
    width="stretch",
)
# A list of its own for each slide of each deck shown (its key names the deck and the slide): a value the browser
# still holds from an earlier slide can never be taken for a new choice (seen: PageUp after choosing in the open
# panel went back two), nor one from another deck at the same slide (seen: "Sparat scenario" chosen in the open
# panel on Norrköping's deck, then a scenario: the old deck's "5/5 · …", no option of the new list, came back
# as the slide and the page failed)
token = deck_layout.fingerprint(deck)
pick_key = f"slide_pick_{token[:16]}_{index}"
panel.selectbox(
    "Bildlista",
    list(range(count)),
    index=index,
    format_func=lambda i: f"{i + 1}/{count} · {slides[i].title}",
    key=pick_key,
    on_change=pick,
    args=(pick_key,),
)

# A clicker sends PageDown/PageUp; a keyboard also →/←, Space and Home/End. One handler for all of them (not
# Streamlit's button shortcuts: those ignore keys while the focus is in a select box, and after the panel had
# been open one PageUp went back two slides): in a box only PageDown/PageUp (arrows and Space belong to the
# box), else all. Static script, no user data; it only acts while this page's slide buttons exist.
st.html(
    r"""<script>
(() => {
  if (window.__ikSlideKeys) return;
  window.__ikSlideKeys = true;
  const buttons = {PageDown: "next", PageUp: "prev", ArrowRight: "next", ArrowLeft: "prev", " ": "next",
                   Home: "first", End: "last"};
  document.addEventListener("keydown", (event) => {
    const which = buttons[event.key];
    if (!which || event.ctrlKey || event.metaKey || event.altKey) return;
    const button = document.querySelector(`.st-key-slide_${which} button`);
    if (!button) return;
    const target = event.target && event.target.closest ? event.target : null;
    const inBox = target && target.closest(
      'input, textarea, select, [role="combobox"], [role="listbox"], [role="radiogroup"], [contenteditable="true"]');
    const onControl = target && target.closest('button, a, summary, [role="button"]');
    if (inBox && event.key !== "PageDown" && event.key !== "PageUp") return;
    if (onControl && !inBox && (event.key === " " || event.key === "Enter")) return;  // Space presses the control
    event.preventDefault();
    event.stopPropagation();
    if (inBox) document.activeElement && document.activeElement.blur();
    if (!button.disabled) button.click();
  }, true);
  // Back leaves the presentation: arriving here writes the filters to the URL once more (a second history
  // entry of this page), so a Back that lands on the presentation again, from the presentation, goes on back.
  window.addEventListener("popstate", () => {
    const here = location.pathname.replace(/\/$/, "").endsWith("/presentation");
    if (here && document.querySelector(".st-key-ik_slide")) history.back();
  }, true);
})();
</script>""",
    unsafe_allow_javascript=True,
)

if empty:
    panel.caption("Ett tomt urval har inget att exportera.")

with st.container(key="ik_slide"):
    draft = f'<span class="ik-draft">{deck_module.DRAFT.upper()}</span>' if deck.draft else ""
    st.markdown(
        f'<div class="ik-head">{draft}<h1 class="ik-title">{text.html_text(page_.title)}</h1></div>',
        unsafe_allow_html=True,
    )
    st.markdown(f'<div class="ik-message">{text.html_text(slide.message)}</div>', unsafe_allow_html=True)
    if slide.chart is not None:
        untitled = go.Figure(
            slide.chart.figure
        ).update_layout(  # the heading says it; the slide sets the height
            title_text="", margin={"t": 30, "b": 10}, height=None, autosize=True
        )
        st.plotly_chart(
            untitled,
            key=f"slide_chart_{index}",
            alt=slide.chart.alt,
            theme=None,
            height="stretch",
            config={"displaylogo": False, "displayModeBar": False, "responsive": True},
        )
        if slide.note:
            st.caption(text.plain(slide.note))
    elif page_.table is not None:
        table = deck_pdf.table_html(page_.table.table, page_.table.widths)
        st.markdown(f'<div class="ik-table">{table}</div>', unsafe_allow_html=True)
    if empty:
        st.page_link(
            came_from,
            label="Ändra urvalet",
            icon=":material/filter_alt:",
            query_params=filters.to_query_params(),
        )
        st.stop()  # nothing to export either (the panel says so)
    st.markdown(
        f'<div class="ik-sources">{text.html_text(deck.footer_for(slide))}</div>', unsafe_allow_html=True
    )

panel.markdown("**Exportera hela presentationen**")
OFFICE = "application/vnd.openxmlformats-officedocument"
OFFICE_FILES = [  # label, kind, mime, icon
    ("PowerPoint", "pptx", f"{OFFICE}.presentationml.presentation", "slideshow"),
    ("Word", "docx", f"{OFFICE}.wordprocessingml.document", "description"),
    ("Excel", "xlsx", f"{OFFICE}.spreadsheetml.sheet", "table"),
]
# Every file is made on a click ("Skapa …", with a spinner), then offered ("Ladda ner …"); a failure is said
# here in Swedish. Making the three Office files on every rerun was more than half of the page's time
# (issue 16), and the page reruns on every filter change and slide. `token` (above) keys them to the deck.
columns = [*panel.columns(2), *panel.columns(2), panel]  # two by two in the panel, the chart's PNG last
for column, (label, kind, mime, icon) in zip(columns, OFFICE_FILES, strict=False):
    downloads.download_after_click(
        label,
        f"Skapa {label}",
        lambda kind=kind: downloads.deck_bytes(kind, deck),
        deck_layout.file_name(deck, kind),  # insatskollen-malmo-2022.pptx
        mime,
        icon,
        token,
        column,
    )
if deck_pdf.static_export_available():  # PDF and PNG take Chromium seconds
    downloads.download_after_click(
        "PDF",
        "Skapa PDF",
        lambda: deck_pdf.to_pdf(deck),
        deck_layout.file_name(deck, "pdf"),
        "application/pdf",
        "picture_as_pdf",
        token,
        columns[3],
    )
    if slide.chart is not None:
        downloads.download_after_click(
            "PNG",
            "Skapa PNG av diagrammet",
            lambda: deck_pdf.chart_png(slide.chart.figure),
            deck_layout.file_name(deck, "png").replace(".png", f"-bild-{index + 1}.png"),
            "image/png",
            "image",
            f"{token}-{index}",
            columns[4],
        )
if not deck_pdf.static_export_available():
    panel.info(deck_pdf.NO_CHROMIUM, icon=":material/info:")
panel.caption(deck_view.panel_caption(count))
if reading_lines := deck_view.reading_lines(deck):  # the readings behind the figures, one click away
    panel.markdown("**Tolkning**")
    if deck.reading_text:
        panel.caption(text.plain(deck.reading_text))
    for line in reading_lines:
        panel.caption(text.plain(line))
