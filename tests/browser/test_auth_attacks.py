"""Issue 14 attacked: a motivated insider with a valid sign-in and the websocket protocol at hand.

One OIDC provider and one server with [auth] (tests/auth_kit.py). Each user signs in once in Chromium, as a
person does, to get their cookies; the attacks are then replayed websocket messages (tests/replay_kit.py)
and plain HTTP requests, which is what a script or the browser's developer tools can send. Each test says
what the user would check afterwards: what the page shows, and what the working store holds. The tests run
in file order and build on each other's saved work.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from insatskollen import cli
from insatskollen.store.working import engine
from tests import auth_kit, replay_kit
from tests import browser_kit as kit

pytestmark = pytest.mark.browser
SHARED: dict = {}
HUGOS = "Hugos plan"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    kit.require_browser()
    with auth_kit.server_with_sign_in(tmp_path_factory.mktemp("attacks")) as (base, var):
        var.mkdir(parents=True, exist_ok=True)
        store = engine.open_store(engine.default_url(var))
        # each person's cookies from a sign-in without the browser (the sign-in as a person does it is
        # tests/browser/test_journey_sign_in.py); the browser tests below set them in the shared context
        for sub in ("hugo", "hanna", "lena", "ada"):
            SHARED[sub] = auth_kit.signed_in_cookies(base, sub)
        yield base, store, var
        store.dispose()


def shown(reply: replay_kit.Reply) -> str:
    return reply.all_text.replace("\xa0", " ").replace("\u2060", "")


def scenario_id(store, name: str) -> str:
    saved = store.list_scenarios()
    return saved.scenario_id[saved.name == name].iloc[0]


async def start_new(session: replay_kit.Replay) -> replay_kit.Reply:
    """Open Scenarier and click "Starta nytt scenario": the session's own, unsaved scenario."""
    first = await session.rerun("scenarier")
    return await session.rerun("scenarier", clicks=[first.widgets["scn_start"]])


def test_hugo_saves_a_scenario_of_his_own(app):
    base, store, _ = app

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            opened = await start_new(hugo)
            return await hugo.rerun(
                "scenarier",
                texts={opened.widgets["scn_name"]: HUGOS},
                clicks=[opened.widgets["scn_save_new"]],
            )

    reply = replay_kit.run(replay())
    assert "Scenariot är sparat." in shown(reply)
    assert store.scenario_row(scenario_id(store, HUGOS))["owner_subject"] == "hugo"


def test_a_colleague_replaying_edits_on_hugos_scenario_changes_nothing_even_in_memory(app):
    """Hanna starts her own scenario (the edit buttons are hers to click), then opens Hugo's and replays
    those buttons, and Hugo's own delete and rename buttons. Hugo's scenario must look as he saved it: a
    changed frame shown under his name would be presented as his."""
    base, store, _ = app
    hugos_id = scenario_id(store, HUGOS)
    link = f"scenario={hugos_id}"

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            his = await hugo.rerun("scenarier", query_string=link)
        async with replay_kit.Replay(base, SHARED["hanna"]) as hanna:
            started = await start_new(hanna)
            own = started.widgets
            first_line = started.shown_values[own["scn_line"]].string_value
            opened = await hanna.rerun("scenarier", query_string=link)
            assert "Scenariot sparades av Hugo Handläggare" in shown(opened)
            assert "scn_do_frame" not in opened.widgets  # not offered
            edited = await hanna.rerun(
                "scenarier",
                query_string=link,
                texts={own["scn_frame_amount"]: "7 kr"},
                clicks=[own["scn_do_frame"]],
            )
            amounted = await hanna.rerun(
                "scenarier",
                query_string=link,
                texts={own["scn_line"]: first_line, own["scn_amount"]: "5 kr"},
                clicks=[own["scn_do_set"]],
            )
            managed = await hanna.rerun(
                "scenarier",
                query_string=link,
                texts={his.widgets[f"scn_rename_{hugos_id}"]: "Hannas nu"},
                clicks=[
                    his.widgets[f"scn_manage_rename_{hugos_id}"],
                    his.widgets[f"scn_manage_delete_{hugos_id}"],
                ],
            )
            return opened, edited, amounted, managed

    before_row, before_log = store.scenario_row(hugos_id), store.scenario_log_rows(hugos_id)
    opened, edited, amounted, managed = replay_kit.run(replay())
    assert edited.metrics["Ram"] == opened.metrics["Ram"] != "7 kr"
    assert "Du får inte ändra scenariot: scenariot är någon annans." in shown(edited)
    assert amounted.metrics == opened.metrics and opened.metrics["Fördelat"] != "5 kr"
    assert "Du får inte ändra scenariot: scenariot är någon annans." in shown(amounted)
    assert "EXCEPTION" not in shown(edited) + shown(amounted) + shown(managed)
    assert store.scenario_row(hugos_id) == before_row
    assert store.scenario_log_rows(hugos_id).equals(before_log)


