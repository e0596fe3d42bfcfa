"""The REST channel, hardened: validated input, the browser's language as metadata, an
answer even when something behind it fails, a size cap and a per-address rate limit, and
no user text in logs.

Rasa's stock REST channel logs the message text when something fails and answers broken
JSON with an HTML error; this one answers with a JSON 4xx and never logs what people wrote.
A failed turn ends with a short apology in the user's language (``bot.rasa_server.turn_guard``).
A refused message (400 a guessable session id, 413 too large, 429 too many) also carries a
chat message in the person's language under ``messages``, for clients that show what the
bot says. What the channel accepts (session ids, kept as ``rest:<id>``; text without lone
surrogates; known metadata keys only) is ``bot.rasa_server.inbound``'s. The metadata may
come as ``metadata`` or as rasa-webchat's ``customData`` (``bot.rasa_server.webchat``), and
each bot message says its language in its ``metadata`` (``bot.rasa_server.outputs``).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.domain import clock, knowledge
from bot.infra import settings
from bot.infra.client_ip import client_address, direct
from bot.infra.ratelimit import RateLimiter, retry_after
from bot.rasa_server import inbound, outputs, patches, speedups, turn_guard, webchat
from bot.rasa_server.nlu import tokenizer
from bot.rasa_server.nlu.guard import MAX_CHARS
from bot.wording import i18n, nlg
from bot.wording.answers import N_
from bot.wording.i18n import _

log = logging.getLogger(__name__)
# Rasa loads this module at start-up, before the agent: the spaCy pipelines start building
# meanwhile. (The run-time changes to Rasa are installed earlier, by bot.rasa_server.start.)
tokenizer.preload()
LANGUAGE_PEEK_BYTES = 256 * 1024
RATE_LIMITED = N_("error_rate_limited")
BAD_SESSION = N_("error_bad_session_id")


def _json_body(request: Request) -> Optional[dict[str, Any]]:
    try:
        body = request.json
    except Exception:  # Sanic raises InvalidUsage (400) on malformed JSON
        return None
    return body if isinstance(body, dict) else None


def metadata_of(body: dict[str, Any], accept_language: Optional[str]) -> dict[str, Any]:
    """The message metadata's known keys (``bot.rasa_server.inbound``; from ``metadata`` or
    rasa-webchat's ``customData``), with the browser's Accept-Language added when present."""
    metadata = inbound.clean_metadata(webchat.client_metadata(body))
    if accept_language and "accept_language" not in metadata:
        metadata.update(inbound.clean_metadata({"accept_language": accept_language}))
    return metadata


def language_of(metadata: dict[str, Any]) -> str:
    return (
        i18n.normalize(metadata.get("language"))
        or i18n.from_accept_language(metadata.get("accept_language"))
        or i18n.DEFAULT_LANGUAGE
    )


def refusal_metadata(request: Request) -> dict[str, Any]:
    """The language hints of a refused request: its JSON metadata when the body is not
    huge, and Accept-Language."""
    body: Any = None
    if len(request.body or b"") <= LANGUAGE_PEEK_BYTES:
        try:
            body = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = None
    return metadata_of(
        body if isinstance(body, dict) else {}, request.headers.get("accept-language")
    )


def too_large_text(language: str) -> str:
    message = nlg.render(
        "utter_bad_input_too_long", {"max_chars": MAX_CHARS}, language, knowledge.get(),
        clock.today(),
    )  # fmt: skip
    return str(message["text"])


def rate_limited_text(language: str, seconds: int) -> str:
    with i18n.using(language):
        return _(RATE_LIMITED).format(seconds=i18n.number(seconds))


def bad_session_text(language: str) -> str:
    with i18n.using(language):
        return str(_(BAD_SESSION))


def bad_session(request: Request) -> HTTPResponse:
    text = bad_session_text(language_of(refusal_metadata(request)))
    return response.json(
        {
            "error": "'sender' must be 32 random hexadecimal digits or a version-4 UUID",
            "messages": [{"recipient_id": None, "text": text}],
        },
        status=400,
    )


def too_large(request: Request, limit: int) -> HTTPResponse:
    text = too_large_text(language_of(refusal_metadata(request)))
    return response.json(
        {
            "error": f"request body larger than {limit} bytes",
            "messages": [{"recipient_id": None, "text": text}],
        },
        status=413,
    )


def rate_limited(request: Request, wait: float) -> HTTPResponse:
    seconds = retry_after(wait)
    text = rate_limited_text(language_of(refusal_metadata(request)), seconds)
    return response.json(
        {
            "error": "too many messages",
            "retry_after": seconds,
            "messages": [{"recipient_id": None, "text": text}],
        },
        status=429,
        headers={"Retry-After": str(seconds)},
    )


CORS_MAX_AGE_S = 600


def harden_cors(app: Any) -> None:
    """Rasa's HTTP CORS (``--cors``, by Sanic-CORS) without ``Access-Control-Allow-
    Credentials`` (Rasa turns it on; no client here sends cookies or HTTP authentication
    across origins) and with a numeric ``Access-Control-Max-Age`` on preflights."""
    context = getattr(app.ctx, "sanic_cors", None)
    for _pattern, options in getattr(context, "resources", None) or []:
        options["supports_credentials"] = False
        options["max_age"] = str(CORS_MAX_AGE_S)  # Sanic wants header values as text


class RestInput(InputChannel):
    """``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"}``."""

    def __init__(
        self, limiter: Optional[RateLimiter] = None, max_body_bytes: Optional[int] = None
    ) -> None:
        # Per address; loopback (tests, `make bench`) is exempt by default. The NLU reads
        # 1,000 characters and explains longer messages; far bigger bodies are refused.
        self.limiter = limiter or RateLimiter(
            settings.RATE_LIMIT_MESSAGES.get(), settings.RATE_LIMIT_EXEMPT.get()
        )
        self.max_body_bytes = max_body_bytes or settings.MAX_MESSAGE_BYTES.get()
        self.trusted_proxies = settings.TRUSTED_PROXIES.get()
        self.proxy_hops = settings.PROXY_HOPS.get()
        if not patches.installed():
            log.warning(
                "Rasa was started without `python -m bot rasa`: the run-time changes of "
                "bot.rasa_server.patches (turn guard, conversation store, speedups) are missing"
            )

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("eig_rest_webhook", __name__)

        @hook.listener("before_server_start")
        async def cors_without_credentials(app: Any, loop: Any) -> None:
            harden_cors(app)

        @hook.listener("after_server_stop")
        async def close_http_sessions(app: Any, loop: Any) -> None:
            await speedups.close_sessions()  # the keep-alive action/NLG connections

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            # X-EIG-Start-Id: the supervisor checks it reached the process it started.
            return response.json({"status": "ok"}, headers=settings.start_id_headers())

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > self.max_body_bytes:
                return too_large(request, self.max_body_bytes)
            forwarded_for = request.headers.get("x-forwarded-for")
            client = client_address(
                request.ip, forwarded_for, self.trusted_proxies, self.proxy_hops
            )
            wait = self.limiter.check(
                client, exemptible=direct(request.ip, forwarded_for, self.trusted_proxies)
            )
            if wait:
                return rate_limited(request, wait)
            body = _json_body(request)
            if body is None:
                return response.json({"error": "body must be a JSON object"}, status=400)
            given, text = body.get("sender"), body.get("message")
            sender = inbound.rest_sender(given)
            if sender is None:
                return bad_session(request)
            if not isinstance(text, str):
                return response.json({"error": "'message' must be a string"}, status=400)
            metadata = metadata_of(body, request.headers.get("accept-language"))
            collector = outputs.CollectingOutput(
                functools.partial(turn_guard.language_for, metadata, text)
            )
            message = UserMessage(
                inbound.clean_text(text), collector, sender, input_channel=self.name(),
                metadata=metadata,
            )  # fmt: skip
            await turn_guard.answer(on_new_message, message)
            return response.json([{**sent, "recipient_id": given} for sent in collector.messages])

        return hook
