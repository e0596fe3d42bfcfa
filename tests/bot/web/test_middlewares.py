"""What every request goes through: security headers, request ids, limits, internal routes."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.infra.client_ip import networks
from bot.infra.ratelimit import Rate, RateLimiter
from bot.web.app import create_app
from bot.web.middlewares import Guard

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def guarded_client(known, **guard_args):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23), guard=Guard(**guard_args))
    return TestClient(TestServer(app))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/fr/"),
        ("GET", "/healthz"),
        ("GET", "/nope"),
        ("GET", "/"),
        ("GET", "/static/eig-chat.css"),
        ("POST", "/nlg"),
        ("GET", "/metrics"),
    ],
)
async def test_every_response_has_the_security_headers(client, method, path):
    reply = await client.request(method, path, allow_redirects=False, data=b"{oops")
    for name, value in EXPECTED_HEADERS.items():
        assert reply.headers.get(name) == value, (path, name)
    assert "camera=()" in reply.headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in reply.headers["Content-Security-Policy"]


async def test_the_page_keeps_its_own_strict_csp(client):
    csp = (await client.get("/en/")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp


async def test_a_request_id_is_honoured_or_generated(client):
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "<script>" * 20})
    assert len(made.headers["X-Request-ID"]) == 32 and "<" not in made.headers["X-Request-ID"]
    missing = await client.get("/nope")
    assert len(missing.headers["X-Request-ID"]) == 32


async def test_public_routes_are_rate_limited_per_address_with_retry_after(known):
    from bot.infra.ratelimit import Rate, RateLimiter

    async with guarded_client(known, limiter=RateLimiter(Rate(2, 60))) as test_client:
        assert (await test_client.get("/fr/")).status == 200
        assert (await test_client.get("/static/eig-chat.css")).status == 200
        limited = await test_client.get("/en/")
        assert limited.status == 429
        assert limited.headers["Retry-After"] in ("60", "61")  # the minute of the first
        assert (await limited.json())["error"] == "too many requests"
        # Rasa's /nlg and the health check are never limited.
        assert (await test_client.get("/healthz")).status == 200
        body = {"response": "utter_greet", "tracker": {}}
        assert (await test_client.post("/nlg", json=body)).status == 200
        metrics = await (await test_client.get("/metrics")).text()
        assert 'eig_rate_limited_total{route="/{lang}/"} 1.0' in metrics


async def test_loopback_is_exempt_by_default(known):
    from bot.infra.client_ip import networks
    from bot.infra.ratelimit import Rate, RateLimiter

    limiter = RateLimiter(Rate(1, 60), exempt=networks("127.0.0.0/8 ::1"))
    async with guarded_client(known, limiter=limiter) as test_client:
        assert all([(await test_client.get("/fr/")).status == 200 for _ in range(5)])
        # Behind the local reverse proxy, the real client is limited.
        proxied = {"X-Forwarded-For": "203.0.113.5"}
        assert (await test_client.get("/fr/", headers=proxied)).status == 200
        assert (await test_client.get("/fr/", headers=proxied)).status == 429


async def test_large_bodies_on_public_routes_are_a_413(known):
    async with guarded_client(known, max_public_bytes=100) as test_client:
        reply = await test_client.get("/fr/", data=b"x" * 101)
        assert reply.status == 413
        assert "larger than 100 bytes" in (await reply.json())["error"]


async def test_nlg_wants_its_token_when_one_is_set(known):
    body = {"response": "utter_greet", "tracker": {}}
    async with guarded_client(known, nlg_token="s3cret") as test_client:
        refused = await test_client.post("/nlg", json=body)
        assert refused.status == 401 and "token" in (await refused.json())["error"]
        wrong = await test_client.post("/nlg?token=nope", json=body)
        assert wrong.status == 401
        assert (await test_client.post("/nlg?token=s3cret", json=body)).status == 200


async def test_internal_routes_are_refused_through_the_public_proxy(known):
    proxied = {"X-Forwarded-For": "203.0.113.5"}
    async with guarded_client(known, trusted_proxies=networks("127.0.0.1")) as client:
        nlg = await client.post("/nlg", json={"response": "utter_greet"}, headers=proxied)
        assert nlg.status == 403
        metrics = await client.get("/metrics", headers=proxied)
        assert metrics.status == 403


async def test_a_forwarded_loopback_address_is_neither_exempt_nor_local(known):
    """Through the configured proxy, "127.0.0.1" in X-Forwarded-For is a client like any
    other: rate-limited, and not allowed to read /metrics without the token."""
    guard = Guard(
        trusted_proxies=networks("127.0.0.1"),
        limiter=RateLimiter(Rate(1, 60), networks("127.0.0.0/8 ::1")),
    )
    app = create_app(known, today=lambda: dt.date(2026, 11, 23), guard=guard)
    spoof = {"X-Forwarded-For": "127.0.0.1"}
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/healthz", headers=spoof)).status == 200
        assert (await client.get("/fr/", headers=spoof)).status == 200
        assert (await client.get("/fr/", headers=spoof)).status == 429
        assert (await client.get("/fr/")).status == 200  # the real peer, loopback: exempt
        assert (await client.get("/fr/")).status == 200
        assert (await client.get("/metrics", headers=spoof)).status == 403


async def test_metrics_from_elsewhere_need_the_bearer_token(known):
    proxied = {"X-Forwarded-For": "203.0.113.5"}
    async with guarded_client(known, metrics_token="m3trics") as test_client:
        assert (await test_client.get("/metrics")).status == 200  # loopback
        bearer = {"Authorization": "Bearer m3trics"}
        assert (await test_client.get("/metrics", headers=bearer)).status == 200
        wrong = {"Authorization": "Bearer nope"}
        assert (await test_client.get("/metrics", headers=wrong)).status == 403
        assert (await test_client.get("/metrics", headers=proxied)).status == 403


@pytest.mark.parametrize("path", ["/healthz", "/fr/", "/static/eig-chat.js"])
async def test_the_web_service_grants_no_cross_origin_access(client, path):
    reply = await client.get(path, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in reply.headers
    preflight = await client.options(
        "/nlg", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_hsts_when_the_trusted_proxy_in_front_speaks_tls_only(known):
    async with guarded_client(known, trusted_proxies=networks("127.0.0.1")) as client:
        behind_tls = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}
        reply = await client.get("/healthz", headers=behind_tls)
        assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"
        plain = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "http"}
        assert (
            "Strict-Transport-Security" not in (await client.get("/healthz", headers=plain)).headers
        )
    # The header from a peer that is no configured proxy means nothing.
    async with guarded_client(known, trusted_proxies=()) as client:
        reply = await client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" not in reply.headers
