"""The conversation store seen from outside Rasa: erase a person's data, purge old
conversations, redact abandoned forms.

Rasa's SQL tracker store keeps one row per event in its ``events`` table (``sender_id``,
``timestamp``, ``data``: the event as JSON), in SQLite on one machine and PostgreSQL in the
cluster. The action server (deletion on request) and ``python -m bot purge`` reach it
here, with SQLAlchemy alone, and redact with the rules of ``bot.domain.personal``, the same
the Rasa server applies when it saves a turn (``bot.rasa_server.tracker_store``). Rows are
rewritten in place, never renumbered, so a conversation going on in Rasa meanwhile goes on.

The store is found as Rasa finds it: ``TRACKER_DATABASE_URL`` (cluster), else
``TRACKER_DIALECT`` and ``TRACKER_DB`` (``endpoints.yml``). Log lines carry counts only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.domain import personal
from bot.infra import settings

log = logging.getLogger(__name__)

metadata = sa.MetaData()
# Rasa's table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), created by Rasa, not here.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class ConversationStoreError(Exception):
    """The conversation store failed. The message never carries personal data."""


def store_url() -> str:
    """The tracker store Rasa uses, as a SQLAlchemy URL."""
    url = settings.TRACKER_DATABASE_URL.get()
    if url:
        return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url
    dialect, db = settings.TRACKER_DIALECT.get(), settings.TRACKER_DB.get()
    if dialect == "sqlite":
        return f"sqlite:///{Path(db).resolve()}"
    return f"{dialect}:///{db}"


def _timestamp(moment: dt.datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.timestamp()


class Conversations:
    """Rasa's ``events`` table. Safe to share between threads."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or store_url()
        options: dict[str, Any] = {"future": True, "hide_parameters": True}
        if self.url.startswith("sqlite"):
            path = sa.engine.make_url(self.url).database
            if path and path != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            options["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            options["pool_pre_ping"] = True
            # A PostgreSQL that does not answer fails the call in seconds, not minutes.
            options["connect_args"] = {"connect_timeout": settings.db_connect_timeout_s()}
        self.engine: Engine = sa.create_engine(self.url, **options)

    def close(self) -> None:
        self.engine.dispose()

    def _exists(self, connection: Connection) -> bool:
        """Rasa creates the table on its first start; before that there is nothing to do."""
        return bool(sa.inspect(connection).has_table("events"))

    def grouped(self, senders: Any) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """``(sender_id, events)`` of each conversation whose id ``senders`` (a select of
        ``events.sender_id``) names, in stored order, read in one query; unreadable rows
        skipped. Used by the back office's inbox and dashboard."""
        query = (
            sa.select(events.c.sender_id, events.c.data)
            .where(events.c.sender_id.in_(senders.distinct().scalar_subquery()))
            .order_by(events.c.sender_id, events.c.id)
        )
        with self.engine.connect() as connection:
            if not self._exists(connection):
                return
            current: Optional[str] = None
            found: list[dict[str, Any]] = []
            for row in connection.execute(query):
                if row.sender_id != current and found:
                    yield str(current), found
                    found = []
                current = row.sender_id
                try:
                    event = json.loads(row.data)
                except (TypeError, ValueError):
                    continue
                if isinstance(event, dict):
                    found.append(event)
            if found:
                yield str(current), found

    def redact(self, connection: Connection, sender_id: str, also: Iterable[str] = ()) -> int:
        """Rewrite ``sender_id``'s events without personal data; the count changed."""
        rows = connection.execute(
            sa.select(events.c.id, events.c.data)
            .where(events.c.sender_id == sender_id)
            .order_by(events.c.id)
        ).all()
        stored = [json.loads(data) for _, data in rows]
        changes = list(personal.changed(stored, personal.redact(stored, also)))
        for index, event in changes:
            connection.execute(
                events.update().where(events.c.id == rows[index][0]).values(data=json.dumps(event))
            )
        return len(changes)

    def erase(self, known: Iterable[str]) -> int:
        """A person's data out of every conversation that holds any of ``known`` (their
        e-mail, reference, first name, answers): the number of conversations rewritten."""
        values = sorted({v.strip() for v in known if isinstance(v, str) and v.strip()})
        if not values:
            return 0
        # What finds a conversation: the e-mail and the reference, which are precise.
        finders = [v for v in values if "@" in v or v.upper().startswith("EIG-")] or values
        try:
            with self.engine.begin() as connection:
                if not self._exists(connection):
                    return 0
                found = sa.or_(*(events.c.data.ilike(f"%{v}%") for v in finders))
                senders = connection.execute(
                    sa.select(events.c.sender_id).where(found).distinct()
                ).scalars()
                rewritten = [s for s in list(senders) if self.redact(connection, s, values)]
        except SQLAlchemyError as error:
            raise ConversationStoreError(f"erase failed ({type(error).__name__})") from None
        log.info("personal data erased from %d conversation(s)", len(rewritten))
        return len(rewritten)

    def redact_idle(self, idle_for: dt.timedelta, now: Optional[dt.datetime] = None) -> int:
        """Redact the conversations nobody wrote in for ``idle_for`` (a form left unfinished
        keeps its answers until then): the number rewritten."""
        cutoff = _timestamp(now or dt.datetime.now(dt.timezone.utc)) - idle_for.total_seconds()
        slots = [events.c.data.like(f'%"name": "{name}"%') for name in personal.PERSONAL_SLOTS]
        candidates = sa.or_(
            sa.and_(events.c.type_name == "slot", sa.or_(*slots)),
            sa.and_(events.c.type_name == "user", events.c.data.like("%@%")),
        )
        idle = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        try:
            with self.engine.begin() as connection:
                if not self._exists(connection):
                    return 0
                senders = connection.execute(
                    sa.select(events.c.sender_id)
                    .where(candidates, events.c.sender_id.in_(idle))
                    .distinct()
                ).scalars()
                rewritten = [s for s in list(senders) if self.redact(connection, s)]
        except SQLAlchemyError as error:
            raise ConversationStoreError(f"redaction failed ({type(error).__name__})") from None
        log.info("abandoned conversations redacted: %d", len(rewritten))
        return len(rewritten)

    def purge(self, older_than: dt.timedelta, now: Optional[dt.datetime] = None) -> int:
        """Delete the conversations whose last event is older than ``older_than``: the
        number of events deleted."""
        if older_than < dt.timedelta(0):
            raise ValueError("older_than must not be negative")
        cutoff = _timestamp(now or dt.datetime.now(dt.timezone.utc)) - older_than.total_seconds()
        old = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        try:
            with self.engine.begin() as connection:
                if not self._exists(connection):
                    return 0
                deleted = connection.execute(
                    events.delete().where(events.c.sender_id.in_(old.scalar_subquery()))
                ).rowcount
        except SQLAlchemyError as error:
            raise ConversationStoreError(f"purge failed ({type(error).__name__})") from None
        log.info("purged %d conversation event(s)", deleted)
        return int(deleted)
