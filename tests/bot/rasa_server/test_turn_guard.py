"""A failed or silent turn ends with an apology in the user's language."""

from __future__ import annotations

import asyncio
import time
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


# ---- deadlines: a hung service costs the turn an apology, in time ------------------------


async def hangs(msg: UserMessage) -> None:
    await asyncio.sleep(60)


async def test_a_turn_past_its_deadline_is_stopped_with_an_apology(monkeypatch):
    monkeypatch.setenv("EIG_TURN_DEADLINE", "1s")
    started = time.monotonic()
    texts = await run(hangs, message("bonjour", {"language": "fr"}))
    assert time.monotonic() - started < 3
    assert len(texts) == 1 and texts[0].startswith(FR)


async def test_the_deadline_stays_below_the_lock_lifetime(monkeypatch):
    import rasa.core.lock_store

    monkeypatch.setenv("EIG_TURN_DEADLINE", "5m")
    monkeypatch.setattr(rasa.core.lock_store, "LOCK_LIFETIME", 60)
    assert turn_guard.turn_deadline_s() == 48
    monkeypatch.setenv("EIG_TURN_DEADLINE", "20s")
    assert turn_guard.turn_deadline_s() == 20


@pytest.fixture
async def hung_server():
    """An HTTP server that accepts requests and never answers them."""
    from aiohttp import web

    async def never(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)
        return web.Response()

    app = web.Application()
    app.router.add_post("/webhook", never)
    app.router.add_post("/nlg", never)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_a_hung_action_server_is_given_up_after_the_action_timeout(monkeypatch, hung_server):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_server import patches

    monkeypatch.setenv("EIG_ACTION_TIMEOUT", "1s")
    run_action = patches.build("rasa.core.actions.action.RemoteAction.run")
    action = RemoteAction("action_anything", EndpointConfig(f"{hung_server}/webhook"))
    tracker = DialogueStateTracker("someone", slots=[])

    async def turn(msg: UserMessage) -> None:
        await run_action(action, msg.output_channel, None, tracker, Domain.empty())

    started = time.monotonic()
    texts = await run(turn, message("hello", {"language": "en"}))
    assert 0.9 < time.monotonic() - started < 3
    assert texts[0].startswith(EN)
    with pytest.raises(turn_guard.ServiceTimeout, match="action_server: no answer within 1 s"):
        await run_action(action, CollectingOutputChannel(), None, tracker, Domain.empty())


async def test_a_hung_nlg_service_is_given_up_after_the_nlg_timeout(monkeypatch, hung_server):
    from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_server import patches

    monkeypatch.setenv("EIG_NLG_TIMEOUT", "1s")
    generate = patches.build("rasa.core.nlg.callback.CallbackNaturalLanguageGenerator.generate")
    nlg = CallbackNaturalLanguageGenerator(EndpointConfig(f"{hung_server}/nlg"))
    tracker = DialogueStateTracker("someone", slots=[])
    started = time.monotonic()
    with pytest.raises(turn_guard.ServiceTimeout, match="nlg: no answer within 1 s"):
        await generate(nlg, "utter_greet", tracker, "socketio")
    assert time.monotonic() - started < 3
