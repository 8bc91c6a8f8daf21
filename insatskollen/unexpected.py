"""An error nobody foresaw (a bug, a broken store): the browser gets a Swedish message with an error id,
the server's log gets the same id with the traceback. app.py runs every page inside `reported()`.

Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises BaseExceptions, not Exceptions,
so it passes through untouched. An error Streamlit itself catches (in a widget callback, which runs before
the page) shows Streamlit's generic text, without details: `client.showErrorDetails = "none"` in
.streamlit/config.toml.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator

LOG = logging.getLogger(__name__)


def message(error_id: str) -> str:
    """What the person sees, in Swedish; the id is what they quote to whoever runs the server."""
    return (
        f"Något gick fel, och sidan kunde inte visas färdigt. Felkod: {error_id}. Försök igen om en stund "
        "eller ladda om sidan. Händer det igen, kontakta den som sköter Insatskollen och ange felkoden: "
        "felet finns i serverns logg under den."
    )


def log(error: BaseException) -> str:
    """Log `error` with its traceback under a new short id (8 hex digits) and return the id."""
    error_id = secrets.token_hex(4)
    LOG.error("Oväntat fel, felkod %s", error_id, exc_info=error)
    return error_id


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Run a page: any Exception becomes the Swedish message with an id (logged with its traceback)."""
    import streamlit as st

    try:
        yield
    except Exception as error:  # st.stop/st.rerun/st.switch_page are BaseExceptions and pass
        st.error(message(log(error)), icon=":material/error:")
