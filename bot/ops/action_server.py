"""The Rasa SDK action server, reachable only by our Rasa instances.

It listens on loopback by default. When ``EIG_ACTIONS_TOKEN`` is set (``python -m bot
run`` sets a random one for the processes it starts), ``/webhook`` also wants it as the
``token`` query parameter, which Rasa sends from ``endpoints.yml``; ``/health`` stays open.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from sanic import response
from sanic.request import Request

from bot.infra import settings
from bot.infra.tokens import token_matches

log = logging.getLogger(__name__)


def create_app(token: Optional[str] = None) -> Any:
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app("actions", cors_origins="")  # Rasa is no browser: no CORS
    expected = token if token is not None else settings.ACTIONS_TOKEN.get()

    @app.middleware("request")
    async def require_token(request: Request) -> Any:
        if request.path != "/health" and not token_matches(expected, request.args.get("token")):
            log.warning("actions.refused", extra={"reason": "token"})
            return response.json({"error": "a valid token is required"}, status=401)
        return None

    @app.middleware("response")
    async def start_id(request: Request, reply: Any) -> None:
        if request.path == "/health":  # the supervisor checks it reached this process
            reply.headers.update(settings.start_id_headers())

    return app
