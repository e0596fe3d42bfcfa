"""The speedups keep Rasa's behaviour: same validation verdicts, same HTTP results.

Each test runs on the replacements ``patches.install()`` puts in place, as in the Rasa server.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.engine.constants import PLACEHOLDER_MESSAGE
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.rasa_server import patches, speedups


def test_validation_unchanged_after_install() -> None:
    patches.install()
    action = RemoteAction("action_x", None)
    good = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []}
    assert action._validate_action_result(good)
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})
    assert CallbackNaturalLanguageGenerator.validate_response({"text": "hi"})
    assert CallbackNaturalLanguageGenerator.validate_response(None)
    with pytest.raises(RasaException):
        CallbackNaturalLanguageGenerator.validate_response({"text": 3})


async def _serve(replies: dict[str, tuple[int, str]]) -> tuple[web.AppRunner, str, list[object]]:
    """A loopback server answering ``replies[path]``; records each request's connection."""
    connections: list[object] = []

    async def handle(request: web.Request) -> web.Response:
        connections.append(request.transport)
        status, body = replies[request.path]
        return web.Response(status=status, text=body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}", connections


def test_endpoint_requests_reuse_one_connection_and_keep_rasa_semantics() -> None:
    patches.install()

    async def scenario() -> None:
        runner, url, connections = await _serve(
            {"/webhook": (200, '{"events": []}'), "/nlg": (200, "null"), "/bad": (500, "x")}
        )
        try:
            action = EndpointConfig(url=f"{url}/webhook", headers={"X-Test": "1"})
            nlg = EndpointConfig(url=f"{url}/nlg")
            for _ in range(3):
                assert await action.request(json={"next_action": "a"}) == {"events": []}
            assert await nlg.request(json={}) is None
            with pytest.raises(ClientResponseError) as failure:
                await EndpointConfig(url=f"{url}/bad").request(json={})
            assert failure.value.status == 500
            # Three calls to the action endpoint went over one connection.
            assert len({id(c) for c in connections[:3]}) == 1
        finally:
            await speedups.close_sessions()
            await runner.cleanup()

    asyncio.run(scenario())


def test_shared_sessions_are_per_loop_and_closed_at_stop() -> None:
    patches.install()
    endpoint = EndpointConfig(url="http://127.0.0.1:1/webhook")

    async def sessions() -> tuple[object, object, object]:
        first, again = speedups.shared_session(endpoint), speedups.shared_session(endpoint)
        other = speedups.shared_session(EndpointConfig(url=endpoint.url, headers={"A": "b"}))
        await speedups.close_sessions()
        assert first.closed and other.closed
        return first, again, other

    first, again, other = asyncio.run(sessions())
    assert first is again and first is not other
    assert asyncio.run(sessions())[0] is not first  # a new loop gets a new session


class _CountingGraph:
    """Stands in for the NLU graph: labels each text by its length, counts its runs."""

    def __init__(self) -> None:
        self.runs: list[str] = []

    def run(self, inputs: dict, targets: list[str]) -> dict:
        text = inputs[PLACEHOLDER_MESSAGE][0].text
        self.runs.append(text)
        intent = {"name": f"len{len(text)}", "confidence": 1.0}
        return {
            targets[0]: [
                Message(data={"text": text, "intent": intent}, output_properties={"intent"})
            ]
        }


def _processor() -> tuple[MessageProcessor, _CountingGraph]:
    processor = MessageProcessor.__new__(MessageProcessor)
    graph = _CountingGraph()
    processor.graph_runner = graph  # type: ignore[assignment]
    processor.model_metadata = SimpleNamespace(nlu_target="nlu")  # type: ignore[assignment]
    return processor, graph


def test_parse_cache_runs_the_graph_once_per_short_text_and_returns_copies() -> None:
    patches.install()
    processor, graph = _processor()

    def parse(text: str) -> dict:
        return processor._parse_message_with_graph(UserMessage(text), None)  # type: ignore[arg-type]

    first = parse("oui")
    first["intent"]["full_retrieval_intent_name"] = "changed by a caller"
    again = parse("oui")
    assert again["intent"] == {"name": "len3", "confidence": 1.0}
    assert parse("non")["intent"]["name"] == "len3" and graph.runs == ["oui", "non"]
    long_text = "x" * (speedups.PARSE_CACHE_MAX_CHARS + 1)
    parse(long_text)
    parse(long_text)
    assert graph.runs.count(long_text) == 2  # long free text is not kept
    for n in range(speedups.PARSE_CACHE_SIZE + 1):
        parse(f"text {n}")
    assert len(processor.__dict__["_eig_parse_cache"]) == speedups.PARSE_CACHE_SIZE
    parse("oui")  # the oldest entries went first
    assert graph.runs.count("oui") == 2


# -- the action reply check: each event against its own type's schema ----------
def _recorded_events() -> list[dict]:
    from tests.conftest import load_tracker

    return load_tracker("pre_application_recorded")["events"]


def _event_values() -> st.SearchStrategy:
    leaf = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


def _mutated_event() -> st.SearchStrategy:
    """A recorded event with one field replaced, removed or added: valid or not."""
    events = _recorded_events()
    names = sorted({k for e in events for k in e} | {"event", "name", "value", "parse_data"})
    return st.builds(
        lambda event, key, value, drop: (
            {k: v for k, v in event.items() if k != key} if drop else {**event, key: value}
        ),
        st.sampled_from(events),
        st.sampled_from(names),
        _event_values(),
        st.booleans(),
    )


def test_reply_check_agrees_with_jsonschema_on_recorded_events() -> None:
    schema = RemoteAction.action_response_format_spec()
    fast, reference = speedups.action_reply_check(schema), speedups._compiled(schema)
    events = _recorded_events()
    assert len({e["event"] for e in events}) >= 6
    reply = {"events": events, "responses": [{"response": "utter_greet"}]}
    assert fast(reply) and reference.is_valid(reply)
    for bad in ({"events": "x"}, {"events": [{"event": "nope"}]}, {"responses": [1]}, []):
        assert not fast(bad) and not reference.is_valid(bad)


_FAST = speedups.action_reply_check(RemoteAction.action_response_format_spec())
_REFERENCE = speedups._compiled(RemoteAction.action_response_format_spec())


@given(st.lists(_mutated_event(), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reply_check_agrees_with_jsonschema(events: list[dict]) -> None:
    reply = {"events": events, "responses": []}
    assert _FAST(reply) == _REFERENCE.is_valid(reply)


def test_refused_reply_raises_rasas_error() -> None:
    patches.install()
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "slot", "name": 3}]})
