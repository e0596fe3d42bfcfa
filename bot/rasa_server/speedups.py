"""Cheaper Rasa internals for the Rasa server, same behaviour: the replacement functions.

Reply validation: Rasa checks every reply of the action server
(``RemoteAction._validate_action_result``) and of the NLG endpoint
(``CallbackNaturalLanguageGenerator.validate_response``) with ``jsonschema.validate``,
which checks the schema itself and builds a new validator on every call. Profiled under
load, that was about half of the Rasa server's CPU per message (docs/benchmarks.md).
``validate_action_result`` and ``validate_response`` accept what the same schemas accept
with validators built once; what they refuse goes to Rasa's own function, for Rasa's
verdict and error. An action's reply is checked event by event against the schema of each
event's own type (``action_reply_check``).

HTTP client: ``EndpointConfig.request`` (the action server and NLG calls) opens a new
``ClientSession`` (``EndpointConfig.session``), so a new TCP connection, for every call.
``keepalive_session`` lends it one keep-alive session per event loop and endpoint settings
instead, left open after the call, whose bodies (the whole tracker, each time) are encoded
with ujson (``FAST_JSON``).

SQLite tracker store: SQLAlchemy 1.4 opens a new SQLite connection for every session on a
file database (``NullPool``), and SQLite's default rollback journal syncs the disk several
times per commit. ``sqlite_store_init`` rebuilds the engine of Rasa's ``SQLTrackerStore``
on SQLite with pooled connections (``SQLITE_POOL``) and in WAL mode with
``synchronous=NORMAL`` (``SQLITE_WAL``): a commit survives a crash or restart of the
process; only a power cut may lose the last turns.

Tracker cache: Rasa's ``SQLTrackerStore`` rebuilds every turn's tracker with a SQL query
through the ORM, and counts the stored events again before it saves the new ones; profiled
under load that was a third of the Rasa server's CPU per message. On SQLite the Rasa server
is the database's only writer (the cluster profile uses PostgreSQL, untouched), so
``cached_retrieve`` and ``cached_save`` keep each recent conversation's stored events, as
stored, in memory (``TRACKER_CACHE``): a turn reads them from there and appends only its
new events, written to SQLite first with one INSERT. A new session replaces them with the
new session's events, as the database query would return them. A failed write or the size
bound (``TRACKER_CACHE_MAX_CHARS``) drops a conversation from the cache, which is then read
from the database again.

Parse cache: our NLU pipeline's output depends on the text alone (the language detector
reads declared languages only on training data; no NLU node reads the tracker), and people
send the same short texts again and again ("oui", "merci", buttons). ``cached_parse`` keeps
the last ``PARSE_CACHE_SIZE`` parses of texts up to ``PARSE_CACHE_MAX_CHARS`` per loaded
model and returns copies (``PARSE_CACHE``).

Model loading: to load DIET or the ResponseSelector for inference, Rasa 3.6's
``RasaModel.load`` first runs one training step on an example (tracing the whole training
graph, with the optimiser) only to create the variables, then overwrites them from the
checkpoint. That was half of the Rasa server's start-up. ``light_load`` restores the
weights as the prediction graph creates them (TensorFlow's deferred restoration), and
checks that every variable it created was restored; the optimiser's state, of no use for
inference, is not loaded (``LIGHT_LOAD``). Fine-tuning keeps Rasa's own path. The
prediction graph is traced without AutoGraph (``plain_predict_trace``, ``PLAIN_TRACE``):
DIET's and the ResponseSelector's ``predict_step`` branch on Python values only
(configuration, which inputs exist), so AutoGraph's rewriting of their source, 2–3 s of the
start-up, changes nothing in the graph; an e2e test compares every held-out prediction
with Rasa's own loading.

Each function here takes Rasa's original and returns its replacement; importing this module
changes nothing. ``bot.rasa_server.patches`` lists every replacement with its reason, its
measured gain and its switch, and installs them when the Rasa process starts. For
before/after measurements, ``EIG_SPEEDUPS=0`` turns all of them off, ``EIG_SPEEDUP_<PART>=0``
one part (``VALIDATORS``, ``KEEPALIVE``, ``FAST_JSON``, ``SQLITE_POOL``, ``SQLITE_WAL``,
``TRACKER_CACHE``, ``PARSE_CACHE``, ``LIGHT_LOAD``, ``PLAIN_TRACE``).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import itertools
import json
from collections import OrderedDict
from collections.abc import Callable
from types import TracebackType
from typing import Any, Optional, cast

import aiohttp
import ujson
from jsonschema.validators import validator_for

from bot.infra.settings import speedup_enabled

# Idle connections are dropped after this long, before the action server (Sanic: 5 s) and
# the NLG service (aiohttp: 75 s) would close them under a request we are sending.
KEEPALIVE_S = 2.0
_sessions: dict[tuple[Any, ...], aiohttp.ClientSession] = {}
PARSE_CACHE_SIZE = 512
TRACKER_CACHE_MAX_CHARS = 16_000_000
PARSE_CACHE_MAX_CHARS = 100


def _compiled(schema: dict[str, Any]) -> Any:
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def action_reply_check(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """``is_valid`` for Rasa's action reply schema, checking each event against its own type.

    Rasa's event schema is a ``oneOf`` of one schema per event type, each fixing ``event`` to
    its own constant, and ``event`` is required: an event can only match the schema of its
    own type, so that one decides, and the other 22 need not be tried. Any other shape of
    schema is checked as a whole.
    """
    events = schema.get("properties", {}).get("events", {})
    event = events.get("items", {})
    choices = event.get("oneOf", [])
    names = [c.get("properties", {}).get("event", {}).get("const") for c in choices]
    if (
        not choices
        or "event" not in event.get("required", [])
        or not all(isinstance(n, str) for n in names)
        or len(set(names)) != len(names)
    ):
        return cast(Callable[[Any], bool], _compiled(schema).is_valid)
    common = {k: v for k, v in event.items() if k != "oneOf"}
    by_name = {n: _compiled({**common, "allOf": [c]}) for n, c in zip(names, choices, strict=True)}
    outer = _compiled(
        {**schema, "properties": {**schema["properties"], "events": {**events, "items": {}}}}
    )

    def is_valid(reply: Any) -> bool:
        if not outer.is_valid(reply):
            return False
        for item in reply.get("events", []):
            name = item.get("event") if isinstance(item, dict) else None
            validator = by_name.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(item):
                return False
        return True

    return is_valid


def validate_action_result(original: Callable[..., bool]) -> Callable[..., bool]:
    """``RemoteAction._validate_action_result``: a reply the schema accepts is accepted by
    validators built once; any other goes to Rasa's function, for its verdict and error."""
    from rasa.core.actions.action import RemoteAction

    is_valid = action_reply_check(RemoteAction.action_response_format_spec())

    @functools.wraps(original)
    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        return True if is_valid(result) else original(self, result)

    return _validate_action_result


