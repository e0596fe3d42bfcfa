"""The action server answers Rasa only: ``/webhook`` wants the shared token when set."""

from __future__ import annotations

import socket
import subprocess
import sys

import aiohttp
import pytest
from sanic import Sanic

from bot import ROOT
from bot.infra.tokens import token_matches
from bot.ops.action_server import create_app

Sanic.test_mode = True  # several Sanic apps may start in this process


@pytest.mark.parametrize(
    ("expected", "given", "ok"),
    [("", None, True), ("", "x", True), ("abc", "abc", True), ("abc", "abd", False),
     ("abc", None, False), ("abc", "", False), ("é", "é", True)],
)  # fmt: skip
def test_token_matches(expected, given, ok):
    assert token_matches(expected, given) is ok


async def test_webhook_needs_the_token_health_does_not():
    app = create_app(token="s3cret")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    body = {"next_action": "action_read_message", "tracker": {"sender_id": "t"}, "domain": {}}
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/health") as reply:
                assert reply.status == 200
            async with session.post(f"{base}/webhook", json=body) as reply:
                assert reply.status == 401
                assert "token" in (await reply.json())["error"]
            async with session.post(f"{base}/webhook?token=wrong", json=body) as reply:
                assert reply.status == 401
            async with session.post(f"{base}/webhook?token=s3cret", json=body) as reply:
                assert reply.status == 200
    finally:
        server.close()
        await server.wait_closed()


def test_action_server_does_not_load_rasa_or_tensorflow():
    """Importing them took 6.5 s and ~400 MiB, competing with the Rasa server at start-up."""
    code = (
        "import sys\n"
        "from bot.ops.action_server import create_app\n"
        "from rasa_sdk.executor import ActionExecutor\n"
        "create_app(token='t')\n"
        "ActionExecutor().register_package('actions')\n"
        "print(sorted(m for m in ('tensorflow', 'rasa', 'spacy') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
