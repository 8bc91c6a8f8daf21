"""Källor's "Öppna data" section: the same Frictionless Data Package as `python -m insatskollen publish`, for the
municipalities chosen in the sidebar, made on a click and handed out as a zip (issue 26, item 3)."""

from __future__ import annotations

import streamlit as st

from insatskollen.core import organisation as org_settings
from insatskollen.core.filters import Filters
from insatskollen.export import open_data
from insatskollen.ui import downloads, session, statement, text


def section(filters: Filters) -> None:
    st.subheader("Öppna data")
    chosen = ", ".join(filters.municipalities) if filters.municipalities else "alla kommuner"
    st.caption(
        text.plain(
            f"Ramar, insatser, fördelning och källdokument för {chosen} som ett datapaket (Frictionless Data: "
            "CSV-filer med tabellscheman). Varje rad anger sitt källdokument och avsnitt; ett okänt belopp är en "
            "tom cell, aldrig 0. Samma paket som kommandot publish skriver."
        )
    )
    try:
        organisation = statement.organisation()
    except org_settings.OrganisationSettingError as error:
        st.error(
            text.plain(f"Inställningen för organisationen är fel: {error}"), icon=":material/settings_alert:"
        )
        return
    if not organisation.licence:
        st.caption(
            "Ingen licens är angiven ännu (licence under [insatskollen.organisation] i inställningarna)."
        )
    db = session.database()
    downloads.download_after_click(
        "datapaketet",
        "Skapa datapaketet",
        lambda: open_data.as_zip(open_data.build(db, organisation, filters.municipalities)),
        open_data.zip_name(filters.municipalities),
        "application/zip",
        "dataset",
        f"{db.built_version()}|{'|'.join(filters.municipalities)}",
        st.container(),
    )
