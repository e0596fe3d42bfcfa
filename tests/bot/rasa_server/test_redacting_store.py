"""The conversation store keeps a form's personal answers only while the form runs: the raw
``events`` table, on SQLite and on a real PostgreSQL (tests/conftest.py), is read after
each turn."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.domain import personal
from bot.rasa_server import tracker_store

DOMAIN = Domain.from_dict(
    {
        "slots": {
            name: {"type": "any", "mappings": [{"type": "custom"}]}
            for name in ("project_interest", "first_name", "email", "consent", "target_profile")
        },
        "forms": {"pre_application_form": {"required_slots": ["project_interest"]}},
    }
)
SECRETS = ("Quetzalcoatl", "Zorglub", "zorglub", "example.org")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


def open_store(url: str) -> TrackerStore:
    """As the endpoints files configure it: SQLite by dialect and file, PostgreSQL by URL."""
    if url.startswith("sqlite"):
        endpoint = EndpointConfig(
            type="bot.rasa_server.tracker_store.RedactingTrackerStore",
            dialect="sqlite",
            db=url.removeprefix("sqlite:///"),
        )
    else:
        endpoint = EndpointConfig(
            url=url, type="bot.rasa_server.tracker_store.PostgresTrackerStore"
        )
    store = TrackerStore.create(endpoint, DOMAIN)
    assert isinstance(store, tracker_store.RedactingTrackerStore)
    return store


def raw(url: str, sender: str) -> list[str]:
    """The ``data`` column of the conversation's rows, as stored."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id")
            return [data for (data,) in connection.execute(query, {"s": sender})]
    finally:
        engine.dispose()


def leaked(url: str, sender: str) -> list[str]:
    rows = "\n".join(raw(url, sender))
    return [secret for secret in SECRETS if secret in rows]


def asked(slot: str) -> list[Event]:
    return [SlotSet("requested_slot", slot), BotUttered(f"utter_ask_{slot}"), listen()]


def listen() -> ActionExecuted:
    return ActionExecuted("action_listen")


def says(text: str) -> UserUttered:
    return UserUttered(text, {"name": "inform", "confidence": 0.9})


async def play(store: TrackerStore, sender: str, events: list[Event]) -> DialogueStateTracker:
    """One turn: the conversation as stored, the turn's events, saved."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


START = [ActionExecuted("action_session_start"), SessionStarted(), listen()]
FORM = [says("je veux candidater"), ActiveLoop("pre_application_form"), *asked("project_interest")]


async def test_answers_stay_while_the_form_runs_and_are_redacted_when_it_ends(url):
    store = open_store(url)
    await play(store, "c1", [*START, *FORM])
    await play(
        store,
        "c1",
        [says("les données de Quetzalcoatl"), SlotSet("project_interest", "les données de "
         "Quetzalcoatl"), SlotSet("consent", True), *asked("first_name")],
    )  # fmt: skip
    await play(store, "c1", [says("Zorglub"), SlotSet("first_name", "Zorglub"), *asked("email")])
    assert leaked(url, "c1") == ["Quetzalcoatl", "Zorglub"]  # the form still needs them
    summary = BotUttered(
        "Zorglub, zorglub@example.org, les données de Quetzalcoatl",
        metadata={"first_name": "Zorglub", "email": "zorglub@example.org"},
    )
    count = len(raw(url, "c1"))
    await play(
        store,
        "c1",
        [says("Zorglub@Example.org"), SlotSet("email", "zorglub@example.org"), summary,
         SlotSet("requested_slot", None), ActiveLoop(None), BotUttered("Merci Zorglub !"),
         listen()],
    )  # fmt: skip
    rows = raw(url, "c1")
    assert len(rows) == count + 7  # rewritten in place, nothing deleted or added twice
    assert leaked(url, "c1") == []
    assert personal.PLACEHOLDER in "\n".join(rows)
    # Replayed, the conversation holds no personal slot, and the dialogue goes on.
    tracker = await store.retrieve("c1")
    assert tracker is not None
    assert tracker.get_slot("first_name") is None and tracker.get_slot("email") is None
    assert tracker.get_slot("consent") is True
    await play(store, "c1", [says("c koi le salaire"), BotUttered("4 250 €"), listen()])
    assert len(raw(url, "c1")) == count + 10
    assert json.loads(raw(url, "c1")[-3])["text"] == "c koi le salaire"
    store.engine.dispose()


async def test_an_abandoned_form_is_redacted_when_a_new_session_starts(url):
    store = open_store(url)
    await play(store, "c2", [*START, *FORM])
    await play(
        store,
        "c2",
        [says("Quetzalcoatl"), SlotSet("project_interest", "Quetzalcoatl"), *asked("email")],
    )
    assert leaked(url, "c2") == ["Quetzalcoatl"]
    # The person comes back after the session expired: the new session carries nothing.
    await play(store, "c2", [ActionExecuted("action_session_start"), SessionStarted(), listen()])
    assert leaked(url, "c2") == []
    store.engine.dispose()


async def test_an_email_typed_outside_any_form_is_not_kept(url):
    store = open_store(url)
    await play(
        store, "c3", [*START, says("bonjour, je suis zorglub@example.org"), BotUttered("Bonjour")]
    )
    assert leaked(url, "c3") == []
    rows = [json.loads(r) for r in raw(url, "c3")]
    assert [r["text"] for r in rows if r["event"] == "user"] == ["bonjour, je suis [redacted]"]
    store.engine.dispose()


async def test_a_conversation_without_personal_data_is_not_rewritten(url):
    store = open_store(url)
    await play(store, "c4", [*START, says("c koi le salaire"), BotUttered("4 250 €"), listen()])
    assert personal.PLACEHOLDER not in "\n".join(raw(url, "c4"))
    assert store.redact_conversation("c4") == 0
    store.engine.dispose()