def test_edits_replayed_after_the_role_was_taken_away_are_refused_in_memory_too(app):
    """Hugo has his scenario open; an administrator makes him läsare; his replayed edit changes nothing,
    and when the role comes back the scenario he sees is the one he had."""
    base, store, _ = app
    link = f"scenario={scenario_id(store, HUGOS)}"

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            opened = await hugo.rerun("scenarier", query_string=link)
            store.set_user_role("hugo", "läsare", added_by="test")
            try:
                refused = await hugo.rerun(
                    "scenarier",
                    query_string=link,
                    texts={opened.widgets["scn_frame_amount"]: "7 kr"},
                    clicks=[opened.widgets["scn_do_frame"]],
                )
            finally:
                store.remove_user("hugo")
            again = await hugo.rerun("scenarier", query_string=link)
            return opened, refused, again

    opened, refused, again = replay_kit.run(replay())
    assert "Du får inte använda sidan Scenarier: det kräver rollen handläggare." in shown(refused)
    assert again.metrics["Ram"] == opened.metrics["Ram"] != "7 kr"


def test_a_lasare_replaying_a_handlaggares_save_and_start_writes_nothing(app):
    base, store, _ = app

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            his = (await start_new(hugo)).widgets
        async with replay_kit.Replay(base, SHARED["lena"]) as lena:
            return await lena.rerun(
                "scenarier",
                texts={his["scn_name"]: "Lenas"},
                clicks=[his["scn_start"], his["scn_save_new"]],
            )

    before = store.list_scenarios()
    reply = replay_kit.run(replay())
    assert "Du får inte använda sidan Scenarier: det kräver rollen handläggare." in shown(reply)
    assert "scn_save_new" not in reply.widgets and "EXCEPTION" not in shown(reply)
    assert store.list_scenarios().equals(before)


def test_an_owner_given_on_the_command_line_holds_from_the_next_click_and_is_logged(app, capsys):
    """Hugo has his scenario open when the administrator gives it to Hanna: his next save is refused
    (the owner is read from the store, not from what his session remembers), and Hanna may now edit."""
    base, store, var = app
    hugos_id = scenario_id(store, HUGOS)
    link = f"scenario={hugos_id}"

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            opened = await hugo.rerun("scenarier", query_string=link)
            assert "scn_save" in opened.widgets
            code = cli.main(["--var", str(var), "scenarios", "owner", HUGOS, "hanna", "--av", "Kim (IT)"])
            assert code == 0
            saved = await hugo.rerun("scenarier", query_string=link, clicks=[opened.widgets["scn_save"]])
        async with replay_kit.Replay(base, SHARED["hanna"]) as hanna:
            hers = await hanna.rerun("scenarier", query_string=link)
        return saved, hers

    before = store.scenario_row(hugos_id)
    saved, hers = replay_kit.run(replay())
    assert f"”{HUGOS}” ägs nu av hanna" in capsys.readouterr().out
    assert "Du får inte spara ändringar i scenariot: scenariot är någon annans." in shown(saved)
    after = store.scenario_row(hugos_id)
    assert (after["owner_subject"], after["state_json"], after["updated_at"]) == (
        "hanna",
        before["state_json"],
        before["updated_at"],
    )
    last = store.scenario_log_rows(hugos_id).iloc[-1]
    assert (last.action, last.author, last.identity_kind) == ("bytte ägare", "Kim (IT)", "free_text")
    assert "scn_save" in hers.widgets and "scn_do_frame" in hers.widgets


