"""What every request goes through, outermost first: a request id, a log line and a
latency sample (``request_context``); the hardening headers (``security_headers``); the
static files' cache lifetimes (``static_caching``); JSON errors (``json_errors``); and who
may call what (``access_rules``, by the app's ``Guard``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.infra import logs, settings
from bot.infra.client_ip import (
    LOOPBACK,
    Network,
    client_address,
    direct,
    forwarded,
    networks,
    within,
)
from bot.infra.ratelimit import RateLimiter, retry_after
from bot.infra.tokens import token_matches
from bot.web import routes
from bot.web.page import STRICT_CSP
from bot.web.views import METRICS, error_response

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
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
    proxy_hops: int = 1
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))
    max_public_bytes: int = settings.MAX_MESSAGE_BYTES.default

    @classmethod
    def from_settings(cls) -> Guard:
        return cls(
            nlg_token=settings.NLG_TOKEN.get(),
            metrics_token=settings.METRICS_TOKEN.get(),
            trusted_proxies=settings.TRUSTED_PROXIES.get(),
            proxy_hops=settings.PROXY_HOPS.get(),
            limiter=RateLimiter(settings.RATE_LIMIT_WEB.get(), settings.RATE_LIMIT_EXEMPT.get()),
            max_public_bytes=settings.MAX_MESSAGE_BYTES.get(),
        )

    def client(self, request: web.Request) -> str:
        return client_address(
            request.remote,
            request.headers.get("X-Forwarded-For"),
            self.trusted_proxies,
            self.proxy_hops,
        )

    def direct(self, request: web.Request) -> bool:
        """The client is the peer itself (only then may it be exempt from the limit)."""
        return direct(request.remote, request.headers.get("X-Forwarded-For"), self.trusted_proxies)

    def proxied(self, request: web.Request) -> bool:
        return forwarded(
            request.remote, request.headers.get("X-Forwarded-For"), self.trusted_proxies
        )


GUARD: web.AppKey[Guard] = web.AppKey("guard", Guard)


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
        route = routes.route_of(request)
        request.app[METRICS].request_duration.labels(request.method, route, str(status)).observe(
            elapsed
        )
        level = logging.DEBUG if route in routes.INTERNAL else logging.INFO
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
    if served_over_tls(request):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def served_over_tls(request: web.Request) -> bool:
    """HTTPS to us, or to the trusted proxy in front (its ``X-Forwarded-Proto: https``);
    the header from anyone else means nothing."""
    if request.secure:
        return True
    proto = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
    return proto == "https" and request.app[GUARD].proxied(request)


IMMUTABLE = "public, max-age=31536000, immutable"


@web.middleware
async def static_caching(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A built file's address changes with its content (``make assets``): cached for a
    year, immutable. Other static files are revalidated (``no-cache``, with their ETag and
    Last-Modified). Either may come gzip-precompressed: ``Vary: Accept-Encoding``."""
    response = await handler(request)
    if request.path.startswith("/static/"):
        built = request.path.startswith("/static/build/") and response.status in (200, 304)
        response.headers["Cache-Control"] = IMMUTABLE if built else "no-cache"
        response.headers["Vary"] = "Accept-Encoding"
    return response


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure is a short JSON error, never an HTML traceback."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400:
            return error_response(error.status, error.reason)
        raise
    except Exception as error:
        log.error("web.unhandled_error", extra={"error": type(error).__name__})
        return error_response(500, "internal error")


@web.middleware
async def access_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Internal routes: not through the public proxy, and with their token when set.
    Public routes: a size cap and a per-address rate limit (429 with ``Retry-After``)."""
    guard = request.app[GUARD]
    route = routes.route_of(request)
    if route in (routes.NLG, routes.METRICS):
        if guard.proxied(request):
            return error_response(403, "not available on the public side")
        if route == routes.NLG and not token_matches(guard.nlg_token, request.query.get("token")):
            return error_response(401, "a valid token is required")
        if route == routes.METRICS and not _metrics_allowed(request, guard):
            return error_response(403, "metrics are for the monitoring system")
        return await handler(request)
    if route in routes.INTERNAL:
        return await handler(request)
    if (request.content_length or 0) > guard.max_public_bytes:
        return error_response(413, f"request body larger than {guard.max_public_bytes} bytes")
    wait = guard.limiter.check(guard.client(request), exemptible=guard.direct(request))
    if wait:
        request.app[METRICS].rate_limited.labels(route).inc()
        seconds = retry_after(wait)
        return error_response(429, "too many requests", headers={"Retry-After": str(seconds)})
    return await handler(request)


def _metrics_allowed(request: web.Request, guard: Guard) -> bool:
    header = request.headers.get("Authorization", "")
    if guard.metrics_token and header.startswith("Bearer "):
        return token_matches(guard.metrics_token, header[len("Bearer ") :])
    return guard.direct(request) and within(guard.client(request), networks(LOOPBACK))


# Outermost first: the request id and log line see every answer, errors included.
MIDDLEWARES = (request_context, security_headers, static_caching, json_errors, access_rules)
