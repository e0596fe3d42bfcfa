"""The conversation store's failures reach the channel instead of forking the conversation;
the PostgreSQL store on a real server (tests/conftest.py) survives a restart."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import patches, tracker_store


class BrokenStore(tracker_store.SQLTrackerStore):
    def __init__(self) -> None:  # no database at all
        self.domain = Domain.empty()
        self.event_broker = None

    async def retrieve(self, sender_id):
        raise OSError("connection refused")

    async def retrieve_full_tracker(self, conversation_id):
        raise OSError("connection refused")

    async def save(self, tracker):
        raise OSError("connection refused")


@pytest.fixture
def store():
    patches.install()
    return Agent._create_tracker_store(BrokenStore(), Domain.empty())


async def test_a_failed_read_raises_instead_of_starting_a_new_conversation(store):
    with pytest.raises(tracker_store.TrackerStoreUnavailable):
        await store.retrieve("someone")
    with pytest.raises(tracker_store.TrackerStoreUnavailable):
        await store.get_or_create_tracker("someone")


async def test_a_failed_write_raises_instead_of_keeping_events_in_memory(store):
    with pytest.raises(tracker_store.TrackerStoreUnavailable):
        await store.save(DialogueStateTracker("someone", []))
    assert store._fallback_tracker_store is None


def test_the_postgres_store_checks_connections_before_use(tmp_path):
    store = tracker_store.PostgresTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db")
    )
    assert store.engine.pool._pre_ping is True
    with store.session_scope() as session:
        assert session.bind is store.engine


# ---- On a real PostgreSQL server (tests/conftest.py), as the cluster profile uses it


def conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("c koi le salaire", {"name": "faq", "confidence": 0.97}),
            BotUttered("4 250 € nets par mois", {"response": "utter_faq"}),
            ActionExecuted("action_listen"),
        ],
    )


def from_endpoints(url: str) -> TrackerStore:
    """As endpoints.cluster.yml configures it: ``type`` and ``url``."""
    endpoint = EndpointConfig(url=url, type="bot.rasa_server.tracker_store.PostgresTrackerStore")
    return TrackerStore.create(endpoint, Domain.empty())


def terminate_connections(url: str) -> int:
    """What a PostgreSQL restart does to every pooled connection: the server closes it."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            query = (
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return int(connection.execute(sa.text(query)).scalar_one())
    finally:
        engine.dispose()


async def test_on_postgresql_every_instance_reads_the_conversation_written_by_another(
    postgres_url,
):
    first, second = from_endpoints(postgres_url), from_endpoints(postgres_url)
    assert isinstance(first, tracker_store.PostgresTrackerStore)
    assert first.engine.url.get_backend_name() == "postgresql"
    await first.save(conversation("candidate-1"))
    read = await second.retrieve("candidate-1")
    assert read is not None
    # Rasa reads a conversation from its last session start.
    events = [e.as_dict()["event"] for e in read.events]
    assert events == ["session_started", "action", "user", "bot", "action"]
    assert read.latest_message.text == "c koi le salaire"
    assert await second.retrieve("someone-else") is None
    engine = sa.create_engine(postgres_url, future=True)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text(
                "SELECT type_name, intent_name FROM events WHERE sender_id = 'candidate-1' ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == [
        ("action", None), ("session_started", None), ("action", None), ("user", "faq"),
        ("bot", None), ("action", None),
    ]  # fmt: skip
    first.engine.dispose()
    second.engine.dispose()


async def test_on_postgresql_the_first_turn_after_a_restart_works(postgres_url):
    """The pooled connection is dead after a server restart: checked and replaced."""
    store = from_endpoints(postgres_url)
    await store.save(conversation("candidate-2"))
    assert terminate_connections(postgres_url) >= 1
    read = await store.retrieve("candidate-2")
    assert read is not None and read.latest_message.text == "c koi le salaire"
    store.engine.dispose()

    # Rasa's own SQL store, without the check, fails that first turn: what this class fixes.
    stock = SQLTrackerStore(Domain.empty(), host=postgres_url)
    await stock.retrieve("candidate-2")
    assert terminate_connections(postgres_url) >= 1
    with pytest.raises(sa.exc.OperationalError):
        await stock.retrieve("candidate-2")
    stock.engine.dispose()
