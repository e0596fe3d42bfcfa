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
from bot.rasa_server import inbound
from bot.rasa_server.channels import RestInput

# Several Sanic apps start in this process: keep Sanic's start-up rewrites re-runnable.
Sanic.test_mode = True
S1 = "5f0c8b2e9a614d7cb3e1a2f4d6c8e0b1"  # a session id as the widget makes them


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
        {"sender": S1, "message": "bonjour", "metadata": {"language": "en"}},
        {"Accept-Language": "fr-FR"},
    )
    # A message sent without its language (the turn guard's apology) is marked with the
    # language the apology would be written in: here the page's.
    marked = {"language": "en", "conversation_language": "en"}
    assert status == 200 and reply == [{"recipient_id": S1, "text": "echo", "metadata": marked}]
    message = webhook.received[-1]
    assert message.text == "bonjour"
    assert message.metadata == {"language": "en", "accept_language": "fr-FR"}
    # REST conversations live apart from socket.io's: stored as rest:<id>.
    assert message.sender_id == f"rest:{S1}"


@pytest.mark.parametrize(
    "sender",
    ["me", "s1", "e2e-" + "a" * 32, "a" * 31, "g" * 32, "a" * 33, "rest:" + "a" * 32,
     "0a4c1f6e-3b2d-1c8e-9f7a-5d6b4e3c2a10",  # a UUID, but version 1
     " ", 42, None, ["a" * 32]],
)  # fmt: skip
async def test_a_guessable_or_malformed_session_id_gets_a_400_in_the_language(webhook, sender):
    status, _, reply = await webhook.post(
        {"sender": sender, "message": "salut", "metadata": {"language": "fr"}}
    )
    assert status == 400 and "32 random hexadecimal digits" in reply["error"]
    assert "identifiant de session" in reply["messages"][0]["text"]
    status, _, reply = await webhook.post(
        {"sender": sender, "message": "hi"}, {"Accept-Language": "en-GB"}
    )
    assert status == 400 and "session id" in reply["messages"][0]["text"]
    assert webhook.received == []


async def test_unguessable_ids_are_accepted_in_their_canonical_form(webhook):
    upper, dashed = S1.upper(), "0a4c1f6e-3b2d-4c8e-9f7a-5d6b4e3c2a10"
    assert (await webhook.post({"sender": upper, "message": "a"}))[0] == 200
    assert (await webhook.post({"sender": dashed, "message": "b"}))[0] == 200
    assert [m.sender_id for m in webhook.received] == [f"rest:{S1}", f"rest:{dashed}"]


async def test_a_lone_surrogate_is_answered_not_a_500(webhook):
    body = b'{"sender": "%s", "message": "salaire \\ud800", "metadata": {"language": "fr"}}'
    status, _, reply = await webhook.post(body % S1.encode())
    assert status == 200 and [(m["recipient_id"], m["text"]) for m in reply] == [(S1, "echo")]
    assert webhook.received[-1].text == "salaire \ufffd"
    # The text can be written anywhere now: stores and logs encode it as UTF-8.
    webhook.received[-1].text.encode("utf-8")


async def test_only_known_metadata_is_kept_and_capped(webhook):
    metadata = {
        "language": "en" * 20, "webinar": "w" * 500, "accept_language": 7,
        "utter_action": "utter_faq/salary", "name": "Jeanne", "nested": {"a": [1] * 100},
        "language\ud800": "x",
    }  # fmt: skip
    status, _, _ = await webhook.post({"sender": S1, "message": "hi", "metadata": metadata})
    assert status == 200
    kept = webhook.received[-1].metadata
    assert kept == {"language": ("en" * 20)[:16], "webinar": "w" * 100}


async def test_rasa_webchats_custom_data_is_read_as_metadata(webhook):
    """rasa-webchat sends the page's metadata as ``customData``; ``metadata`` wins a key
    both give; a JSON string is read, a malformed one ignored."""
    cases = [
        ({"customData": {"language": "en"}}, {"language": "en"}),
        ({"customData": '{"language": "en"}'}, {"language": "en"}),
        ({"customData": "{not json"}, {}),
        ({"customData": {"language": "en", "webinar": "w1"}, "metadata": {"language": "fr"}},
         {"language": "fr", "webinar": "w1"}),
    ]  # fmt: skip
    for extra, expected in cases:
        status, _, _ = await webhook.post({"sender": S1, "message": "hi", **extra})
        assert status == 200
        assert webhook.received[-1].metadata == expected


async def test_each_message_carries_what_the_nlg_service_said_of_it():
    """What Rasa does with an NLG reply: a BotUttered event whose metadata keeps the extra
    keys, sent through the channel with ``send_response(e.message())``."""
    from rasa.core.actions.action import create_bot_utterance

    nlg_reply = {
        "text": "Sure, I'll continue in English.",
        "buttons": [{"title": "Pay", "payload": "/faq"}],
        "language": "en", "conversation_language": "en",
        "message_id": "c" * 32, "response": "utter_language_switched",
    }  # fmt: skip

    async def replies(message) -> None:
        event = create_bot_utterance({**nlg_reply, "utter_action": nlg_reply["response"]})
        await message.output_channel.send_response(message.sender_id, event.message())
        one = {"text": "Bonjour", "language": "fr", "conversation_language": "en"}
        event = create_bot_utterance({**one, "message_id": "not-an-id", "response": "x"})
        await message.output_channel.send_response(message.sender_id, event.message())

    server, session, hook = await start(RestInput(RateLimiter(None)), replies)
    try:
        status, _, reply = await hook.post({"sender": S1, "message": "in English please"})
    finally:
        await session.close()
        server.close()
        await server.wait_closed()
    assert status == 200
    assert reply[0]["text"] == nlg_reply["text"] and reply[0]["buttons"] == nlg_reply["buttons"]
    assert reply[0]["metadata"] == {
        "language": "en", "conversation_language": "en",
        "message_id": "c" * 32, "response": "utter_language_switched",
    }  # fmt: skip
    # One message in the other language: its own language, the conversation's kept; a
    # malformed id is not passed on.
    assert reply[1]["metadata"] == {"language": "fr", "conversation_language": "en"}


