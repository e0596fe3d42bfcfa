"""The channels' output: every bot message says which language it is written in.

The NLG service (``bot.web`` ``/nlg``) renders each response in the reply's language and
returns, next to its text and buttons, ``language`` (the reply's) and
``conversation_language`` (the conversation's: a single question in the other language
is answered in that language while the conversation keeps its own). Rasa keeps such extra
keys of an NLG response in the ``BotUttered`` event's metadata and hands them to the
output channel's ``send_*`` methods as keyword arguments; the stock channels drop them.
These channels put them on each message they send, as ``metadata`` (what the socket.io
widgets read on ``bot_uttered``, and the REST webhook's messages), with the message's id
and response name, which the widget's "was this helpful?" buttons send back:

    {"text": "…", "metadata": {"language": "en", "conversation_language": "fr",
                               "message_id": "<32 hex digits>", "response": "utter_greet"}}

so the page marks each message with its own ``lang`` and the widget's labels follow the
conversation. Messages the Rasa server writes itself (the turn guard's apology) pass
``language`` too; the REST collector marks any other with the language the apology would
take (``turn_guard.language_for``). ``turn_guard.answer`` puts ``SocketIOOutput`` in place
of the stock one for each socket.io turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Optional

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.channels.socketio import SocketIOOutput as StockSocketIOOutput
from socketio import AsyncServer

from bot.wording import i18n

LANGUAGE_KEYS = ("language", "conversation_language")
_MESSAGE_ID = re.compile(r"[0-9a-f]{32}")
_RESPONSE = re.compile(r"utter_[A-Za-z0-9_/]{1,100}")


def message_metadata(kwargs: Mapping[str, Any]) -> dict[str, str]:
    """What a bot message says about itself, from its keyword arguments: ``language`` and
    ``conversation_language`` (supported codes only; the conversation's defaults to the
    message's), ``message_id`` and ``response`` (for the answer feedback buttons)."""
    kept: dict[str, str] = {}
    for key in LANGUAGE_KEYS:
        language = i18n.normalize(kwargs.get(key))
        if language:
            kept[key] = language
    if "language" in kept:
        kept.setdefault("conversation_language", kept["language"])
    message_id, response = kwargs.get("message_id"), kwargs.get("response")
    if isinstance(message_id, str) and _MESSAGE_ID.fullmatch(message_id):
        kept["message_id"] = message_id
        if isinstance(response, str) and _RESPONSE.fullmatch(response):
            kept["response"] = response
    return kept


Fallback = Optional[Callable[[], Optional[str]]]


def with_language(
    message: dict[str, Any], kwargs: Mapping[str, Any], fallback: Fallback = None
) -> dict[str, Any]:
    """``message`` with its ``metadata``; ``fallback()`` is the language of a message sent
    without one (the turn guard's apology, which is written in that language)."""
    metadata = message_metadata(kwargs)
    if "language" not in metadata and fallback is not None:
        metadata = {**message_metadata({"language": fallback()}), **metadata}
    return {**message, "metadata": metadata} if metadata else message


def _parts(text: Optional[str]) -> list[str]:
    """Rasa's channels send each paragraph as its own message; so do these."""
    return (text or "").strip().split("\n\n")


class SocketIOOutput(StockSocketIOOutput):
    """Rasa's socket.io output, with ``metadata.language`` on each ``bot_uttered``."""

    def __init__(
        self, sio: AsyncServer, bot_message_evt: str, fallback_language: Fallback = None
    ) -> None:
        super().__init__(sio, bot_message_evt)
        self.fallback_language = fallback_language

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in _parts(text):
            message = with_language({"text": part}, kwargs, self.fallback_language)
            await self._send_message(recipient_id, message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        messages: list[dict[str, Any]] = [
            {"text": part, "quick_replies": []} for part in _parts(text)
        ]
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        for message in messages:
            message = with_language(message, kwargs, self.fallback_language)
            await self._send_message(recipient_id, message)


class CollectingOutput(CollectingOutputChannel):
    """Rasa's REST collector, with ``metadata.language`` on each message."""

    def __init__(self, fallback_language: Fallback = None) -> None:
        super().__init__()
        self.fallback_language = fallback_language

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in _parts(text):
            message = self._message(recipient_id, text=part)
            await self._persist_message(with_language(message, kwargs, self.fallback_language))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        message = self._message(recipient_id, text=text, buttons=buttons)
        await self._persist_message(with_language(message, kwargs, self.fallback_language))


def marking_language(channel: OutputChannel) -> OutputChannel:
    """Rasa's socket.io output (which the stock channel makes for each message) as ours;
    any other channel as it is."""
    if isinstance(channel, StockSocketIOOutput) and not isinstance(channel, SocketIOOutput):
        return SocketIOOutput(channel.sio, channel.bot_message_evt)
    return channel
