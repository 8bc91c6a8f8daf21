"""Sign-in and roles (issue 14): who is signed in, what their role lets them do, and the guards that
refuse the rest on the server, also when a page is reached by a crafted link or a widget interaction
is replayed over the websocket.

With an `[auth]` section in the secrets (Streamlit's own OIDC sign-in, st.login/st.user) the app
requires sign-in. A user's role comes, in this order, from the role table in the working store
(`python -m insatskollen users add`), from a claim of the identity token mapped in
`[insatskollen.auth]`, or from that section's `default_role` (none: the user may not use the app).
The role table grants a role by the subject (sub) of a sign-in from the configured issuer, or by an
e-mail only when that issuer vouches for it (`email_verified` true): anyone can type any address into
an account of their own, in whatever case (issue 21). `ingen` in the table blocks on any match.
Without `[auth]` nobody is signed in: the app runs as a single-user tool, everything allowed, and logs
carry the name typed into the page, marked as free text.

The rules are pure functions of an `Identity`, here; `insatskollen.ui.auth.current()` is the one place that
reads Streamlit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who does a write: a signed-in identity (subject, name, e-mail from the identity provider) or,
    without sign-in, a typed name that anyone could have written ('free_text')."""

    name: str
    subject: str | None = None
    email: str | None = None

    @property
    def kind(self) -> str:
        return "oidc" if self.subject else "free_text"

    def log_values(self) -> dict:
        """The identity columns of a log row."""
        return {
            "author": self.name,
            "subject": self.subject,
            "display_name": self.name if self.subject else None,
            "email": self.email,
            "identity_kind": self.kind,
        }


def as_actor(who: Actor | str) -> Actor:
    return who if isinstance(who, Actor) else Actor(who)


READER, OFFICIAL, ADMIN = "läsare", "handläggare", "administratör"
ROLES = (READER, OFFICIAL, ADMIN)  # each may do what the ones before it may
# In the role table only: this user has no role, whatever the identity provider says (a blocked account,
# or a sign-in cookie that may have been copied: it stays valid for 30 days, see README).
NO_ROLE = "ingen"
MAX_PRINCIPAL = 320  # the users.principal and owner_subject columns
ROLE_DESCRIPTIONS = {
    READER: "alla sidor för att läsa, Presentation och export av det som visas",
    OFFICIAL: "dessutom skapa, ändra, kopiera och ta bort egna scenarier och kommentera andras",
    ADMIN: "dessutom importera, ångra importer, återställa från och tömma papperskorgen, hantera roller",
}
# What a role is needed for, in the words of the refusal ("Du får inte <what> …").
NEEDS = {
    "scenarios": OFFICIAL,
    "import": ADMIN,
    "wastebasket": ADMIN,
}


class NotAllowed(PermissionError):
    """An action the signed-in user's role does not allow; the message is Swedish and says why."""


class AuthSettingError(ValueError):
    """[insatskollen.auth] in the secrets is wrong; the message says what and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """[insatskollen.auth]: where roles come from. `role_map` maps a claim value (an Entra app role,
    a group id) to one of ROLES; `default_role` is the role of a signed-in user found nowhere."""

    roles_claim: str | None = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)
    default_role: str | None = None
    # The `iss` of the identity provider in [auth] (its server_metadata_url without the well-known part,
    # or [insatskollen.auth] issuer); the role table grants roles only to sign-ins from it.
    issuer: str | None = None


@dataclass(frozen=True)
class Identity:
    """The person behind this session. `signed_in` is False on a server without [auth]."""

    subject: str | None
    name: str
    email: str | None
    role: str | None
    signed_in: bool
    # Why a role given to this e-mail in the role table does not count (Swedish), or None.
    email_not_trusted: str | None = None

    def may(self, role: str) -> bool:
        """True when this identity's role is `role` or above it."""
        return self.role is not None and rank(self.role) >= rank(role)

    def owns(self, owner_subject: str | None) -> bool:
        """May change a scenario owned by `owner_subject`. Without sign-in everyone owns everything (the
        single-user tool); signed in, only the owner does: a scenario saved before sign-in (no owner)
        can be read, copied and commented on, not changed."""
        if not self.signed_in:
            return True
        return self.subject is not None and owner_subject == self.subject

    def actor(self, typed_name: str = "") -> Actor:
        """Who goes into a log: the signed-in identity, or the name typed into the page."""
        if self.signed_in:
            return Actor(self.name, subject=self.subject, email=self.email)
        return Actor(typed_name)

    @property
    def label(self) -> str:
        """'Anna Andersson (handläggare)' for the sidebar."""
        return f"{self.name} ({self.role or 'ingen roll'})"


