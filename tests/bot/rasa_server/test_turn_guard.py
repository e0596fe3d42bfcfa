"""A failed or silent turn ends with an apology in the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.rasa_server import turn_guard

FR = "Désolé, un problème technique"
EN = "Sorry, a technical problem"


def message(text: str = "bonjour", metadata: Any = None) -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), "someone", metadata=metadata)


async def run(handler, msg: UserMessage) -> list[str]:
    await turn_guard.answer(handler, msg)
    return [m["text"] for m in msg.output_channel.messages]


async def replies(msg: UserMessage) -> None:
    await msg.output_channel.send_response(msg.sender_id, {"text": "Bonjour !"})


async def fails(msg: UserMessage) -> None:
    raise RuntimeError("database is gone")


async def says_nothing(msg: UserMessage) -> None:
    return None


async def replies_then_an_action_fails(msg: UserMessage) -> None:
    await replies(msg)
    turn_guard.record_failure("action_server")


async def test_a_normal_turn_is_left_alone():
    assert await run(replies, message()) == ["Bonjour !"]


@pytest.mark.parametrize(
    ("metadata", "text", "expected"),
    [
        ({"language": "en"}, "bonjour", EN),
        ({"language": "fr"}, "hello there", FR),
        ({"accept_language": "en-GB,en;q=0.9"}, "ok", EN),
        ({}, "in English please", EN),
        ({}, "what is the salary for a data scientist", EN),
        (None, "ok", FR),
    ],
)
async def test_a_failed_turn_apologises_in_the_users_language(metadata, text, expected):
    texts = await run(fails, message(text, metadata))
    assert len(texts) == 1
    assert texts[0].startswith(expected)


async def test_silence_becomes_an_apology():
    assert (await run(says_nothing, message(metadata={"language": "en"})))[0].startswith(EN)


async def test_a_failure_after_a_reply_adds_the_apology_after_it():
    texts = await run(replies_then_an_action_fails, message(metadata={"language": "fr"}))
    assert texts[0] == "Bonjour !"
    assert texts[1].startswith(FR)


async def test_failures_are_only_noted_inside_a_turn():
    turn_guard.record_failure("nlg")  # outside any turn: nowhere to note it, no error
    assert await run(replies, message()) == ["Bonjour !"]


async def test_the_output_channel_is_given_back():
    msg = message()
    channel = msg.output_channel
    await turn_guard.answer(fails, msg)
    assert msg.output_channel is channel
