"""socket.io with session persistence: replies reach a persistent session.

Guards the socket.io upgrade: from python-socketio 5.10 Rasa 3.6's own handler never joined
the session room (enter_room not awaited); the project's channel awaits it.
"""

from __future__ import annotations

import asyncio
import uuid

import socketio

from tests.conftest import close_socketio
from tests.e2e.conftest import PORTS, eventually, stored_events, turn_over


async def exchange(stack, session_id: str, text: str, metadata: dict) -> list[dict]:
    """Sends ``text`` over socket.io; the bot's messages of its whole turn, waited for
    until the Rasa server stored that turn and every one of its messages arrived."""
    tracker_db = stack.var_dir / "tracker.db"
    client = socketio.AsyncClient(reconnection=False)
    replies: list[dict] = []
    confirmed = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        replies.append(data)

    @client.on("session_confirm")
    async def on_confirm(data: str) -> None:
        confirmed.set()

    # Long-polling: python-engineio's asyncio client needs aiohttp 3.11 for websockets, and
    # Rasa 3.6 holds aiohttp below 3.10. The widget's websocket is covered by test_browser.
    await client.connect(f"http://127.0.0.1:{PORTS.rasa}", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=10)
        before = len(stored_events(tracker_db, session_id))
        await client.emit(
            "user_uttered", {"message": text, "session_id": session_id, "metadata": metadata}
        )
        await eventually(
            lambda: turn_over(stored_events(tracker_db, session_id)[before:], len(replies)),
            timeout=60,
            what=f"the turn of {text!r}",
        )
    finally:
        await close_socketio(client)
    return replies


def test_socketio_replies_arrive_in_the_page_language(stack):
    session_id = uuid.uuid4().hex
    replies = asyncio.run(exchange(stack, session_id, "bonjour", {"language": "en"}))
    assert replies[0]["text"].startswith("Hello!")
    assert replies[0]["quick_replies"] or replies[0].get("buttons")


def test_socketio_session_persists_across_reconnections(stack):
    session_id = uuid.uuid4().hex
    first = asyncio.run(exchange(stack, session_id, "in English please", {"language": "fr"}))
    assert first[0]["text"] == "Sure, I'll continue in English."
    # A new connection with the same session id continues the same conversation.
    second = asyncio.run(exchange(stack, session_id, "ok", {"language": "fr"}))
    assert second[0]["text"].startswith("All right")


def test_a_reload_with_the_same_session_id_resumes_the_pre_application(stack):
    session_id = uuid.uuid4().hex
    metadata = {"language": "fr"}
    started = asyncio.run(exchange(stack, session_id, "je veux candidater", metadata))
    assert "Quel profil visez-vous ?" in started[-1]["text"]
    asked = asyncio.run(exchange(stack, session_id, "CTO", metadata))
    assert "Combien d'années d'expérience" in asked[-1]["text"]
    # The page is reloaded: a new connection with the same session id, and the form goes on.
    resumed = asyncio.run(exchange(stack, session_id, "douze ans", metadata))
    assert "expérience entrepreneuriale" in resumed[-1]["text"]
