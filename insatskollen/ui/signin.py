"""What a person sees of sign-in: the sign-in page, the page for a signed-in user without a role, who
is signed in (sidebar, with "Logga ut"), and the refusal shown instead of a page the role may not use.
The rules themselves are in roles.py."""

from __future__ import annotations

import streamlit as st

from insatskollen.core import roles
from insatskollen.ui import auth, text

# The pages a role needs more than läsare for (url_path -> role); every other page is for läsare.
PAGE_ROLES = {"scenarier": roles.OFFICIAL, "importera": roles.ADMIN}


def page_role(url_path: str) -> str:
    return PAGE_ROLES.get(url_path, roles.READER)


def session_identity() -> roles.Identity | None:
    """This session's identity (auth.current): LOCAL without [auth], None until signed in. A wrong
    [insatskollen.auth] is said in Swedish, never as a traceback, and the run stops there."""
    try:
        return auth.current()
    except roles.AuthSettingError as error:
        st.error(text.plain(f"Inloggningen är felinställd: {error}"), icon=":material/settings_alert:")
        st.stop()


def sign_in_page() -> None:
    """The only page of a session that has not signed in."""
    st.title("Insatskollen")
    st.markdown(
        "Insatskollen visar hur kommunerna fördelar pengar mot segregation. Logga in med ditt konto i "
        "kommunen för att se sidorna."
    )
    st.button("Logga in", type="primary", on_click=st.login, key="auth_login", icon=":material/login:")


def no_role_page(identity: roles.Identity) -> None:
    """Signed in, but neither the role table nor the identity provider gives a role."""
    st.title("Insatskollen")
    st.warning(
        f"Du är inloggad som {text.plain(identity.name)}"
        + (f" ({text.plain(identity.email)})" if identity.email else "")
        + ", men har ingen roll i Insatskollen. Be en administratör att ge dig en roll.",
        icon=":material/person_off:",
    )
    # What the administrator needs: the subject the role table is keyed on, and why a role given to this
    # e-mail would not count (issue 21).
    why = (
        f"En roll som getts till e-postadressen {identity.email} gäller inte för dig: {identity.email_not_trusted}. "
        if identity.email_not_trusted
        else ""
    )
    st.info(
        text.plain(
            f"{why}En administratör ger dig en roll med ditt användar-id (subjekt): {identity.subject or 'okänt'}."
        ),
        icon=":material/info:",
    )
    st.button("Logga ut", on_click=st.logout, key="auth_logout_norole", icon=":material/logout:")


def sidebar_identity(identity: roles.Identity) -> None:
    """Who is signed in, their role and "Logga ut", at the top of the sidebar."""
    if identity.signed_in:
        with st.sidebar:
            st.text(f"Inloggad som {identity.name}")
            st.caption(f"Roll: {identity.role}")
            st.button("Logga ut", on_click=st.logout, key="auth_logout", icon=":material/logout:")


def sidebar_no_sign_in_note(identity: roles.Identity) -> None:
    """Without sign-in, a note below the filters (so the filters keep their place) that nobody is."""
    if not identity.signed_in:
        st.sidebar.caption(
            "Ingen är inloggad: appen körs utan inloggning, och det namn du skriver in loggas som fritext."
        )


def refused_page(identity: roles.Identity, title: str, needed: str) -> None:
    """Shown instead of a page the role may not use (reached by a link typed or replayed)."""
    st.title(title)
    st.error(text.plain(roles.refusal(identity, needed, f"använda sidan {title}")), icon=":material/block:")


def page_identity(url_path: str, title: str) -> roles.Identity:
    """The identity a page acts for; the page stops here, refused, if the role may not use it. app.py
    already routes by role; this second check holds if a page ever runs without app.py in front."""
    identity = auth.current()
    needed = page_role(url_path)
    if identity is None:
        st.error("Du är inte inloggad. Logga in och försök igen.", icon=":material/block:")
        st.stop()
    if not identity.may(needed):
        refused_page(identity, title, needed)
        st.stop()
    return identity
