"""The REST channel in a real Sanic server, in-process, with a stand-in for Rasa's agent:
validation, the size cap, the rate limit, and random bodies that never get a 5xx."""

from __future__ import annotations

import json
import socket
import uuid
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic import Sanic

from bot.infra.ratelimit import Rate, RateLimiter
from bot.rasa_server.channels import RestInput

# Several Sanic apps start in this process: keep Sanic's start-up rewrites re-runnable.
Sanic.test_mode = True


class Webhook:
    def __init__(self, port: int, session: aiohttp.ClientSession) -> None:
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        self.session = session
        self.received: list[Any] = []

    async def post(self, data: Any, headers: dict[str, str] | None = None):
        payload = data if isinstance(data, bytes) else json.dumps(data).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.session.post(self.url, data=payload, headers=headers) as reply:
            return reply.status, dict(reply.headers), json.loads(await reply.read() or b"null")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start(channel: RestInput, on_new_message=None):
    received: list[Any] = []

    async def echo(message) -> None:
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "echo")

    app = Sanic(f"test_{uuid.uuid4().hex}", configure_logging=False)
    app.blueprint(channel.blueprint(on_new_message or echo), url_prefix="/webhooks/rest")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    session = aiohttp.ClientSession()
    hook = Webhook(port, session)
    hook.received = received
    return server, session, hook


@pytest.fixture
async def webhook():
    server, session, hook = await start(RestInput(RateLimiter(None), max_body_bytes=4096))
    yield hook
    await session.close()
    server.close()
    await server.wait_closed()


async def test_a_message_reaches_the_agent_with_its_metadata(webhook):
    status, _, reply = await webhook.post(
        {"sender": "s1", "message": "bonjour", "metadata": {"language": "en"}},
        {"Accept-Language": "fr-FR"},
    )
    assert status == 200 and reply == [{"recipient_id": "s1", "text": "echo"}]
    message = webhook.received[-1]
    assert message.text == "bonjour"
    assert message.metadata == {"language": "en", "accept_language": "fr-FR"}


async def test_too_large_bodies_get_a_413_and_an_answer_in_the_language(webhook):
    big = {"sender": "s1", "message": "a" * 5000, "metadata": {"language": "en"}}
    status, _, reply = await webhook.post(big)
    assert status == 413
    assert "4096 bytes" in reply["error"]
    assert "Your message is too long for me" in reply["messages"][0]["text"]
    status, _, reply = await webhook.post({**big, "metadata": {"language": "fr"}})
    assert "Votre message est trop long" in reply["messages"][0]["text"]
    assert webhook.received == []


async def test_too_many_messages_get_a_429_with_retry_after_in_the_language():
    server, session, hook = await start(RestInput(RateLimiter(Rate(2, 60)), max_body_bytes=4096))
    try:
        body = {"sender": "s1", "message": "hello", "metadata": {"language": "fr"}}
        assert (await hook.post(body))[0] == 200
        assert (await hook.post(body))[0] == 200
        status, headers, reply = await hook.post(body)
        assert status == 429 and headers["Retry-After"] == "30"
        assert reply["retry_after"] == 30
        assert reply["messages"][0]["text"].startswith("Vous envoyez des messages trop vite")
        status, _, reply = await hook.post(b"{broken", {"Accept-Language": "en"})
        assert status == 429 and "too fast" in reply["messages"][0]["text"]
        assert len(hook.received) == 2
    finally:
        await session.close()
        server.close()
        await server.wait_closed()


async def test_loopback_is_exempt_by_default(monkeypatch):
    monkeypatch.setenv("EIG_RATE_LIMIT_MESSAGES", "1/minute")
    monkeypatch.delenv("EIG_RATE_LIMIT_EXEMPT", raising=False)
    server, session, hook = await start(RestInput())
    try:
        body = {"sender": "s1", "message": "hello"}
        assert [(await hook.post(body))[0] for _ in range(5)] == [200] * 5
        # A client behind the local reverse proxy is not loopback.
        proxied = {"X-Forwarded-For": "203.0.113.8"}
        assert (await hook.post(body, proxied))[0] == 200
        assert (await hook.post(body, proxied))[0] == 429
    finally:
        await session.close()
        server.close()
        await server.wait_closed()


async def test_a_failing_agent_gives_an_apology_not_a_500():
    async def broken(message) -> None:
        raise RuntimeError("boom")

    server, session, hook = await start(RestInput(RateLimiter(None)), broken)
    try:
        status, _, reply = await hook.post(
            {"sender": "s1", "message": "hi", "metadata": {"language": "en"}}
        )
        assert status == 200 and reply[-1]["text"].startswith("Sorry")
    finally:
        await session.close()
        server.close()
        await server.wait_closed()


# ---- properties: whatever arrives, a JSON answer and never a 5xx -----------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"sender": st.text(max_size=200), "message": st.text(max_size=300)},
        optional={"metadata": json_values},
    ).map(lambda v: json.dumps(v).encode()),
)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(body=bodies, accept=st.one_of(st.none(), st.text(max_size=40)))
async def test_random_bodies_never_get_a_5xx(webhook, body, accept):
    headers = {"Accept-Language": accept} if accept and accept.isprintable() else {}
    try:
        headers = {k: v.encode("latin-1").decode("latin-1") for k, v in headers.items()}
    except UnicodeEncodeError:
        headers = {}
    status, _, reply = await webhook.post(body, headers)
    assert status < 500
    if status == 200:
        assert isinstance(reply, list)
    else:
        assert 400 <= status < 500 and isinstance(reply, dict) and reply["error"]


@PROPERTY_SETTINGS
@given(text=st.text(max_size=500))
async def test_any_unicode_message_reaches_the_agent_unchanged(webhook, text):
    webhook.received.clear()
    status, _, _ = await webhook.post({"sender": "prop", "message": text})
    assert status == 200
    assert webhook.received[-1].text == text.strip()  # Rasa's UserMessage strips


# ---- socket.io: the same cap and limit, answered through the socket ------------------


async def test_socketio_messages_are_capped_and_limited_per_session(monkeypatch):
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.rasa_server.socketio_channel import SocketIOInput

    monkeypatch.setenv("EIG_RATE_LIMIT_MESSAGES", "2/minute")
    monkeypatch.setenv("EIG_MAX_MESSAGE_BYTES", "100")
    channel = SocketIOInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
         "session_persistence": True, "metadata_key": "metadata"}
    )  # fmt: skip
    assert channel.name() == "socketio"
    passed: list[str] = []

    async def rasa(message) -> None:
        passed.append(message.text)

    guard = channel.guarded(rasa)
    output = CollectingOutputChannel()

    def message(text: str, session: str = "sess-1", language: str = "en") -> UserMessage:
        return UserMessage(text, output, session, metadata={"language": language})

    await guard(message("é" * 51))  # 102 bytes
    assert passed == [] and "too long for me" in output.messages[-1]["text"]
    await guard(message("hello"))
    await guard(message("salut", language="fr"))
    await guard(message("encore", language="fr"))
    assert passed == ["hello", "salut"]
    assert output.messages[-1]["text"].startswith("Vous envoyez des messages trop vite")
    assert output.messages[-1]["recipient_id"] == "sess-1"
    await guard(message("hello", session="sess-2"))  # another session has its own budget
    assert passed[-1] == "hello"
