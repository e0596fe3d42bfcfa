"""The bot web service: Rasa's NLG endpoint, the health check, and the programme's demo
page with the chat widget (``/fr/``, ``/en/``, static files under ``/static/``).

Listens on loopback by default; Rasa is its only client for ``/nlg``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Optional

from aiohttp import web

from bot import clock, i18n, ics, knowledge, nlg
from bot.knowledge import Knowledge
from bot.page import (
    STATIC,
    STRICT_CSP,
    PageConfig,
    assets_missing,
    content_security_policy,
    socket_origins,
)
from bot.page import render as render_page
from bot.page import translations as widget_translations

log = logging.getLogger(__name__)

KNOWLEDGE: web.AppKey[Knowledge] = web.AppKey("knowledge", Knowledge)
TODAY: web.AppKey[Callable[[], dt.date]] = web.AppKey("today")
PAGE: web.AppKey[PageConfig] = web.AppKey("page", PageConfig)
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


async def handle_webinar_ics(request: web.Request) -> web.Response:
    """``/webinars/<id>.ics?lang=fr``: an invitation to add to one's calendar."""
    webinar = request.app[KNOWLEDGE].webinar(request.match_info["webinar_id"])
    if webinar is None:
        return _error(404, "unknown webinar")
    language = i18n.normalize(request.query.get("lang")) or i18n.from_accept_language(
        request.headers.get("Accept-Language")
    )
    body = ics.webinar_calendar(webinar, language or i18n.DEFAULT_LANGUAGE, dt.datetime.now())
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{webinar.id}.ics"'},
    )


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


async def handle_root(request: web.Request) -> web.StreamResponse:
    """``/`` → ``/fr/`` or ``/en/``, by Accept-Language; the query string is kept."""
    header = request.headers.get("Accept-Language")
    language = i18n.from_accept_language(header) or i18n.DEFAULT_LANGUAGE
    location = request.rel_url.with_path(f"/{language}/").with_query(request.rel_url.query)
    raise web.HTTPFound(location=str(location), headers={"Vary": "Accept-Language"})


async def handle_language_root(request: web.Request) -> web.StreamResponse:
    """``/fr`` → ``/fr/``."""
    location = request.rel_url.with_path(request.path + "/").with_query(request.rel_url.query)
    raise web.HTTPMovedPermanently(location=str(location))


async def handle_page(request: web.Request) -> web.Response:
    """The programme's demo page with the chat widget, in the language of the path."""
    config = request.app[PAGE]
    html = render_page(request.match_info["lang"], config, request.app[KNOWLEDGE])
    connect = socket_origins(request.host, request.secure, config)
    return web.Response(
        text=html,
        content_type="text/html",
        headers={
            "Content-Security-Policy": content_security_policy(connect),
            "Cache-Control": "no-cache",
        },
    )


@web.middleware
async def security_headers(request: web.Request, handler: Callable) -> web.StreamResponse:
    """Basic hardening headers on every answer; pages set their own CSP."""
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", STRICT_CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


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
    known: Optional[Knowledge] = None,
    today: Callable[[], dt.date] = clock.today,
    rasa_port: int = 5005,
    socket_same_origin: bool = False,
) -> web.Application:
    """Build the service; the knowledge base and catalogs load (and fail) at start-up.

    ``rasa_port`` is where the page's widget finds Rasa's socket.io, on the page's host;
    with ``socket_same_origin`` it uses the page's own origin instead (behind nginx).
    """
    app = web.Application(
        middlewares=[security_headers, json_errors], client_max_size=MAX_BODY_BYTES
    )
    app[TODAY] = today
    app[PAGE] = PageConfig(socket_port=rasa_port, same_origin=socket_same_origin)

    async def load_resources(app: web.Application) -> AsyncIterator[None]:
        app[KNOWLEDGE] = known or knowledge.load()
        for language in i18n.LANGUAGES:
            i18n.translations(language)
            widget_translations(language)
        if assets_missing():
            log.warning("web.assets_missing: run `make assets` for the page's DSFR and socket.io")
        yield

    app.cleanup_ctx.append(load_resources)
    app.router.add_post("/nlg", handle_nlg)
    app.router.add_get("/healthz", handle_health)
    app.router.add_get("/", handle_root)
    app.router.add_get("/{lang:fr|en}", handle_language_root)
    app.router.add_get("/{lang:fr|en}/", handle_page)
    app.router.add_static("/static/", STATIC)
    app.router.add_get(r"/webinars/{webinar_id:[A-Za-z0-9_-]{1,100}}.ics", handle_webinar_ics)
    return app
