"""The socket.io channel's doors on a real ``AsyncServer``: the origins Rasa's CORS allows,
unguessable session ids tied to their socket, limits per connection, per address and on
new connections, and input Rasa's handler cannot choke on. (The real transports, from a
foreign origin and an allowed one, are in tests/e2e/test_socketio_doors.py.)"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.server import configure_cors
from sanic import Sanic

from bot.rasa_server.socket_guard import cors_origins
from bot.rasa_server.socketio_channel import SocketIOInput

Sanic.test_mode = True
HEX = re.compile(r"[0-9a-f]{32}")


class Server:
    """The channel's real server; bot messages emitted to a socket are recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, rate: str = "2/minute") -> None:
        monkeypatch.setenv("EIG_RATE_LIMIT_MESSAGES", rate)
        monkeypatch.delenv("EIG_RATE_LIMIT_EXEMPT", raising=False)
        monkeypatch.setenv("EIG_TRUSTED_PROXIES", "10.0.0.2")
        self.channel = SocketIOInput.from_credentials(
            {"session_persistence": True, "bot_message_evt": "bot_uttered",
             "user_message_evt": "user_uttered", "metadata_key": "metadata"}
        )  # fmt: skip
        self.received: list[Any] = []
        self.channel.blueprint(self.rasa)
        self.sio = self.channel.sio
        assert self.sio is not None
        self.sent: list[tuple[str, Any, Any]] = []
        real_emit = self.sio.emit

        async def emit(event: str, data: Any = None, **kwargs: Any) -> None:
            self.sent.append((event, data, kwargs.get("room") or kwargs.get("to")))
            await real_emit(event, data, **kwargs)

        monkeypatch.setattr(self.sio, "emit", emit)
        self.handlers = self.sio.handlers["/"]

    async def rasa(self, message: Any) -> None:
        self.received.append(message)

    async def socket(self, peer: str = "203.0.113.7", forwarded_for: str = "") -> str:
        engine = uuid.uuid4().hex
        environ = {"REMOTE_ADDR": peer}
        if forwarded_for:
            environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
        assert await self.handlers["connect"](engine, environ, None) is not False
        self.sio.environ[engine] = environ
        return await self.sio.manager.connect(engine, "/")

    async def session(self, sid: str, given: Any) -> str:
        await self.handlers["session_request"](sid, {"session_id": given})
        confirmed = [data for event, data, room in self.sent if event == "session_confirm"]
        return str(confirmed[-1])

    async def say(self, sid: str, text: str, session: str, metadata: Any = None) -> None:
        data = {"message": text, "session_id": session, "metadata": metadata or {}}
        await self.handlers["user_uttered"](sid, data)

    def told(self, sid: str) -> list[str]:
        return [d["text"] for e, d, room in self.sent if e == "bot_uttered" and room == sid]


def test_the_origins_are_those_of_rasas_http_cors():
    app = Sanic(f"cors_{uuid.uuid4().hex}", configure_logging=False)
    configure_cors(app, ["http://localhost:8000", "https://chat.example.gouv.fr"])
    assert cors_origins(app) == ["http://localhost:8000", "https://chat.example.gouv.fr"]
    bare = Sanic(f"cors_{uuid.uuid4().hex}", configure_logging=False)
    configure_cors(bare, None)  # `rasa run` without --cors: engine.io's same-origin check
    assert cors_origins(bare) is None


async def test_a_guessable_session_id_is_replaced_by_an_unguessable_one(monkeypatch):
    server = Server(monkeypatch)
    sid = await server.socket()
    for asked in ("me", "cluster-sio-1", "a" * 31, None, 42, "rest:" + "a" * 32):
        confirmed = await server.session(sid, asked)
        assert HEX.fullmatch(confirmed) and confirmed != asked
    kept = uuid.uuid4().hex
    assert await server.session(sid, kept) == kept
    assert kept in server.sio.rooms(sid)


