"""Personal data across every store: erased on request, purged after each store's retention.

Two stores hold it: the applications database (``storage``: pre-applications and
notification requests) and the conversation store (``conversations``: Rasa's events).
``erase`` is what "delete my data" does, in the assistant and on the command line: the
rows go, and every conversation that holds the person's e-mail or reference is redacted,
so that "your data has been deleted" is true. ``purge`` is what ``python -m bot purge``
runs on a schedule: each store's retention period (``EIG_RETENTION_*``) applied, the
feedback's and the back office's tables included (answer feedback, inbox decisions, audit
log). Each run is recorded in ``purge_runs`` (counts only); ``schedule`` reads the last one
and when the next is due, for the back office and ``python -m bot purge --status``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.applications import storage
from bot.applications.conversations import Conversations, ConversationStoreError
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
    """What one purge removed, counts only: rows of pre-applications and notification
    requests, conversation events, conversations whose unfinished form's answers were
    redacted, answer feedback, inbox decisions and audit log entries."""

    applications: int
    conversation_events: int
    redacted_conversations: int
    feedback: int = 0
    inbox_decisions: int = 0
    audit_entries: int = 0

    def __str__(self) -> str:
        return (
            f"purged {self.applications} application row(s), "
            f"{self.conversation_events} conversation event(s); "
            f"redacted {self.redacted_conversations} abandoned conversation(s); "
            f"purged {self.feedback} feedback row(s), {self.inbox_decisions} inbox "
            f"decision(s), {self.audit_entries} audit log entry(ies)"
        )


# How a purge was started, as its run is recorded.
SCHEDULE, COMMAND, BACK_OFFICE = "schedule", "command", "back_office"
SOURCES = (SCHEDULE, COMMAND, BACK_OFFICE)


def _delete_before(
    applications: storage.Storage, table: sa.Table, column: str, cutoff: dt.datetime, *where: Any
) -> int:
    """Delete the rows of ``table`` whose ``column`` is strictly before ``cutoff``."""
    try:
        with applications.engine.begin() as connection:
            statement = table.delete().where(table.c[column] < cutoff, *where)
            return int(connection.execute(statement).rowcount)
    except SQLAlchemyError as error:
        raise storage.StorageError(f"purge failed ({type(error).__name__})") from None


def purge_back_office(applications: storage.Storage, now: dt.datetime) -> tuple[int, int, int]:
    """The back office's and the feedback's tables past their retention period: answer
    feedback (``EIG_RETENTION_FEEDBACK``), the inbox's decisions not merged into the training
    data (``EIG_RETENTION_INBOX``; a merged sentence is training data in ``data/nlu/``), the
    audit log and the purge's own record of its runs (``EIG_RETENTION_AUDIT``). Returns the
    feedback rows, decisions and audit entries deleted."""
    feedback = _delete_before(
        applications,
        storage.answer_feedback,
        "created_at",
        now - settings.RETENTION_FEEDBACK.get(),
    )
    decisions = _delete_before(
        applications,
        storage.inbox_decisions,
        "decided_at",
        now - settings.RETENTION_INBOX.get(),
        storage.inbox_decisions.c.merged_at.is_(None),
    )
    traces = now - settings.RETENTION_AUDIT.get()
    audit = _delete_before(applications, storage.audit_log, "at", traces)
    _delete_before(applications, storage.purge_runs, "started_at", traces)
    return feedback, decisions, audit


def purge(
    applications: storage.Storage,
    conversations: Conversations,
    now: Optional[dt.datetime] = None,
    source: str = COMMAND,
) -> Purged:
    """Every store's retention period, from the settings, applied at ``now``; the run is
    recorded (``purge_runs``: when, ``source``, the counts, or the kind of error that
    stopped it, which is raised again)."""
    if source not in SOURCES:
        raise ValueError("unknown purge source")
    now = now or dt.datetime.now(dt.timezone.utc)
    started = dt.datetime.now(dt.timezone.utc)
    counts = dict.fromkeys(storage.PURGE_COUNTS, 0)
    try:
        counts["applications"] = applications.purge(
            settings.RETENTION_APPLICATIONS.get(),
            now,
            notifications_older_than=settings.RETENTION_NOTIFICATIONS.get(),
        )
        counts["conversation_events"] = conversations.purge(
            settings.RETENTION_CONVERSATIONS.get(), now
        )
        counts["redacted_conversations"] = conversations.redact_idle(
            settings.RETENTION_UNFINISHED.get(), now
        )
        feedback, decisions, audit = purge_back_office(applications, now)
        counts.update(feedback=feedback, inbox_decisions=decisions, audit_entries=audit)
    except (storage.StorageError, ConversationStoreError) as error:
        _record(applications, started, source, counts, type(error).__name__)
        raise
    _record(applications, started, source, counts, None)
    return Purged(**counts)


def _record(
    applications: storage.Storage,
    started: dt.datetime,
    source: str,
    counts: dict[str, int],
    error: Optional[str],
) -> None:
    """One row of ``purge_runs``; a database that cannot take it is logged, not raised (the
    purge itself is done, or has already failed)."""
    row = {
        "started_at": started,
        "finished_at": dt.datetime.now(dt.timezone.utc),
        "source": source,
        "error": error,
        **counts,
    }
    try:
        with applications.engine.begin() as connection:
            connection.execute(storage.purge_runs.insert().values(**row))
    except SQLAlchemyError as error_:
        log.error("purge run not recorded (%s)", type(error_).__name__)


@dataclass(frozen=True)
class Run:
    """One recorded purge run."""

    started_at: dt.datetime
    finished_at: dt.datetime
    source: str
    error: Optional[str]
    purged: Purged


@dataclass(frozen=True)
class Schedule:
    """The last purge run, the last one that ran on the schedule (the purge service or the
    hourly command), when the next is due (that one plus ``EIG_PURGE_EVERY``), and whether it
    is late (a whole period past due: the purge service is probably not running)."""

    last: Optional[Run]
    last_scheduled: Optional[Run]
    every: dt.timedelta
    next_at: Optional[dt.datetime]
    late: bool

    def __str__(self) -> str:
        if self.last is None:
            return "no purge run recorded yet: is the purge service running?"
        last = self.last
        when = last.started_at.isoformat(timespec="seconds")
        outcome = f"failed ({last.error})" if last.error else str(last.purged)
        lines = [f"last run: {when} ({last.source}): {outcome}"]
        if self.next_at is None:
            lines.append("next run: none scheduled yet (only back office runs are recorded)")
        else:
            due = self.next_at.isoformat(timespec="seconds")
            lines.append(
                f"next run: {due}" + (" (LATE: is the purge service running?)" if self.late else "")
            )
        return "\n".join(lines)


def _run(row: Any) -> Run:
    purged = Purged(**{name: int(row[name]) for name in storage.PURGE_COUNTS})
    return Run(row["started_at"], row["finished_at"], row["source"], row["error"], purged)


def schedule(applications: storage.Storage, now: Optional[dt.datetime] = None) -> Schedule:
    """The purge's last run and next one, as the back office and ``python -m bot purge
    --status`` show them."""
    now = now or dt.datetime.now(dt.timezone.utc)
    every = settings.PURGE_EVERY.get()
    table = storage.purge_runs
    newest = sa.select(table).order_by(table.c.started_at.desc(), table.c.id.desc()).limit(1)
    scheduled = newest.where(table.c.source != BACK_OFFICE)
    try:
        with applications.engine.connect() as connection:
            last = connection.execute(newest).mappings().first()
            last_scheduled = connection.execute(scheduled).mappings().first()
    except SQLAlchemyError as error:
        raise storage.StorageError(f"lookup failed ({type(error).__name__})") from None
    regular = _run(last_scheduled) if last_scheduled else None
    next_at = regular.started_at + every if regular else None
    late = next_at is not None and now > next_at + every
    return Schedule(_run(last) if last else None, regular, every, next_at, late)
