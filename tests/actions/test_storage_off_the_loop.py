"""The applications database is reached in a worker thread: while it is slow (here, locked
by another writer), the action server's event loop keeps serving other conversations."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.notifications import ActionRequestNotification
from tests.actions.test_notifications import DOMAIN, EMAIL, database, state, stored

__all__ = ["database"]  # the fixture, used by name


def test_a_locked_database_does_not_block_the_event_loop(database, monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")  # the call is announced, not open
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")  # another writer holds the database for a while
    released = threading.Timer(1.5, lambda: writer.execute("COMMIT"))

    async def scenario() -> tuple[list[float], list]:
        ticks: list[float] = []
        dispatcher = CollectingDispatcher()
        tracker = Tracker.from_dict(state("en", email=EMAIL, notify_consent=True))
        request = asyncio.create_task(ActionRequestNotification().run(dispatcher, tracker, DOMAIN))
        while not request.done():  # the loop's other work: ticks every 50 ms
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)
        await request
        return ticks, dispatcher.messages

    released.start()
    try:
        ticks, messages = asyncio.run(scenario())
    finally:
        released.join()
        writer.close()
    assert [m["response"] for m in messages] == ["utter_notification_saved"]
    assert stored(database) == [(EMAIL, "en", 1, None)]
    # The request waited for the lock (about 1.5 s) and the loop ticked all along.
    assert ticks[-1] - ticks[0] > 1.2
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5
