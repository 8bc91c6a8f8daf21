"""Uploads that no widget takes are dropped: Streamlit keeps every file PUT to /_stcore/upload_file in memory
until its session closes, and any websocket session (also one not signed in) may PUT files, whether or not a
file uploader is on its page (issue 21: 100 files of 4,9 MB took a server from 272 to 742 MB).

`install()` (called by app.py on every run; it acts once per process) turns the server's upload store into a
`BoundedUploadedFileManager`:
- a file a widget has not read (`get_files`, which `st.file_uploader` calls on each rerun) within
  UNCLAIMED_SECONDS of arriving is dropped;
- a session holds at most SESSION_FILES_LIMIT × server.maxUploadSize bytes: a new file pushes out the
  session's oldest ones, those no widget has read first;
- all sessions together hold at most UNCLAIMED_TOTAL_BYTES in files no widget has read, oldest dropped first.
A legitimate upload is read by its widget within a second of arriving (the browser reruns right after the PUT),
so none of this touches it. A dropped file a widget later asks for is simply not there: the uploader shows
nothing, as if the file had been removed.

Coupled to Streamlit 1.67: the store is `streamlit.runtime.memory_uploaded_file_manager.MemoryUploadedFileManager`,
created by the server before any app code runs and captured by its upload route, so it cannot be replaced,
only specialised in place (`__class__`). The subclass calls only its public methods (add_file, get_files,
remove_file, remove_session_files) and reads `file_storage` under its `_lock`. `install` refuses (and logs)
any other store type, and tests/browser/test_upload_bounds.py fails when the coupling breaks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from streamlit import config, runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

LOG = logging.getLogger(__name__)

UNCLAIMED_SECONDS = 60
SESSION_FILES_LIMIT = 3  # the two uploaders (Importera, Kolada) and one replacement on its way
UNCLAIMED_TOTAL_BYTES = 100 * 2**20
SWEEP_SECONDS = 10

_INSTALL_LOCK = threading.Lock()


class BoundedUploadedFileManager(MemoryUploadedFileManager):
    """Streamlit's in-memory upload store, dropping files no widget reads (see the module docstring)."""

    # set by `install` (the instance is made by Streamlit, not by this class's __init__)
    _arrived: dict[tuple[str, str], float]  # (session, file id) -> when it arrived (monotonic)
    _claimed: set[tuple[str, str]]
    clock = staticmethod(time.monotonic)

    def add_file(self, session_id: str, file: UploadedFileRec) -> None:
        super().add_file(session_id, file)
        with self._lock:
            key = (session_id, file.file_id)
            self._arrived.pop(key, None)  # a file put again counts from now, at the end
            self._arrived[key] = self.clock()
            self._claimed.discard(key)
        self.sweep(session_id, keep=key)

    def get_files(self, session_id: str, file_ids: Sequence[str]) -> list[UploadedFileRec]:
        files = super().get_files(session_id, file_ids)
        with self._lock:
            self._claimed.update((session_id, f.file_id) for f in files)
        return files

    def remove_file(self, session_id: str, file_id: str) -> None:
        super().remove_file(session_id, file_id)
        with self._lock:
            self._arrived.pop((session_id, file_id), None)
            self._claimed.discard((session_id, file_id))

    def remove_session_files(self, session_id: str) -> None:
        super().remove_session_files(session_id)
        with self._lock:
            for key in [k for k in self._arrived if k[0] == session_id]:
                del self._arrived[key]
            self._claimed = {k for k in self._claimed if k[0] != session_id}

    def held_bytes(self, session_id: str | None = None) -> int:
        """Bytes held, for one session or all."""
        with self._lock:
            return sum(
                len(f.data)
                for s, files in self.file_storage.items()
                if session_id in (None, s)
                for f in files.values()
            )

    def sweep(self, session_id: str | None = None, keep: tuple[str, str] | None = None) -> None:
        """Drop what is past the bounds: unclaimed files past their time, the oldest files of `session_id`
        beyond its share, the oldest unclaimed files beyond the total; never `keep` (the file that just arrived)."""
        with self._lock:
            doomed = self._over_bounds(session_id, keep)
        for session, file_id in doomed:
            self.remove_file(session, file_id)
        if doomed:
            LOG.warning(
                "Dropped %d uploaded file(s) no widget took (sessions %s)",
                len(doomed),
                ", ".join(sorted({s[:8] for s, _ in doomed})),
            )

    def _over_bounds(self, session_id: str | None, keep: tuple[str, str] | None) -> list[tuple[str, str]]:
        """Under the lock: the files to drop, oldest first."""
        size = {(s, f.file_id): len(f.data) for s, files in self.file_storage.items() for f in files.values()}
        now = self.clock()
        for key in size.keys() - self._arrived.keys():  # put while `install` ran: counted from now
            self._arrived[key] = now
        for key in self._arrived.keys() - size.keys():  # taken out some other way
            del self._arrived[key]
            self._claimed.discard(key)
        order = list(self._arrived)  # arrival order (dicts keep insertion order)
        unclaimed = [k for k in order if k not in self._claimed]
        doomed = [k for k in unclaimed if now - self._arrived[k] > UNCLAIMED_SECONDS]
        if session_id is not None:
            limit = SESSION_FILES_LIMIT * _max_upload_bytes()
            mine = [k for k in unclaimed if k[0] == session_id and k not in doomed]
            mine += [k for k in order if k[0] == session_id and k in self._claimed]
            held = sum(size[k] for k in mine)
            for key in (k for k in mine if k != keep):
                if held <= limit:
                    break
                doomed.append(key)
                held -= size[key]
        held = sum(size[k] for k in unclaimed if k not in doomed)
        for key in (k for k in unclaimed if k != keep):
            if held <= UNCLAIMED_TOTAL_BYTES:
                break
            if key not in doomed:
                doomed.append(key)
                held -= size[key]
        return doomed


def _max_upload_bytes() -> int:
    return int(config.get_option("server.maxUploadSize")) * 2**20


def install() -> bool:
    """Bound the running server's upload store (once per process); False where there is no server (AppTest,
    bare mode) or its store is not the one this module knows."""
    if not runtime.exists():
        return False
    store = runtime.get_instance().uploaded_file_mgr
    if isinstance(store, BoundedUploadedFileManager):
        return True
    with _INSTALL_LOCK:
        if isinstance(store, BoundedUploadedFileManager):
            return True
        if type(store) is not MemoryUploadedFileManager:
            LOG.error(
                "Uploads are not bounded: the upload store is %s, not Streamlit 1.67's "
                "MemoryUploadedFileManager (see insatskollen/ui/upload_bounds.py)",
                type(store).__name__,
            )
            return False
        bound(store)
        threading.Thread(target=_sweep_forever, args=(store,), name="upload-sweep", daemon=True).start()
    return True


def bound(store: MemoryUploadedFileManager) -> BoundedUploadedFileManager:
    """`store`, now bounded; the files already in it count from now."""
    with store._lock:
        now = BoundedUploadedFileManager.clock()
        store._arrived = {(s, f): now for s, files in store.file_storage.items() for f in files}
        store._claimed = set()
        store.__class__ = BoundedUploadedFileManager
    return store


def _sweep_forever(store: BoundedUploadedFileManager) -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        try:
            store.sweep()
        except Exception:  # a sweep that fails must not end the sweeping
            LOG.exception("Sweeping unclaimed uploads failed")