LOCAL = Identity(subject=None, name="", email=None, role=ADMIN, signed_in=False)


def rank(role: str) -> int:
    if role not in ROLES:
        raise AuthSettingError(f"Okänd roll ”{role}”. Tillåtna roller: {', '.join(ROLES)}.")
    return ROLES.index(role)


def parse_table_role(text: str) -> str:
    """A role as typed for the role table (one of ROLES, or NO_ROLE); refused in Swedish otherwise."""
    role = unicodedata.normalize("NFC", text.strip())
    if role != NO_ROLE:
        rank(role)
    return role


def clean_principal(text: str) -> str:
    """An OIDC subject or e-mail as typed on the command line, checked before anything is written: not
    empty, not too long, no spaces or invisible characters, and no character that can pass for another
    (a Cyrillic "а" for a Latin "a", a full-width letter), so that the table holds what the identity
    provider sends. Composed to NFC (a Mac's terminal may send "å" as "a" plus a ring); an e-mail in lower
    case, as the app looks it up."""
    principal = unicodedata.normalize("NFC", (text or "").strip())
    if not principal:
        raise AuthSettingError("Ange ett OIDC-subjekt eller en e-postadress; en tom text går inte.")
    if len(principal) > MAX_PRINCIPAL:
        raise AuthSettingError(
            f"Subjektet eller e-postadressen är för långt ({len(principal)} tecken, högst {MAX_PRINCIPAL})."
        )
    for place, char in enumerate(principal, start=1):
        code = f"U+{ord(char):04X}"
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"):
            raise AuthSettingError(
                f"Subjektet eller e-postadressen innehåller mellanslag eller osynliga tecken ({code}) på "
                f"plats {place}. Kopiera det från identitetsleverantören igen."
            )
        if char.isascii():
            continue
        latin = unicodedata.name(char, "").startswith("LATIN ")
        if not latin or unicodedata.normalize("NFKC", char) != char:
            raise AuthSettingError(
                f"Tecknet ”{char}” ({code}) på plats {place} kan förväxlas med ett annat (t.ex. ett kyrilliskt "
                "”а” med ett latinskt ”a”). Skriv subjektet eller adressen precis som identitetsleverantören "
                "har det, med latinska bokstäver."
            )
    return principal.lower() if "@" in principal else principal


WELL_KNOWN = "/.well-known/openid-configuration"


def issuer_of(auth_section: Mapping[str, Any] | None) -> str | None:
    """The issuer the [auth] section signs in with: an OpenID provider's metadata lives at its issuer
    plus /.well-known/openid-configuration (OpenID Connect Discovery 1.0, section 4), and Authlib refuses
    an identity token whose `iss` differs from the issuer in that metadata. None when it cannot be told."""
    url = str((auth_section or {}).get("server_metadata_url") or "")
    return url[: -len(WELL_KNOWN)] if url.endswith(WELL_KNOWN) else None