def validate_response(original: Callable[..., bool]) -> Callable[..., bool]:
    """``CallbackNaturalLanguageGenerator.validate_response`` (static), the same way."""
    from rasa.core.nlg.callback import nlg_response_format_spec

    is_valid = _compiled(nlg_response_format_spec()).is_valid

    @functools.wraps(original)
    def _validate_response(content: Optional[dict[str, Any]]) -> bool:
        return True if is_valid(content) else original(content)

    return _validate_response


def shared_session(endpoint: Any) -> aiohttp.ClientSession:
    """The keep-alive session for ``endpoint``'s headers and auth on the running loop."""
    loop = asyncio.get_running_loop()
    auth = endpoint.basic_auth
    key = (
        loop,
        tuple(sorted((endpoint.headers or {}).items())),
        (auth["username"], auth["password"]) if auth else None,
    )
    session = _sessions.get(key)
    if session is None or session.closed:
        for stale in [k for k in _sessions if k[0].is_closed()]:
            del _sessions[stale]  # sessions of finished loops (tests): nothing left to close
        from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

        session = _sessions[key] = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=aiohttp.BasicAuth(key[2][0], key[2][1]) if key[2] else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
            json_serialize=fast_dumps if speedup_enabled("FAST_JSON") else json.dumps,
        )
    return session


def fast_dumps(value: Any) -> str:
    """JSON for the action and NLG calls: ujson, or ``json.dumps`` for what ujson refuses."""
    try:
        return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):  # bytes, NaN, numpy and other types
        return json.dumps(value)


async def close_sessions() -> None:
    """Closes the keep-alive sessions of the running loop (at server stop)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _sessions if k[0] is loop]:
        await _sessions.pop(key).close()


class _Lent:
    """``async with`` gives the shared session and leaves it open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        return None


