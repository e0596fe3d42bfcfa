"""The bot web service: Rasa's NLG endpoint and the health check.

Listens on loopback by default; Rasa is its only client for ``/nlg``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Optional

from aiohttp import web

from bot import clock, i18n, knowledge, nlg
from bot.knowledge import Knowledge

log = logging.getLogger(__name__)

KNOWLEDGE: web.AppKey[Knowledge] = web.AppKey("knowledge", Knowledge)
TODAY: web.AppKey[Callable[[], dt.date]] = web.AppKey("today")
MAX_BODY_BYTES = 1024 * 1024


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def handle_nlg(request: web.Request) -> web.Response:
    """Rasa's NLG request: ``{"response", "arguments", "tracker", "channel"}``."""
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "body is not valid JSON")
    if not isinstance(body, dict):
        return _error(400, "body must be a JSON object")
    name = body.get("response") or body.get("template")
    if not isinstance(name, str) or not name:
        return _error(400, "'response' must be a non-empty string")
    arguments = body.get("arguments")
    if not isinstance(arguments, dict):
        arguments = {}
    language = nlg.language_of(body.get("tracker"))
    message = nlg.render_safely(
        name, arguments, language, request.app[KNOWLEDGE], request.app[TODAY]()
    )
    return web.json_response(message)


async def handle_health(request: web.Request) -> web.Response:
    k = request.app[KNOWLEDGE]
    return web.json_response(
        {
            "status": "ok",
            "current_promotion": k.current.number,
            "languages": list(i18n.LANGUAGES),
            "today": request.app[TODAY]().isoformat(),
        }
    )


@web.middleware
async def json_errors(request: web.Request, handler: Callable) -> web.StreamResponse:
    """Every failure is a short JSON error, never an HTML traceback."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400:
            return _error(error.status, error.reason)
        raise
    except Exception:
        log.exception("web.unhandled_error", extra={"path": request.path})
        return _error(500, "internal error")


def create_app(
    known: Optional[Knowledge] = None, today: Callable[[], dt.date] = clock.today
) -> web.Application:
    """Build the service; the knowledge base and catalogs load (and fail) at start-up."""
    app = web.Application(middlewares=[json_errors], client_max_size=MAX_BODY_BYTES)
    app[TODAY] = today

    async def load_resources(app: web.Application) -> AsyncIterator[None]:
        app[KNOWLEDGE] = known or knowledge.load()
        for language in i18n.LANGUAGES:
            i18n.translations(language)
        yield

    app.cleanup_ctx.append(load_resources)
    app.router.add_post("/nlg", handle_nlg)
    app.router.add_get("/healthz", handle_health)
    return app
