"""The frame every page runs in: app.py's navigation, and the CSS shared by all pages (contrast, focus,
big numbers that fit their box)."""

from __future__ import annotations

import streamlit as st

# (script, title, icon, url_path); Översikt is served at / (its url_path only names it internally and
# must differ from app.py's /oversikt alias).
PAGE_SPECS = [
    ("pages/oversikt.py", "Översikt", ":material/dashboard:", "start"),
    ("pages/omraden.py", "Prioriterade områden", ":material/category:", "omraden"),
    ("pages/namnder.py", "Nämnder", ":material/account_tree:", "namnder"),
    ("pages/kommuner.py", "Kommuner", ":material/location_city:", "kommuner"),
    ("pages/insatser.py", "Insatser", ":material/list_alt:", "insatser"),
    ("pages/kallor.py", "Källor", ":material/description:", "kallor"),
    ("pages/datakvalitet.py", "Datakvalitet", ":material/fact_check:", "datakvalitet"),
    ("pages/scenarier.py", "Scenarier", ":material/tune:", "scenarier"),
    ("pages/uppfoljning.py", "Uppföljning", ":material/task_alt:", "uppfoljning"),
    ("pages/lagesbild.py", "Från lägesbild till resultat", ":material/timeline:", "lagesbild"),
    ("pages/importera.py", "Importera", ":material/upload_file:", "importera"),
    ("pages/presentation.py", "Presentation", ":material/slideshow:", "presentation"),
]


def routes(visible) -> list[st.Page]:
    """Every page of PAGE_SPECS as a route (Översikt the default, at /), shown in the menu where
    `visible(url_path)` is true: app.py's menu and the hidden one that leaves the legacy mode."""
    return [
        st.Page(
            script,
            title=title,
            icon=icon,
            url_path=url_path,
            default=url_path == "start",
            visibility="visible" if visible(url_path) else "hidden",
        )
        for script, title, icon, url_path in PAGE_SPECS
    ]


def leave_legacy_pages_mode() -> bool:
    """Leave Streamlit's legacy `pages/` mode on the first run after a server start, before anything is drawn;
    True if this run was in it.

    With a `pages/` folder next to the entrypoint, the process's first run goes through Streamlit's legacy
    multipage mode: it sends a menu of the folder's file names ("app, datakvalitet, kallor …") and runs the
    script the address names, app.py or a page directly. The flag behind it is only cleared by a
    st.navigation call (streamlit/streamlit#10276). A hidden menu clears it and replaces the file names at
    once; app.py goes on to its own st.navigation in the same run (a page reruns through app.py).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if not PagesManager.uses_pages_directory:
        return False
    # the same routes as app.py's menu, so the page the address names is the one the rerun shows
    st.navigation(routes(lambda _url_path: False), position="hidden")
    return True


def require_app_frame() -> None:
    """Make sure a page runs inside app.py's st.navigation, not as a legacy `pages/` script (a deep link such as
    /omraden as the very first request after a server start): leave that mode and rerun through app.py, which
    routes to the same page. Called before the page's other imports, which take seconds on a first run."""
    if leave_legacy_pages_mode():
        st.rerun()


LAST_PAGE_KEY = "ik_last_page"  # the script of the last page shown before the presentation (app.py)


# about 15 % of its width, so a value of n characters fits at 190/n cqi; never above Översikt's 12,5 cqi.
METRIC_LONGEST = 40
_METRIC_SIZES = "\n".join(
    f'[class*="st-key-ikm{n}_"] [data-testid="stMetricValue"], [class*="st-key-ikm{n}_"] [data-testid="stMetricValue"] > div'
    f" {{ font-size: clamp(0.9rem, {min(190 / n, 12.5):.2f}cqi, 2.25rem) !important; }}"
    for n in range(16, METRIC_LONGEST + 1)
)

# Contrast fixes for WCAG 2.1 AA found by axe-core: Streamlit draws captions and the keyboard-shortcut
# badge in primary buttons with translucency (opacity 0.6, < 4.5:1 on white). Static CSS, no user data.
_STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4B5563 !important; opacity: 1 !important; }
button kbd { color: inherit !important; opacity: 1 !important; }
/* Big numbers shrink with their box, not the window: a column is a size container, and four boxes of
   '117,14 mnkr' fit beside the sidebar at 1024×768 as at 1366×768; a label that still does not fit wraps. */
[data-testid="stColumn"]:has([data-testid="stMetric"]) { container-type: inline-size; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div { font-size: clamp(1.05rem, 12.5cqi, 2.25rem) !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* a number is never cut: where even the smallest size is too wide, it wraps between its words */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* a download button's label wraps instead of ending in "…" ("Mall för uppföljning (Excel, med insa…" at 1024) */
[data-testid="stDownloadButton"] button { height: auto !important; }
[data-testid="stDownloadButton"] button * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* A focus ring a keyboard user can see (WCAG 2.4.7). Streamlit marks a focused input or list only by a 1px
   border colour, and a focused menu link by a faint grey background; the journeys' keyboard steps check it
   (tests/browser_kit.py, assert_focus_visible). */
[data-testid="stTextInputRootElement"]:focus-within, [data-testid="stTextAreaRootElement"]:focus-within,
[data-testid="stDateInputField"]:focus-within, .react-aria-ComboBox [role="group"]:focus-within {
  box-shadow: 0 0 0 2px #005A8C !important; }
[data-testid="stSidebarNavLink"]:focus-visible { outline: 2px solid #005A8C !important; outline-offset: -2px; }
/* the uploader's "Add files" button (shown once a file is chosen) has no focus mark of its own at all */
[data-testid="stFileUploader"] button:focus-visible { outline: 2px solid #005A8C !important; outline-offset: 2px; }
</style>"""


def apply_style() -> None:
    st.markdown(_STYLE.replace("</style>", _METRIC_SIZES + "\n</style>"), unsafe_allow_html=True)
