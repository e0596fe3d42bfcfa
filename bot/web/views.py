"""The web service's handlers, and the typed keys of what they read on the app.

Each view reads what ``create_app`` stored on the application through a ``web.AppKey``:
the knowledge base, the clock, the page's configuration and the metrics.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from typing import Optional

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.applications import feedback as answer_feedback
from bot.applications.feedback import Storage, StorageError
from bot.domain.knowledge import Knowledge
from bot.infra import settings
from bot.web.metrics import Metrics
from bot.web.page import PageConfig, content_security_policy, socket_origins
from bot.web.page import render as render_page
from bot.wording import i18n, ics, nlg

log = logging.getLogger(__name__)

KNOWLEDGE: web.AppKey[Knowledge] = web.AppKey("knowledge", Knowledge)
TODAY: web.AppKey[Callable[[], dt.date]] = web.AppKey("today")
PAGE: web.AppKey[PageConfig] = web.AppKey("page", PageConfig)
METRICS: web.AppKey[Metrics] = web.AppKey("metrics", Metrics)
# The applications database, opened on the first feedback (DATABASE_URL), in a thread.
FEEDBACK_STORE: web.AppKey[Callable[[], Storage]] = web.AppKey("feedback_store")


def error_response(
    status: int, message: str, headers: Optional[dict[str, str]] = None
) -> web.Response:
    """Every failure is a short JSON object: ``{"error": message}``."""
    return web.json_response({"error": message}, status=status, headers=headers)


async def nlg_endpoint(request: web.Request) -> web.Response:
    """Rasa's NLG request: ``{"response", "arguments", "tracker", "channel"}``."""
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_response(400, "body is not valid JSON")
    if not isinstance(body, dict):
        return error_response(400, "body must be a JSON object")
    name = body.get("response") or body.get("template")
    if not isinstance(name, str) or not name:
        return error_response(400, "'response' must be a non-empty string")
    arguments = body.get("arguments")
    if not isinstance(arguments, dict):
        arguments = {}
    arguments = {**nlg.message_arguments(name, body.get("tracker")), **arguments}
    language = nlg.language_of(body.get("tracker"))
    message = nlg.render_safely(
        name, arguments, language, request.app[KNOWLEDGE], request.app[TODAY]()
    )
    try:
        request.app[METRICS].observe(name, body.get("tracker"), language)
    except Exception as error:  # counting must never cost a reply
        log.error("metrics.observe_failed", extra={"error": type(error).__name__})
    log.debug("nlg.rendered", extra={"response": name[:100], "language": language})
    # Rasa keeps these in the bot message's metadata; our channels send them with it
    # (bot.rasa_server.outputs), so the page marks each message with its language.
    conversation = nlg.conversation_language_of(body.get("tracker"))
    return web.json_response(
        {
            **message,
            "language": language,
            "conversation_language": conversation,
            "message_id": uuid.uuid4().hex,
            "response": name,
        }
    )


async def feedback(request: web.Request) -> web.Response:
    """``POST /feedback`` from the widget's "was this helpful?" buttons: ``{"message_id",
    "response", "language", "helpful", "comment"?}`` → 204. JSON only (a page of another
    origin cannot send it without a CORS preflight, which this service never allows)."""
    if request.content_type != "application/json":
        return error_response(415, "send the feedback as application/json")
    try:
        body = await request.json(loads=json.loads)
        given = answer_feedback.parse(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_response(400, "body is not valid JSON")
    except answer_feedback.InvalidFeedback as error:
        return error_response(400, str(error))
    store = request.app[FEEDBACK_STORE]
    try:
        await asyncio.to_thread(lambda: answer_feedback.record(store(), given))
    except StorageError as error:
        log.error("feedback.not_stored", extra={"error": str(error)})
        return error_response(503, "feedback could not be stored, try again later")
    log.info("feedback.stored", extra={"response": given.response, "helpful": given.helpful})
    return web.Response(status=204)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format; see the README's "Metrics" for what each one means."""
    service_metrics = request.app[METRICS]
    service_metrics.sweep()
    body = generate_latest(service_metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def webinar_ics(request: web.Request) -> web.Response:
    """``/webinars/<id>.ics?lang=fr``: an invitation to add to one's calendar."""
    webinar = request.app[KNOWLEDGE].webinar(request.match_info["webinar_id"])
    if webinar is None:
        return error_response(404, "unknown webinar")
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


async def health(request: web.Request) -> web.Response:
    k = request.app[KNOWLEDGE]
    return web.json_response(
        {
            "status": "ok",
            "current_promotion": k.current.number,
            "languages": list(i18n.LANGUAGES),
            "today": request.app[TODAY]().isoformat(),
        },
        headers=settings.start_id_headers(),  # the supervisor checks it reached this process
    )


async def root(request: web.Request) -> web.StreamResponse:
    """``/`` → ``/fr/`` or ``/en/``, by Accept-Language; the query string is kept."""
    header = request.headers.get("Accept-Language")
    language = i18n.from_accept_language(header) or i18n.DEFAULT_LANGUAGE
    location = request.rel_url.with_path(f"/{language}/").with_query(request.rel_url.query)
    raise web.HTTPFound(location=str(location), headers={"Vary": "Accept-Language"})


async def language_root(request: web.Request) -> web.StreamResponse:
    """``/fr`` → ``/fr/``."""
    location = request.rel_url.with_path(request.path + "/").with_query(request.rel_url.query)
    raise web.HTTPMovedPermanently(location=str(location))


async def page(request: web.Request) -> web.Response:
    """The programme's demo page with the chat widget, in the language of the path."""
    config = request.app[PAGE]
    html = render_page(request.match_info["lang"], config, request.app[KNOWLEDGE])
    connect = socket_origins(request.host, request.secure, config)
    response = web.Response(
        text=html,
        content_type="text/html",
        headers={
            "Content-Security-Policy": content_security_policy(connect),
            "Cache-Control": "no-cache",
        },
    )
    if "gzip" in request.headers.get("Accept-Encoding", "").lower():
        response.enable_compression(web.ContentCoding.gzip)
    response.headers["Vary"] = "Accept-Encoding"
    return response
