"""The conversation store fails loudly, and survives a database restart.

Rasa wraps every tracker store in ``FailSafeTrackerStore``: when the database cannot be
read it returns no tracker, so the turn runs on a brand-new conversation, and when it
cannot be written it keeps the events in the memory of that one process. With several
Rasa instances sharing PostgreSQL that silently forks conversations and loses events.
``install`` makes those errors reach our channels instead, which answer "please retry" in
the user's language (``bot.rasa_server.turn_guard``); nothing is written anywhere else.

``PostgresTrackerStore`` is Rasa's SQL tracker store with a connection check before each
use (``pool_pre_ping``), so the first turns after PostgreSQL comes back work instead of
failing on a stale pooled connection.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.exceptions import RasaException

log = logging.getLogger(__name__)
_installed = False


class TrackerStoreUnavailable(RasaException):
    """The conversation store could not be read or written; the turn must be retried."""


def raise_unavailable(error: Exception) -> None:
    """``FailSafeTrackerStore``'s error callback: fail the turn rather than fork it."""
    log.error("tracker_store.unavailable: %s", type(error).__name__)
    raise TrackerStoreUnavailable(type(error).__name__) from error


def install() -> None:
    """Make Rasa's agent build its ``FailSafeTrackerStore`` with ``raise_unavailable``."""
    global _installed
    if _installed:
        return
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    def create_tracker_store(store: Any, domain: Any) -> FailSafeTrackerStore:
        if store is not None:
            store.domain = domain
        else:
            store = InMemoryTrackerStore(domain)
        return FailSafeTrackerStore(store, on_tracker_store_error=raise_unavailable)

    Agent._create_tracker_store = staticmethod(create_tracker_store)  # type: ignore[method-assign,assignment]
    _installed = True


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
