"""Shared pieces for the tests that drive the real server in headless Chromium.

One Streamlit server per test module (each on its own throwaway database), Debian's
/usr/bin/chromium through Playwright, and helpers that wait on Streamlit's own signals, never
fixed sleeps: the run a click asked for has started and finished on the page's websocket, and
nothing is running, skeleton or stale on the page (wait_idle). Journey screenshots go to artifacts/journeys/.
Without Chromium these tests skip, unless INSATSKOLLEN_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import server_kit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # a person's browser: scripts/browser_latency.py measures this one
# The tests drive Chromium's headless shell where it is installed (Debian's chromium-headless-shell, built from
# the same Chromium source as /usr/bin/chromium: the same Blink, V8 and layout; it is what Playwright itself
# launches for headless runs). It has no browser UI process to feed: the whole machine's CPU over
# test_journey_politician.py fell from 74/66 to 65/54 CPU-s, and over the fidelity and slide-fit modules from
# 117/117 to 108/100 (two rounds each, taking turns, 2026-12-07). .ci/run installs it; without it the tests
# use /usr/bin/chromium.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
TEST_CHROMIUM = HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else CHROMIUM
JOURNEY_SHOTS = ROOT / "artifacts" / "journeys"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]
# For the tests only (not browser_latency, which measures what a person's browser does): V8 without its
# optimising compilers. A journey's pages live seconds, too short to repay TurboFan/Maglev compiling
# Streamlit's and Plotly's code in the background: Chromium's CPU for test_journey_politician.py fell from
# 76-77 to 73-74 CPU-s (two rounds each, one after the other, 2026-12-07); what the page does is the same.
TEST_ARGS = ["--js-flags=--no-opt --max-lazy"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("INSATSKOLLEN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium saknas: installera Debians paket 'chromium'.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


def start_server(var: Path, extra_env: dict | None = None) -> tuple[str, subprocess.Popen]:
    """`streamlit run app.py` on a free loopback port with its own var folder (read store + working store); returns (base URL, process)."""
    port = server_kit.free_port()
    env = os.environ | {"INSATSKOLLEN_VAR": str(var)} | (extra_env or {})
    process = subprocess.Popen(
        server_kit.streamlit_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        server_kit.wait_healthy(base, lambda: process.poll() is None, timeout=60)
    except RuntimeError:
        process.kill()
        pytest.fail("Servern startade inte: " + (process.stdout.read() if process.stdout else ""))
    return base, process


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# Streamlit's own signals, read off its websocket in the page: the frontend's "rerun" requests
# (BackMsg.rerun_script, field 11) and the server's "a run started" (ForwardMsg.new_session, field 4)
# and "a run finished" (ForwardMsg.script_finished, field 6; status 2 = stopped early for another run).
# Only the top-level protobuf tags are read. Each event takes the next number of one counter, so
# wait_idle can ask "did the last run that started after the last request finish?".
WATCH_RUNS = """(() => {
  if (window.__ikRuns) return;
  const runs = (window.__ikRuns = {seq: 0, request: 0, start: 0, finish: 0, requestedAt: 0, finishedAt: 0,
                                   watching: false, sockets: new WeakSet()});
  const fields = (buffer) => {
    const bytes = new Uint8Array(buffer), found = {};
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[i++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) found[field] = varint();
      else if (wire === 2) { const size = varint(); found[field] = true; i += size; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return found;
  };
  const asBuffer = (data) => data instanceof ArrayBuffer ? data
    : ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : null;
  const received = (event) => {
    const buffer = asBuffer(event.data);
    if (!buffer) return;
    const found = fields(buffer);
    if (4 in found) runs.start = ++runs.seq;
    if (6 in found && found[6] !== 2) { runs.finish = ++runs.seq; runs.finishedAt = performance.now(); }
  };
  const watch = (socket, late) => {
    if (runs.sockets.has(socket)) return;
    runs.sockets.add(socket);
    if (late && !runs.watching) { runs.start = ++runs.seq; runs.finish = ++runs.seq; }  // joined an idle session
    runs.watching = true;
    socket.addEventListener("message", received);
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    watch(this, true);
    const buffer = asBuffer(data);
    if (buffer && 11 in fields(buffer)) { runs.request = ++runs.seq; runs.requestedAt = performance.now(); }
    return send.call(this, data);
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); watch(this); }
  };
})()"""


def launch(playwright):
    """Chromium whose every new page (browser.new_page, browser.new_context().new_page) watches
    Streamlit's runs on its websocket from the first message (WATCH_RUNS), for wait_idle."""
    browser = playwright.chromium.launch(executable_path=TEST_CHROMIUM, args=LAUNCH_ARGS + TEST_ARGS)
    new_context, new_page = browser.new_context, browser.new_page

    def context_watching_runs(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script(WATCH_RUNS)
        return context

    def page_watching_runs(*args, **kwargs):
        page = new_page(*args, **kwargs)
        page.add_init_script(WATCH_RUNS)
        return page

    browser.new_context = context_watching_runs
    browser.new_page = page_watching_runs
    return browser


def shared_context(browser):
    """The module's context for pages opened on the browser itself: one HTTP and code cache for Streamlit's
    and Plotly's scripts, so a page after the first loads them from the cache instead of fetching and compiling
    ~10 MB again (measured on a loaded machine: six pages took 26–31 s in new contexts, 16–22 s in one).
    A test that needs a person of its own (another cookie jar: a colleague, a signed-in user) makes its own
    context. The `chromium` fixture closes every context after each module, and with it this one."""
    context = getattr(browser, "_ik_shared_context", None)
    if context is None or context not in browser.contexts:
        context = browser.new_context(accept_downloads=True)
        browser._ik_shared_context = context
    return context


def open_page(browser_or_context, url: str, width: int = 1400, height: int = 900):
    """A new page (in the browser's shared context, or in a given context) at url, once Streamlit has drawn
    its first heading."""
    if hasattr(browser_or_context, "new_context"):  # a Browser: the module's shared context
        browser_or_context = shared_context(browser_or_context)
    page = browser_or_context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_selector("h1", timeout=30_000)
    wait_idle(page)
    return page


def load(page, url: str) -> None:
    """Open an address in a page that is already open, as a link from a mail or a colleague is opened: a full
    load and a new session, whose filters come from the URL. Costs Chromium about as much as open_page; to
    move between pages, go_to is a third of that."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_selector("h1", timeout=30_000)
    wait_idle(page)


def go_to(page, title: str, drawn: str | None = None, timeout: int = 30_000) -> str:
    """To another page by its link in the sidebar's menu, as a person does: no new load, the same session,
    so the sidebar's filters stay as they are (reset_filters clears them). Nothing happens on the page
    already shown. Waits until the page is idle (and the selector `drawn` is there, if given), checks that it
    shows no error and returns its main area's text (no-break spaces as spaces)."""
    from urllib.parse import urlparse

    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True)
    path = urlparse(link.get_attribute("href")).path
    if urlparse(page.url).path != path:
        link.click()
        page.wait_for_url(lambda url: urlparse(url).path == path, timeout=timeout)
    if drawn is not None:
        page.wait_for_selector(drawn, timeout=timeout)
    wait_idle(page, timeout=timeout)
    assert_no_error(page)
    return main_text(page).replace("\xa0", " ")


