"""Insatskollen: routes the pages and draws the shared frame (theme, sidebar filters)."""

from pathlib import Path

import streamlit as st

from insatskollen import ui

# A local favicon: a :material/…: page icon is fetched from Google's font CDN, which a meeting laptop
# without network cannot reach (seen as the only outside request the app made).
st.set_page_config(
    page_title="Insatskollen",
    page_icon=str(Path(__file__).parent / "insatskollen" / "favicon.png"),
    layout="wide",
)

PAGES = [
    # Served at /; its url_path only names it internally (it must differ from the alias below).
    st.Page(
        "pages/oversikt.py", title="Översikt", icon=":material/dashboard:", default=True, url_path="start"
    ),
    st.Page("pages/omraden.py", title="Prioriterade områden", icon=":material/category:", url_path="omraden"),
    st.Page("pages/namnder.py", title="Nämnder", icon=":material/account_tree:", url_path="namnder"),
    st.Page("pages/kommuner.py", title="Kommuner", icon=":material/location_city:", url_path="kommuner"),
    st.Page("pages/insatser.py", title="Insatser", icon=":material/list_alt:", url_path="insatser"),
    st.Page("pages/kallor.py", title="Källor", icon=":material/description:", url_path="kallor"),
    st.Page(
        "pages/datakvalitet.py", title="Datakvalitet", icon=":material/fact_check:", url_path="datakvalitet"
    ),
    st.Page("pages/scenarier.py", title="Scenarier", icon=":material/tune:", url_path="scenarier"),
    st.Page("pages/importera.py", title="Importera", icon=":material/upload_file:", url_path="importera"),
    st.Page(
        "pages/presentation.py", title="Presentation", icon=":material/slideshow:", url_path="presentation"
    ),
]


def _oversikt_alias() -> None:
    """/oversikt (the page's own name, e.g. from an old link) goes to Översikt at /, keeping the filters."""
    st.switch_page(PAGES[0], query_params=st.query_params.to_dict())


# Översikt is served at /; this hidden page makes /oversikt reach it too instead of "Page not found".
ALIASES = [st.Page(_oversikt_alias, title="Översikt", url_path="oversikt", visibility="hidden")]

page = st.navigation(PAGES + ALIASES)
ui.apply_style()
ui.begin_rerun()  # one version of the data for this whole rerun
try:
    ui.sidebar_filters()
    page.run()
finally:
    ui.end_rerun()  # an idle session holds no old version of the data
