"""The back office on the real web service (``create_app``), a real SQLite applications
database and a real SQLite conversation store (Rasa's ``events`` table)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Optional

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bot.admin import accounts
from bot.admin.session import Sessions
from bot.applications.conversations import Conversations, events
from bot.applications.storage import Storage
from bot.web.app import create_app

PASSWORD = "correct horse battery staple"
SECRET = "s" * 40


@pytest.fixture
def storage(tmp_path):
    store = Storage(f"sqlite:///{tmp_path / 'applications.db'}")
    yield store
    store.close()


@pytest.fixture
def conversations(tmp_path):
    store = Conversations(f"sqlite:///{tmp_path / 'tracker.db'}")
    events.metadata.create_all(store.engine)
    yield store
    store.close()


@pytest.fixture
def editor(storage):
    return accounts.add(storage, "eddie", accounts.EDITOR, PASSWORD)


@pytest.fixture
def officer(storage):
    return accounts.add(storage, "olga", accounts.DATA_OFFICER, PASSWORD)


@pytest.fixture
def sessions():
    return Sessions(SECRET, idle_timeout_s=1800)


@pytest.fixture
async def client(known, storage, conversations, sessions):
    app = create_app(
        known,
        today=lambda: dt.date(2026, 11, 23),
        feedback_store=lambda: storage,
        admin_conversations=lambda: conversations,
        admin_sessions=sessions,
    )
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


async def sign_in(
    client: TestClient, username: str, password: str = PASSWORD, lang: str = "fr"
) -> Any:
    form = await client.get(f"/admin/{lang}/login")
    assert form.status == 200
    token = csrf_of(await form.text())
    return await client.post(
        f"/admin/{lang}/login",
        data={"csrf": token, "username": username, "password": password},
        allow_redirects=False,
    )


async def signed_in(client: TestClient, username: str) -> str:
    """Sign in and return the CSRF token of the session's pages."""
    reply = await sign_in(client, username)
    assert reply.status == 303, await reply.text()
    page = await client.get("/admin/fr/todo")
    assert page.status == 200
    return csrf_of(await page.text())


def add_events(
    store: Conversations, sender: str, items: list[dict[str, Any]], start: Optional[float] = None
) -> None:
    """Rasa's rows for ``items`` (events as Rasa stores them)."""
    moment = start or dt.datetime.now(dt.timezone.utc).timestamp() - 3600
    with store.engine.begin() as connection:
        for offset, event in enumerate(items):
            event = {"timestamp": moment + offset, **event}
            connection.execute(
                events.insert().values(
                    sender_id=sender,
                    type_name=event["event"],
                    timestamp=event["timestamp"],
                    intent_name=None,
                    action_name=event.get("name"),
                    data=json.dumps(event),
                )
            )


def raw(storage: Storage, table: str) -> list[dict[str, Any]]:
    with storage.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.text(f"SELECT * FROM {table}"))]
