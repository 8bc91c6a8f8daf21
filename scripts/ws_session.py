"""A Streamlit session over its websocket, as a browser drives it: Streamlit's own protobuf messages (the page,
a widget's change, a button's click) and its answers (the deltas, "script finished"), so a server does exactly
the work it does for a browser while the client costs next to nothing. Used by the load test
(scripts/loadtest.py), the scaling run and the cluster's tests; split from loadtest.py to keep each file one
subject and under 500 lines.
"""

from __future__ import annotations

import asyncio
import html
import http.client
import threading
import time
import urllib.request

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from workload import FILTER_KEYS

FILTER_WIDGET_PREFIX = "filter_"
SCENARIO_PAGE = "scenarier"  # pages/scenarier.py, its widget keys scn_*


class SessionFailed(Exception):
    pass


class SaveRefused(SessionFailed):
    """The app answered a save with an error message (e.g. a name already taken)."""


SAVED_MESSAGE = "Scenariot är sparat."  # what pages/scenarier.py shows once a save is committed
ELEMENT_ID_PREFIX = "$$ID-"  # Streamlit's id of a widget with a key: $$ID-<hash>-<key>


def widget_key(widget_id: str) -> str | None:
    """The key a page gave a widget, read from the id Streamlit made of it (None without a key)."""
    if not widget_id.startswith(ELEMENT_ID_PREFIX):
        return None
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else None


def shown_text(body: str) -> str:
    """An alert's text as the person reads it (text.plain escapes markdown as entities and backslashes)."""
    return html.unescape(body).replace("\\", "")


def ws_url(base_url: str) -> str:
    """The websocket a browser opens for a page served at base_url."""
    return (
        base_url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        + "/_stcore/stream"
    )


