"""The organisation behind an installation, as its administrator configures it under
`[insatskollen.organisation]` in the secrets: its name, where faults are reported (the accessibility statement),
and the licence and publisher of its open data (`publish`). Pure: the caller reads the secrets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "[insatskollen.organisation]"
# Open-data licences by SPDX id: (title, the licence's own address)
LICENCES = {
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License v1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}


class OrganisationSettingError(ValueError):
    """The organisation's settings are wrong; the Swedish message says which key and what is expected."""


@dataclass(frozen=True)
class Organisation:
    """The public body behind this installation, as its administrator configures it."""

    name: str | None = None
    contact: str | None = None  # an e-mail address or an https address of a form
    licence: str | None = None  # an SPDX id of LICENCES, for the open-data package
    publisher: str | None = None  # who publishes the open data (default: name)

    @property
    def contact_url(self) -> str | None:
        if self.contact is None:
            return None
        return self.contact if self.contact.startswith("https://") else f"mailto:{self.contact}"


_EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https://[^\s<>()\[\]\"'\\]+")
MAX_TEXT = 200


def organisation_from(section: Mapping[str, Any] | None) -> Organisation:
    """The organisation from its settings table (missing: nothing configured). A wrong value is refused with
    OrganisationSettingError rather than shown: a contact that leads nowhere is worse than none."""
    section = dict(section or {})
    known = {"name", "contact", "licence", "publisher"}  # licence and publisher: for the open data package
    unknown = sorted(set(section) - known)
    if unknown:
        raise OrganisationSettingError(
            f"{SECTION} har okända nycklar: {', '.join(unknown)}. Tillåtna: {', '.join(sorted(known))}."
        )
    values = {}
    for key in ("name", "contact", "licence", "publisher"):
        value = section.get(key)
        if value is None:
            values[key] = None
            continue
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT or "\n" in value:
            raise OrganisationSettingError(
                f"{SECTION} {key} ska vara en text på en rad (högst {MAX_TEXT} tecken)."
            )
        values[key] = value.strip()
    contact = values["contact"]
    if contact is not None and not (_EMAIL.fullmatch(contact) or _URL.fullmatch(contact)):
        raise OrganisationSettingError(
            f"{SECTION} contact ska vara en e-postadress (t.ex. tillganglighet@kommun.se) eller en adress som "
            f"börjar med https:// – inte ”{contact}”."
        )
    licence = values["licence"]
    if licence is not None and licence not in LICENCES:
        raise OrganisationSettingError(
            f"{SECTION} licence ska vara en av {', '.join(LICENCES)} – inte ”{licence}”."
        )
    return Organisation(values["name"], contact, licence, values["publisher"])
