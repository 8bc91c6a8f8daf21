"""The accessibility statement (issue 26, item 4): what Digg asks of it, the organisation's contact from the
settings (a wrong one refused in Swedish), and the page as AppTest renders it. The link from every page and
axe on the page are checked in Chromium by tests/browser/test_browser.py; the walk there opens it by keyboard."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from insatskollen.core import organisation, statement
from tests.conftest import ROOT


def test_the_organisation_gives_its_name_and_an_e_mail_or_a_form():
    org = organisation.organisation_from({"name": "Gävle kommun", "contact": " tillganglighet@gavle.se "})
    assert org == organisation.Organisation("Gävle kommun", "tillganglighet@gavle.se")
    assert org.contact_url == "mailto:tillganglighet@gavle.se"
    form = organisation.organisation_from({"contact": "https://www.gavle.se/kontakt?amne=tillganglighet"})
    assert form.contact_url == "https://www.gavle.se/kontakt?amne=tillganglighet"
    assert statement.intro(org).startswith("Gävle kommun står bakom Insatskollen")
    assert organisation.organisation_from(None) == organisation.Organisation()


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"contact": "javascript:alert(1)"},
            "[insatskollen.organisation] contact ska vara en e-postadress (t.ex. tillganglighet@kommun.se) eller "
            "en adress som börjar med https:// – inte ”javascript:alert(1)”.",
        ),
        (
            {"contact": "http://kommun.se/fel"},
            "[insatskollen.organisation] contact ska vara en e-postadress (t.ex. tillganglighet@kommun.se) eller "
            "en adress som börjar med https:// – inte ”http://kommun.se/fel”.",
        ),
        (
            {"name": "Rad ett\nrad två"},
            "[insatskollen.organisation] name ska vara en text på en rad (högst 200 tecken).",
        ),
        (
            {"kontakt": "a@b.se"},
            "[insatskollen.organisation] har okända nycklar: kontakt. Tillåtna: contact, licence, "
            "name, publisher.",
        ),
    ],
)
def test_a_wrong_setting_is_refused_naming_the_key(section, message):
    with pytest.raises(organisation.OrganisationSettingError) as error:
        organisation.organisation_from(section)
    assert str(error.value) == message


def test_the_statement_holds_what_digg_asks_for():
    """Digg's list: conformance as helt/delvis/inte förenlig, the shortcomings and why, the method, the dates,
    a way to report and Digg's form."""
    assert statement.CONFORMANCE in ("helt förenlig", "delvis förenlig", "inte förenlig")
    assert "WCAG 2.1 nivå AA" in statement.conformance_text()
    assert all(s.what and s.why for s in statement.SHORTCOMINGS)
    assert "https://github.com/streamlit/streamlit/issues/1353" in [
        s.upstream for s in statement.SHORTCOMINGS
    ]
    assert statement.DIGG_REPORT_URL == "https://www.digg.se/tdosanmalan"
    assert "axe-core" in statement.METHOD and "1366 × 768" in statement.METHOD


def _page(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "tillganglighet.py"), default_timeout=30)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def _read(value: str) -> str:
    """What the reader sees of an escaped markdown text (ui.plain writes entities and word joiners)."""
    return html.unescape(value).replace("\u2060", "")


def _text(at: AppTest) -> str:
    return _read("\n".join(m.value for m in at.markdown))


def test_the_page_names_the_organisation_and_links_its_contact_and_digg():
    at = _page(
        {"insatskollen": {"organisation": {"name": "Gävle kommun", "contact": "tillganglighet@gavle.se"}}}
    )
    assert not at.exception and not at.error
    assert at.title[0].value == "Tillgänglighetsredogörelse"
    assert [h.value for h in at.header] == [
        "Hur tillgänglig är tjänsten?",
        "Innehåll som inte är tillgängligt",
        "Hur vi har testat",
        "Anmäl en brist",
        "Om redogörelsen",
    ]
    text = _text(at)
    assert "Gävle kommun står bakom Insatskollen" in text
    assert "Kontakt: [tillganglighet@gavle.se](mailto:tillganglighet@gavle.se)" in text
    assert "[Anmäl bristande tillgänglighet till Digg](https://www.digg.se/tdosanmalan)" in text
    assert "delvis förenlig" in text
    assert "Bedömningen gjordes senast 2026-12-06" in text


def test_without_a_contact_the_page_says_what_the_administrator_must_do():
    at = _page()
    text = _text(at)
    assert "Organisationen har ännu inte angett var du anmäler en brist" in text
    assert "Kontakt:" not in text
    assert "https://www.digg.se/tdosanmalan" in text


def test_a_wrong_contact_is_an_error_on_the_page_not_a_link():
    at = _page({"insatskollen": {"organisation": {"contact": "javascript:alert(1)"}}})
    assert not at.exception
    assert _read(at.error[0].value).startswith("Inställningen för organisationen är fel: ")
    assert "javascript:alert(1)](" not in _text(at)