async def test_a_socket_speaks_only_in_the_session_it_was_confirmed(monkeypatch):
    server = Server(monkeypatch)
    victim = uuid.uuid4().hex
    sid = await server.socket()
    mine = await server.session(sid, uuid.uuid4().hex)
    await server.say(sid, "salut", victim, {"language": "fr"})
    assert server.received == []
    assert "identifiant de session" in server.told(sid)[-1]
    await server.say(sid, "salut", mine, {"language": "fr"})
    assert [(m.text, m.sender_id) for m in server.received] == [("salut", mine)]


async def test_messages_are_limited_per_connection_and_per_address(monkeypatch):
    server = Server(monkeypatch)
    first = await server.socket("203.0.113.7")
    session = await server.session(first, uuid.uuid4().hex)
    for text in ("one", "two", "three"):
        await server.say(first, text, session, {"language": "en"})
    assert [m.text for m in server.received] == ["one", "two"]
    assert server.told(first)[-1].startswith("You are sending messages too fast")
    # A new connection from the same address shares the address's budget.
    second = await server.socket("203.0.113.7")
    other = await server.session(second, uuid.uuid4().hex)
    await server.say(second, "four", other, {"language": "fr"})
    assert server.told(second)[-1].startswith("Vous envoyez des messages trop vite")
    # Another address has its own.
    third = await server.socket("198.51.100.4")
    await server.say(third, "five", await server.session(third, uuid.uuid4().hex))
    assert server.received[-1].text == "five"


async def test_behind_the_trusted_proxy_each_visitor_is_limited_loopback_included(monkeypatch):
    server = Server(monkeypatch)
    visitor = await server.socket("10.0.0.2", "127.0.0.1")  # "loopback", as nginx saw it
    session = await server.session(visitor, uuid.uuid4().hex)
    for text in ("one", "two", "three"):
        await server.say(visitor, text, session)
    assert [m.text for m in server.received] == ["one", "two"]
    # The real loopback peer is exempt per address, not per connection.
    local = await server.socket("127.0.0.1")
    session = await server.session(local, uuid.uuid4().hex)
    for text in ("a", "b", "c"):
        await server.say(local, text, session)
    assert [m.text for m in server.received][-2:] == ["a", "b"]
    again = await server.socket("127.0.0.1")
    await server.say(again, "d", await server.session(again, uuid.uuid4().hex))
    assert server.received[-1].text == "d"


async def test_new_connections_are_limited_per_address(monkeypatch):
    server = Server(monkeypatch)
    await server.socket("203.0.113.9")
    await server.socket("203.0.113.9")
    assert await server.handlers["connect"]("engine-x", {"REMOTE_ADDR": "203.0.113.9"}, None) is (
        False
    )
    for _ in range(5):  # a direct loopback peer (the e2e tests, make bench) is exempt
        await server.socket("127.0.0.1")


async def test_text_and_metadata_are_cleaned_and_broken_metadata_is_no_traceback(monkeypatch):
    server = Server(monkeypatch, rate="100/minute")
    sid = await server.socket()
    session = await server.session(sid, uuid.uuid4().hex)
    await server.say(sid, "salaire \ud800", session, {"language": "fr", "name": "Jeanne"})
    assert server.received[-1].text == "salaire \ufffd"
    assert server.received[-1].metadata == {"language": "fr"}
    await server.say(sid, "bonjour", session, '{"language": "en", "x": 1}')
    assert server.received[-1].metadata == {"language": "en"}
    await server.say(sid, "bonjour", session, "{not json")
    assert server.received[-1].metadata == {}
    await server.handlers["user_uttered"](sid, ["not", "a", "message"])
    await server.handlers["user_uttered"](sid, {"message": 3, "session_id": session})
    assert len(server.received) == 3