def settings_from(
    section: Mapping[str, Any] | None, auth_section: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from the [insatskollen.auth] table of the secrets (missing: the defaults); the issuer
    from its `issuer`, else from [auth]'s server_metadata_url."""
    section = dict(section or {})
    unknown = set(section) - {"roles_claim", "role_map", "default_role", "issuer"}
    if unknown:
        raise AuthSettingError(
            f"[insatskollen.auth] har okända nycklar: {', '.join(sorted(unknown))}. "
            "Tillåtna: roles_claim, role_map, default_role, issuer."
        )
    role_map = {str(k): str(v) for k, v in dict(section.get("role_map") or {}).items()}
    default = section.get("default_role") or None
    for role in [*role_map.values(), *([default] if default else [])]:
        rank(role)
    return Settings(
        roles_claim=section.get("roles_claim", "roles") or None,
        role_map=role_map,
        default_role=default,
        issuer=str(section.get("issuer") or "") or issuer_of(auth_section),
    )


def from_issuer(claims: Mapping[str, Any], settings: Settings) -> bool:
    """The sign-in comes from the configured identity provider."""
    return settings.issuer is not None and claims.get("iss") == settings.issuer


def email_not_trusted(claims: Mapping[str, Any], settings: Settings) -> str | None:
    """Why the sign-in's e-mail may not carry a role from the role table (Swedish), or None when it may:
    the configured identity provider says it has verified the address."""
    if not claims.get("email"):
        return "inloggningen har ingen e-postadress"
    if not from_issuer(claims, settings):
        return (
            f"inloggningen kommer från en annan identitetsleverantör ({claims.get('iss') or 'okänd'}) "
            "än den Insatskollen är inställd på"
        )
    if claims.get("email_verified") is not True:
        return "identitetsleverantören har inte bekräftat att e-postadressen är din (email_verified)"
    return None


def table_role(
    claims: Mapping[str, Any], settings: Settings, by_subject: str | None, by_email: str | None
) -> str | None:
    """The role the role table gives this sign-in, from its rows for the subject and for the e-mail.
    `ingen` blocks on either row. A role is granted by the subject of a sign-in from the configured
    issuer, or by an e-mail that issuer has verified; an unverified or foreign e-mail grants nothing."""
    if NO_ROLE in (by_subject, by_email):
        return NO_ROLE
    if by_subject and from_issuer(claims, settings):
        return by_subject
    if by_email and email_not_trusted(claims, settings) is None:
        return by_email
    return None


def role_for(claims: Mapping[str, Any], settings: Settings, table_role: str | None) -> str | None:
    """The role table first, then the highest role any value of the roles claim maps to, then the
    default role; None when the user has no role."""
    if table_role == NO_ROLE:
        return None
    if table_role:
        rank(table_role)
        return table_role
    values = claims.get(settings.roles_claim) if settings.roles_claim else None
    if isinstance(values, str):
        values = [values]
    mapped = [settings.role_map[str(v)] for v in values or [] if str(v) in settings.role_map]
    if mapped:
        return max(mapped, key=rank)
    return settings.default_role


def identity_from(claims: Mapping[str, Any], settings: Settings, table_role: str | None) -> Identity:
    """A signed-in identity from the identity token's claims."""
    subject = str(claims.get("sub") or "") or None
    email = claims.get("email") or None
    name = claims.get("name") or claims.get("preferred_username") or email or subject or "okänd"
    return Identity(
        subject,
        str(name),
        email,
        role_for(claims, settings, table_role),
        signed_in=True,
        email_not_trusted=email_not_trusted(claims, settings) if email else None,
    )


def identity_of(claims: Mapping[str, Any], settings: Settings, work) -> Identity:
    """A signed-in identity from its claims and the role table's rows for it (`work`: the working store)."""
    by_subject, by_email = work.roles_of(claims.get("sub"), claims.get("email"))
    return identity_from(claims, settings, table_role(claims, settings, by_subject, by_email))


def refusal(identity: Identity, needed: str, what: str) -> str:
    """The Swedish message for an action the role does not allow."""
    who = f"Du är inloggad som {identity.label}" if identity.signed_in else "Du är inte inloggad"
    return f"Du får inte {what}: det kräver rollen {needed}. {who}."


def check(identity: Identity, needed: str, what: str) -> None:
    """Raise NotAllowed unless `identity` has `needed` or above."""
    if not identity.may(needed):
        raise NotAllowed(refusal(identity, needed, what))


def check_owner(identity: Identity, owner_subject: str | None, what: str) -> None:
    check(identity, OFFICIAL, what)
    if not identity.owns(owner_subject):
        raise NotAllowed(
            f"Du får inte {what}: scenariot är någon annans. Du kan kopiera det till ett eget scenario "
            "eller kommentera det."
        )
