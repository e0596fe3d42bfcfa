"""The cheaper (de)serialisation gives Rasa's own results."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core import events as rasa_events
from rasa.shared.core.events import ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import patches, serialisation
from bot.web.metrics import Metrics
from tests.bot.web.test_metrics import Clock, value

PARSE = {
    "text": "je veux candidater",
    "intent": {"name": "apply", "confidence": 0.97},
    "intent_ranking": [{"name": "apply", "confidence": 0.97}, {"name": "faq", "confidence": 0.01}],
    "entities": [],
    "response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/salary"}]}},
    "language_detection": {"language": "fr", "confident": True},
}


@dataclasses.dataclass
class Holder:
    value: Any


@pytest.mark.parametrize(
    "value",
    [
        PARSE,
        None,
        [1, 2.5, "x", None, True, {"a": [{"b": (1, 2)}]}],
        {"tuple": (1, [2, 3]), "set": {1, 2}, "nested": {"deep": {"deeper": ["v"]}}},
        Holder({"inner": [1]}),
    ],
)
def test_plain_copy_is_what_asdict_makes(value: Any) -> None:
    expected = dataclasses.asdict(Holder(value))["value"]
    copied = serialisation.plain_copy(value)
    assert copied == expected
    assert type(copied) is type(expected)
    if isinstance(value, dict):
        copied["intent"] = "changed"
        assert value.get("intent") != "changed"  # a copy, not the same dict


def test_plain_copy_does_not_share_nested_values() -> None:
    copied = serialisation.plain_copy(PARSE)
    copied["intent_ranking"][0]["name"] = "changed"
    assert PARSE["intent_ranking"][0]["name"] == "apply"


def _tracker_in_a_form() -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(
        "t",
        [
            UserUttered("je veux candidater", PARSE["intent"], parse_data=PARSE),
            ActiveLoop("pre_application_form"),
            SlotSet("requested_slot", "target_profile"),
        ],
    )
    assert tracker.active_loop and tracker.active_loop.trigger_message
    return tracker


@pytest.mark.parametrize("verbosity", list(EventVerbosity))
def test_current_state_unchanged(verbosity: EventVerbosity) -> None:
    patches.install()
    tracker = _tracker_in_a_form()
    original = patches.original("rasa.shared.core.trackers.DialogueStateTracker.current_state")
    assert tracker.current_state(verbosity) == original(tracker, verbosity)
    idle = DialogueStateTracker.from_events("u", [UserUttered("bonjour")])
    assert idle.current_state(verbosity) == original(idle, verbosity)
    assert idle.current_state(verbosity)["active_loop"] == {}


def test_current_state_copies_the_trigger_message() -> None:
    patches.install()
    tracker = _tracker_in_a_form()
    state = tracker.current_state(EventVerbosity.ALL)
    state["active_loop"]["trigger_message"]["intent"]["name"] = "changed"
    assert tracker.active_loop.trigger_message["intent"]["name"] == "apply"  # type: ignore[union-attr,index]


def test_every_event_type_resolves_to_the_same_class() -> None:
    patches.install()
    original = patches.original("rasa.shared.core.events.Event.resolve_by_type")
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is original(name)
        assert Event.resolve_by_type(name) is original(name)  # second time: from the table
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", rasa_events.UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    event = Event.from_parameters({"event": "slot", "name": "language", "value": "en"})
    assert event == SlotSet("language", "en")


async def _nlg_reply(level: int, caplog: pytest.LogCaptureFixture) -> tuple[dict, list[dict]]:
    """Asks a loopback NLG service for one response; returns it and the bodies it received."""
    received: list[dict] = []

    async def nlg(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response({"text": "Bonjour !"})

    app = web.Application()
    app.router.add_post("/nlg", nlg)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        generator = CallbackNaturalLanguageGenerator(EndpointConfig(f"http://127.0.0.1:{port}/nlg"))
        with caplog.at_level(level, logger="rasa.core.nlg.callback"):
            reply = await generator.generate("utter_greet", _tracker_in_a_form(), "rest", name="x")
    finally:
        await runner.cleanup()
    return reply, received


def test_nlg_body_encoded_for_the_log_only_when_debug_is_on(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    patches.install()
    encoded: list[Any] = []
    real_dumps = json.dumps
    monkeypatch.setattr(serialisation.json, "dumps", lambda v: encoded.append(v) or real_dumps(v))
    reply, received = asyncio.run(_nlg_reply(logging.INFO, caplog))
    assert reply == {"text": "Bonjour !"}
    assert received[0]["response"] == "utter_greet"
    assert received[0]["arguments"] == {"name": "x"}
    assert received[0]["tracker"]["sender_id"] == "t"
    assert encoded == []
    reply, received = asyncio.run(_nlg_reply(logging.DEBUG, caplog))
    assert reply == {"text": "Bonjour !"}
    assert len(encoded) == 2  # the request body and the reply, as Rasa logs them
    assert "The request body is" in caplog.text


def _recorded() -> DialogueStateTracker:
    from rasa.shared.core.domain import Domain

    from tests.conftest import load_tracker

    domain = Domain.load(str(Path(__file__).parents[3] / "domain.yml"))
    state = load_tracker("pre_application_recorded")
    return DialogueStateTracker.from_dict(state["sender_id"], state["events"], domain.slots)


def _samples(metrics: Metrics) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in metrics.registry.collect()
        for sample in family.samples
        if not sample.name.endswith("_created")
    }


def test_nlg_events_give_the_metrics_of_the_whole_tracker() -> None:
    """Every NLG call of a whole recorded pre-application (a form started and ended), with
    the whole tracker and with the events sent: the same counts."""
    tracker = _recorded()
    events = list(tracker.events)
    clock = Clock()
    full, trimmed = Metrics(clock=clock, wall_clock=clock), Metrics(clock=clock, wall_clock=clock)
    calls = 0
    for index, event in enumerate(events):
        if not isinstance(event, BotUttered):
            continue
        before = DialogueStateTracker.from_events(
            tracker.sender_id, events[:index], tracker.slots.values()
        )
        state = before.current_state(EventVerbosity.ALL)
        full.observe("utter_x", state, "fr")
        kept = serialisation.events_for_nlg(before.events)
        assert len(kept) <= len(state["events"])
        trimmed.observe("utter_x", {**state, "events": [e.as_dict() for e in kept]}, "fr")
        calls += 1
    assert calls >= 10
    assert _samples(trimmed) == _samples(full)
    assert value(full, "eig_forms_started_total", form="pre_application_form", language="fr") == 1
    assert sum(v for (name, _), v in _samples(full).items() if name.startswith("eig_forms_")) >= 2


def test_nlg_events_keep_the_last_two_user_messages_and_the_form_before() -> None:
    events = list(_recorded().events)
    kept = serialisation.events_for_nlg(events)
    users = [e for e in events if isinstance(e, UserUttered)]
    assert [e for e in kept if isinstance(e, UserUttered)] == users[-2:]
    assert kept[1:] == events[events.index(users[-2]) :]
    assert isinstance(kept[0], ActiveLoop)
    short = events[: events.index(users[1])]  # one user message: everything
    assert serialisation.events_for_nlg(short) == short
