"""The Tillgänglighetsredogörelse page and its link on every page (issue 26, item 4). The statement's content
is insatskollen.core.statement; here it is read from the secrets and laid out."""

from __future__ import annotations

import re

import streamlit as st

from insatskollen.core import organisation as org_settings
from insatskollen.core import statement
from insatskollen.ui import text

PAGE = "pages/tillganglighet.py"
TITLE = "Tillgänglighetsredogörelse"


def organisation() -> org_settings.Organisation:
    """[insatskollen.organisation] from the secrets; OrganisationSettingError when it is wrong."""
    if not st.secrets.load_if_toml_exists():
        return org_settings.Organisation()
    return org_settings.organisation_from(st.secrets.get("insatskollen", {}).get("organisation"))


def sidebar_link() -> None:
    """The statement one click away from every page (Digg: reachable from all pages, e.g. in a footer)."""
    st.sidebar.page_link(PAGE, label=TITLE, icon=":material/accessibility_new:")


def page() -> None:
    st.title(TITLE)
    try:
        org = organisation()
    except org_settings.OrganisationSettingError as error:
        st.error(
            text.plain(f"Inställningen för organisationen är fel: {error}"), icon=":material/settings_alert:"
        )
        org = org_settings.Organisation()
    st.markdown(text.plain(statement.intro(org)))

    st.header("Hur tillgänglig är tjänsten?", divider=False)
    st.markdown(text.plain(statement.conformance_text()))

    st.header("Innehåll som inte är tillgängligt", divider=False)
    for item in statement.SHORTCOMINGS:
        line = f"- **{text.plain(item.what)}** {text.plain(item.why)}"
        if item.upstream:
            line += f" Felet hos ramverket: [{text.plain(item.upstream.removeprefix('https://'))}]({item.upstream})."
        st.markdown(line)

    st.header("Hur vi har testat", divider=False)
    st.markdown(text.plain(statement.METHOD))

    st.header("Anmäl en brist", divider=False)
    st.markdown(text.plain(statement.report_text(org)))
    if org.contact_url:
        # the address as it is (a word joiner from text.plain would end up in a copied address); the setting is
        # validated, so only markdown's emphasis characters need a backslash
        label = re.sub(r"([\\`*_~])", r"\\\1", org.contact)
        st.markdown(f"Kontakt: [{label}]({org.contact_url})")
    st.markdown(
        f"{text.plain(statement.DIGG_TEXT)} [Anmäl bristande tillgänglighet till Digg]({statement.DIGG_REPORT_URL})"
    )

    st.header("Om redogörelsen", divider=False)
    st.markdown(
        text.plain(
            f"Bedömningen gjordes senast {statement.ASSESSED}. Redogörelsen uppdaterades senast "
            f"{statement.UPDATED}."
        )
    )
