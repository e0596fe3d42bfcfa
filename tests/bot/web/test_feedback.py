"""``POST /feedback``: the answer feedback buttons' endpoint, on a real SQLite database,
checked by reading the table's raw rows."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bot.applications import feedback
from bot.applications.storage import Storage
from bot.web.app import create_app

MID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def storage(tmp_path):
    store = Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    yield store
    store.close()


@pytest.fixture
async def client(known, storage):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23), feedback_store=lambda: storage)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def rows(storage: Storage) -> list[dict]:
    with storage.engine.connect() as connection:
        result = connection.execute(sa.text("SELECT * FROM answer_feedback ORDER BY id"))
        return [dict(row._mapping) for row in result]


async def test_a_yes_then_a_no_with_a_comment_leave_one_redacted_row(client, storage):
    body = {"message_id": MID, "response": "utter_faq/salary", "language": "fr", "helpful": True}
    reply = await client.post("/feedback", json=body)
    assert reply.status == 204
    [row] = rows(storage)
    assert (row["message_id"], row["response"], row["language"]) == (MID, "utter_faq/salary", "fr")
    assert row["helpful"] in (1, True) and row["comment"] is None

    comment = "Pas clair.\nÉcrivez-moi à jeanne.dupont@example.org ou au 06 12 34 56 78"
    reply = await client.post("/feedback", json={**body, "helpful": False, "comment": comment})
    assert reply.status == 204
    [row] = rows(storage)
    assert row["helpful"] in (0, False)
    assert row["comment"] == "Pas clair. Écrivez-moi à [redacted] ou au [number]"
    assert "jeanne" not in str(rows(storage)) and "56 78" not in str(rows(storage))
    assert feedback.counts(storage) == {"utter_faq/salary": {"helpful": 0, "not_helpful": 1}}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"message_id": "x" * 32}, "message_id"),
        ({"message_id": MID.upper() + "0"}, "message_id"),
        ({"response": "<script>"}, "response"),
        ({"language": "de"}, "language"),
        ({"helpful": "yes"}, "helpful"),
        ({"helpful": False, "comment": 42}, "comment"),
        ({"helpful": False, "comment": "a" * 5000}, "comment"),
    ],
)
async def test_bad_feedback_gets_a_400_naming_the_field(client, storage, change, error):
    body = {"message_id": MID, "response": "utter_greet", "language": "en", "helpful": True}
    reply = await client.post("/feedback", json={**body, **change})
    assert reply.status == 400
    assert error in (await reply.json())["error"]
    assert rows(storage) == []


async def test_only_json_is_accepted(client, storage):
    body = '{"message_id": "%s", "response": "utter_greet", "language": "en", "helpful": true}'
    # A form of another site can send text/plain without a CORS preflight: refused.
    reply = await client.post("/feedback", data=body % MID, headers={"Content-Type": "text/plain"})
    assert reply.status == 415 and "Access-Control-Allow-Origin" not in reply.headers
    reply = await client.post(
        "/feedback", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert reply.status == 400
    assert rows(storage) == []


async def test_a_database_that_fails_gets_a_503_not_a_traceback(known, tmp_path):
    broken = Storage(f"sqlite:///{tmp_path / 'a.db'}")
    with broken.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE answer_feedback"))
    app = create_app(known, feedback_store=lambda: broken)
    async with TestClient(TestServer(app)) as client:
        body = {"message_id": MID, "response": "utter_greet", "language": "en", "helpful": True}
        reply = await client.post("/feedback", json=body)
        assert reply.status == 503 and "try again" in (await reply.json())["error"]
    broken.close()


async def test_feedback_is_rate_limited_like_the_other_public_routes(known, storage):
    from bot.infra.ratelimit import Rate, RateLimiter
    from bot.web.middlewares import Guard

    guard = Guard(limiter=RateLimiter(Rate(1, 60.0), exempt=()))
    app = create_app(known, guard=guard, feedback_store=lambda: storage)
    body = {"message_id": MID, "response": "utter_greet", "language": "en", "helpful": True}
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/feedback", json=body)).status == 204
        reply = await client.post("/feedback", json=body)
        assert reply.status == 429 and "Retry-After" in reply.headers