def save_scenario(page, author: str, name: str) -> tuple[str, str]:
    """Save the scenario on Scenarier under `name` by `author`, as an official does with the mouse, and return
    (its id from the address, the link the page gives to copy)."""
    from playwright.sync_api import expect

    fill(page, "Ditt namn (visas i ändringsloggen)", author)
    fill(page, "Scenariots namn", name)
    click(page, "Spara som nytt scenario")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Scenariot är sparat.", timeout=30_000)
    scenario_id = re.search(r"scenario=([0-9a-f]+)", page.url).group(1)
    code = page.locator('[data-testid="stMain"] [data-testid="stCode"]').filter(has_text="?scenario=")
    return scenario_id, code.inner_text().strip()


def reset_filters(page) -> None:
    """Clear the sidebar's filters (Återställ filter), unless none is chosen: a page as a fresh visit shows it."""
    sidebar = page.get_by_test_id("stSidebarUserContent")
    chips = sidebar.locator('[data-testid="stMultiSelect"] [data-tag]')
    search = sidebar.get_by_label("Sök insats, nämnd eller område")
    if chips.count() or search.input_value():
        sidebar.get_by_role("button", name=re.compile("Återställ filter")).click()
        wait_idle(page)
        chips.first.wait_for(state="detached")


def only_kommun(page, name: str) -> None:
    """The sidebar's filters cleared, then `name` chosen in its Kommun list, as a person narrows the view."""
    reset_filters(page)
    box = page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Kommun", exact=True)
    box.click()
    box.press_sequentially(name[:5])
    page.get_by_role("option", name=name, exact=True).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)


