"""Uploads no widget takes are dropped (issue 21, item 5): any websocket session, also one not signed in, could
PUT files to /_stcore/upload_file and Streamlit kept them all until the session closed (100 files of 4,9 MB:
272 -> 742 MB). insatskollen/ui/upload_bounds.py bounds Streamlit 1.67's upload store in place; these tests
also fail when that coupling to Streamlit breaks."""

from __future__ import annotations

import http.cookies
import urllib.request
import uuid
from pathlib import Path

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.stats import CACHE_MEMORY_FAMILY
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from insatskollen.ui import upload_bounds
from tests import browser_kit as kit
from tests import replay_kit
from tests.conftest import published_var

MB = 2**20


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(upload_bounds.BoundedUploadedFileManager, "clock", staticmethod(lambda: now[0]))
    return now


@pytest.fixture
def store(clock):
    return upload_bounds.bound(MemoryUploadedFileManager("/_stcore/upload_file"))


def put(store, session: str, name: str, size: int = MB) -> str:
    file_id = f"{name}-{uuid.uuid4()}"
    store.add_file(session, UploadedFileRec(file_id=file_id, name=name, type="text/csv", data=b"x" * size))
    return file_id


def names(store, session: str) -> list[str]:
    return sorted(f.name for f in store.file_storage.get(session, {}).values())


def test_a_file_no_widget_reads_is_dropped_after_a_minute_and_one_a_widget_reads_stays(store, clock):
    taken = put(store, "s1", "taken.csv")
    put(store, "s1", "nobody.csv")
    assert [f.name for f in store.get_files("s1", [taken])] == ["taken.csv"]  # the file uploader's rerun
    clock[0] += 59
    store.sweep()
    assert names(store, "s1") == ["nobody.csv", "taken.csv"]
    clock[0] += 2
    store.sweep()
    assert names(store, "s1") == ["taken.csv"]
    assert store.held_bytes() == MB
    [stat] = store.get_stats()[CACHE_MEMORY_FAMILY]  # Streamlit's own accounting follows
    assert stat.byte_length == MB


def test_a_session_holds_at_most_three_uploads_worth_and_its_oldest_unread_files_go_first(store):
    taken = put(store, "s1", "taken.csv", 5 * MB)
    store.get_files("s1", [taken])
    for n in range(6):
        put(store, "s1", f"extra-{n}.csv", 4 * MB)
    # 3 × maxUploadSize (5 MB) = 15 MB: the file a widget holds and the two newest
    assert names(store, "s1") == ["extra-4.csv", "extra-5.csv", "taken.csv"]
    put(store, "s2", "other.csv", 4 * MB)  # another session's share is its own
    assert names(store, "s2") == ["other.csv"]
    assert store.held_bytes("s1") == 13 * MB


def test_all_sessions_together_hold_at_most_100_mb_no_widget_has_read(store):
    for session in range(30):
        put(store, f"s{session}", "a.csv", 4 * MB)
    assert store.held_bytes() == 100 * MB
    assert names(store, "s0") == [] and names(store, "s29") == ["a.csv"]


def test_a_file_removed_by_its_widget_or_with_its_session_leaves_nothing_behind(store):
    first = put(store, "s1", "a.csv")
    put(store, "s1", "b.csv")
    store.remove_file("s1", first)
    store.remove_session_files("s1")
    assert (store.held_bytes(), store._arrived, store._claimed) == (0, {}, set())


def test_install_refuses_an_upload_store_it_does_not_know(monkeypatch, caplog):
    class Other(MemoryUploadedFileManager):
        pass

    class Runtime:
        uploaded_file_mgr = Other("/_stcore/upload_file")

    monkeypatch.setattr(upload_bounds.runtime, "exists", lambda: True)
    monkeypatch.setattr(upload_bounds.runtime, "get_instance", lambda: Runtime)
    assert upload_bounds.install() is False
    assert "Uploads are not bounded" in caplog.text


def _rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))


@pytest.mark.browser
def test_a_session_not_signed_in_putting_100_files_of_5_mb_leaves_the_servers_memory_bounded(tmp_path):
    """The attack of issue 21: a websocket session with no sign-in and no file uploader on its page PUTs 100
    files of 4,9 MB with a valid XSRF token. Streamlit took them all (+470 MB until the session closed);
    now the session holds at most 3 × 5 MB, so the server's memory stays where it was."""
    base, process = kit.start_server(published_var(tmp_path / "var"))
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=30) as response:
            cookie = http.cookies.SimpleCookie(response.headers["Set-Cookie"])
        cookies = {"_streamlit_xsrf": cookie["_streamlit_xsrf"].value}
        body = b"Kommun;Belopp\n" + b"x" * (49 * MB // 10)

        def upload(url: str) -> int:
            boundary = "bounds"
            data = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
                    "Content-Type: text/csv\r\n\r\n"
                ).encode()
                + body
                + f"\r\n--{boundary}--\r\n".encode()
            )
            request = urllib.request.Request(
                base + url,
                data=data,
                method="PUT",
                headers={
                    "Cookie": f"_streamlit_xsrf={cookies['_streamlit_xsrf']}",
                    "X-Xsrftoken": cookies["_streamlit_xsrf"],
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Origin": base,
                },
            )
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status

        async def attack() -> tuple[int, list[int], int]:
            async with replay_kit.Replay(base, cookies) as session:
                await session.rerun("")  # Översikt: no file uploader on the page
                before = _rss(process.pid)
                statuses = [upload(await session.upload_url("a.csv")) for _ in range(100)]
                after = _rss(process.pid)
                return before, statuses, after

        before, statuses, after = replay_kit.run(attack())
    finally:
        kit.stop_server(process)
    assert statuses == [204] * 100  # every PUT is taken, as Streamlit does; what stays is bounded
    assert after - before < 60 * MB, f"{before / MB:.0f} -> {after / MB:.0f} MB"
