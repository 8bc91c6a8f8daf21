"""The accessibility statement (tillgänglighetsredogörelse) that lagen (2018:1937) om tillgänglighet till
digital offentlig service asks of a public dashboard, as data the page lays out. Pure.

What a statement must hold follows Digg's list ("Skapa en tillgänglighetsredogörelse", digg.se): the public
body and the service, conformance worded as helt/delvis/inte förenlig, the content that is not accessible and
why, the dates of the assessment and the last update, the evaluation method, a way to report a fault, and the
link to Digg's reporting form. The body and its contact come from the organisation's settings
(insatskollen.core.organisation, from `[insatskollen.organisation]` in the secrets); everything else is here,
reviewed with the code (docs/accessibility.md holds the measurements behind it).
"""

from __future__ import annotations

from dataclasses import dataclass

from insatskollen.core.organisation import SECTION, Organisation

SERVICE = "Insatskollen"
ASSESSED = "2026-12-06"  # the last assessment (axe on every page and state, the keyboard journeys)
UPDATED = "2026-12-07"  # the last change of this statement
CONFORMANCE = "delvis förenlig"
STANDARD = "WCAG 2.1 nivå AA"
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"

METHOD = (
    "Självskattning. Varje sida och elva tillstånd efter interaktion (öppna paneler, en fil med fel, ett redigerat "
    "scenario, ett skickat formulär, inloggningen) granskas med axe-core mot WCAG 2.0 och 2.1 nivå A och AA i "
    "Chromium, vid fönsterstorlekarna 1366 × 768 och 1024 × 768. Fyra vanliga uppgifter (filtrera och läsa en "
    "källa, ändra och spara ett scenario, visa en presentation, importera en fil) görs med bara tangentbord. "
    "Granskningen körs i varje testkörning av koden, så en ny brist upptäcks innan den når användarna."
)


@dataclass(frozen=True)
class Shortcoming:
    """Content that is not fully accessible: what it is, why, and the upstream issue when the fault lies in a
    library we build on (None when it is ours or has no issue)."""

    what: str
    why: str
    upstream: str | None = None


SHORTCOMINGS = (
    Shortcoming(
        "Vissa texter som kommer från ramverket Streamlit är på engelska: länken ”Skip to main content”, "
        "uppladdningsrutans ”Drag and drop file here”, ”Browse files” och ”Limit 5MB per file”, hjälpknappen "
        "”Help for …” och datumformatet ”yyyy-mm-dd”.",
        "Streamlit kan ännu inte översättas. Alla rubriker, etiketter och meddelanden som Insatskollen själv "
        "skriver är på svenska.",
        "https://github.com/streamlit/streamlit/issues/1353",
    ),
    Shortcoming(
        "Uppladdningsrutans texter går inte att ändra, så de kan inte heller förklaras på svenska i rutan.",
        "Streamlit saknar stöd för egna texter i uppladdningsrutan. Sidan Importera förklarar filformatet "
        "ovanför rutan.",
        "https://github.com/streamlit/streamlit/issues/13500",
    ),
    Shortcoming(
        "Teckenräknaren under textfälten (sökrutan och namnfälten på Scenarier) har för låg kontrast medan man "
        "skriver.",
        "Färgen sätts av Streamlit.",
        "https://github.com/streamlit/streamlit/issues/8249",
    ),
    Shortcoming(
        "Varje diagram lägger sina verktygsknappar (zooma, spara bild …) i tabbordningen, och deras tips är på "
        "engelska.",
        "Knapparna kommer från diagrambiblioteket Plotly. Varje diagram har också en textversion och en "
        "tabell, som går att nå med tangentbord.",
    ),
    Shortcoming(
        "Tabellen på sidan Insatser är ritad som en bild för skärmläsare (canvas); en rad väljs med Skift + "
        "Mellanslag.",
        "Tabellen kommer från Streamlit. Sidan säger hur en rad väljs, och samma uppgifter finns som nedladdning "
        "i CSV och Excel.",
    ),
)


def intro(organisation: Organisation) -> str:
    body = organisation.name or "Organisationen som driver Insatskollen"
    return (
        f"{body} står bakom {SERVICE} och vill att så många som möjligt ska kunna använda tjänsten. Här beskriver "
        "vi hur den uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vilka brister "
        "som finns och hur du anmäler en brist."
    )


def conformance_text() -> str:
    return (
        f"{SERVICE} är {CONFORMANCE} med lagen om tillgänglighet till digital offentlig service. Målet är "
        f"{STANDARD}; bristerna nedan är de vi känner till."
    )


def report_text(organisation: Organisation) -> str:
    """How to report a fault: the configured contact, or what the administrator must do when there is none."""
    if organisation.contact is None:
        return (
            "Organisationen har ännu inte angett var du anmäler en brist. Administratören anger en e-postadress "
            f"eller ett formulär under {SECTION} (contact) i inställningarna."
        )
    return (
        "Om du upptäcker en brist som inte står här, eller behöver innehåll i ett annat format, hör av dig så "
        "rättar vi det."
    )


DIGG_TEXT = (
    "Myndigheten för digital förvaltning (Digg) har tillsyn över lagen. Om du inte är nöjd med hur vi hanterar "
    "din anmälan kan du anmäla bristen till Digg."
)
