"""socket.io with session persistence: replies reach a persistent session.

Guards the python-socketio pin: with 5.10+ Rasa 3.6's channel never delivers replies.
"""

from __future__ import annotations

import asyncio
import uuid

import socketio

from tests.e2e.conftest import PORTS


async def exchange(session_id: str, text: str, metadata: dict) -> list[dict]:
    client = socketio.AsyncClient(reconnection=False)
    replies: list[dict] = []
    received = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        replies.append(data)
        received.set()

    await client.connect(f"http://127.0.0.1:{PORTS.rasa}", transports=["websocket"])
    await client.emit("session_request", {"session_id": session_id})
    await asyncio.sleep(0.2)
    await client.emit(
        "user_uttered", {"message": text, "session_id": session_id, "metadata": metadata}
    )
    await asyncio.wait_for(received.wait(), timeout=30)
    while True:  # let the rest of the turn arrive: wait until quiet for a second
        count = len(replies)
        await asyncio.sleep(1.0)
        if len(replies) == count:
            break
    await client.disconnect()
    return replies


def test_socketio_replies_arrive_in_the_page_language(stack):
    session_id = uuid.uuid4().hex
    replies = asyncio.run(exchange(session_id, "bonjour", {"language": "en"}))
    assert replies[0]["text"].startswith("Hello!")
    assert replies[0]["quick_replies"] or replies[0].get("buttons")


def test_socketio_session_persists_across_reconnections(stack):
    session_id = uuid.uuid4().hex
    first = asyncio.run(exchange(session_id, "in English please", {"language": "fr"}))
    assert first[0]["text"] == "Sure, I'll continue in English."
    # A new connection with the same session id continues the same conversation.
    second = asyncio.run(exchange(session_id, "ok", {"language": "fr"}))
    assert second[0]["text"].startswith("All right")


def test_a_reload_with_the_same_session_id_resumes_the_pre_application(stack):
    session_id = uuid.uuid4().hex
    metadata = {"language": "fr"}
    started = asyncio.run(exchange(session_id, "je veux candidater", metadata))
    assert "Quel profil visez-vous ?" in started[-1]["text"]
    asked = asyncio.run(exchange(session_id, "CTO", metadata))
    assert "Combien d'années d'expérience" in asked[-1]["text"]
    # The page is reloaded: a new connection with the same session id, and the form goes on.
    resumed = asyncio.run(exchange(session_id, "douze ans", metadata))
    assert "expérience entrepreneuriale" in resumed[-1]["text"]