# Idle: the last rerun the page asked for has started and finished (its websocket says so), nothing has
# been asked for or finished in the last QUIET_MS (a click's rerun request leaves in the click's own
# event handler, and the frontend draws the final deltas right after), and the page shows it: no
# running indicator, no skeleton, nothing stale. A page not watched from its first message (made
# outside launch()) starts being watched here; until its first request it waits MIN_UNWATCHED_MS.
QUIET_MS = 80
MIN_UNWATCHED_MS = 300
IDLE = """([since, quiet, unwatched]) => {
  if (document.querySelector('[data-testid="stStatusWidget"] button')
      || document.querySelector('[data-testid="stSkeleton"]')
      || document.querySelector('[data-stale="true"]')) return false;
  const runs = window.__ikRuns, now = performance.now();
  if (!runs || !runs.watching) return now - since >= unwatched;
  return runs.finish > runs.start && runs.start > runs.request
    && now - Math.max(since, runs.requestedAt, runs.finishedAt) >= quiet;
}"""


def wait_idle(page, timeout: int = 30_000) -> None:
    """Wait until the script run is over: the rerun the last action asked for has started and
    finished on Streamlit's websocket, and the page shows no running indicator, no skeleton, nothing
    stale (see IDLE)."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            since = page.evaluate(f"() => {{ {WATCH_RUNS}; return performance.now(); }}")
            page.wait_for_function(IDLE, arg=[since, QUIET_MS, MIN_UNWATCHED_MS], timeout=timeout, polling=40)
            return
        except PlaywrightError as error:
            # the click navigated (Logga ut goes to the identity provider and back): wait for the new
            # document, then for its runs
            if attempt == 2 or "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()


def next_frames(page, count: int = 2) -> None:
    """Wait until the page has drawn `count` more frames: for a change that needs no script run
    (a resized viewport, an opened list, a pressed key) to be laid out and painted."""
    page.evaluate(
        """(count) => new Promise((done) => {
             const step = (left) => left ? requestAnimationFrame(() => step(left - 1)) : done();
             step(count);
           })""",
        count,
    )


def download(page, button, target_dir: Path | None = None, timeout: int = 120_000) -> Path:
    """Click a download button the way a person does and return the downloaded file.

    Waits until Streamlit is idle first (a button from a run still in progress points at a file the
    next run replaces). If no download has started within 30 s, clicks once more, as a person would;
    a button that never downloads still fails. Saved under target_dir with its suggested name, or
    left where Playwright put it."""
    wait_idle(page)
    button.scroll_into_view_if_needed()
    try:
        with page.expect_download(timeout=30_000) as info:
            button.click()
        value = info.value
    except Exception as first:  # Playwright's TimeoutError: no download began
        print(f"download: no download 30 s after the first click ({type(first).__name__}); clicking again")
        wait_idle(page)
        with page.expect_download(timeout=timeout) as info:
            button.click()
        value = info.value
    assert value.failure() is None, f"the download of {value.suggested_filename} failed: {value.failure()}"
    if target_dir is None:
        return Path(value.path())
    target = target_dir / value.suggested_filename
    value.save_as(target)
    return target


def make_and_download(
    page, what: str, target_dir: Path | None = None, timeout: int = 120_000, make: str | None = None
) -> Path:
    """A file made on a click (Presentation's PowerPoint, Word, Excel, PDF; Uppföljning's report): click
    `make` (default "Skapa {what}"), wait for "Ladda ner {what}" and download it."""
    click(page, make or f"Skapa {what}")
    button = page.get_by_role("button", name=f"Ladda ner {what}", exact=True)
    button.wait_for(timeout=timeout)
    return download(page, button, target_dir, timeout)


def grid_rows(page, column: str, timeout: int = 30_000) -> list[list[str]]:
    """The data rows of the first table (st.dataframe) with `column`, as its cells' texts, no-break spaces
    as spaces. The glide grid writes its hidden, accessible cells after the run is over: waits for the header.
    Only the columns in view are drawn (a wide table's last columns may be missing)."""
    page.locator('[data-testid="stDataFrame"] th', has_text=column).first.wait_for(
        state="attached", timeout=timeout
    )
    grid = next(
        g
        for g in page.locator('[data-testid="stDataFrame"]').all()
        if column in g.locator("th").all_text_contents()
    )
    return grid_cells(grid)


def browsers_under(pid: int) -> int:
    """How many Chromium processes run under the server `pid` (Kaleido's browser for the PDF), read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = (int(rest[1]), name)
    count = 0
    for child, (_parent, name) in parents.items():
        ancestor = child
        while ancestor in parents and ancestor != pid:
            ancestor = parents[ancestor][0]
        count += ancestor == pid and "chrom" in name
    return count


def follow_up_preview_rows(page, count: int) -> dict[str, list[str]]:
    """A follow-up file's preview table (on Uppföljning or Importera): its `count` rows by their file line
    ("2", "3" …), once the grid has drawn them."""
    from playwright.sync_api import expect

    # the grid writes its (hidden, accessible) header cells after the run is over: wait for the column
    page.locator('[data-testid="stDataFrame"] th', has_text=re.compile("^Rad$")).first.wait_for(
        state="attached", timeout=30_000
    )
    grid = next(
        g
        for g in page.locator('[data-testid="stDataFrame"]').all()
        if "Avvikelse (kr)" in g.locator("th").all_text_contents()
        and "Rad" in g.locator("th").all_text_contents()
    )
    expect(grid.locator("tbody tr")).to_have_count(count, timeout=30_000)
    return {r[0]: r for r in grid_cells(grid)}


def grid_cells(grid) -> list[list[str]]:
    """The data rows of one Streamlit table (a locator) as its cells' texts, read in one browser call."""
    rows = grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(c => c.textContent))"
    )
    return [[c.replace("\xa0", " ") for c in row] for row in rows]


