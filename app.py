"""Insatskollen: routes the pages and draws the shared frame (theme, sidebar filters)."""

from pathlib import Path

import streamlit as st

from insatskollen.ui import frame

# The first run after a server start: no menu of file names, before the imports below take their time.
frame.leave_legacy_pages_mode()

from insatskollen.ui import session, sidebar, signin, statement, unexpected, upload_bounds  # noqa: E402

upload_bounds.install()  # once per process: files no widget takes are dropped (issue 21)

# A local favicon: a :material/…: page icon is fetched from Google's font CDN, which a meeting laptop
# without network cannot reach (seen as the only outside request the app made).
st.set_page_config(
    page_title="Insatskollen",
    page_icon=str(Path(__file__).parent / "insatskollen" / "favicon.png"),
    layout="wide",
)

PAGE_SPECS = frame.PAGE_SPECS
# Linked from every page's sidebar rather than listed in the menu (insatskollen.ui.statement).
STATEMENT = (statement.PAGE, statement.TITLE, ":material/accessibility_new:", "tillganglighet")


def pages_for(identity) -> list[st.Page]:
    """Every page, each a route, but only those the role may use are offered in the menu (a page
    reached by a link anyway is refused below, so a crafted URL gets a Swedish answer, not a 404)."""
    return frame.routes(lambda url_path: bool(identity and identity.may(signin.page_role(url_path)))) + [
        st.Page(
            STATEMENT[0], title=STATEMENT[1], icon=STATEMENT[2], url_path=STATEMENT[3], visibility="hidden"
        )
    ]


def _oversikt_alias() -> None:
    """/oversikt (the page's own name, e.g. from an old link) goes to Översikt at /, keeping the filters."""
    st.switch_page(PAGE_SPECS[0][0], query_params=st.query_params.to_dict())


# Översikt is served at /; this hidden page makes /oversikt reach it too instead of "Page not found".
ALIASES = [st.Page(_oversikt_alias, title="Översikt", url_path="oversikt", visibility="hidden")]

frame.apply_style()
# Every page runs inside this: an error nobody foresaw shows a Swedish message with an error id, and the
# traceback goes to the server's log under that id, never to the browser (README "Sign-in and roles").
with unexpected.reported():
    session.begin_rerun()  # one version of the data for this whole rerun
    try:
        identity = signin.session_identity()  # LOCAL without [auth]; None until signed in
        if identity is None or identity.role is None:
            # Every route leads here: a session that has not signed in sees only the sign-in page.
            st.navigation(pages_for(None) + ALIASES, position="hidden")
            if identity is None:
                signin.sign_in_page()
            else:
                signin.no_role_page(identity)
        else:
            page = st.navigation(pages_for(identity) + ALIASES)
            # signed in: at the top; nobody signed in: a note below the filters
            signin.sidebar_identity(identity)
            sidebar.sidebar_filters()
            signin.sidebar_no_sign_in_note(identity)
            statement.sidebar_link()
            needed = signin.page_role(page.url_path)
            if page.url_path != "presentation":  # where "Avsluta presentationen" goes back to
                scripts = {url_path: script for script, _title, _icon, url_path in PAGE_SPECS}
                st.session_state[frame.LAST_PAGE_KEY] = scripts.get(page.url_path, PAGE_SPECS[0][0])
            if identity.may(needed):
                page.run()
            else:
                signin.refused_page(identity, page.title, needed)
    finally:
        session.end_rerun()  # an idle session holds no old version of the data
