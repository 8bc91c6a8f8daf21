"""Replaying what a browser sends over Streamlit's websocket, with a signed-in user's cookies.

A person with the browser's developer tools (or a script) can send any BackMsg: a rerun of a page the
menu does not offer, or a click on a widget by its id. The server must refuse what the role does not
allow whatever arrives. This client connects as the browser does (XSRF token in the subprotocol,
the auth cookie, the Origin), sends one rerun and collects what the app shows in reply.
"""

from __future__ import annotations

import asyncio
import html
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

TEXT_ELEMENTS = ("markdown", "alert", "text", "heading")


@dataclass
class Reply:
    """What one rerun showed: the texts (markdown, alerts, headings), the metrics (label -> value as shown)
    and the widget ids by user key."""

    texts: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    shown_values: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> what it shows
    redirect: str = ""  # where the app sent the browser (st.login, st.logout), relative to the server

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)


class Replay:
    def __init__(self, base: str, cookies: dict[str, str], xsrf_token: str | None = None):
        """`xsrf_token`: what to send as the token (default: the cookie's, as the browser does)."""
        self.base = base
        self.cookies = cookies
        self.xsrf_token = xsrf_token or cookies["_streamlit_xsrf"]
        self.ws = None
        self.session_id: str | None = None  # the server's id for this session, from its first reply
        self.shown: dict[str, WidgetState] = {}  # the values the last reply's widgets show

    async def __aenter__(self) -> Replay:
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit", self.xsrf_token],
            additional_headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Origin": self.base,
            },
            max_size=None,
            open_timeout=30,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def rerun(
        self,
        page: str,
        query_string: str = "",
        clicks: list[str] = (),
        texts: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Reply:
        """Rerun `page` (its url path), with a click (trigger) on each widget id in `clicks` and the text
        in each text box of `texts` (widget id -> text), all in one message as a browser sends them: with
        the values every widget of the last reply shows (a browser sends them all on every rerun)."""
        message = BackMsg()
        message.rerun_script.query_string = query_string
        message.rerun_script.page_name = page
        states = WidgetStates()
        for widget_id, shown in self.shown.items():
            if widget_id not in (texts or {}):
                states.widgets.add().CopyFrom(shown)
        for widget_id, value in (texts or {}).items():
            state = states.widgets.add()
            state.id = widget_id
            state.string_value = value
        for widget_id in clicks:
            state = states.widgets.add()
            state.id = widget_id
            state.trigger_value = True
        message.rerun_script.widget_states.CopyFrom(states)
        await self.ws.send(message.SerializeToString())
        reply = Reply()
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            if kind == "auth_redirect":
                reply.redirect = forward.auth_redirect.url
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _look_at(forward.delta.new_element, reply)
            elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.shown = reply.shown_values
                return reply

    async def upload_url(self, file_name: str, timeout: float = 30) -> str:
        """Ask, as the file uploader does, where to PUT a file for this session; returns that URL."""
        message = BackMsg()
        message.file_urls_request.request_id = "replay"
        message.file_urls_request.session_id = self.session_id
        message.file_urls_request.file_names.append(file_name)
        await self.ws.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
            if forward.WhichOneof("type") == "file_urls_response":
                return forward.file_urls_response.file_urls[0].upload_url


def _look_at(element, reply: Reply) -> None:
    kind = element.WhichOneof("type")
    if kind == "metric":
        reply.metrics[element.metric.label] = element.metric.body.replace("\xa0", " ")
    elif kind in TEXT_ELEMENTS:
        reply.texts.append(
            html.unescape(getattr(element, kind).body)
        )  # as shown: text.plain's escapes undone
    elif kind == "exception":
        reply.texts.append("EXCEPTION: " + element.exception.message)
    elif kind is not None and hasattr(getattr(element, kind), "id"):
        widget = getattr(element, kind)
        if "-" in widget.id:
            reply.widgets[widget.id.rsplit("-", 1)[-1]] = widget.id
        shown = _shown_value(kind, widget)
        if shown is not None:
            reply.shown_values[widget.id] = shown


def _shown_value(kind: str, widget) -> WidgetState | None:
    """The state a browser reports for a widget as drawn (a choice, a text, a tick); None for buttons."""
    state = WidgetState(id=widget.id)
    if kind in ("selectbox", "radio"):
        if widget.set_value and widget.HasField("raw_value"):
            state.string_value = widget.raw_value
        elif widget.HasField("default") and widget.options:
            state.string_value = widget.options[widget.default]
        else:
            return None
    elif kind in ("text_input", "text_area"):
        state.string_value = widget.value if widget.set_value else widget.default
    elif kind == "checkbox":
        state.bool_value = widget.value if widget.set_value else widget.default
    else:
        return None
    return state


def run(coroutine):
    """Run the replay in a thread of its own (Playwright's sync API keeps an event loop in this one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