def upload(page, path, then, uploader=None, timeout: int = 30_000) -> None:
    """Choose a file in the page's uploader (or `uploader`, a file input's locator) and wait until the rerun it
    asks for has been sent and the page shows `then`: a text, or a locator such as `preview_heading(page)`.
    A text the page may show already (Importera's intro says "förhandsgranskning") is only looked for after
    that rerun."""
    asked = page.evaluate("() => (window.__ikRuns ? window.__ikRuns.request : 0)")
    if uploader is None:
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files(str(path))
    page.wait_for_function(
        "(asked) => window.__ikRuns && window.__ikRuns.request > asked", arg=asked, timeout=30_000
    )
    wait_idle(page)
    (page.get_by_text(then).first if isinstance(then, str) else then).wait_for(timeout=timeout)
    wait_idle(page)


def preview_heading(page):
    """Importera's preview heading, shown once a file is read (the page's intro names the word before that)."""
    return page.get_by_role("heading", name="Förhandsgranskning")


def wait_charts(page, count: int, timeout: int = 30_000) -> None:
    """Wait until at least `count` Plotly charts are drawn."""
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=timeout
    )


def open_list(page, box) -> None:
    """Open a selectbox's or multiselect's list (a react-aria combobox) with the mouse, as a person does. A
    click on a box that already has the focus (left there by the last choice, or given back after a rerun)
    does not open it: the person then presses the down arrow, which does. (choose waited out its option's 5 s
    timeout before it did this: five choices of the official's and Gävle's journeys, 25 s of a run.)"""
    box.click()
    next_frames(page)
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")


def choose(
    page,
    label: str,
    option: str | re.Pattern,
    exact: bool = True,
    typed: str | None = None,
    within=None,
) -> None:
    """Pick one option in a selectbox (react-aria combobox) by its visible label, as a person does; with
    `typed`, the start of its name is typed first to narrow a long list; `within` a part of the page (e.g. the
    main area). The list is opened (and typed into) again if the option did not show: a click during a rerun
    can be lost, and a late rerun can close the list while the name is typed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = (within or page).get_by_role("combobox", name=label, exact=True)
    wanted = page.get_by_role("option", name=option, exact=exact if isinstance(option, str) else None).first
    for attempt in range(3):
        if attempt and typed:
            box.fill("")  # what was typed into the closed list
        if typed:
            box.click()
            box.press_sequentially(typed)
        else:
            open_list(page, box)
        try:
            wanted.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_idle(page)
    wanted.click()
    wait_idle(page)


def multiselect(page, label: str, options: list[str]) -> None:
    """Add options to a multiselect in the sidebar or main area, one click per option."""
    for option in options:
        box = page.get_by_role("combobox", name=label)
        box.click()
        page.get_by_role("option", name=option, exact=True).first.click()
        page.keyboard.press("Escape")
        wait_idle(page)


def fill(page, label: str, text: str) -> None:
    """Type into a text input and commit it (Enter), as a person would."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def click(page, name: str, exact: bool = True) -> None:
    page.get_by_role("button", name=name, exact=exact).first.click()
    wait_idle(page)


