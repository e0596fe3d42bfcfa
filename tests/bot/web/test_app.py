"""The app factory: what it stores on the app, what it loads at start-up, and the guard it
builds from the settings when none is given."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.infra import settings
from bot.infra.ratelimit import Rate
from bot.web.app import create_app
from bot.web.middlewares import GUARD
from bot.web.views import KNOWLEDGE, METRICS, PAGE, TODAY


async def test_the_knowledge_base_loads_at_start_up_and_state_is_under_typed_keys():
    app = create_app(today=lambda: dt.date(2027, 1, 2), rasa_port=15998)
    assert KNOWLEDGE not in app  # loaded by the cleanup context, when the app starts
    async with TestClient(TestServer(app)) as client:
        assert app[KNOWLEDGE].current.number == 7
        assert app[PAGE].socket_port == 15998 and not app[PAGE].same_origin
        assert app[TODAY]() == dt.date(2027, 1, 2)
        assert (await (await client.get("/healthz")).json())["today"] == "2027-01-02"
        await client.post("/nlg", json={"response": "utter_greet", "tracker": {}})
        labels = {"response": "utter_greet", "language": "fr"}
        assert app[METRICS].registry.get_sample_value("eig_responses_total", labels) == 1.0


async def test_without_a_guard_the_settings_make_one(known, monkeypatch):
    monkeypatch.setenv("EIG_NLG_TOKEN", "t0ken")
    monkeypatch.setenv("EIG_METRICS_TOKEN", "m3trics")
    monkeypatch.setenv("EIG_RATE_LIMIT_WEB", "1/minute")
    monkeypatch.setenv("EIG_RATE_LIMIT_EXEMPT", "none")
    monkeypatch.setenv("EIG_MAX_MESSAGE_BYTES", "50")
    monkeypatch.setenv("EIG_TRUSTED_PROXIES", "127.0.0.1")
    app = create_app(known)
    guard = app[GUARD]
    assert (guard.nlg_token, guard.metrics_token) == ("t0ken", "m3trics")
    assert guard.limiter.rate == Rate(1, 60.0) and guard.limiter.exempt == ()
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/nlg", json={"response": "utter_greet"})).status == 401
        assert (await client.post("/nlg?token=t0ken", json={"response": "utter_greet"})).ok
        assert (await client.get("/fr/", data=b"x" * 51)).status == 413
        assert (await client.get("/fr/")).status == 200
        assert (await client.get("/en/")).status == 429


async def test_the_defaults_when_nothing_is_set(known, monkeypatch):
    for setting in (settings.NLG_TOKEN, settings.METRICS_TOKEN, settings.RATE_LIMIT_WEB,
                    settings.RATE_LIMIT_EXEMPT, settings.MAX_MESSAGE_BYTES):  # fmt: skip
        monkeypatch.delenv(setting.name, raising=False)
    guard = create_app(known)[GUARD]
    assert guard.nlg_token == guard.metrics_token == "" and guard.max_public_bytes == 65536
    assert guard.limiter.rate == Rate(600, 60.0)
    assert [str(net) for net in guard.limiter.exempt] == ["127.0.0.0/8", "::1/128"]


def test_a_wrong_setting_stops_the_factory_naming_it(known, monkeypatch):
    monkeypatch.setenv("EIG_RATE_LIMIT_WEB", "lots")
    with pytest.raises(SystemExit, match="EIG_RATE_LIMIT_WEB: 'lots' is not a rate"):
        create_app(known)
