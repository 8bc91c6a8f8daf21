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
from streamlit.proto.WidgetStates_pb2 import WidgetStates

TEXT_ELEMENTS = ("markdown", "alert", "text", "heading")


@dataclass
class Reply:
    """What one rerun showed: the texts (markdown, alerts, headings) and the widget ids by user key."""

    texts: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)

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
        self, page: str, query_string: str = "", clicks: list[str] = (), timeout: float = 60
    ) -> Reply:
        """Rerun `page` (its url path), with a click (trigger) on each widget id in `clicks`."""
        message = BackMsg()
        message.rerun_script.query_string = query_string
        message.rerun_script.page_name = page
        states = WidgetStates()
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
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _look_at(forward.delta.new_element, reply)
            elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return reply


def _look_at(element, reply: Reply) -> None:
    kind = element.WhichOneof("type")
    if kind in TEXT_ELEMENTS:
        reply.texts.append(html.unescape(getattr(element, kind).body))  # as shown: ui.plain's escapes undone
    elif kind == "exception":
        reply.texts.append("EXCEPTION: " + element.exception.message)
    elif kind is not None and hasattr(getattr(element, kind), "id"):
        widget_id = getattr(element, kind).id
        if "-" in widget_id:
            reply.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id


def run(coroutine):
    """Run the replay in a thread of its own (Playwright's sync API keeps an event loop in this one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
