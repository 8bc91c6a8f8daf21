"""Several servers, one truth: two Streamlit servers behind nginx on one PostgreSQL (scripts/cluster.py).

One cluster per module. What nginx must do (both servers answer, a browser stays on its server, the
websocket passes, a crash of one server leaves the other's sessions running) is tested on its own.
So is what needs the shared stores of issue 13: a scenario saved on A opens on B, a CLI import appears
on both, concurrent saves all land, no acknowledged save is lost when A is killed. Those two checks of a
crash share one SIGKILL of A, in the module's last test, which restarts A. Skips without PostgreSQL or
nginx, unless INSATSKOLLEN_REQUIRE_CLUSTER=1 (CI).
Figures go to artifacts/cluster-loadtest.json.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests import browser_kit, pg_kit
from tests.store.test_deploy import require_nginx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import loadtest  # noqa: E402
import ws_session  # noqa: E402
from benchmark import peak_rss_mb  # noqa: E402
from cluster import Cluster, render_nginx  # noqa: E402

pytestmark = pytest.mark.cluster

A, B = 0, 1
ARTIFACT = ROOT / "artifacts" / "cluster-loadtest.json"
# A municipality the bundled data does not hold, so its appearance in a filter list is the import's doing.
IMPORT_CSV = (
    "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status\n"
    "Norrköping;2025;KS anslag till förfogande;2 000 000;Kultur- och fritidsnämnden;"
    "Läxhjälp i Navestad;Utbildning;450 000;beslutad\n"
)


@pytest.fixture(scope="module")
def cluster():
    pg_kit.require_postgres()
    require_nginx()
    with Cluster(servers=2, postgres=True) as running:
        print(f"\ncluster started in {running.started_in_s} s")
        record_figure("cluster_start_s", running.started_in_s)
        yield running


def record_figure(name: str, value) -> None:
    """Keep a measured figure in artifacts/cluster-loadtest.json (for the README's Prestanda)."""
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    figures[name] = value
    ARTIFACT.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def get(url: str, cookie: str | None = None) -> tuple[int, dict, str]:
    """One HTTP GET as a browser makes it; (status, headers, body)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read().decode("utf-8", errors="replace")


def route_of(headers) -> str | None:
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith("ik_route="):
            return header.split(";", 1)[0]
    return None


def open_session(url: str, page: str = "", cookie: str | None = None) -> ws_session.Session:
    """A websocket session that has run `page` once; returns it closed, with what it saw."""

    async def run() -> ws_session.Session:
        async with ws_session.Session(ws_session.ws_url(url), 60, cookie) as session:
            await session.rerun(page, None)
            return session

    return ws_session.run_async(run)


def municipalities_on(url: str) -> list[str]:
    """The Kommun list of the sidebar as a new browser session on this server sees it."""
    return open_session(url).options["municipalities"]


def wait_for(condition, what: str, seconds: float = 20):
    """Poll until condition() is true (servers switch to new data on their next rerun)."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.5)
    return value


# ---------------------------------------------------------------- nginx in front of two servers


def test_both_servers_answer_and_nginx_spreads_new_browsers_over_them(cluster):
    for url in cluster.server_urls:
        assert get(f"{url}/_stcore/health")[2] == "ok"
    seen = set()
    for _ in range(40):  # forty new browsers, each given a random route
        status, headers, body = get(cluster.nginx_url + "/")
        assert status == 200 and '<div id="root">' in body
        assert route_of(headers), "nginx set no ik_route cookie"
        seen.add(headers["X-Upstream"])
    assert seen == set(cluster.upstreams)
    assert (cluster.root / "nginx" / "nginx.conf").read_text() == render_nginx(
        cluster.root / "nginx", f"127.0.0.1:{cluster.nginx_port}", cluster.upstreams
    )


def test_a_browser_stays_on_its_server_also_over_the_websocket(cluster):
    _, first, _ = get(cluster.nginx_url + "/")
    cookie, upstream = route_of(first), first["X-Upstream"]
    for path in ("/", "/_stcore/health", "/scenarier", "/_stcore/host-config"):
        _, headers, _ = get(cluster.nginx_url + path, cookie)
        assert headers["X-Upstream"] == upstream, path
        assert route_of(headers) == cookie  # the cookie is kept, not replaced
    session = open_session(cluster.nginx_url, "", cookie)
    assert session.upstream == upstream
    assert "Malmö" in session.options["municipalities"]  # the page ran to the end through nginx
    route = cookie.split("=", 1)[1]
    stream = [line for line in cluster.log("nginx-access", 200_000).splitlines() if "/_stcore/stream" in line]
    assert any(f"upstream={upstream} route={route}" in line for line in stream), stream[-3:]


def test_twenty_sessions_through_nginx_without_a_failure(cluster):
    # Twenty sessions at once, each opening its page and changing it (once, within 14 s) through nginx, on both
    # servers. The sustained-load figures are scripts/loadtest.py's and scripts/scaling.py's (docs/performance.md);
    # clicking on here mostly burned the other test worker's CPU (three changes each: 15 CPU-s, 2026-12-07).
    result = loadtest.load(cluster.nginx_url, sessions=20, seconds=14, think=1.0, changes=1)
    rss = {f"server {'AB'[i]}": peak_rss_mb(pid) for i, pid in enumerate(cluster.pids)}
    summary = {k: result[k] for k in ("sessions", "seconds", "changes", "p50_ms", "p95_ms", "max_ms")}
    summary |= {
        "failed_sessions": result["failed_sessions"],
        "sessions_per_upstream": result["sessions_per_upstream"],
        "peak_rss_mb": rss,
    }
    record_figure("loadtest_through_nginx", summary)
    print(f"\nload test through nginx: {summary}")
    assert result["failures"] == []
    # every session opened its page without a failure (above) and stopped after its change; on a loaded machine
    # the 14 s could end a session before it (CI, 2026-12-07: 49 changes over 20 sessions asked for three each,
    # p95 4.2 s), so each makes at most one, and the sessions together at least half of them
    assert all(record["changes"] <= 1 for record in result["records"])
    assert sum(record["changes"] for record in result["records"]) >= 10 and len(result["records"]) == 20
    assert set(result["sessions_per_upstream"]) == set(cluster.upstreams)


# ---------------------------------------------------------------- one truth (needs the two stores)


def test_a_scenario_saved_through_a_is_listed_and_opens_identically_on_b(cluster, chromium):
    page = browser_kit.open_page(chromium, cluster.server_urls[A] + "/scenarier")
    browser_kit.fill(page, "Ditt namn (visas i ändringsloggen)", "Anna Lind")
    browser_kit.click(page, "Starta nytt scenario")
    browser_kit.fill(page, "Nytt belopp", "1 234 000")
    browser_kit.click(page, "Sätt belopp")
    browser_kit.fill(page, "Scenariots namn", "Klustret: sparat på A")
    browser_kit.click(page, "Spara som nytt scenario")
    saved_text = browser_kit.main_text(page)
    assert "Scenariot är sparat." in saved_text
    browser_kit.shot(page, "cluster", "1-saved-on-a")
    scenario_id = re.search(r"\?scenario=([0-9a-f]+)", saved_text).group(1)

    other = browser_kit.open_page(chromium, cluster.server_urls[B] + "/scenarier")
    browser_kit.choose(other, "Öppna sparat scenario", "Klustret: sparat på A")
    browser_kit.click(other, "Öppna")
    browser_kit.assert_no_error(other)
    opened_text = browser_kit.main_text(other)
    browser_kit.shot(other, "cluster", "2-opened-on-b")

    def lines(text: str) -> str:  # the table of the scenario's lines, as the person reads it
        shown = text[text.index("Raderna") : text.index("Ladda ner CSV", text.index("Raderna"))]
        return shown.replace("\xa0", " ")  # amounts are written with no-break spaces

    def figures(
        text: str,
    ) -> list[str]:  # Ram, Fördelat and what is left, with their bounds ("minst", "högst")
        label = r"(?:Ram|Fördelat(?:, minst)?|Ofördelat(?:, högst)?|Överfördelat(?:, minst)?)"
        return re.findall(rf"(?m)^{label}\n+((?:minst |högst )?[\d\s]+kr|okänt)$", text)

    assert "1 234 000 kr" in lines(opened_text)
    assert lines(opened_text) == lines(saved_text)
    assert figures(opened_text) == figures(saved_text) and len(figures(saved_text)) == 3
    assert "Klustret: sparat på A" in opened_text
    assert f"?scenario={scenario_id}" in opened_text
    page.close()
    other.close()


def test_an_import_made_with_the_command_line_appears_on_both_servers(cluster, tmp_path):
    assert all("Norrköping" not in municipalities_on(url) for url in cluster.server_urls)
    file = tmp_path / "norrkoping.csv"
    file.write_text(IMPORT_CSV, encoding="utf-8")
    result = cluster.cli("import", str(file), "--author", "Klustertest")
    assert result.returncode == 0, result.stderr
    for url in cluster.server_urls:
        wait_for(lambda url=url: "Norrköping" in municipalities_on(url), f"the import on {url}")
    result = cluster.cli("undo-import")
    assert result.returncode == 0, result.stderr
    for url in cluster.server_urls:
        wait_for(lambda url=url: "Norrköping" not in municipalities_on(url), f"the undo on {url}")


def saved_names(cluster, prefix: str) -> dict[str, str]:
    """scenario_id -> name of the saved scenarios whose name starts with prefix, from the working store."""
    import sqlalchemy as sa

    engine = sa.create_engine(cluster.database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select scenario_id, name from scenarios where name like :p"), {"p": prefix + "%"}
            ).all()
    finally:
        engine.dispose()
    return {row.scenario_id: row.name for row in rows}


def test_eight_sessions_per_server_saving_at_once_all_land(cluster):
    import sqlalchemy as sa

    start = threading.Barrier(16)
    acknowledged: dict[str, str] = {}
    errors: list[str] = []

    def save(index: int) -> None:
        url = cluster.server_urls[index % 2]
        name = f"Samtidigt {index:02d} på {'AB'[index % 2]}"
        start.wait()
        try:
            acknowledged[loadtest.save_scenario(url, name, f"Tråd {index}", timeout=120)] = name
        except ws_session.SessionFailed as error:
            errors.append(f"{name}: {error}")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(acknowledged) == 16
    assert saved_names(cluster, "Samtidigt ") == acknowledged
    engine = sa.create_engine(cluster.database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        total = connection.execute(sa.text("select count(*) from scenarios where name like 'Samtidigt %'"))
        assert total.scalar() == 16
    engine.dispose()


# ---------------------------------------------------------------- a server dies (the test restarts it)


def test_sigkill_of_a_mid_load_and_mid_save_keeps_b_running_and_loses_no_acknowledged_save(cluster):
    # One SIGKILL of server A and one restart, where two tests each killed and restarted it (a load of eight
    # sessions, 11 CPU-s; eight threads saving straight on A and B, 17.5 CPU-s). The eight sessions through
    # nginx now save a scenario after each change: they are the load and the saves at once.
    import sqlalchemy as sa

    load: dict = {}
    sessions: list[dict] = []  # the load's sessions as they start, each updated as it clicks and saves
    stop = threading.Event()
    runner = threading.Thread(
        target=lambda: load.update(
            loadtest.load(
                cluster.nginx_url,
                sessions=8,
                seconds=60,  # a bound: the test stops the sessions once they have done what it waits for
                think=0.5,
                save_every=1,
                started=sessions,
                stop=stop,
            )
        )
    )

    def on(server: int) -> list[dict]:
        return [r for r in sessions if r["upstream"] == cluster.upstreams[server]]

    runner.start()
    try:
        # every session has opened its page and clicked (a signal, not a fixed 5 s: sessions that have not
        # started by the kill all go to B), and four saves went through A
        wait_for(
            lambda: len(sessions) == 8 and all(r["changes"] or r["failure"] for r in sessions),
            "every session opening its page and clicking",
            seconds=60,
        )
        wait_for(lambda: sum(len(r["saves"]) for r in on(A)) >= 4, "four saves through A", seconds=120)
        killed_at = time.monotonic()
        cluster.kill(A)  # while the sessions on A click and save
        time.sleep(3)  # B keeps saving meanwhile
        wait_for(
            lambda: (
                all(r["failure"] for r in on(A))
                and all(r["failure"] or r["last_change_at"] > killed_at for r in on(B))
            ),
            "the sessions failing on A and clicking on B",
            seconds=60,
        )
        stop.set()
        runner.join(timeout=120)
        records = load["records"]
        sessions_on_a = [r for r in records if r["upstream"] == cluster.upstreams[A]]
        sessions_on_b = [r for r in records if r["upstream"] == cluster.upstreams[B]]
        assert sessions_on_a and sessions_on_b, load["sessions_per_upstream"]
        assert all(r["failure"] for r in sessions_on_a)  # the kill really hit sessions in use
        # no session on B failed, neither a change nor a save
        assert [r["failure"] for r in sessions_on_b] == [None] * len(sessions_on_b)
        assert all(r["last_change_at"] > killed_at for r in sessions_on_b)  # and they kept clicking after it
        # a browser that was on A reloads and is served by B
        status, headers, _ = get(cluster.nginx_url + "/", sessions_on_a[0]["route"])
        assert status == 200 and headers["X-Upstream"].split(", ")[-1] == cluster.upstreams[B]
    finally:
        stop.set()
        runner.join(timeout=120)
        cluster.restart(A)
    assert get(cluster.server_urls[A] + "/_stcore/health")[2] == "ok"
    prefix = f"Lasttest {load['run_id']} "  # scripts/loadtest.py names a save: <prefix>s<session> nr <k>
    acknowledged = {
        scenario_id: f"{prefix}s{r['session']} nr {k}"
        for r in records
        for k, scenario_id in enumerate(r["saves"], 1)
    }
    stored = saved_names(cluster, prefix)
    lost = {i: n for i, n in acknowledged.items() if stored.get(i) != n}
    engine = sa.create_engine(cluster.database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:  # a scenario without its change log is a partial save
        partial = connection.execute(
            sa.text(
                "select s.scenario_id from scenarios s where s.name like :p and not exists "
                "(select 1 from scenario_log l where l.scenario_id = s.scenario_id)"
            ),
            {"p": prefix + "%"},
        ).all()
    engine.dispose()
    print(
        f"\nSIGKILL during saves: {len(acknowledged)} acknowledged, {len(lost)} lost, {len(partial)} partial"
    )
    record_figure("sigkill_during_saves_postgres", {"acknowledged": len(acknowledged), "lost": len(lost)})
    assert lost == {}
    assert partial == []
