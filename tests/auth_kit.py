"""A real OIDC provider on loopback (oidc-provider-mock) and a Streamlit server signed in against it.

The provider runs in a thread of the test process on a free port, with one predefined user per role
(each a button on its sign-in form, so Playwright signs in as a person does). The server gets its own
secrets file (STREAMLIT_SECRETS_FILES): Streamlit's [auth] section, and [insatskollen.auth] mapping
the `roles` claim to the three roles. XSRF protection stays on (Streamlit forces it with [auth]).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from tests import browser_kit
from tests.conftest import published_var

MALLORY = "**Mallory** <img src=x onerror=alert(1)> [klicka](http://evil.example) =1+1"
# sub -> claims. The role comes from the `roles` claim, mapped below; `okand` has no mapped role.
USERS = {
    "lena": {"name": "Lena Läsare", "email": "lena@kommun.se", "roles": ["KS.Ledamot"]},
    "hugo": {"name": "Hugo Handläggare", "email": "hugo@kommun.se", "roles": ["Insatskollen.Plan"]},
    "hanna": {"name": "Hanna Handläggare", "email": "hanna@kommun.se", "roles": ["Insatskollen.Plan"]},
    "ada": {"name": "Ada Administratör", "email": "ada@kommun.se", "roles": ["Insatskollen.Admin"]},
    "okand": {"name": "Olle Okänd", "email": "olle@kommun.se", "roles": ["Annat.System"]},
    # a display name an identity provider may well hold: markdown, HTML, a link and a formula, to be shown as text
    "mallory": {"name": MALLORY, "email": "mallory@kommun.se", "roles": ["Insatskollen.Plan"]},
    # issue 21: an account of Eva's own whose e-mail claim she set to Ada's address, unverified and in
    # another case; and Vera, whose provider has verified hers. Neither has a mapped role.
    "eva": {
        "name": "Eva Extern",
        "email": "ADA@kommun.se",
        "email_verified": False,
        "roles": ["Annat.System"],
    },
    "vera": {
        "name": "Vera Verifierad",
        "email": "vera@kommun.se",
        "email_verified": True,
        "roles": ["Annat.System"],
    },
}
ROLE_MAP = {"KS.Ledamot": "läsare", "Insatskollen.Plan": "handläggare", "Insatskollen.Admin": "administratör"}


@contextlib.contextmanager
def provider() -> Iterator[str]:
    """The OIDC provider on a free loopback port; yields its base URL."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def write_secrets(folder: Path, issuer: str) -> Path:
    """A secrets.toml for the test server (never a real secret)."""
    role_map = "\n".join(f'"{k}" = "{v}"' for k, v in ROLE_MAP.items())
    path = folder / "secrets.toml"
    path.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "test-cookie-secret-not-for-production-0123456789"
client_id = "insatskollen-test"
client_secret = "test-client-secret"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[insatskollen.auth]
roles_claim = "roles"

[insatskollen.auth.role_map]
{role_map}
""",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def server_with_sign_in(folder: Path) -> Iterator[tuple[str, str]]:
    """The provider and a Streamlit server using it, each its own throwaway state; yields (app URL,
    var folder)."""
    with provider() as issuer:
        secrets = write_secrets(folder, issuer)
        var = published_var(folder / "var")
        base, process = browser_kit.start_server(var, {"STREAMLIT_SECRETS_FILES": str(secrets)})
        try:
            yield base, var
        finally:
            browser_kit.stop_server(process)


def fresh_person_page(browser):
    """The tab of the module's shared context (browser_kit.shared_context) with no cookies, at 1400×900: a person
    who has not signed in, whose browser already holds Streamlit's scripts. People one after another use the
    same tab, as one browser whose cookies were cleared would; two people at once need contexts of their own.
    A new tab costs Chromium ~3.2 CPU-s for its first page against ~1.5 for a load in a tab that has shown the
    app (two rounds, 2026-12-08): a new tab compiles Streamlit's scripts anew. The tests leave the tab open for
    the next person."""
    context = browser_kit.shared_context(browser)
    context.clear_cookies()
    page = getattr(context, "_ik_person_page", None)
    if page is None or page.is_closed():
        page = context.new_page()
        context._ik_person_page = page
    page.set_viewport_size({"width": 1400, "height": 900})
    return page


def sign_in(page, base: str, sub: str):
    """Sign in as `sub` through the provider's form, in `page` (a tab without a sign-in in its cookies:
    fresh_person_page), as a person does; returns the page, on the app once it is idle."""
    page.goto(base + "/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(base + "/**")
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=30_000)
    browser_kit.wait_idle(page)
    return page


def page_signed_in(browser, base: str, sub: str, path: str = "/"):
    """A page at `path` signed in as `sub` by its cookies (signed_in_cookies), once it shows whatever the app
    shows (a page with a role, or the no-role page): in the browser's shared context with its cookies cleared
    (fresh_person_page: its tab), one person after another."""
    page = fresh_person_page(browser)
    page.context.add_cookies(
        [{"name": k, "value": v, "url": base} for k, v in signed_in_cookies(base, sub).items()]
    )
    page.goto(base + path)
    page.locator("h1").first.wait_for(timeout=30_000)
    browser_kit.wait_idle(page)
    return page


def signed_in_cookies(base: str, sub: str) -> dict[str, str]:
    """The cookies of a sign-in as `sub`, made without a browser by the requests a browser makes: the page's
    XSRF cookie, the "Logga in" click over the websocket (the app answers with where to go), the provider's
    form posted as the button for `sub`, and the callback that sets the auth cookie. ~1 s instead of ~8 s for
    a browser's sign-in; for tests whose subject is what a signed-in session can do, not the sign-in itself
    (that journey is tests/browser/test_journey_sign_in.py)."""
    from urllib.parse import urlparse

    import requests

    from tests import replay_kit

    http = requests.Session()
    for path in ("/", "/_stcore/health"):  # the health check sets _streamlit_xsrf, as for the page
        http.get(base + path, timeout=30).raise_for_status()

    async def click_sign_in() -> replay_kit.Reply:
        async with replay_kit.Replay(base, http.cookies.get_dict()) as session:
            shown = await session.rerun("")
            return await session.rerun("", clicks=[shown.widgets["auth_login"]])

    redirect = replay_kit.run(click_sign_in()).redirect
    assert redirect.startswith("/auth/login"), redirect
    form = http.get(base + redirect, timeout=30)  # on to the provider's sign-in form
    form.raise_for_status()
    done = http.post(form.url, data={"sub": sub}, timeout=30)  # the button for sub; back through the callback
    done.raise_for_status()
    # the app's cookies, not the provider's (another host)
    cookies = {c.name: c.value for c in http.cookies if c.domain == urlparse(base).hostname}
    assert "_streamlit_user" in cookies, (sub, sorted(cookies))
    return cookies
