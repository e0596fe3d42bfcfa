"""Rasa's socket.io channel, with an answer even when something behind it fails, a size
cap and a per-session rate limit.

The stock channel awaits the turn and, if it raises, leaves the widget waiting in silence;
this one runs each message through ``bot.rasa_server.turn_guard``, which ends a failed turn with a
short apology in the user's language. Same name (``socketio``), settings and events.
Too large a message, or too many, get the REST channel's refusals as a bot message
instead. Text and metadata are cleaned as on REST (``bot.rasa_server.inbound``). Origins,
session ids and the limits per connection and per address are ``close_doors``'
(``bot.rasa_server.socket_guard``).

Rasa 3.6's ``session_request`` handler calls ``sio.enter_room`` without awaiting it; since
python-socketio 5.10 that is a coroutine, so the socket never joined its session's room and
replies went nowhere. ``join_session_rooms`` registers our own handler, which awaits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as StockSocketIOInput
from socketio import AsyncServer

from bot.infra import settings
from bot.infra.ratelimit import RateLimiter, retry_after
from bot.rasa_server import inbound, socket_guard, turn_guard
from bot.rasa_server.channels import (
    language_of,
    rate_limited_text,
    too_large_text,
)


class SocketIOInput(StockSocketIOInput):
    """``bot.rasa_server.socketio_channel.SocketIOInput`` in credentials.yml."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limiter = RateLimiter(settings.RATE_LIMIT_MESSAGES.get())
        self.max_message_bytes = settings.MAX_MESSAGE_BYTES.get()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        async def answered(message: UserMessage) -> None:
            await turn_guard.answer(on_new_message, message)

        blueprint = super().blueprint(self.guarded(answered))
        self.join_session_rooms(blueprint.ctx.sio)
        self.close_doors(blueprint)
        return blueprint

    def close_doors(self, blueprint: SocketBlueprint) -> None:
        """Origins, session ids and per-client limits (``bot.rasa_server.socket_guard``),
        around every handler registered before."""
        socket_guard.check_origins(blueprint, blueprint.ctx.sio, self.socketio_path or "/socket.io")
        socket_guard.ClientGuard(
            self.namespace, self.user_message_evt, self.bot_message_evt,
            self.metadata_key or "metadata", self.session_persistence,
        ).install(blueprint.ctx.sio)  # fmt: skip

    def join_session_rooms(self, sio: AsyncServer) -> None:
        """Replaces Rasa's ``session_request`` handler with one that awaits ``enter_room``
        (python-socketio ≥ 5.10), so that replies sent to the session id reach the socket."""

        async def session_request(sid: str, data: Optional[dict[str, Any]]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", namespace=self.namespace)(session_request)

    def guarded(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[UserMessage], Awaitable[Any]]:
        """Refuses too large a message, or one too many, with a bot message saying why."""

        async def guard(message: UserMessage) -> Any:
            message.text = inbound.clean_text(message.text or "")  # as on REST
            message.metadata = inbound.clean_metadata(message.metadata)
            metadata = message.metadata if isinstance(message.metadata, dict) else {}
            language = language_of(metadata)
            size = len((message.text or "").encode("utf-8", "surrogatepass"))
            if size > self.max_message_bytes:
                text = too_large_text(language)
            else:
                wait = self.limiter.check(str(message.sender_id))
                if not wait:
                    return await on_new_message(message)
                text = rate_limited_text(language, retry_after(wait))
            await message.output_channel.send_text_message(message.sender_id, text)
            return None

        return guard
