"""The doors of Rasa's socket.io channel, closed: origins, session ids, per-client limits.

- ``check_origins``: Rasa builds its ``AsyncServer`` with ``cors_allowed_origins=[]``,
  which turns engine.io's Origin check off, so any web page could drive conversations. The
  server takes the origins Rasa's HTTP CORS allows (``--cors``, kept by Sanic-CORS) instead,
  over polling and websocket alike, and sends no ``Access-Control-Allow-Credentials``; with
  no origin configured, engine.io's own same-origin check applies.
- ``ClientGuard``: a session id must be unguessable (``bot.rasa_server.inbound``; a socket
  asking for another one gets a fresh id made here), a socket speaks only in the session it
  was confirmed, and messages are limited per connection and per client address (the
  address behind the trusted proxies, ``bot.infra.client_ip``; only a direct loopback peer
  is exempt), as are new connections per address. A refused message gets a bot message
  saying why, in the message's language, on that socket only.

``bot.rasa_server.socketio_channel`` calls both once its handlers are registered: the
guard wraps whatever handles ``connect``, ``session_request`` and the user's messages.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Optional

from socketio import AsyncServer

from bot.infra import settings
from bot.infra.client_ip import client_address, direct
from bot.infra.ratelimit import RateLimiter, retry_after
from bot.rasa_server import inbound, outputs, webchat
from bot.rasa_server.channels import bad_session_text, language_of, rate_limited_text

log = logging.getLogger(__name__)
Handler = Callable[..., Awaitable[Any]]


def cors_origins(app: Any) -> Optional[list[str]]:
    """The origins of Rasa's HTTP CORS (``--cors``, as Sanic-CORS keeps them), for
    engine.io; None (engine.io's same-origin check) when none are configured."""
    options = getattr(getattr(app.ctx, "sanic_cors", None), "_options", None) or {}
    resources = options.get("resources") or {}
    origins: Any = None
    if isinstance(resources, Mapping) and resources:
        first = next(iter(resources.values()))
        origins = first.get("origins") if isinstance(first, Mapping) else None
    if isinstance(origins, str):
        origins = [origins]
    found = [origin for origin in origins or [] if isinstance(origin, str) and origin]
    return found or None


def check_origins(blueprint: Any, sio: AsyncServer, path: str = "/socket.io") -> None:
    """Before the server starts, gives engine.io the origins of Rasa's HTTP CORS, and
    leaves the CORS headers of ``path`` to engine.io alone (two ``Access-Control-Allow-
    Origin`` headers, Sanic-CORS's and engine.io's, would make browsers refuse both)."""

    @blueprint.listener("before_server_start")
    async def allowed_origins(app: Any, loop: Any) -> None:
        sio.eio.cors_allowed_origins = cors_origins(app)
        sio.eio.cors_credentials = False
        leave_cors_to_engineio(app, path)


def leave_cors_to_engineio(app: Any, path: str) -> None:
    """Sanic-CORS's rules (Rasa's ``--cors``) made to match no request under ``path``."""
    context: Any = getattr(app.ctx, "sanic_cors", None)
    resources = getattr(context, "resources", None)
    if not resources:
        return
    outside = r"(?!" + re.escape(path.rstrip("/")) + r"(?:/|$))"
    context.resources = [
        (re.compile(outside + (getattr(pattern, "pattern", None) or str(pattern))), options)
        for pattern, options in resources
    ]


class ClientGuard:
    """Session ids and per-client limits of one socket.io server (see the module)."""

    def __init__(
        self,
        namespace: Optional[str],
        user_message_evt: str,
        bot_message_evt: str,
        metadata_key: str,
        session_persistence: bool,
    ) -> None:
        self.namespace = namespace
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.metadata_key = metadata_key
        self.session_persistence = session_persistence
        rate, exempt = settings.RATE_LIMIT_MESSAGES.get(), settings.RATE_LIMIT_EXEMPT.get()
        self.per_connection = RateLimiter(rate)
        self.per_address = RateLimiter(rate, exempt)
        self.connections = RateLimiter(rate, exempt)  # new connections per address
        self.trusted_proxies = settings.TRUSTED_PROXIES.get()
        self.proxy_hops = settings.PROXY_HOPS.get()
        self.sessions: dict[str, str] = {}  # socket id → the session id it was confirmed

    def install(self, sio: AsyncServer) -> None:
        """Wraps the handlers registered so far, and forgets a socket when it leaves."""
        namespace = self.namespace or "/"
        handlers = sio.handlers.get(namespace, {})
        connect: Handler = handlers["connect"]
        session_request: Handler = handlers["session_request"]
        user_message: Handler = handlers[self.user_message_evt]
        disconnect: Optional[Handler] = handlers.get("disconnect")

        async def on_connect(sid: str, environ: dict[str, Any], auth: Any = None) -> Any:
            client, exemptible = self.client_of(environ)
            if self.connections.check(client, exemptible):
                log.warning("socketio.refused", extra={"reason": "connections"})
                return False
            return await connect(sid, environ, auth)

        async def on_session_request(sid: str, data: Any = None) -> None:
            given = data.get("session_id") if isinstance(data, dict) else None
            session_id = inbound.session_id(given) or uuid.uuid4().hex  # never a guessable one
            self.sessions[sid] = session_id
            await session_request(sid, {"session_id": session_id})

        async def on_user_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return  # not a message: nothing Rasa's handler could read
            # The metadata, as a JSON string too, or as rasa-webchat's customData.
            metadata = webchat.client_metadata(data, self.metadata_key)
            language = language_of(inbound.clean_metadata(metadata))
            if self.session_persistence and (
                inbound.session_id(data.get("session_id")) != self.sessions.get(sid)
            ):
                await self.tell(sio, sid, bad_session_text(language), language)
                return
            client, exemptible = self.client_of(sio.get_environ(sid, namespace) or {})
            wait = max(self.per_connection.check(sid), self.per_address.check(client, exemptible))
            if wait:
                await self.tell(sio, sid, rate_limited_text(language, retry_after(wait)), language)
                return
            if self.session_persistence:
                data = {**data, "session_id": self.sessions[sid]}
            data = {**data, self.metadata_key: metadata}  # Rasa would json.loads a string
            await user_message(sid, data)

        async def on_disconnect(sid: str, *args: Any) -> None:
            self.sessions.pop(sid, None)
            if disconnect is not None:
                await disconnect(sid)

        sio.on("connect", namespace=self.namespace)(on_connect)
        sio.on("session_request", namespace=self.namespace)(on_session_request)
        sio.on(self.user_message_evt, namespace=self.namespace)(on_user_message)
        sio.on("disconnect", namespace=self.namespace)(on_disconnect)

    def client_of(self, wsgi: Mapping[str, Any]) -> tuple[str, bool]:
        """The socket's client address, and whether it may be exempt (a direct peer), from
        the WSGI-like dictionary engine.io keeps of its first request."""
        request = wsgi.get("sanic.request")
        peer = getattr(request, "ip", None) or wsgi.get("REMOTE_ADDR")
        forwarded_for = wsgi.get("HTTP_X_FORWARDED_FOR")
        client = client_address(peer, forwarded_for, self.trusted_proxies, self.proxy_hops)
        return client, direct(peer, forwarded_for, self.trusted_proxies)

    async def tell(self, sio: AsyncServer, sid: str, text: str, language: str) -> None:
        """A bot message to this socket only, shaped as ``bot.rasa_server.outputs``'."""
        message = outputs.with_language({"text": text}, {"language": language})
        await sio.emit(self.bot_message_evt, message, room=sid, namespace=self.namespace)