def test_an_upload_with_a_forged_xsrf_token_is_refused_and_the_real_token_is_accepted(app):
    """The file uploader PUTs to /_stcore/upload_file/…; a page on another site can make the browser send
    the cookies, not read the XSRF cookie. The same request with the right token proves the check bites."""
    base, _, _ = app
    cookies = SHARED["ada"]

    def put(url: str, token: str) -> int:
        body, boundary = b"Kommun;Kommunkod\n", "replay"
        data = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
                f"Content-Type: text/csv\r\n\r\n"
            ).encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            url if url.startswith("http") else base + url,
            data=data,
            method="PUT",
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "X-Xsrftoken": token,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Origin": base,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    async def both():
        async with replay_kit.Replay(base, cookies) as ada:
            await ada.rerun("importera")
            url = await ada.upload_url("norrkoping.csv")
            forged = put(url, "2|00000000|" + "0" * 32 + "|1")
            missing = put(url, "")
            real = put(url, cookies["_streamlit_xsrf"])
            return forged, missing, real

    assert replay_kit.run(both()) == (403, 403, 204)


def test_a_copied_sign_in_cookie_outlives_logga_ut_and_ingen_in_the_role_table_shuts_it_out(app, chromium):
    """What the README says of Streamlit 1.67: Logga ut deletes the cookie in that browser, a copy taken
    before keeps signing in; the role table's `ingen`, read at every click, is the way to shut it out."""
    base, store, var = app
    copied = SHARED["lena"]  # taken when Lena signed in
    page = auth_kit.fresh_person_page(chromium)  # no cookies but the copied ones
    page.context.add_cookies([{"name": k, "value": v, "url": base} for k, v in copied.items()])
    page.goto(base + "/")
    page.get_by_text("Inloggad som Lena Läsare").wait_for(timeout=30_000)
    kit.wait_idle(page)
    kit.click(page, "Logga ut")
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Logga in").wait_for(timeout=30_000)
    assert "_streamlit_user" not in {c["name"] for c in page.context.cookies()}

    async def replay():
        async with replay_kit.Replay(base, copied) as thief:
            return await thief.rerun("")

    assert "Inloggad som Lena Läsare" in shown(replay_kit.run(replay()))
    assert cli.main(["--var", str(var), "users", "add", "lena", "ingen", "--av", "Kim (IT)"]) == 0
    try:
        blocked = shown(replay_kit.run(replay()))
    finally:
        store.remove_user("lena")
    assert "Du är inloggad som Lena Läsare (lena@kommun.se), men har ingen roll i Insatskollen." in blocked
    assert "108,64 mnkr" not in blocked and "Inloggad som" not in blocked


def test_a_display_name_with_markdown_html_and_a_formula_is_shown_as_the_text_it_is(app, chromium):
    base, store, _ = app
    page = auth_kit.page_signed_in(chromium, base, "mallory", "/importera")  # a crafted link
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"Inloggad som {auth_kit.MALLORY}" in sidebar
    refused = kit.main_text(page).replace("\xa0", " ").replace("\u2060", "")
    assert f"Du är inloggad som {auth_kit.MALLORY} (handläggare)." in refused
    kit.go_to(page, "Scenarier")  # in her menu
    kit.click(page, "Starta nytt scenario")
    kit.fill(page, "Scenariots namn", "Mallorys")
    kit.click(page, "Spara som nytt scenario")
    page.get_by_text("Scenariot är sparat.").wait_for()
    page.get_by_text("Ändringslogg (svensk tid)").click()
    kit.wait_idle(page)
    log = page.locator('[data-testid="stExpander"]', has_text="Ändringslogg").inner_text()
    assert f"{auth_kit.MALLORY} (mallory@kommun.se)" in log.replace("\xa0", " ").replace("\u2060", "")
    for nothing_rendered in ('img[src="x"]', 'a[href="http://evil.example"]', "strong:has-text('Mallory')"):
        assert page.locator(nothing_rendered).count() == 0, nothing_rendered
    kit.shot(page, "sign-in", "08-display-name-as-text")
    assert store.scenario_log_rows(scenario_id(store, "Mallorys")).author.iloc[-1] == auth_kit.MALLORY