def keepalive_session(original: Callable[..., Any]) -> Callable[..., Any]:
    """``EndpointConfig.session``, which Rasa opens with ``async with`` for each request and
    which closed the connection after it: the endpoint's keep-alive session instead, with
    the same headers, authentication and timeout (``shared_session``)."""

    @functools.wraps(original)
    def session(self: Any) -> _Lent:
        return _Lent(shared_session(self))

    return session


def wal_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLAlchemy ``connect`` listener: WAL journal, one sync per checkpoint, not per commit."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_engine(url: Any, pool: bool, wal: bool) -> Any:
    """An engine for a SQLite file with pooled connections and/or WAL, as asked."""
    import sqlalchemy as sa
    from sqlalchemy.pool import QueuePool

    kwargs: dict[str, Any] = {}
    if pool:  # one process, one event loop: a small pool, shared across threads safely
        kwargs = {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    engine = sa.create_engine(url, **kwargs)
    if wal:
        sa.event.listen(engine, "connect", wal_pragmas)
    return engine


def sqlite_store_init(original: Callable[..., None]) -> Callable[..., None]:
    """``SQLTrackerStore.__init__``, then on a SQLite file the engine ``sqlite_engine``
    makes, with the pool (``SQLITE_POOL``) and WAL (``SQLITE_WAL``) as switched; Rasa's
    own when both are off."""
    pool, wal = speedup_enabled("SQLITE_POOL"), speedup_enabled("SQLITE_WAL")
    if not (pool or wal):
        return original
    import sqlalchemy as sa

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return
        self.engine.dispose()
        self.engine = sqlite_engine(url, pool, wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    return __init__


class EventCache:
    """The stored events (JSON text) of each conversation's latest session, least recent
    dropped first once they hold more than ``max_chars`` characters in all."""

    def __init__(self, max_chars: int = TRACKER_CACHE_MAX_CHARS) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self._events: OrderedDict[str, list[str]] = OrderedDict()

    def get(self, sender_id: str) -> Optional[list[str]]:
        events = self._events.get(sender_id)
        if events is not None:
            self._events.move_to_end(sender_id)
        return events

    def put(self, sender_id: str, events: list[str]) -> None:
        self.drop(sender_id)
        self._events[sender_id] = events
        self._grown(events)

    def extend(self, sender_id: str, new: list[str]) -> None:
        events = self.get(sender_id)
        if events is not None:
            events.extend(new)
            self._grown(new)

    def _grown(self, added: list[str]) -> None:
        self.chars += sum(map(len, added))
        while self.chars > self.max_chars and self._events:
            self.drop(next(iter(self._events)))

    def drop(self, sender_id: str) -> None:
        events = self._events.pop(sender_id, None)
        if events is not None:
            self.chars -= sum(map(len, events))


def event_cache(store: Any) -> Optional[EventCache]:
    """The store's cache when it writes a SQLite file (its only writer), else None."""
    cache = store.__dict__.get("_eig_event_cache", False)
    if cache is False:
        url = store.engine.url
        single_writer = url.get_backend_name() == "sqlite" and url.database not in (
            None,
            "",
            ":memory:",
        )
        cache = store.__dict__["_eig_event_cache"] = EventCache() if single_writer else None
    return cache


def cached_retrieve(original: Callable[..., Any]) -> Callable[..., Any]:
    """``SQLTrackerStore._retrieve``: the latest session's stored events from the cache, read
    from the database (the same query and rows as Rasa's) when the cache lacks them."""
    from rasa.shared.core.trackers import DialogueStateTracker

    @functools.wraps(original)
    async def _retrieve(
        self: Any, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        # Rasa 3.6's SQLTrackerStore._retrieve, the rows kept in the cache.
        cache = event_cache(self)
        if cache is None or fetch_events_from_all_sessions:
            return await original(self, sender_id, fetch_events_from_all_sessions)
        stored = cache.get(sender_id)
        if stored is None:
            with self.session_scope() as session:
                rows = self._event_query(session, sender_id, False).all()
                stored = [row.data for row in rows]
            if stored:  # unknown ids are not cached: they could fill it without bound
                cache.put(sender_id, stored)
        if not (self.domain and stored):
            return None
        events = [json.loads(data) for data in stored]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    return _retrieve


def cached_save(original: Callable[..., Any]) -> Callable[..., Any]:
    """``SQLTrackerStore.save``: the stored events counted from the cache, the new ones
    written with one INSERT (the same rows and columns as Rasa's), the cache kept as the
    database query would read it."""
    from rasa.shared.core.events import SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    @functools.wraps(original)
    async def save(self: Any, tracker: DialogueStateTracker) -> None:
        # Rasa 3.6's SQLTrackerStore.save: the stored events are counted from the cache,
        # and the new ones written with one INSERT (same rows and columns).
        cache = event_cache(self)
        if cache is None:
            return await original(self, tracker)
        sender = tracker.sender_id
        stored = cache.get(sender)
        await self.stream_events(tracker)
        try:
            with self.session_scope() as session:
                count = (
                    len(stored)
                    if stored is not None
                    else self._event_query(session, sender, False).count()
                )
                new_events = list(itertools.islice(tracker.events, count, None))
                rows = [_row(sender, event, INTENT_NAME_KEY) for event in new_events]
                if rows:
                    session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        except BaseException:
            cache.drop(sender)
            raise
        known = stored if stored is not None else ([] if count == 0 else None)
        starts = [
            row["timestamp"]
            for row, event in zip(rows, new_events, strict=True)
            if isinstance(event, SessionStarted) and row["timestamp"] is not None
        ]
        if known is None:
            return  # stored events this process has not read: read them when needed
        if starts:  # a new session: what the database query returns from now on
            begin = max(starts)
            written = [
                r["data"] for r in rows if r["timestamp"] is not None and r["timestamp"] >= begin
            ]
            cache.put(sender, written)
        elif stored is not None:
            cache.extend(sender, [row["data"] for row in rows])
        elif rows:
            cache.put(sender, [row["data"] for row in rows])

    return save


def _row(sender_id: str, event: Any, intent_name_key: str) -> dict[str, Any]:
    """The ``events`` table row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(intent_name_key),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def light_load(original: Callable[..., Any]) -> Callable[..., Any]:
    """``RasaModel.load`` (a class method: ``original`` takes the class first) for inference:
    the weights restored as the prediction graph creates the variables."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    @functools.wraps(original)
    def load(
        cls: Any,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # Rasa 3.6's RasaModel.load, without the training step and the optimiser's state.
        if finetune_mode or predict_data_example is None:
            return original(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                *args, **kwargs,
            )  # fmt: skip
        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
            run_eagerly=config.get(RUN_EAGERLY),
        )
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)  # creates the variables: restored
        status.expect_partial()  # the optimiser's slots stay in the file
        status.assert_existing_objects_matched()
        return model

    return load


def plain_predict_trace(original: Callable[..., Any]) -> Callable[..., Any]:
    """``RasaModel._rasa_predict``, its prediction graph traced without AutoGraph."""

    @functools.wraps(original)
    def _rasa_predict(self: Any, batch_in: Any) -> Any:
        # Rasa 3.6's tracing of predict_step in _rasa_predict, with autograph=False.
        if self._tf_predict_step is None and not self._run_eagerly:
            import tensorflow as tf

            self._tf_predict_step = tf.function(
                self.predict_step,
                input_signature=self._dynamic_signature(batch_in),
                autograph=False,
            )
        return original(self, batch_in)

    return _rasa_predict


def parse_cache_key(text: Any, only_output_properties: bool = True) -> Optional[tuple[str, bool]]:
    """The parse cache's key for a message's text, or None for a text it does not keep
    (the benchmark replays what it sent through it: ``bench/parse_cache.py``)."""
    if not isinstance(text, str) or len(text) > PARSE_CACHE_MAX_CHARS:
        return None
    return (text, only_output_properties)


def cached_parse(original: Callable[..., Any]) -> Callable[..., Any]:
    """``MessageProcessor._parse_message_with_graph`` with the model's cache of short texts."""

    @functools.wraps(original)
    def parse(self: Any, message: Any, tracker: Any, only_output_properties: bool = True) -> Any:
        key = parse_cache_key(message.text, only_output_properties)
        if key is None:
            return original(self, message, tracker, only_output_properties)
        cache: OrderedDict[tuple[str, bool], Any] = self.__dict__.setdefault(
            "_eig_parse_cache", OrderedDict()
        )
        if key in cache:
            cache.move_to_end(key)
        else:
            cache[key] = original(self, message, tracker, only_output_properties)
            if len(cache) > PARSE_CACHE_SIZE:
                cache.popitem(last=False)
        return copy.deepcopy(cache[key])  # callers update the parse data in place

    return parse
