"""The speedups keep Rasa's behaviour: same validation verdicts, same HTTP results.

Each test runs on the replacements ``patches.install()`` puts in place, as in the Rasa server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.engine.constants import PLACEHOLDER_MESSAGE
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
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


def test_sqlite_tracker_store_reuses_connections_in_wal_mode_and_survives_restart(
    tmp_path: Path,
) -> None:
    patches.install()
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    connects: list[object] = []
    sa.event.listen(store.engine, "connect", lambda *_: connects.append(1))
    tracker = DialogueStateTracker.from_events("someone", [UserUttered("bonjour")])

    async def turns() -> None:
        for _ in range(3):
            await store.save(tracker)
            assert await store.retrieve("someone") is not None

    asyncio.run(turns())
    assert len(connects) <= 1  # pooled: not one connection per session
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    store.engine.dispose()
    # A new process's store (a restart) reads what was committed.
    restarted = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    found = asyncio.run(restarted.retrieve("someone"))
    assert found is not None and found.latest_message.text == "bonjour"


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


def _statements(store: SQLTrackerStore) -> list[str]:
    seen: list[str] = []
    sa.event.listen(
        store.engine, "before_cursor_execute", lambda _c, _cur, sql, *_: seen.append(sql.split()[0])
    )
    return seen


def _events(tracker: DialogueStateTracker) -> list[dict]:
    return [event.as_dict() for event in tracker.events]


def test_tracker_cache_reads_as_the_database_and_skips_its_queries(tmp_path: Path) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    patches.install()
    db = str(tmp_path / "tracker.db")
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)
    statements = _statements(store)

    async def read_as_a_fresh_store() -> list[dict]:
        fresh = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)
        return _events(await fresh.retrieve("someone"))

    def session_start() -> list:
        return [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
        ]

    async def conversation() -> None:
        # A new conversation, as Rasa starts one: its first save is cached as it is stored.
        tracker = DialogueStateTracker.from_events(
            "someone", [*session_start(), UserUttered("bonjour")]
        )
        await store.save(tracker)
        for text in ["salaire ?", "merci"]:
            statements.clear()
            tracker = await store.retrieve("someone")
            assert statements == []  # read from memory
            assert _events(tracker) == await read_as_a_fresh_store()
            tracker.update(UserUttered(text))
            tracker.update(ActionExecuted("action_listen"))
            statements.clear()
            await store.save(tracker)
            assert [s for s in statements if s != "INSERT"] == []  # no count, no read
            assert statements.count("INSERT") == 1  # one statement for the turn's events
        # A new session: the cache now holds what the database query returns.
        for event in [*session_start(), UserUttered("re-bonjour")]:
            tracker.update(event)
        await store.save(tracker)
        statements.clear()
        again = await store.retrieve("someone")
        assert statements == []
        assert _events(again) == await read_as_a_fresh_store()
        texts = [e.as_dict().get("text") for e in again.events if isinstance(e, UserUttered)]
        assert texts == ["re-bonjour"]

    asyncio.run(conversation())


def test_tracker_cache_reads_what_another_process_stored_from_the_database(
    tmp_path: Path,
) -> None:
    patches.install()
    db = str(tmp_path / "tracker.db")
    earlier = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)
    asyncio.run(earlier.save(DialogueStateTracker.from_events("someone", [UserUttered("a")])))
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)  # after a restart

    async def turn() -> None:
        tracker = DialogueStateTracker.from_events("someone", [UserUttered("a"), UserUttered("b")])
        await store.save(tracker)  # counts what is stored: writes only "b", caches nothing
        assert speedups.event_cache(store).get("someone") is None
        found = await store.retrieve("someone")
        assert [e.as_dict()["text"] for e in found.events] == ["a", "b"]

    asyncio.run(turn())


def test_tracker_cache_forgets_a_conversation_whose_write_failed(tmp_path: Path) -> None:
    patches.install()
    db = str(tmp_path / "tracker.db")
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=db)

    async def turns() -> None:
        await store.save(DialogueStateTracker.from_events("someone", [UserUttered("bonjour")]))
        tracker = await store.retrieve("someone")
        tracker.update(UserUttered("salaire ?"))
        original = store.sessionmaker
        store.sessionmaker = lambda: (_ for _ in ()).throw(sa.exc.OperationalError("x", {}, None))
        with pytest.raises(sa.exc.OperationalError):
            await store.save(tracker)
        store.sessionmaker = original
        assert speedups.event_cache(store).get("someone") is None
        assert len((await store.retrieve("someone")).events) == 1  # what the database holds

    asyncio.run(turns())


def test_tracker_cache_is_only_for_a_sqlite_file_and_bounded(tmp_path: Path) -> None:
    patches.install()
    assert (
        speedups.event_cache(SQLTrackerStore(Domain.empty(), dialect="sqlite", db=":memory:"))
        is None
    )
    cache = speedups.EventCache(max_chars=10)
    cache.put("a", ["12345"])
    cache.put("b", ["1234"])
    cache.extend("a", ["67"])  # a is now the most recent, and 11 characters are held
    assert cache.get("b") is None and cache.get("a") == ["12345", "67"] and cache.chars == 7


@pytest.mark.parametrize(
    "value",
    [
        {"tracker": {"events": [{"text": "déjà vu </script>", "confidence": 0.123456789}]}},
        [1, 2.5, None, True, "é", {"1": []}],
    ],
)
def test_fast_json_decodes_to_the_same_value(value) -> None:
    import json

    assert json.loads(speedups.fast_dumps(value)) == value


def test_fast_json_falls_back_to_json_for_what_ujson_refuses() -> None:
    import json
    import math

    assert math.isnan(json.loads(speedups.fast_dumps({"n": float("nan")}))["n"])
    with pytest.raises(TypeError):  # as json.dumps: bytes are not JSON
        speedups.fast_dumps({"raw": b"bytes"})


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
