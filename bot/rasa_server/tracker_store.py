"""The conversation store fails loudly, and survives a database restart.

Rasa wraps every tracker store in ``FailSafeTrackerStore``: when the database cannot be
read it returns no tracker, so the turn runs on a brand-new conversation, and when it
cannot be written it keeps the events in the memory of that one process. With several
Rasa instances sharing PostgreSQL that silently forks conversations and loses events.
``failing_loudly`` (installed by ``bot.rasa_server.patches``) makes those errors reach our
channels instead, which answer "please retry" in the user's language
(``bot.rasa_server.turn_guard``); nothing is written anywhere else.

``PostgresTrackerStore`` is Rasa's SQL tracker store with a connection check before each
use (``pool_pre_ping``), so the first turns after PostgreSQL comes back work instead of
failing on a stale pooled connection.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.exceptions import RasaException

log = logging.getLogger(__name__)


class TrackerStoreUnavailable(RasaException):
    """The conversation store could not be read or written; the turn must be retried."""


def raise_unavailable(error: Exception) -> None:
    """``FailSafeTrackerStore``'s error callback: fail the turn rather than fork it."""
    log.error("tracker_store.unavailable: %s", type(error).__name__)
    raise TrackerStoreUnavailable(type(error).__name__) from error


def failing_loudly(original: Callable[..., Any]) -> Callable[..., Any]:
    """``Agent._create_tracker_store`` (static): Rasa's ``FailSafeTrackerStore``, calling
    ``raise_unavailable`` when the store fails."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    @functools.wraps(original)
    def _create_tracker_store(store: Any, domain: Any) -> FailSafeTrackerStore:
        created = original(store, domain)
        if not isinstance(created, FailSafeTrackerStore):
            raise TypeError(f"Rasa made a {type(created).__name__}, not a FailSafeTrackerStore")
        created._on_tracker_store_error = raise_unavailable
        return created

    return _create_tracker_store


class PostgresTrackerStore(SQLTrackerStore):
    """``type: bot.rasa_server.tracker_store.PostgresTrackerStore`` with ``url: postgresql://…``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import sqlalchemy as sa

        stale: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = stale.url
        stale.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