async def test_too_large_bodies_get_a_413_and_an_answer_in_the_language(webhook):
    big = {"sender": S1, "message": "a" * 5000, "metadata": {"language": "en"}}
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
        body = {"sender": S1, "message": "hello", "metadata": {"language": "fr"}}
        assert (await hook.post(body))[0] == 200
        assert (await hook.post(body))[0] == 200
        status, headers, reply = await hook.post(body)
        # The minute that began with the first message, in whole seconds.
        assert status == 429 and headers["Retry-After"] in ("60", "61")
        assert reply["retry_after"] == int(headers["Retry-After"])
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
        body = {"sender": S1, "message": "hello"}
        assert [(await hook.post(body))[0] for _ in range(5)] == [200] * 5
        # Without a configured proxy, a header changes nothing: still the loopback peer.
        proxied = {"X-Forwarded-For": "203.0.113.8"}
        assert (await hook.post(body, proxied))[0] == 200
        assert (await hook.post(body, proxied))[0] == 200
    finally:
        await session.close()
        server.close()
        await server.wait_closed()


async def test_behind_the_configured_proxy_no_forwarded_address_is_exempt(monkeypatch):
    monkeypatch.setenv("EIG_RATE_LIMIT_MESSAGES", "1/minute")
    monkeypatch.setenv("EIG_TRUSTED_PROXIES", "127.0.0.1")
    monkeypatch.delenv("EIG_RATE_LIMIT_EXEMPT", raising=False)
    server, session, hook = await start(RestInput())
    try:
        body = {"sender": S1, "message": "hello"}
        for header in ("203.0.113.8", "127.0.0.1, 10.0.0.9", "garbage"):
            proxied = {"X-Forwarded-For": header}
            assert (await hook.post(body, proxied))[0] == 200, header
            assert (await hook.post(body, proxied))[0] == 429, header
        # A malformed header counted as the proxy's own address, which is not exempt
        # either: "127.0.0.1" forwarded shares that spent budget.
        assert (await hook.post(body, {"X-Forwarded-For": "127.0.0.1"}))[0] == 429
        assert (await hook.post(body))[0] == 200  # the real loopback peer stays exempt
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
            {"sender": S1, "message": "hi", "metadata": {"language": "en"}}
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
        {
            "sender": st.one_of(st.text(max_size=200), st.uuids(version=4).map(str)),
            "message": st.text(max_size=300),
        },
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
    status, _, _ = await webhook.post({"sender": S1, "message": text})
    assert status == 200
    # Rasa's UserMessage strips; a lone surrogate becomes U+FFFD, nothing else changes.
    assert webhook.received[-1].text == inbound.clean_text(text).strip()


@PROPERTY_SETTINGS
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=40),
    metadata=json_values,
)
async def test_any_text_and_metadata_can_be_stored(webhook, text, metadata):
    """Lone surrogates (\\ud800 in JSON) and any metadata: a 200, and what reaches Rasa
    encodes as UTF-8 and holds only known keys with short string values."""
    webhook.received.clear()
    body = json.dumps({"sender": S1, "message": text, "metadata": metadata}).encode()
    status, _, _ = await webhook.post(body)
    assert status == 200
    message = webhook.received[-1]
    json.dumps({"text": message.text, "metadata": message.metadata}).encode("utf-8")
    message.text.encode("utf-8")
    assert set(message.metadata) <= set(inbound.METADATA_KEYS)
    for key, value in message.metadata.items():
        assert isinstance(value, str) and len(value) <= inbound.METADATA_KEYS[key]
        value.encode("utf-8")


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


# ---- Rasa's HTTP CORS, hardened --------------------------------------------------------


async def test_cors_answers_the_page_without_credentials_and_with_a_numeric_max_age():
    from rasa.server import configure_cors

    app = Sanic(f"test_{uuid.uuid4().hex}", configure_logging=False)
    configure_cors(app, ["http://localhost:8000"])  # what `rasa run --cors …` does
    app.blueprint(RestInput(RateLimiter(None)).blueprint(None), url_prefix="/webhooks/rest")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        async with aiohttp.ClientSession() as session:
            preflight = {"Origin": "http://localhost:8000", "Access-Control-Request-Method": "POST",
                         "Access-Control-Request-Headers": "content-type"}  # fmt: skip
            async with session.options(url, headers=preflight) as reply:
                assert reply.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
                assert reply.headers["Access-Control-Max-Age"] == "600"
                assert "Access-Control-Allow-Credentials" not in reply.headers
            foreign = {**preflight, "Origin": "https://evil.example"}
            async with session.options(url, headers=foreign) as reply:
                assert "Access-Control-Allow-Origin" not in reply.headers
    finally:
        server.close()
        await server.wait_closed()
