"""A message sent twice with the same id is handled once: the resend gets the first turn's
bot messages again, while the first turn runs or after it; a failed turn gives the id up.
In one process's memory (single machine) and in Redis, shared by instances (cluster)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.rasa_server import idempotency, turn_guard
from bot.rasa_server.lock_store import RedisQueueLockStore
from tests.bot.rasa_server.test_lock_store import redis_port, store

__all__ = ["redis_port"]  # the fixture, used by name
SENDER = "a" * 32
APOLOGY = "Sorry, a technical problem"


@pytest.fixture(params=["memory", "redis"])
def shared(request, monkeypatch) -> Any:
    """The ids where a Rasa process keeps them: its memory, or the lock store's Redis."""
    if request.param == "memory":
        ids: Any = idempotency.MemoryIds()
        monkeypatch.setattr(idempotency, "_ids", ids)
        return ids
    port = request.getfixturevalue("redis_port")
    lock_store: RedisQueueLockStore = store(port)  # registers its Redis for the ids
    lock_store.red.flushdb()
    return idempotency.ids()


class Rasa:
    """A stand-in for the agent: counts the turns it runs, answers after ``delay``."""

    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.turns: list[str] = []
        self.delay, self.fail = delay, fail

    async def __call__(self, message: UserMessage) -> None:
        self.turns.append(message.text or "")
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("the instance is in trouble")
        await message.output_channel.send_response(
            message.sender_id, {"text": f"answer to {message.text}"}
        )


def message(text: str, message_id: Any = "m-0001-abcd") -> UserMessage:
    metadata = {"language": "en", "message_id": message_id}
    return UserMessage(text, CollectingOutputChannel(), SENDER, metadata=metadata)


def texts(msg: UserMessage) -> list[str]:
    return [m["text"] for m in msg.output_channel.messages]


async def test_a_resent_message_is_handled_once_and_answered_again(shared):
    rasa = Rasa()
    first, again = message("salary?"), message("salary?")
    await turn_guard.answer(rasa, first)
    await turn_guard.answer(rasa, again)
    assert rasa.turns == ["salary?"]
    assert texts(first) == texts(again) == ["answer to salary?"]


async def test_a_resend_during_the_first_turn_waits_for_its_answer(shared):
    rasa = Rasa(delay=0.5)
    first, again = message("salary?"), message("salary?")
    started = time.monotonic()
    await asyncio.gather(turn_guard.answer(rasa, first), turn_guard.answer(rasa, again))
    assert rasa.turns == ["salary?"]
    assert texts(again) == ["answer to salary?"]
    assert time.monotonic() - started < 2


async def test_a_failed_turn_gives_the_id_up(shared):
    failing, working = Rasa(fail=True), Rasa()
    first, again = message("salary?"), message("salary?")
    await turn_guard.answer(failing, first)
    assert texts(first)[-1].startswith(APOLOGY)
    await turn_guard.answer(working, again)
    assert working.turns == ["salary?"] and texts(again) == ["answer to salary?"]


@pytest.mark.parametrize("message_id", [None, "", "short", "x" * 65, "a b c d e f", 12345678])
async def test_without_a_well_formed_id_every_message_is_handled(shared, message_id):
    rasa = Rasa()
    await turn_guard.answer(rasa, message("salary?", message_id))
    await turn_guard.answer(rasa, message("salary?", message_id))
    assert rasa.turns == ["salary?", "salary?"]


async def test_ids_are_per_conversation(shared):
    rasa = Rasa()
    await turn_guard.answer(rasa, message("salary?"))
    other = UserMessage(
        "salary?", CollectingOutputChannel(), "b" * 32,
        metadata={"language": "en", "message_id": "m-0001-abcd"},
    )  # fmt: skip
    await turn_guard.answer(rasa, other)
    assert len(rasa.turns) == 2


async def test_a_claim_whose_process_died_expires(redis_port, monkeypatch):
    monkeypatch.setattr(idempotency, "ALIVE_S", 0.5)
    store(redis_port).red.flushdb()
    key = idempotency.message_key(SENDER, {"message_id": "m-dead-0001"})
    assert key is not None
    assert idempotency.ids().try_claim(key) == (True, None)  # then the process is killed
    started = time.monotonic()
    claim = await idempotency.claim(key, wait=5)
    assert claim.replies is None  # this turn handles the message
    assert 0.3 < time.monotonic() - started < 2
