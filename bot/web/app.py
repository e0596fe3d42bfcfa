"""The bot web service: Rasa's NLG endpoint, the health check, Prometheus metrics, and
the programme's demo page with the chat widget (``/fr/``, ``/en/``, static files under
``/static/``, webinar ``.ics`` files).

Listens on loopback by default. ``/nlg`` (Rasa's) and ``/metrics`` (Prometheus's) are
internal: refused when they come through the public reverse proxy, and guarded by a
token when one is set. Public routes are rate-limited per address and size-capped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.domain import clock, knowledge
from bot.domain.knowledge import Knowledge
from bot.infra import logs, settings
from bot.infra.client_ip import LOOPBACK, Network, client_address, forwarded, networks, within
from bot.infra.client_ip import trusted_proxies as trusted_proxies_from_env
from bot.infra.ratelimit import RateLimiter, exempt_from_env, rate_from_env, retry_after
from bot.infra.tokens import token_matches
from bot.web.metrics import Metrics, response_is_known
from bot.web.page import (
    STATIC,
    STRICT_CSP,
    PageConfig,
    assets_missing,
    content_security_policy,
    socket_origins,
)
from bot.web.page import render as render_page
from bot.web.page import translations as widget_translations
from bot.wording import i18n, ics, nlg

log = logging.getLogger(__name__)

KNOWLEDGE: web.AppKey[Knowledge] = web.AppKey("knowledge", Knowledge)
TODAY: web.AppKey[Callable[[], dt.date]] = web.AppKey("today")
PAGE: web.AppKey[PageConfig] = web.AppKey("page", PageConfig)
MAX_BODY_BYTES = 1024 * 1024  # /nlg: Rasa sends the tracker (a whole one, without our speedups)
DEFAULT_PUBLIC_RATE = "600/minute"  # a page load is ~15 requests; many people share an address
DEFAULT_MAX_PUBLIC_BYTES = 64 * 1024
INTERNAL_ROUTES = frozenset({"/nlg", "/metrics", "/healthz"})
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass
class Guard:
    """Who may call what: tokens of the internal routes, limits of the public ones."""

    nlg_token: str = ""
    metrics_token: str = ""
    trusted_proxies: tuple[Network, ...] = networks(LOOPBACK)
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))
    max_public_bytes: int = DEFAULT_MAX_PUBLIC_BYTES

    @classmethod
    def from_env(cls) -> Guard:
        return cls(
            nlg_token=os.environ.get("EIG_NLG_TOKEN", ""),
            metrics_token=os.environ.get("EIG_METRICS_TOKEN", ""),
            trusted_proxies=trusted_proxies_from_env(),
            limiter=RateLimiter(
                rate_from_env("EIG_RATE_LIMIT_WEB", DEFAULT_PUBLIC_RATE), exempt_from_env()
            ),
            max_public_bytes=settings.positive_int(
                "EIG_MAX_MESSAGE_BYTES", DEFAULT_MAX_PUBLIC_BYTES
            ),
        )

    def client(self, request: web.Request) -> str:
        return client_address(
            request.remote, request.headers.get("X-Forwarded-For"), self.trusted_proxies
        )

    def proxied(self, request: web.Request) -> bool:
        return forwarded(
            request.remote, request.headers.get("X-Forwarded-For"), self.trusted_proxies
        )


GUARD: web.AppKey[Guard] = web.AppKey("guard", Guard)
METRICS: web.AppKey[Metrics] = web.AppKey("metrics", Metrics)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, message: str, headers: Optional[dict[str, str]] = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


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
    try:
        request.app[METRICS].observe(name, body.get("tracker"), language)
    except Exception as error:  # counting must never cost a reply
        log.error("metrics.observe_failed", extra={"error": type(error).__name__})
    log.debug("nlg.rendered", extra={"response": name[:100], "language": language})
    return web.json_response(message)


async def handle_metrics(request: web.Request) -> web.Response:
    """Prometheus text format; see the README's "Metrics" for what each one means."""
    metrics = request.app[METRICS]
    metrics.sweep()
    body = generate_latest(metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


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


def _route(request: web.Request) -> str:
    """The route's pattern (``/{lang}/``), never the raw path: bounded, no user data."""
    info = request.match_info
    resource = info.route.resource if info.route is not None else None
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A request id for every request (the caller's ``X-Request-ID`` if sane), in each
    log line and in the response; one log line and one latency sample per request."""
    rid = logs.accepted_request_id(request.headers.get("X-Request-ID"))
    token = logs.request_id.set(rid)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-ID"] = rid
        return response
    except web.HTTPException as error:
        status = error.status
        error.headers["X-Request-ID"] = rid
        raise
    finally:
        elapsed = time.perf_counter() - started
        route = _route(request)
        request.app[METRICS].request_duration.labels(request.method, route, str(status)).observe(
            elapsed
        )
        level = logging.DEBUG if route in INTERNAL_ROUTES else logging.INFO
        log.log(
            level,
            "web.request",
            extra={
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        logs.request_id.reset(token)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Hardening headers on every answer, errors included; pages set their own CSP."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _add_security_headers(error.headers, request)
        raise
    _add_security_headers(response.headers, request)
    return response


def _add_security_headers(headers: Any, request: web.Request) -> None:
    headers.setdefault("Content-Security-Policy", STRICT_CSP)
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if request.secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure is a short JSON error, never an HTML traceback."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400:
            return _error(error.status, error.reason)
        raise
    except Exception as error:
        log.error("web.unhandled_error", extra={"error": type(error).__name__})
        return _error(500, "internal error")


@web.middleware
async def access_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Internal routes: not through the public proxy, and with their token when set.
    Public routes: a size cap and a per-address rate limit (429 with ``Retry-After``)."""
    guard = request.app[GUARD]
    route = _route(request)
    if route in ("/nlg", "/metrics"):
        if guard.proxied(request):
            return _error(403, "not available on the public side")
        if route == "/nlg" and not token_matches(guard.nlg_token, request.query.get("token")):
            return _error(401, "a valid token is required")
        if route == "/metrics" and not _metrics_allowed(request, guard):
            return _error(403, "metrics are for the monitoring system")
        return await handler(request)
    if route in INTERNAL_ROUTES:
        return await handler(request)
    if (request.content_length or 0) > guard.max_public_bytes:
        return _error(413, f"request body larger than {guard.max_public_bytes} bytes")
    wait = guard.limiter.check(guard.client(request))
    if wait:
        request.app[METRICS].rate_limited.labels(route).inc()
        seconds = retry_after(wait)
        return _error(429, "too many requests", headers={"Retry-After": str(seconds)})
    return await handler(request)


def _metrics_allowed(request: web.Request, guard: Guard) -> bool:
    header = request.headers.get("Authorization", "")
    if guard.metrics_token and header.startswith("Bearer "):
        return token_matches(guard.metrics_token, header[len("Bearer ") :])
    return within(guard.client(request), networks(LOOPBACK))


def create_app(
    known: Optional[Knowledge] = None,
    today: Callable[[], dt.date] = clock.today,
    rasa_port: int = 5005,
    socket_same_origin: bool = False,
    guard: Optional[Guard] = None,
    metrics: Optional[Metrics] = None,
) -> web.Application:
    """Build the service; the knowledge base and catalogs load (and fail) at start-up.

    ``rasa_port`` is where the page's widget finds Rasa's socket.io, on the page's host;
    with ``socket_same_origin`` it uses the page's own origin instead (behind nginx).
    ``guard`` (tokens, limits) comes from the environment unless given.
    """
    app = web.Application(
        middlewares=[request_context, security_headers, json_errors, access_rules],
        client_max_size=MAX_BODY_BYTES,
    )
    app[TODAY] = today
    app[PAGE] = PageConfig(socket_port=rasa_port, same_origin=socket_same_origin)
    app[GUARD] = guard or Guard.from_env()
    app[METRICS] = metrics or Metrics(known_response=response_is_known)

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
    app.router.add_get("/metrics", handle_metrics)
    app.router.add_get("/", handle_root)
    app.router.add_get("/{lang:fr|en}", handle_language_root)
    app.router.add_get("/{lang:fr|en}/", handle_page)
    app.router.add_static("/static/", STATIC)
    app.router.add_get(r"/webinars/{webinar_id:[A-Za-z0-9_-]{1,100}}.ics", handle_webinar_ics)
    return app