def route_cookie(base_url: str, timeout: float = 30) -> tuple[str | None, str | None]:
    """Load the page as a browser does; returns (the ik_route cookie nginx set, the X-Upstream that
    answered). Both are None against a server without nginx in front."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/", timeout=timeout) as response:
            response.read()
            headers = response.headers
    except http.client.HTTPException as error:  # e.g. the server died while sending the page
        raise SessionFailed(f"sidan kom inte fram: {type(error).__name__}") from error
    cookie = None
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == "ik_route":
            cookie = f"ik_route={rest.split(';', 1)[0]}"
    return cookie, headers.get("X-Upstream")


class Session:
    """One user: a websocket to /_stcore/stream, the filter widgets' ids and options as the server sent them."""

    def __init__(self, url: str, timeout: float, cookie: str | None = None):
        self.url = url
        self.timeout = timeout
        self.cookie = cookie  # nginx's route cookie: the websocket goes where the page came from
        self.widget_ids: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.keyed: dict[str, str] = {}  # widget key -> id, for every keyed widget the app drew
        self.alerts: list[tuple[int, str]] = []  # (Alert.Format, text) shown during the last run
        self.selected: dict[str, str] = {}  # selectbox key -> the option it shows
        self.query_string: str | None = None  # what the app last wrote to the address bar
        self.upstream: str | None = None
        self.ws = None

    async def __aenter__(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        try:
            self.ws = await websockets.connect(
                self.url,
                subprotocols=["streamlit"],
                max_size=None,
                open_timeout=30,
                additional_headers=headers,
            )
        except websockets.InvalidHandshake as exc:  # e.g. nginx answering 502 while no server is up
            raise SessionFailed(f"anslutningen öppnades inte: {exc}") from exc
        self.upstream = self.ws.response.headers.get("X-Upstream")
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    def _states(self, filters: dict[str, list[str]]):
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        for key in FILTER_KEYS:
            widget_id = self.widget_ids.get(key)
            if widget_id:
                state = states.widgets.add()
                state.id = widget_id
                state.string_array_value.data.extend(filters.get(key, []))
        return states

    def _widget_states(self, texts: dict[str, str], trigger: str | None):
        """Text and selectbox values by widget key (both are strings on the wire) and one button press."""
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        for key, value in texts.items():
            if key not in self.keyed:
                raise SessionFailed(f"fältet {key} syns inte på sidan")
            state = states.widgets.add()
            state.id = self.keyed[key]
            state.string_value = value
        if trigger:
            if trigger not in self.keyed:
                raise SessionFailed(f"knappen {trigger} syns inte på sidan")
            state = states.widgets.add()
            state.id = self.keyed[trigger]
            state.trigger_value = True
        return states

    async def rerun(
        self,
        page: str,
        filters: dict[str, list[str]] | None,
        texts: dict[str, str] | None = None,
        trigger: str | None = None,
    ) -> float:
        """Send what a browser sends when a filter changes, or (texts, trigger) when a person types into
        fields and presses a button; return ms until the script finished."""
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_name = page
        if filters is not None:
            message.rerun_script.widget_states.CopyFrom(self._states(filters))
        elif texts is not None or trigger:
            message.rerun_script.widget_states.CopyFrom(self._widget_states(texts or {}, trigger))
        self.query_string = None
        self.alerts = []
        start = time.perf_counter()
        try:
            await self.ws.send(message.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise SessionFailed(f"anslutningen stängdes: {exc}") from exc
        while True:
            remaining = self.timeout - (time.perf_counter() - start)
            if remaining <= 0:
                raise SessionFailed(f"sidan {page or 'Översikt'} blev inte klar inom {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=remaining)
            except TimeoutError:
                continue
            except websockets.ConnectionClosed as exc:
                raise SessionFailed(f"anslutningen stängdes: {exc}") from exc
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self._look_at(forward)
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "page_not_found":
                raise SessionFailed(f"sidan {page} finns inte")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    elapsed = (time.perf_counter() - start) * 1000
                    if filters and not self.query_string:
                        # the app writes the filters it used into the link; none means they never arrived
                        raise SessionFailed(f"filtren {filters} nådde inte appen")
                    return elapsed
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise SessionFailed(f"körningen avslutades med status {status}")

    async def save_scenario(self, name: str, author: str, frame: str | None = None) -> str:
        """On the Scenarier page: type the author, start a new scenario from a frame (the first, or the
        one whose label is `frame`), type its name and press "Spara som nytt scenario". Returns the saved
        scenario's id once the app says it is saved; SaveRefused with the app's message otherwise."""
        await self.rerun(SCENARIO_PAGE, None)
        if "scn_new_frame" not in self.selected:
            raise SessionFailed("Scenarier visar ingen ram att utgå från")
        texts = {"scn_author": author, "scn_new_frame": frame or self.selected["scn_new_frame"]}
        await self.rerun(SCENARIO_PAGE, None, texts, "scn_start")
        await self.rerun(SCENARIO_PAGE, None, texts | {"scn_name": name}, "scn_save_new")
        from streamlit.proto.Alert_pb2 import Alert

        shown = [shown_text(text) for kind, text in self.alerts if kind in (Alert.ERROR, Alert.WARNING)]
        if not any(kind == Alert.SUCCESS and shown_text(text) == SAVED_MESSAGE for kind, text in self.alerts):
            raise SaveRefused(f"sparandet av {name!r} kvitterades inte: {shown or self.alerts}")
        scenario_id = dict(p.split("=", 1) for p in (self.query_string or "").split("&") if "=" in p).get(
            "scenario"
        )
        if not scenario_id:
            raise SessionFailed(f"{name!r} sparades men länken till scenariot kom inte")
        return scenario_id

    def _look_at(self, forward) -> None:
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise SessionFailed(f"appen visade ett fel: {element.exception.message[:200]}")
        if kind == "alert":
            self.alerts.append((element.alert.format, element.alert.body))
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        key = widget_key(widget_id) if isinstance(widget_id, str) else None
        if key:
            self.keyed[key] = widget_id
        if key and kind == "selectbox":  # what the browser would send back for it: the shown choice
            box = element.selectbox
            if box.HasField("raw_value"):
                self.selected[key] = box.raw_value
            elif box.HasField("default") and box.default < len(box.options):
                self.selected[key] = box.options[box.default]
        if kind == "multiselect":
            for key in FILTER_KEYS:
                if element.multiselect.id.endswith(FILTER_WIDGET_PREFIX + key):
                    self.widget_ids[key] = element.multiselect.id
                    self.options[key] = list(element.multiselect.options)


def run_async(make_coroutine):
    """asyncio.run(make_coroutine()) in a thread of its own and return its result: callable also where
    an event loop is already running (a test that holds Playwright's sync API in the main thread)."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as error:  # handed to the caller
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
