"""An error nobody foresaw (a bug, a broken store): the browser gets a Swedish message with an error id,
the server's log gets the same id with the traceback.

app.py runs every page inside `reported()`. A widget callback runs before the page, outside it, so each
of ours is decorated with `callback` (tests/app/test_unexpected_errors.py checks that they all are): its error
is logged the same way and its message shown by `reported()` at the top of the page that follows. Streamlit's
own control flow (st.stop, st.rerun, st.switch_page) raises BaseExceptions, not Exceptions, so it passes
through untouched. Anything that still escapes shows Streamlit's generic text without details:
`client.showErrorDetails = "none"` in .streamlit/config.toml.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable, Iterator
from functools import wraps

LOG = logging.getLogger(__name__)
_PENDING = "unexpected_error_in_callback"  # session state: the id of a callback's error, shown once
PAGE_FAILED = "Något gick fel, och sidan kunde inte visas färdigt."
ACTION_FAILED = "Något gick fel med det du just gjorde. Kontrollera resultatet."


def message(error_id: str, what: str = PAGE_FAILED) -> str:
    """What the person sees, in Swedish; the id is what they quote to whoever runs the server."""
    return (
        f"{what} Felkod: {error_id}. Försök igen om en stund eller ladda om sidan. Händer det igen, kontakta "
        "den som sköter Insatskollen och ange felkoden: felet finns i serverns logg under den."
    )


def log(error: BaseException) -> str:
    """Log `error` with its traceback under a new short id (8 hex digits) and return the id."""
    error_id = secrets.token_hex(4)
    LOG.error("Oväntat fel, felkod %s", error_id, exc_info=error)
    return error_id


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Run a page: any Exception becomes the Swedish message with an id (logged with its traceback); a
    callback's error of this rerun is shown first."""
    import streamlit as st

    pending = st.session_state.pop(_PENDING, None)
    if pending:
        st.error(message(pending, ACTION_FAILED), icon=":material/error:")
    try:
        yield
    except Exception as error:  # st.stop/st.rerun/st.switch_page are BaseExceptions and pass
        st.error(message(log(error)), icon=":material/error:")


def callback(function: Callable[..., None]) -> Callable[..., None]:
    """Decorate a widget callback: an Exception in it is logged under an id, and the page that follows
    shows the Swedish message with that id (see `reported`)."""

    @wraps(function)
    def run(*args, **kwargs) -> None:
        import streamlit as st

        try:
            function(*args, **kwargs)
        except Exception as error:
            st.session_state[_PENDING] = log(error)

    return run
