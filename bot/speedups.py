"""Cheaper Rasa internals for the Rasa server, same behaviour: reply validation, HTTP client.

Reply validation: Rasa checks every reply of the action server
(``RemoteAction._validate_action_result``) and of the NLG endpoint
(``CallbackNaturalLanguageGenerator.validate_response``) with ``jsonschema.validate``,
which checks the schema itself and builds a new validator on every call. Profiled under
load, that was about half of the Rasa server's CPU per message (docs/benchmarks.md).
``install`` keeps the same validation, the same schemas and the same errors, with each
validator built once.

HTTP client: ``EndpointConfig.request`` (the action server and NLG calls) opens a new
``ClientSession``, so a new TCP connection, for every call. ``install`` sends the same
requests over one keep-alive session per event loop and endpoint settings.

SQLite tracker store: SQLAlchemy 1.4 opens a new SQLite connection for every session on a
file database (``NullPool``), and SQLite's default rollback journal syncs the disk several
times per commit. ``install`` rebuilds the engine of Rasa's ``SQLTrackerStore`` on SQLite
with pooled connections (``SQLITE_POOL``) and in WAL mode with ``synchronous=NORMAL``
(``SQLITE_WAL``): a commit survives a crash or restart of the process; only a power cut
may lose the last turns.

Parse cache: our NLU pipeline's output depends on the text alone (the language detector
reads declared languages only on training data; no NLU node reads the tracker), and people
send the same short texts again and again ("oui", "merci", buttons). ``install`` keeps the
last ``PARSE_CACHE_SIZE`` parses of texts up to ``PARSE_CACHE_MAX_CHARS`` per loaded model
and returns copies (``PARSE_CACHE``).

Installed when Rasa loads our REST channel. For before/after measurements,
``EIG_SPEEDUPS=0`` turns all of it off, ``EIG_SPEEDUP_<PART>=0`` one part (``VALIDATORS``,
``KEEPALIVE``, ``SQLITE_POOL``, ``SQLITE_WAL``, ``PARSE_CACHE``).
"""

from __future__ import annotations

import asyncio
import copy
import os
import ssl
from collections import OrderedDict
from typing import Any, Optional

import aiohttp
from jsonschema import ValidationError
from jsonschema.validators import validator_for

_installed = False
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


def install() -> None:
    global _installed
    if _installed or os.environ.get("EIG_SPEEDUPS", "1") == "0":
        return
    if enabled("VALIDATORS"):
        _install_validators()
    if enabled("KEEPALIVE"):
        _install_keepalive()
    if enabled("SQLITE_POOL") or enabled("SQLITE_WAL"):
        _install_sqlite(pool=enabled("SQLITE_POOL"), wal=enabled("SQLITE_WAL"))
    if enabled("PARSE_CACHE"):
        _install_parse_cache()
    _installed = True


def enabled(part: str) -> bool:
    """False when ``EIG_SPEEDUP_<part>=0`` (for before/after measurements)."""
    return os.environ.get(f"EIG_SPEEDUP_{part}", "1") != "0"


def _install_validators() -> None:
    from rasa.core.actions import action
    from rasa.core.nlg import callback
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.exceptions import RasaException

    action_validator = _compiled(action.RemoteAction.action_response_format_spec())
    nlg_validator = _compiled(callback.nlg_response_format_spec())

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            action_validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your "
                "response from the Action endpoint is valid. For more information about "
                f"the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise e

    def validate_response(content: Optional[dict[str, Any]]) -> bool:
        if content is None or content == "":
            return True
        try:
            nlg_validator.validate(content)
            return True
        except ValidationError as e:
            raise RasaException(
                f"{e.message}. Failed to validate NLG response from API, make sure your "
                "response from the NLG endpoint is valid."
            ) from e

    action.RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    callback.CallbackNaturalLanguageGenerator.validate_response = staticmethod(  # type: ignore[method-assign]
        validate_response
    )


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


def _install_keepalive() -> None:
    from rasa.shared.exceptions import FileNotFoundException
    from rasa.utils import endpoints

    async def request(
        self: Any,
        method: str = "post",
        subpath: Optional[str] = None,
        content_type: Optional[str] = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Optional[Any]:
        # Rasa 3.6's EndpointConfig.request, with the shared session instead of a new one.
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kwargs.pop("headers", None) or {})
        headers.update(self.headers or {})
        sslcontext = None
        if self.cafile:
            try:
                sslcontext = ssl.create_default_context(cafile=self.cafile)
            except FileNotFoundError as e:
                raise FileNotFoundException(
                    f"Failed to find certificate file, "
                    f"'{os.path.abspath(self.cafile)}' does not exist."
                ) from e
        async with shared_session(self).request(
            method,
            endpoints.concat_url(self.url, subpath),
            headers=headers,
            params=self.combine_parameters(kwargs),
            compress=compress,
            ssl=sslcontext,
            **kwargs,
        ) as response:
            if response.status >= 400:
                raise endpoints.ClientResponseError(
                    response.status, response.reason, await response.content.read()
                )
            try:
                return await response.json()
            except aiohttp.ContentTypeError:
                return None

    endpoints.EndpointConfig.request = request  # type: ignore[method-assign]


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


def _install_sqlite(pool: bool, wal: bool) -> None:
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    original_init = SQLTrackerStore.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return
        self.engine.dispose()
        self.engine = sqlite_engine(url, pool, wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    SQLTrackerStore.__init__ = __init__  # type: ignore[method-assign]


def _install_parse_cache() -> None:
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._parse_message_with_graph

    def parse(self: Any, message: Any, tracker: Any, only_output_properties: bool = True) -> Any:
        text = message.text
        if not isinstance(text, str) or len(text) > PARSE_CACHE_MAX_CHARS:
            return original(self, message, tracker, only_output_properties)
        cache: OrderedDict[tuple[str, bool], Any] = self.__dict__.setdefault(
            "_eig_parse_cache", OrderedDict()
        )
        key = (text, only_output_properties)
        if key in cache:
            cache.move_to_end(key)
        else:
            cache[key] = original(self, message, tracker, only_output_properties)
            if len(cache) > PARSE_CACHE_SIZE:
                cache.popitem(last=False)
        return copy.deepcopy(cache[key])  # callers update the parse data in place

    MessageProcessor._parse_message_with_graph = parse  # type: ignore[method-assign]
