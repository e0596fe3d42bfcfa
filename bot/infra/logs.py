"""Log set-up for our processes: JSON lines with a request id, and no personal data.

Every line is one JSON object (``time``, ``level``, ``logger``, ``message``, the
``extra`` fields, and ``request_id`` while a request is being served). Our code logs
response names, counts, references and error classes, never what people wrote.

Third-party loggers that print message text at DEBUG (Rasa, Rasa SDK, Sanic, socket.io)
are held at INFO even when ``EIG_LOG_LEVEL=DEBUG``; only ``EIG_THIRD_PARTY_DEBUG=1``
(``python -m bot run --debug``) lifts that, for local work on test conversations only.
"""

from __future__ import annotations

import logging
import sys
import uuid
from contextvars import ContextVar
from typing import Optional

from pythonjsonlogger.json import JsonFormatter

from bot.infra import settings

request_id: ContextVar[Optional[str]] = ContextVar("request_id", default=None)
THIRD_PARTY = ("rasa", "rasa_sdk", "sanic", "engineio", "socketio", "aiohttp.access")
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")
MAX_ID_CHARS = 64


def level() -> int:
    """``EIG_LOG_LEVEL`` (default INFO) as a logging level; a bad value stops start-up."""
    return settings.LOG_LEVEL.get()


def third_party_debug() -> bool:
    return settings.THIRD_PARTY_DEBUG.get()


def third_party_level(ours: int) -> int:
    """Never more verbose than INFO for libraries, unless third-party debug was asked for."""
    return ours if third_party_debug() else max(ours, logging.INFO)


def accepted_request_id(header: Optional[str]) -> str:
    """The caller's ``X-Request-ID`` when it is short and plain, else a new random one."""
    if header and len(header) <= MAX_ID_CHARS and set(header) <= _ID_CHARS:
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds the current request id (or null) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        json_ensure_ascii=False,
    )


def configure(json_lines: bool = True, stream: object = None) -> None:
    """Root logging for one of our processes, from ``EIG_LOG_LEVEL``."""
    ours = level()
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.addFilter(RequestIdFilter())
    if json_lines:
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(ours)
    for name in THIRD_PARTY:
        logging.getLogger(name).setLevel(third_party_level(ours))