async def test_rasa_webchats_custom_data_is_the_metadata_too(monkeypatch):
    """rasa-webchat sends the page's metadata as customData; metadata wins a key both give."""
    server = Server(monkeypatch, rate="100/minute")
    sid = await server.socket()
    session = await server.session(sid, str(uuid.uuid4()))  # rasa-webchat's ids: UUID v4
    data = {"message": "hi", "session_id": session, "customData": {"language": "en"}}
    await server.handlers["user_uttered"](sid, data)
    assert server.received[-1].metadata == {"language": "en"}
    both = {
        **data,
        "customData": {"language": "en", "webinar": "w1"},
        "metadata": {"language": "fr"},
    }
    await server.handlers["user_uttered"](sid, both)
    assert server.received[-1].metadata == {"language": "fr", "webinar": "w1"}


async def test_a_refusal_says_its_language(monkeypatch):
    server = Server(monkeypatch)
    sid = await server.socket()
    session = await server.session(sid, uuid.uuid4().hex)
    await server.say(sid, "hi", "f" * 32, {"language": "en"})  # not its session
    [refusal] = [d for e, d, room in server.sent if e == "bot_uttered" and room == sid]
    assert refusal["metadata"] == {"language": "en", "conversation_language": "en"}
    assert session != "f" * 32


async def test_socketio_answers_with_one_allow_origin_header_and_rest_keeps_its_own():
    """Sanic-CORS (Rasa's --cors) and engine.io both answering would give two
    Access-Control-Allow-Origin headers, which browsers refuse: socket.io's is engine.io's."""
    import socket

    import aiohttp

    from bot.infra.ratelimit import RateLimiter
    from bot.rasa_server.channels import RestInput

    async def rasa(message: Any) -> None:
        return None

    app = Sanic(f"cors_{uuid.uuid4().hex}", configure_logging=False)
    configure_cors(app, ["http://localhost:8000"])
    sockets = SocketIOInput.from_credentials({"session_persistence": True})
    app.blueprint(sockets.blueprint(rasa))
    app.blueprint(RestInput(RateLimiter(None)).blueprint(rasa), url_prefix="/webhooks/rest")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    base = f"http://127.0.0.1:{port}"
    page = {"Origin": "http://localhost:8000"}
    try:
        async with aiohttp.ClientSession() as session:
            polling = f"{base}/socket.io/?EIO=4&transport=polling"
            async with session.get(polling, headers=page) as reply:
                assert reply.status == 200
                assert reply.headers.getall("Access-Control-Allow-Origin") == [page["Origin"]]
                assert "Access-Control-Allow-Credentials" not in reply.headers
            async with session.get(polling, headers={"Origin": "https://evil.example"}) as reply:
                assert reply.status == 400
            preflight = {**page, "Access-Control-Request-Method": "POST"}
            async with session.options(f"{base}/webhooks/rest/webhook", headers=preflight) as reply:
                assert reply.headers.getall("Access-Control-Allow-Origin") == [page["Origin"]]
    finally:
        server.close()
        await server.wait_closed()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=st.one_of(st.text(max_size=60), json_values),
    metadata=st.one_of(json_values, st.text(max_size=60)),
    session=st.one_of(st.none(), st.text(max_size=40), st.just("confirmed")),
)
def test_any_user_message_is_handled_without_an_exception(message, metadata, session):
    """Whatever a socket sends as user_uttered: no exception, and what reaches Rasa is
    text that encodes as UTF-8 with known metadata keys only."""
    import asyncio

    async def run() -> None:
        with pytest.MonkeyPatch.context() as patch:
            server = Server(patch, rate="1000/minute")
            sid = await server.socket()
            confirmed = await server.session(sid, uuid.uuid4().hex)
            sent = confirmed if session == "confirmed" else session
            data = {"message": message, "session_id": sent, "metadata": metadata}
            await server.handlers["user_uttered"](sid, data)
            for received in server.received:
                received.text.encode("utf-8")
                assert set(received.metadata) <= {"language", "accept_language", "webinar",
                                                  "message_id"}  # fmt: skip

    asyncio.run(run())
