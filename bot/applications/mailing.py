"""The applications database's side of e-mail: double opt-in and the opening mailing.

An address given in the chat is confirmed before it is used (``bot.mail``): the rows of
``storage`` carry when the confirmation e-mail went out and when its link was followed.
Only a confirmed notification request gets "the call is open"; a run of the mailing
*claims* a request before it sends and marks it notified right after the SMTP server
accepted the message, so that a rerun after an interruption sends the rest and nothing
twice. A claim left by a run that was killed outright expires after ``lease``.

A link names a row by its id and a digest of its address (:func:`digest`), never by the
address itself: the digest also makes a link void once its row is gone and the id reused.
Log lines carry ids and counts, never an address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.applications.storage import (
    Storage,
    StorageError,
    notification_requests,
    pre_applications,
)

log = logging.getLogger(__name__)

NOTIFICATION = "notification"
APPLICATION = "application"
TABLES = {NOTIFICATION: notification_requests, APPLICATION: pre_applications}
CONFIRMED = {NOTIFICATION: "confirmed_at", APPLICATION: "email_confirmed_at"}


def digest(email: str) -> str:
    """A short, one-way digest of an address, for links."""
    return hashlib.sha256(f"eig-mail\0{email}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Recipient:
    """One row an e-mail goes to: which table, its id, the address and its language."""

    kind: str
    id: int
    email: str
    language: str
    created_at: dt.datetime


class Mailing:
    """E-mail state of the applications database. Safe to share between threads."""

    def __init__(self, store: Storage) -> None:
        self.store = store

    # -- reading

    def _one(self, query: Any, what: str) -> Optional[dict[str, Any]]:
        try:
            with self.store.engine.connect() as connection:
                row = connection.execute(query).mappings().first()
        except SQLAlchemyError as error:
            raise StorageError(f"{what} failed ({type(error).__name__})") from None
        return dict(row) if row else None

    def _all(self, query: Any, what: str) -> list[dict[str, Any]]:
        try:
            with self.store.engine.connect() as connection:
                return [dict(row) for row in connection.execute(query).mappings()]
        except SQLAlchemyError as error:
            raise StorageError(f"{what} failed ({type(error).__name__})") from None

    def _write(self, statement: Any, what: str) -> int:
        try:
            with self.store.engine.begin() as connection:
                return int(connection.execute(statement).rowcount)
        except SQLAlchemyError as error:
            raise StorageError(f"{what} failed ({type(error).__name__})") from None

    @staticmethod
    def _recipient(kind: str, row: dict[str, Any]) -> Recipient:
        return Recipient(kind, row["id"], row["email"], row["language"], row["created_at"])

    def notification(self, email: str) -> Optional[Recipient]:
        table = notification_requests
        row = self._one(sa.select(table).where(table.c.email == email), "lookup")
        return self._recipient(NOTIFICATION, row) if row else None

    def is_confirmed(self, recipient: Recipient) -> bool:
        table = TABLES[recipient.kind]
        column = table.c[CONFIRMED[recipient.kind]]
        row = self._one(sa.select(column).where(table.c.id == recipient.id), "lookup")
        return bool(row and row[column.name] is not None)

    def application(self, reference: str) -> Optional[dict[str, Any]]:
        """The whole pre-application with this reference, for its confirmation e-mail."""
        table = pre_applications
        return self._one(sa.select(table).where(table.c.reference == reference), "lookup")

    def by_link(self, kind: str, row_id: int, address_digest: str) -> Optional[dict[str, Any]]:
        """The row a link names, if it still exists and still has the address linked."""
        table = TABLES[kind]
        row = self._one(sa.select(table).where(table.c.id == row_id), "lookup")
        if row is None or digest(row["email"]) != address_digest:
            return None
        return row

    def unsent_confirmations(self, now: dt.datetime, within: dt.timedelta) -> list[Recipient]:
        """Rows of the last ``within`` whose confirmation e-mail has not gone out yet."""
        found = []
        for kind, table in TABLES.items():
            query = (
                sa.select(table)
                .where(
                    table.c.confirmation_sent_at.is_(None),
                    table.c[CONFIRMED[kind]].is_(None),
                    table.c.created_at >= now - within,
                )
                .order_by(table.c.id)
            )
            found += [self._recipient(kind, row) for row in self._all(query, "lookup")]
        return found

    def due(self) -> list[Recipient]:
        """Confirmed notification requests not notified yet (what a run would send)."""
        table = notification_requests
        query = (
            sa.select(table)
            .where(table.c.confirmed_at.is_not(None), table.c.notified_at.is_(None))
            .order_by(table.c.id)
        )
        return [self._recipient(NOTIFICATION, row) for row in self._all(query, "lookup")]

    # -- double opt-in

    def mark_confirmation_sent(self, recipient: Recipient, now: dt.datetime) -> None:
        table = TABLES[recipient.kind]
        self._write(
            table.update().where(table.c.id == recipient.id).values(confirmation_sent_at=now),
            "mark",
        )

    def confirm(self, kind: str, row_id: int, address_digest: str, now: dt.datetime) -> bool:
        """Confirm the address of the row a link names; True when it exists (confirmed
        now or before)."""
        row = self.by_link(kind, row_id, address_digest)
        if row is None:
            return False
        table = TABLES[kind]
        column = table.c[CONFIRMED[kind]]
        self._write(
            table.update().where(table.c.id == row_id, column.is_(None)).values({column.name: now}),
            "confirm",
        )
        log.info("%s %d confirmed", kind, row_id)
        return True

    def purge_unconfirmed(self, now: dt.datetime, within: dt.timedelta) -> int:
        """Delete the notification requests not confirmed ``within`` of being made."""
        table = notification_requests
        count = self._write(
            table.delete().where(table.c.confirmed_at.is_(None), table.c.created_at < now - within),
            "purge",
        )
        log.info("purged %d unconfirmed notification request(s)", count)
        return count

    # -- the opening mailing

    def claim(self, now: dt.datetime, lease: dt.timedelta) -> Optional[Recipient]:
        """Take the next confirmed, unnotified request no live run holds; None when done."""
        table = notification_requests
        free = sa.or_(table.c.claimed_at.is_(None), table.c.claimed_at < now - lease)
        waiting = sa.and_(table.c.confirmed_at.is_not(None), table.c.notified_at.is_(None), free)
        while True:
            row = self._one(sa.select(table).where(waiting).order_by(table.c.id), "claim")
            if row is None:
                return None
            taken = self._write(
                table.update().where(table.c.id == row["id"], waiting).values(claimed_at=now),
                "claim",
            )
            if taken:
                return self._recipient(NOTIFICATION, row)
            # another run took it first: look again

    def mark_notified(self, recipient: Recipient, now: dt.datetime) -> None:
        table = notification_requests
        self._write(
            table.update()
            .where(table.c.id == recipient.id)
            .values(notified_at=now, claimed_at=None),
            "mark",
        )

    def release(self, recipient: Recipient) -> None:
        table = notification_requests
        self._write(
            table.update().where(table.c.id == recipient.id).values(claimed_at=None), "release"
        )
