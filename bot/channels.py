"""The REST channel, hardened: validated input, the browser's language as metadata, an
answer even when something behind it fails, and no user text in logs.

Rasa's stock REST channel logs the message text when something fails and answers broken
JSON with an HTML error; this one answers with a JSON 4xx and never logs what people wrote.
A failed turn ends with a short apology in the user's language (``bot.turn_guard``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import speedups, tracker_store, turn_guard

log = logging.getLogger(__name__)
# Rasa loads this module at start-up, before the agent: cheaper reply validation, and
# failures of the conversation store, action server and NLG reach the user as an apology.
speedups.install()
tracker_store.install()
turn_guard.install()
MAX_SENDER_CHARS = 128


def _json_body(request: Request) -> Optional[dict[str, Any]]:
    try:
        body = request.json
    except Exception:  # Sanic raises InvalidUsage (400) on malformed JSON
        return None
    return body if isinstance(body, dict) else None


def metadata_of(body: dict[str, Any], accept_language: Optional[str]) -> dict[str, Any]:
    """The message metadata, with the browser's Accept-Language added when present."""
    metadata = body.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    if accept_language and "accept_language" not in metadata:
        metadata["accept_language"] = accept_language[:200]
    return metadata


class RestInput(InputChannel):
    """``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"}``."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("eig_rest_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = _json_body(request)
            if body is None:
                return response.json({"error": "body must be a JSON object"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip():
                return response.json({"error": "'sender' must be a non-empty string"}, 400)
            if len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "'sender' is too long"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "'message' must be a string"}, status=400)
            metadata = metadata_of(body, request.headers.get("accept-language"))
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata=metadata
            )
            await turn_guard.answer(on_new_message, message)
            return response.json(collector.messages)

        return hook
