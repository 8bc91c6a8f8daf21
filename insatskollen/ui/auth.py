"""The signed-in session (issue 14): the one place that reads Streamlit's st.user and secrets. The rules
(roles, identities, refusals) are pure functions in insatskollen.core.roles."""

from __future__ import annotations

from insatskollen.core.roles import LOCAL, Identity, NotAllowed, Settings, check, identity_of, settings_from
from insatskollen.ui.session import database


def configured() -> bool:
    """True when the secrets have an [auth] section: sign-in is required."""
    import streamlit as st

    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def _settings() -> Settings:
    import streamlit as st

    return settings_from(st.secrets.get("insatskollen", {}).get("auth"), st.secrets.get("auth"))


def current() -> Identity | None:
    """This session's identity, read afresh on every call (a role taken away in the role table holds
    from the next click on). LOCAL without [auth]; None when sign-in is required and not done."""
    import streamlit as st

    if not configured():
        return LOCAL
    if not st.user.get("is_logged_in"):
        return None
    return identity_of(st.user.to_dict(), _settings(), database().work)


def require(needed: str, what: str) -> Identity:
    """The signed-in identity if it may do `what`; otherwise NotAllowed (also when not signed in)."""
    identity = current()
    if identity is None:
        raise NotAllowed(f"Du får inte {what}: du är inte inloggad.")
    check(identity, needed, what)
    return identity
