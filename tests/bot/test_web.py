from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web import create_app
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
