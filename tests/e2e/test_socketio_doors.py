"""socket.io's doors on the real Rasa server, over both transports: a foreign origin is
refused, the page's origin works, a guessable session id is replaced, and closing a
websocket logs no error.

The websocket side speaks engine.io/socket.io by hand through aiohttp (python-engineio's
asyncio websocket client wants a newer aiohttp than Rasa 3.6 allows)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Any

import aiohttp
import pytest

from tests.e2e.conftest import PORTS

FOREIGN = "https://evil.example"
ALLOWED = f"http://127.0.0.1:{PORTS.web}"  # the chat page's origin (services.cors_origins)
BASE = f"127.0.0.1:{PORTS.rasa}/socket.io/?EIO=4&transport="
HEX = re.compile(r"[0-9a-f]{32}")


async def polling_handshake(origin: str) -> tuple[int, dict[str, Any], str]:
    """The status, the headers (the Access-Control ones as lists: a browser refuses two
    Access-Control-Allow-Origin) and the body of an engine.io polling handshake."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://{BASE}polling", headers={"Origin": origin}) as reply,
    ):
        headers = {name: reply.headers.getall(name) for name in reply.headers}
        return reply.status, headers, await reply.text()


async def websocket_handshake(origin: str) -> Any:
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(f"ws://{BASE}websocket", origin=origin) as ws:
                return (await ws.receive(timeout=10)).data
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_a_foreign_origin_is_refused_over_polling_and_websocket(stack):
    status, headers, body = asyncio.run(polling_handshake(FOREIGN))
    assert status == 400 and "Access-Control-Allow-Origin" not in headers, body
    assert asyncio.run(websocket_handshake(FOREIGN)) == 400


def test_the_pages_origin_opens_both_transports_without_credentials(stack):
    status, headers, body = asyncio.run(polling_handshake(ALLOWED))
    assert status == 200 and body.startswith("0{"), body
    assert headers["Access-Control-Allow-Origin"] == [ALLOWED]  # one header, not two
    assert "Access-Control-Allow-Credentials" not in headers
    opened = asyncio.run(websocket_handshake(ALLOWED))
    assert isinstance(opened, str) and opened.startswith("0{"), opened


async def websocket_conversation(origin: str, session_id: str, text: str) -> dict[str, Any]:
    """session_request then user_uttered over a websocket; the confirmed session id and the
    bot's first reply."""
    found: dict[str, Any] = {}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"ws://{BASE}websocket", origin=origin) as ws,
    ):

        async def packet() -> str:
            while True:
                data = (await ws.receive(timeout=60)).data
                if data == "2":  # engine.io ping
                    await ws.send_str("3")
                    continue
                return str(data)

        assert (await packet()).startswith("0{")
        await ws.send_str("40")
        assert (await packet()).startswith("40")
        await ws.send_str("42" + json.dumps(["session_request", {"session_id": session_id}]))
        event, confirmed = json.loads((await packet())[2:])
        assert event == "session_confirm"
        found["session"] = confirmed
        message = {"message": text, "session_id": confirmed, "metadata": {"language": "fr"}}
        await ws.send_str("42" + json.dumps(["user_uttered", message]))
        while "reply" not in found:
            raw = await packet()
            if raw.startswith("42"):
                event, data = json.loads(raw[2:])
                if event == "bot_uttered":
                    found["reply"] = data
    return found


@pytest.mark.parametrize("given", ["me", None])
def test_over_websocket_a_guessable_session_id_is_replaced_and_the_bot_answers(stack, given):
    found = asyncio.run(websocket_conversation(ALLOWED, given, "bonjour"))
    assert HEX.fullmatch(found["session"]) and found["session"] != given
    assert found["reply"].get("text")


def test_the_widgets_session_id_is_kept_and_closing_the_socket_logs_no_error(stack):
    session_id = uuid.uuid4().hex
    before = stack.log_file.read_text(encoding="utf-8", errors="replace")
    found = asyncio.run(websocket_conversation(ALLOWED, session_id, "c'est quoi le salaire ?"))
    assert found["session"] == session_id and found["reply"].get("text")
    asyncio.run(asyncio.sleep(1))  # the server notices the closed socket
    after = stack.log_file.read_text(encoding="utf-8", errors="replace")[len(before) :]
    transport = ("engineio", "socketio", "sanic", "websocket", "asyncio")
    errors = [
        line for line in after.splitlines()
        if "Traceback" in line or (" ERROR " in line and any(n in line for n in transport))
    ]  # fmt: skip
    assert errors == [], after[-3000:]
