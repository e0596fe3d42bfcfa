"""The conversation store fails loudly, and survives a database restart.

Rasa wraps every tracker store in ``FailSafeTrackerStore``: when the database cannot be
read it returns no tracker, so the turn runs on a brand-new conversation, and when it
cannot be written it keeps the events in the memory of that one process. With several
Rasa instances sharing PostgreSQL that silently forks conversations and loses events.
``failing_loudly`` (installed by ``bot.rasa_server.patches``) makes those errors reach our
channels instead, which answer "please retry" in the user's language
(``bot.rasa_server.turn_guard``); nothing is written anywhere else.

``RedactingTrackerStore`` (``endpoints.yml``) is Rasa's SQL tracker store that keeps no
personal data once no form needs it: after saving a turn that leaves no form active, it
rewrites the conversation's stored events with ``bot.domain.personal.redact`` (personal
slots null, the answers' text and parse data gone, names and e-mails repeated by the bot
replaced). A form's answers live in the store only while the form runs; its end
(submitted, cancelled, paused), a new session or the purge of abandoned conversations
(``python -m bot purge``) redacts them. Rows are updated in place, never deleted, so
Rasa's count of the events it already stored stays right.

``PostgresTrackerStore`` is the same with a connection check before each use
(``pool_pre_ping``), so the first turns after PostgreSQL comes back work instead of
failing on a stale pooled connection.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.domain import personal
from bot.infra import settings

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


def may_hold_personal(tracker: DialogueStateTracker) -> bool:
    """A cheap look at the events in memory: a personal slot set, or an e-mail typed."""
    for event in tracker.events:
        if isinstance(event, SlotSet):
            if event.key in personal.PERSONAL_SLOTS and event.value is not None:
                return True
        elif isinstance(event, UserUttered) and personal.EMAIL.search(event.text or ""):
            return True
    return False


class RedactingTrackerStore(SQLTrackerStore):
    """``type: bot.rasa_server.tracker_store.RedactingTrackerStore`` with ``dialect`` and
    ``db``, as Rasa's ``SQL`` type."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if tracker.active_loop_name is None and may_hold_personal(tracker):
            redacted = self.redact_conversation(tracker.sender_id)
            log.info("tracker_store.redacted events=%d", redacted)

    def redact_conversation(self, sender_id: str) -> int:
        """Rewrite every stored event of ``sender_id`` without personal data; the count of
        events changed."""
        table = self.SQLEvent
        with self.session_scope() as session:
            rows = (
                session.query(table.id, table.data)
                .filter(table.sender_id == sender_id)
                .order_by(table.id)
                .all()
            )
            events = [json.loads(data) for _, data in rows]
            changes = list(personal.changed(events, personal.redact(events)))
            for index, event in changes:
                session.query(table).filter(table.id == rows[index][0]).update(
                    {table.data: json.dumps(event)}, synchronize_session=False
                )
            session.commit()
        return len(changes)


class PostgresTrackerStore(RedactingTrackerStore):
    """``type: bot.rasa_server.tracker_store.PostgresTrackerStore`` with ``url: postgresql://…``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import sqlalchemy as sa

        stale: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = stale.url
        stale.dispose()
        self.engine = sa.create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": settings.db_connect_timeout_s()},
            **create_engine_kwargs(url),
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
