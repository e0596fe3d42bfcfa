from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app
from tests.conftest import load_tracker


@pytest.fixture
async def client(known):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_nlg_renders_in_the_trackers_language(client):
    body = {
        "response": "utter_faq/salary",
        "arguments": {},
        "tracker": load_tracker("english_conversation"),
        "channel": {"name": "rest"},
    }
    reply = await client.post("/nlg", json=body)
    assert reply.status == 200
    data = await reply.json()
    assert "€4,250 net a month" in data["text"]
    assert data["buttons"] == []


async def test_nlg_retrieval_response_and_buttons(client):
    body = {
        "response": "utter_greet",
        "arguments": {},
        "tracker": load_tracker("new_session_english_page"),
    }
    data = await (await client.post("/nlg", json=body)).json()
    assert data["text"].startswith("Hello!")
    assert [b["title"] for b in data["buttons"]][:2] == ["Profiles sought", "Pay"]


@pytest.mark.parametrize(
    "payload", [b"{not json", b"[1, 2]", b'"text"', b"", '{"response": "\u00e9"'.encode()]
)
async def test_broken_requests_get_a_json_4xx(client, payload):
    reply = await client.post("/nlg", data=payload, headers={"Content-Type": "application/json"})
    assert 400 <= reply.status < 500
    assert "error" in await reply.json()


@pytest.mark.parametrize("response", [None, 42, "", ["utter_greet"]])
async def test_missing_or_wrong_response_name_is_a_400(client, response):
    reply = await client.post("/nlg", json={"response": response, "tracker": {}})
    assert reply.status == 400
    assert "response" in (await reply.json())["error"]


async def test_unknown_response_name_gets_a_short_apology(client):
    body = {"response": "utter_nope", "tracker": load_tracker("english_conversation")}
    reply = await client.post("/nlg", json=body)
    assert reply.status == 200
    assert (await reply.json())["text"].startswith("Sorry")


async def test_wrong_types_in_arguments_and_tracker_are_ignored(client):
    body = {"response": "utter_default", "arguments": [1], "tracker": "nonsense"}
    data = await (await client.post("/nlg", json=body)).json()
    assert data["text"].startswith("Désolé")


async def test_health_and_unknown_routes(client):
    health = await client.get("/healthz")
    assert (await health.json())["current_promotion"] == 7
    missing = await client.get("/nope")
    assert missing.status == 404
    assert "error" in await missing.json()


# ---- security headers, request ids, limits and the internal routes ----------------------

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def guarded_client(known, **guard_args):
    from bot.web.app import Guard

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
        assert limited.headers["Retry-After"] == "30"
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


async def test_internal_routes_are_refused_through_the_public_proxy(client):
    proxied = {"X-Forwarded-For": "203.0.113.5"}
    nlg = await client.post("/nlg", json={"response": "utter_greet"}, headers=proxied)
    assert nlg.status == 403
    metrics = await client.get("/metrics", headers=proxied)
    assert metrics.status == 403


async def test_metrics_from_elsewhere_need_the_bearer_token(known):
    proxied = {"X-Forwarded-For": "203.0.113.5"}
    async with guarded_client(known, metrics_token="m3trics") as test_client:
        assert (await test_client.get("/metrics")).status == 200  # loopback
        bearer = {"Authorization": "Bearer m3trics"}
        assert (await test_client.get("/metrics", headers=bearer)).status == 200
        wrong = {"Authorization": "Bearer nope"}
        assert (await test_client.get("/metrics", headers=wrong)).status == 403
        assert (await test_client.get("/metrics", headers=proxied)).status == 403


# ---- properties: /nlg never fails whatever Rasa (or anyone on loopback) sends ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=15,
)
response_names = st.one_of(
    st.sampled_from(["utter_greet", "utter_faq/salary", "utter_did_you_mean", "utter_default",
                     "utter_host_check_result", "utter_invalid_structure_type", "utter_faq/"]),
    st.text(max_size=60),
)  # fmt: skip
nlg_bodies = st.fixed_dictionaries(
    {"response": response_names},
    optional={
        "arguments": st.one_of(json_values, st.dictionaries(
            st.sampled_from(["candidates", "max_chars", "eligible", "structure", "webinar"]),
            json_values)),
        "tracker": st.one_of(json_values, st.fixed_dictionaries({}, optional={
            "slots": st.dictionaries(st.sampled_from(["language", "session_started_metadata"]),
                                     json_values),
            "latest_message": json_values, "events": st.lists(json_values, max_size=5),
            "sender_id": st.text(max_size=10)})),
        "channel": json_values,
    },
)  # fmt: skip
NLG_SETTINGS = settings(
    max_examples=80, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@NLG_SETTINGS
@given(body=nlg_bodies)
async def test_any_nlg_request_gets_a_message_or_a_json_4xx(client, body):
    reply = await client.post("/nlg", json=body)
    data = await reply.json()
    if reply.status == 200:
        assert isinstance(data["text"], str) and data["text"]
        assert isinstance(data["buttons"], list)
    else:
        assert reply.status == 400 and data["error"]


@NLG_SETTINGS
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
async def test_random_bytes_to_nlg_get_a_json_answer(client, raw):
    reply = await client.post("/nlg", data=raw, headers={"Content-Type": "application/json"})
    assert reply.status < 500
    assert "error" in await reply.json() or reply.status == 200


@pytest.mark.parametrize("path", ["/healthz", "/fr/", "/static/eig-chat.js"])
async def test_the_web_service_grants_no_cross_origin_access(client, path):
    reply = await client.get(path, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in reply.headers
    preflight = await client.options(
        "/nlg", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
