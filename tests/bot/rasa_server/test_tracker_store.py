"""The conversation store's failures reach the channel instead of forking the conversation."""

from __future__ import annotations

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain

from bot.rasa_server import tracker_store


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
    tracker_store.install()
    return Agent._create_tracker_store(BrokenStore(), Domain.empty())


async def test_a_failed_read_raises_instead_of_starting_a_new_conversation(store):
    with pytest.raises(tracker_store.TrackerStoreUnavailable):
        await store.retrieve("someone")
    with pytest.raises(tracker_store.TrackerStoreUnavailable):
        await store.get_or_create_tracker("someone")


async def test_a_failed_write_raises_instead_of_keeping_events_in_memory(store):
    from rasa.shared.core.trackers import DialogueStateTracker

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