def main_text(page) -> str:
    """Everything the main area shows, as text."""
    return page.locator('[data-testid="stMain"]').inner_text()


def assert_no_error(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.all_inner_texts()
    assert "Page not found" not in page.content()
    assert "Traceback" not in page.content()


# Screenshots are for people to look at, not asserted: a full-length one relays the page out twice (the
# window grows to the page's length and back), about a second of Chromium's time each on this machine, ~160 in
# the journeys. They are taken when INSATSKOLLEN_SHOTS=1 (docs/accessibility.md, "Looking at the pages").
SHOTS = os.environ.get("INSATSKOLLEN_SHOTS") == "1"


def shot(page, journey: str, step: str) -> Path:
    """A full-length screenshot of one journey step into artifacts/journeys/<journey>-<step>.png, when
    INSATSKOLLEN_SHOTS=1 (else only the path it would have)."""
    path = JOURNEY_SHOTS / f"{journey}-{step}.png"
    if not SHOTS:
        return path
    JOURNEY_SHOTS.mkdir(parents=True, exist_ok=True)
    main = page.locator('[data-testid="stMain"]')
    height = page.evaluate(
        "(document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    old = page.viewport_size
    if main.count():
        page.set_viewport_size({"width": old["width"], "height": min(max(height, old["height"]), 8000)})
        next_frames(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(old)
    return path


AXE = Path(
    os.environ.get("INSATSKOLLEN_AXE", ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
)
AXE_REPORTS = ROOT / "artifacts" / "axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_axe() -> None:
    if not AXE.exists():
        if os.environ.get("INSATSKOLLEN_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"axe-core saknas ({AXE}); kör python3 scripts/dev.py test, som installerar det med npm"
            )
        pytest.skip("axe-core is not installed (npm install axe-core)")


def axe_serious(page, name: str, excluded: tuple[tuple[str, str], ...] = ()) -> list[tuple]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now, save the report to
    artifacts/axe/<name>.json and return the serious or critical violations as (rule, impact, targets).

    `excluded` holds (rule id, CSS selector) pairs for findings in Streamlit's own widgets that our
    code cannot change: a node is left out only when both its rule and its target match exactly."""
    wait_idle(page)
    # an element fading back in from "stale" would be measured at the wrong contrast: wait for every
    # opacity transition to end
    page.wait_for_function(
        """() => !document.getAnimations().some(
             (a) => a.playState === "running" && a.transitionProperty === "opacity")""",
        timeout=10_000,
    )
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # resultTypes: every node of a violation, one example node of a passed or incomplete rule. The full
    # result (~880 kB on Översikt) cost ~1 s a page to build, send over CDP and write; this one ~0.3 s.
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    serious = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            n["target"]
            for n in violation["nodes"]
            if not any(violation["id"] == rule and selector in n["target"] for rule, selector in excluded)
        ]
        if nodes:
            serious.append((violation["id"], violation["impact"], nodes[:5]))
    print(
        f"axe-core {name}: {len(result['violations'])} överträdelser, varav {len(serious)} allvarliga eller "
        f"kritiska (efter undantag); {len(result['passes'])} regler uppfyllda"
    )
    return serious


# (axe rule id, CSS selector of the node) left out of axe_check: findings in Streamlit's own widgets that our code
# cannot change, each with its reason. None so far (docs/accessibility.md).
AXE_EXCLUDED: tuple[tuple[str, str], ...] = ()


def axe_check(page, state: str) -> None:
    """axe on a state a person reaches by using the app, checked where a journey shows it (issue 16, item 6):
    a screenshot to artifacts/journeys/axe-<state>.png (with INSATSKOLLEN_SHOTS=1), the report to
    artifacts/axe/<state>.json, and no serious or critical violation outside AXE_EXCLUDED."""
    require_axe()
    shot(page, "axe", state)
    serious = axe_serious(page, state, AXE_EXCLUDED)
    assert not serious, serious


def open_panel(page, title: str | re.Pattern) -> None:
    """Open an st.expander by its title, as a person does (one already open is left open)."""
    summary = page.locator('[data-testid="stExpander"] summary').filter(has_text=title).first
    summary.scroll_into_view_if_needed()
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    wait_idle(page)


# Keyboard only (issue 16, item 6): the journeys do some of their steps with page.keyboard alone once the page has
# loaded (Tab and Shift+Tab to move, typing, Enter, Space, arrows); locators only read what the person sees.
# What document.activeElement is, as a person would name it: its tag, role, label and visible text.
_FOCUSED = """() => { const e = document.activeElement;
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].innerText : '')
    || (e.id && document.querySelector(`label[for="${e.id}"]`)?.innerText) || '';
  return {tag: e.tagName, role: e.getAttribute('role') || '', label: label.trim(),
          text: (e.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 80)}; }"""
# A visible focus indicator: an outline or a box-shadow on the focused element or on one of the three
# boxes around it (Streamlit draws an input's ring on its wrapper).
_INDICATOR = """() => { let e = document.activeElement;
  for (let i = 0; i < 4 && e && e !== document.body; i++, e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return `outline on ${e.tagName}`;
    if (s.boxShadow && s.boxShadow !== 'none') return `box-shadow on ${e.tagName}`;
  }
  return null; }"""


def focused(page) -> dict:
    """The focused element: {tag, role, label, text}."""
    return page.evaluate(_FOCUSED)


def _is(now: dict, what: str, tag: str | None = None) -> bool:
    """Whether the focused element `now` (focused()) is the one labelled or reading `what` (an icon's ligature
    name before it, such as 'download', is ignored)."""
    return (tag is None or now["tag"] == tag) and (
        now["label"] == what or now["text"] == what or now["text"].endswith(" " + what)
    )


def tab_to(page, what: str, tag: str | None = None, back: bool = False, limit: int = 90) -> dict:
    """Press Tab (or Shift+Tab) until the focused element's label or text is `what` (icons' ligature
    names such as 'download' are ignored by matching the end of the text); returns it."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        now["text"] = re.sub(r" expand_(more|less)$", "", now["text"])  # a popover's chevron icon
        trail.append(f"{now['tag']} {now['label'] or now['text']}")
        if _is(now, what, tag):
            return now
    raise AssertionError(f"{what!r} nåddes inte med tangentbordet; fokus gick: {trail}")


def assert_focus_visible(page) -> None:
    """The focused element shows a focus indicator (an outline or a box-shadow on it or on its box)."""
    indicator = page.evaluate(_INDICATOR)
    assert indicator, f"ingen synlig fokusmarkering på {focused(page)}"


def pick_by_typing(page, typed: str, multiselect: bool = False) -> None:
    """In a focused select box: type, let the list narrow, Enter picks the highlighted option."""
    page.keyboard.type(typed)
    page.wait_for_selector('[role="option"]', timeout=10_000)
    page.keyboard.press("Enter")
    if multiselect:  # a multiselect stays open for the next value
        page.keyboard.press("Escape")
    wait_idle(page)


def type_and_commit(page, typed: str) -> None:
    """In a focused text box: select what is there (Ctrl+A), type over it, Enter commits."""
    page.keyboard.press("Control+a")
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    wait_idle(page)


def press(page, key: str) -> None:
    """A key, then wait until the run it asked for is over."""
    page.keyboard.press(key)
    wait_idle(page)


def download_with_enter(page, folder: Path) -> Path:
    """Enter on the focused download button; returns the downloaded file, saved under its own name."""
    wait_idle(page)
    with page.expect_download(timeout=60_000) as info:
        page.keyboard.press("Enter")
    assert info.value.failure() is None
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def open_file_dialog(page, what: str | None = None, tag: str | None = None):
    """Enter on the focused Upload button opens the operating system's file dialog (Playwright answers it, as a
    person picks the file there). Right after the page is drawn the first Enter is sometimes not answered; a
    person presses again, and so does this, at most three times in all. A rerun that drew the button anew takes
    the focus with it: with `what` (and `tag`), the button tab_to found, the focus is taken back there first, as
    a person tabs to it again (seen once in a whole run under load: three Enters on a button no longer there)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Enter")
            return chooser.value
        except PlaywrightTimeout:
            wait_idle(page)
            if what is not None and not _is(focused(page), what, tag):
                tab_to(page, what, tag)
    raise AssertionError("Enter på Upload öppnade ingen fildialog")
