"""Personal data across every store: erased on request, purged after each store's retention.

Two stores hold it: the applications database (``storage``: pre-applications and
notification requests) and the conversation store (``conversations``: Rasa's events).
``erase`` is what "delete my data" does, in the assistant and on the command line: the
rows go, and every conversation that holds the person's e-mail or reference is redacted,
so that "your data has been deleted" is true. ``purge`` is what ``python -m bot purge``
runs on a schedule: each store's retention period (``EIG_RETENTION_*``) applied.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.applications import storage
from bot.applications.conversations import Conversations
from bot.domain.fields import InvalidSubmission, normalize_email, normalize_reference
from bot.infra import settings

log = logging.getLogger(__name__)

# What a pre-application holds about its person, besides its reference and e-mail.
PERSONAL_COLUMNS = ("first_name", "email", "entrepreneurial_description", "project_interest")


def _application_values(applications: storage.Storage, reference: str, email: str) -> list[str]:
    """The personal values of the pre-application with this reference and e-mail, if any."""
    table = storage.pre_applications
    columns = [table.c[name] for name in PERSONAL_COLUMNS]
    query = sa.select(*columns).where(table.c.reference == reference, table.c.email == email)
    try:
        with applications.engine.connect() as connection:
            row = connection.execute(query).first()
    except SQLAlchemyError as error:
        raise storage.StorageError(f"lookup failed ({type(error).__name__})") from None
    return [value for value in (row or ()) if isinstance(value, str)]


def erase(
    applications: storage.Storage,
    conversations: Conversations,
    reference: Optional[str],
    email: str,
) -> bool:
    """Delete the pre-application with this reference and e-mail (``reference`` None: the
    notification request of ``email`` only) and redact every conversation holding them.

    True when a pre-application was deleted; with no reference, True whatever was found
    (the answer must not tell whether an address was on the list). A reference whose
    e-mail does not match deletes and redacts nothing.
    """
    try:
        address = normalize_email(email)
    except InvalidSubmission:
        return False
    if reference is None:
        applications.cancel_notification(address)
        conversations.erase([address])
        return True
    reference = normalize_reference(reference)
    values = _application_values(applications, reference, address)
    if not applications.delete(reference, address):
        return False
    rewritten = conversations.erase([reference, address, *values])
    log.info("pre-application %s erased; %d conversation(s) redacted", reference, rewritten)
    return True


@dataclass(frozen=True)
class Purged:
    """What one purge removed: rows of the applications database, conversation events, and
    conversations whose unfinished form's answers were redacted."""

    applications: int
    conversation_events: int
    redacted_conversations: int

    def __str__(self) -> str:
        return (
            f"purged {self.applications} application row(s), "
            f"{self.conversation_events} conversation event(s); "
            f"redacted {self.redacted_conversations} abandoned conversation(s)"
        )


def purge(
    applications: storage.Storage,
    conversations: Conversations,
    now: Optional[dt.datetime] = None,
) -> Purged:
    """Every store's retention period, from the settings, applied at ``now``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    rows = applications.purge(
        settings.RETENTION_APPLICATIONS.get(),
        now,
        notifications_older_than=settings.RETENTION_NOTIFICATIONS.get(),
    )
    events = conversations.purge(settings.RETENTION_CONVERSATIONS.get(), now)
    redacted = conversations.redact_idle(settings.RETENTION_UNFINISHED.get(), now)
    return Purged(rows, events, redacted)
