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
instead, left open after the call.

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
one part (``VALIDATORS``, ``KEEPALIVE``, ``PARSE_CACHE``, ``LIGHT_LOAD``, ``PLAIN_TRACE``).
The SQLite tracker store's pool, WAL mode and event cache paid on the single-machine
profile only, and ujson bodies nothing measurable on the realistic load: removed
(``bench/findings.md``, seventh round).
"""

from __future__ import annotations

import asyncio
import copy
import functools
from collections import OrderedDict
from collections.abc import Callable
from types import TracebackType
from typing import Any, Optional, cast

import aiohttp
from jsonschema.validators import validator_for

# Idle connections are dropped after this long, before the action server (Sanic: 5 s) and
# the NLG service (aiohttp: 75 s) would close them under a request we are sending.
KEEPALIVE_S = 2.0
_sessions: dict[tuple[Any, ...], aiohttp.ClientSession] = {}
PARSE_CACHE_SIZE = 512
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
        )
    return session


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