def test_a_forged_click_without_the_values_a_browser_sends_gets_a_swedish_message_not_a_traceback(app):
    """A script may send only the click: "Starta nytt scenario" without the chosen frame, "Flytta" without
    from and to, "Öppna" without the chosen scenario. Streamlit would show the KeyError with its traceback."""
    base, _, _ = app

    async def replay():
        async with replay_kit.Replay(base, SHARED["hugo"]) as hugo:
            first = await hugo.rerun("scenarier")
            opened = await hugo.rerun("scenarier", clicks=[first.widgets["scn_start"]])
            hugo.shown = {}  # send nothing but the click
            start = await hugo.rerun("scenarier", clicks=[first.widgets["scn_start"]])
            hugo.shown = {}
            move = await hugo.rerun(
                "scenarier",
                texts={opened.widgets["scn_move_amount"]: "1 kr"},
                clicks=[opened.widgets["scn_do_move"]],
            )
            hugo.shown = {}
            open_ = await hugo.rerun("scenarier", clicks=[first.widgets["scn_open"]])
            return start, move, open_

    start, move, open_ = replay_kit.run(replay())
    assert "Välj en ram att utgå från." in shown(start)
    assert "Välj vad pengarna ska flyttas mellan, från och till." in shown(move)
    assert "Välj ett sparat scenario att öppna." in shown(open_)
    assert "EXCEPTION" not in shown(start) + shown(move) + shown(open_)


def test_a_role_given_by_e_mail_goes_only_to_an_e_mail_the_identity_provider_has_verified(app, chromium):
    """Issue 21: `users add ada@kommun.se administratör` (the README's first example) gave administratör to
    anyone whose e-mail claim said ADA@kommun.se, verified or not. Eva's own account claims it unverified."""
    base, store, var = app
    for principal, role in (("ada@kommun.se", "administratör"), ("vera@kommun.se", "handläggare")):
        assert cli.main(["--var", str(var), "users", "add", principal, role, "--av", "Kim (IT)"]) == 0
    try:
        page = auth_kit.page_signed_in(chromium, base, "eva")
        seen = kit.main_text(page).replace("\xa0", " ").replace("\u2060", "")
        assert "Du är inloggad som Eva Extern (ADA@kommun.se), men har ingen roll i Insatskollen." in seen
        assert (
            "En roll som getts till e-postadressen ADA@kommun.se gäller inte för dig: identitetsleverantören "
            "har inte bekräftat att e-postadressen är din (email_verified). En administratör ger dig en roll "
            "med ditt användar-id (subjekt): eva."
        ) in seen
        assert "Roll: administratör" not in page.content() and "mnkr" not in seen
        page.goto(base + "/importera")  # a typed link: still the no-role page, no import form
        page.get_by_text("har ingen roll i Insatskollen").wait_for(timeout=30_000)
        kit.wait_idle(page)
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        kit.shot(page, "sign-in", "09-unverified-e-mail")

        page = auth_kit.page_signed_in(
            chromium, base, "vera"
        )  # verified by the configured provider: the role holds
        side = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Inloggad som Vera Verifierad" in side and "Roll: handläggare" in side
    finally:
        store.remove_user("ada@kommun.se")
        store.remove_user("vera@kommun.se")
