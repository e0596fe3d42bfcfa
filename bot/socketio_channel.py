"""Rasa's socket.io channel, with an answer even when something behind it fails.

The stock channel awaits the turn and, if it raises, leaves the widget waiting in silence;
this one runs each message through ``bot.turn_guard``, which ends a failed turn with a
short apology in the user's language. Same name (``socketio``), settings and events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as StockSocketIOInput

from bot import speedups, tracker_store, turn_guard

speedups.install()
tracker_store.install()
turn_guard.install()


class SocketIOInput(StockSocketIOInput):
    """``bot.socketio_channel.SocketIOInput`` in credentials.yml."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        async def answered(message: UserMessage) -> None:
            await turn_guard.answer(on_new_message, message)

        return super().blueprint(answered)
