"""Pre-applications and "tell me when the call opens" requests, in a SQL database.

SQLite under ``var/`` by default, PostgreSQL (or anything SQLAlchemy speaks) when
``DATABASE_URL`` says so. The schema is owned by the Alembic migrations in
``migrations/``; :class:`Storage` brings the database to ``head`` when it starts.

Data protection (docs/architecture.md, README "Security and personal data"): names,
e-mails and free-text answers are personal data. They are stored only with consent, never
logged and never put in an exception message: log lines carry references and counts only,
and database errors are re-raised as :class:`StorageError` without their driver message
(which can quote the row). The rules of each field, the consent check among them, are
``bot.domain.fields``; they are applied here, at the point of storage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Iterator
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot import ROOT
from bot.domain import fields
from bot.domain.fields import (
    MAX_EMAIL,
    MAX_FIRST_NAME,
    InvalidSubmission,
    normalize_email,
    normalize_reference,
)
from bot.domain.fields import ConsentRequired as ConsentRequired  # raised by submit()
from bot.infra import settings

log = logging.getLogger(__name__)

DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'applications.db'}"
MIGRATIONS_DIR = ROOT / "migrations"

REFERENCE_ATTEMPTS = 5


class StorageError(Exception):
    """The database failed. The message never carries personal data."""


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend (naive UTC stored)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[dt.datetime], dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[dt.datetime], dialect: Any) -> Any:
        return None if value is None else value.replace(tzinfo=dt.timezone.utc)


# Names match migrations/versions/, so `alembic revision --autogenerate` sees no drift.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

pre_applications = sa.Table(
    "pre_applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(16), nullable=False, unique=True),
    sa.Column("conversation_key", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("promotion", sa.Integer, nullable=False),
    sa.Column("target_profile", sa.String(32), nullable=False),
    sa.Column("years_of_experience", sa.Integer, nullable=False),
    sa.Column("entrepreneurial_experience", sa.Boolean, nullable=False),
    sa.Column("entrepreneurial_description", sa.Text, nullable=True),
    sa.Column("led_teams", sa.Boolean, nullable=True),
    sa.Column("project_interest", sa.Text, nullable=False),
    sa.Column("first_name", sa.String(MAX_FIRST_NAME), nullable=False),
    sa.Column("email", sa.String(MAX_EMAIL), nullable=False, index=True),
    sa.Column("consent", sa.Boolean, nullable=False),
    # Double opt-in (bot.mail, migration 0002): the e-mail with the reference went out, and
    # the address was confirmed through its signed link.
    sa.Column("confirmation_sent_at", UTCDateTime(), nullable=True),
    sa.Column("email_confirmed_at", UTCDateTime(), nullable=True),
    sa.CheckConstraint("consent", name="consent"),
    sa.CheckConstraint("years_of_experience BETWEEN 0 AND 60", name="years"),
)

notification_requests = sa.Table(
    "notification_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(MAX_EMAIL), nullable=False, unique=True),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("notified_at", UTCDateTime(), nullable=True),
    # Double opt-in and the opening mailing (bot.mail, migration 0002): the confirmation
    # e-mail went out, its link was followed, and a mailing run has claimed the row.
    sa.Column("confirmation_sent_at", UTCDateTime(), nullable=True),
    sa.Column("confirmed_at", UTCDateTime(), nullable=True),
    sa.Column("claimed_at", UTCDateTime(), nullable=True),
    sa.CheckConstraint("consent", name="consent"),
)

# "Was this answer helpful?" (bot.applications.feedback, migration 0003): one row per bot
# message, no personal data (the comment is redacted before it is written).
answer_feedback = sa.Table(
    "answer_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("message_id", sa.String(32), nullable=False, unique=True),
    sa.Column("response", sa.String(100), nullable=False, index=True),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
)

# The back office (bot.admin, migration 0004): staff accounts (argon2 hashes, lockout, a
# version that ends every session when it changes), the audit log of personal-data access,
# and the inbox's decisions (redacted, normalised text; a topic waits there until merged
# into data/nlu/ by `python -m bot training merge`).
staff_accounts = sa.Table(
    "staff_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("failed_sign_ins", sa.Integer, nullable=False),
    sa.Column("locked_until", UTCDateTime(), nullable=True),
    sa.Column("session_version", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("last_sign_in_at", UTCDateTime(), nullable=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime(), nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(100), nullable=True),
)

inbox_decisions = sa.Table(
    "inbox_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("text", sa.String(300), nullable=False),
    sa.Column("example", sa.String(300), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("topic", sa.String(100), nullable=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("merged_at", UTCDateTime(), nullable=True),
    sa.UniqueConstraint("language", "text"),
)

# The purge's runs (bot.applications.lifecycle, migration 0005): when, how it was started
# (``schedule``, ``command``, ``back_office``), what it deleted as counts, or the kind of the
# error that stopped it. No personal data.
PURGE_COUNTS = (
    "applications",
    "conversation_events",
    "redacted_conversations",
    "feedback",
    "inbox_decisions",
    "audit_entries",
)
purge_runs = sa.Table(
    "purge_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("started_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("finished_at", UTCDateTime(), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("error", sa.String(64), nullable=True),
    *(sa.Column(name, sa.Integer, nullable=False) for name in PURGE_COUNTS),
)

EXPORT_COLUMNS = (
    "reference",
    "created_at",
    "language",
    "promotion",
    "target_profile",
    "years_of_experience",
    "entrepreneurial_experience",
    "entrepreneurial_description",
    "led_teams",
    "project_interest",
    "first_name",
    "email",
    "consent",
)
NOTIFICATION_EXPORT_COLUMNS = ("email", "language", "consent", "created_at", "notified_at")


# ---- Inputs ----------------------------------------------------------------------------


def database_url(url: Optional[str] = None) -> str:
    """``url``, else ``DATABASE_URL``, else the SQLite file under ``var/``."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgres://"):  # Heroku / Scalingo style, refused by SQLAlchemy 1.4
        url = "postgresql://" + url[len("postgres://") :]
    return url


def conversation_key(sender_id: str, submission_token: str) -> str:
    """The idempotency key of one submission: a hash, so the raw sender id is not stored."""
    if not sender_id or not submission_token:
        raise InvalidSubmission("conversation_key", "sender id and submission token required")
    digest = hashlib.sha256(f"eig-pre-application\0{sender_id}\0{submission_token}".encode())
    return digest.hexdigest()


def _now(now: Optional[dt.datetime]) -> dt.datetime:
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(dt.timezone.utc)


def parse_duration(text: str) -> dt.timedelta:
    """``180d``, ``12h``, ``30m``, ``2w``, ``45s`` → timedelta."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text or "")
    if not match:
        raise ValueError(f"not a duration: {text!r} (expected e.g. 180d, 12h, 30m, 2w)")
    amount, unit = int(match.group(1)), match.group(2)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[unit]
    return dt.timedelta(seconds=amount * seconds)


# ---- Migrations ------------------------------------------------------------------------


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a password with % must be escaped.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """``alembic upgrade head`` on this engine's database."""
    from alembic import command

    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# ---- Storage ---------------------------------------------------------------------------


class Storage:
    """The applications database. Safe to share between threads."""

    def __init__(self, url: Optional[str] = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
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
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        try:
            migrate(self.engine)
        except SQLAlchemyError as error:
            raise StorageError(f"migration failed ({type(error).__name__})") from None

    def close(self) -> None:
        self.engine.dispose()

    # -- pre-applications

    def submit(
        self,
        conversation_key: str,
        *,
        language: str,
        promotion: int,
        target_profile: str,
        years_of_experience: int,
        entrepreneurial_experience: bool,
        entrepreneurial_description: Optional[str] = None,
        led_teams: Optional[bool] = None,
        project_interest: str,
        first_name: str,
        email: str,
        consent: bool,
        now: Optional[dt.datetime] = None,
    ) -> str:
        """Store a pre-application once per conversation key; return its reference.

        The same key again (a retried last message, two workers racing) returns the first
        reference and writes nothing.
        """
        fields.consent(consent)
        if not isinstance(conversation_key, str) or not re.fullmatch(
            r"[0-9a-f]{64}", conversation_key
        ):
            raise InvalidSubmission("conversation_key", "must be a conversation_key() hash")
        entrepreneurial = bool(
            fields.boolean("entrepreneurial_experience", entrepreneurial_experience)
        )
        description = fields.text(
            "entrepreneurial_description",
            entrepreneurial_description,
            fields.MAX_ENTREPRENEURIAL_DESCRIPTION,
            required=False,
        )
        row = {
            "conversation_key": conversation_key,
            "created_at": _now(now),
            "language": fields.choice("language", language, fields.LANGUAGES),
            "promotion": fields.integer("promotion", promotion, 1, 1000),
            "target_profile": fields.choice(
                "target_profile", target_profile, fields.TARGET_PROFILES
            ),
            "years_of_experience": fields.integer(
                "years_of_experience", years_of_experience, 0, fields.MAX_YEARS
            ),
            "entrepreneurial_experience": entrepreneurial,
            # Data minimisation: no description without the experience it describes.
            "entrepreneurial_description": description if entrepreneurial else None,
            "led_teams": fields.boolean("led_teams", led_teams, nullable=True),
            "project_interest": fields.text(
                "project_interest", project_interest, fields.MAX_PROJECT_INTEREST
            ),
            "first_name": fields.text("first_name", first_name, MAX_FIRST_NAME),
            "email": normalize_email(email),
            "consent": True,
        }
        try:
            existing = self._reference_for(conversation_key)
            if existing:
                log.info("pre-application already stored as %s", existing)
                return existing
            for _ in range(REFERENCE_ATTEMPTS):
                reference = fields.new_reference()
                try:
                    with self.engine.begin() as connection:
                        connection.execute(
                            pre_applications.insert().values(reference=reference, **row)
                        )
                except IntegrityError:
                    existing = self._reference_for(conversation_key)
                    if existing:  # the same submission won a race
                        log.info("pre-application already stored as %s", existing)
                        return existing
                    continue  # a reference collision: draw another
                log.info("pre-application %s stored", reference)
                return reference
        except SQLAlchemyError as error:
            raise StorageError(f"submit failed ({type(error).__name__})") from None
        raise StorageError("submit failed (no free reference)")

    def _reference_for(self, key: str) -> Optional[str]:
        with self.engine.connect() as connection:
            query = sa.select(pre_applications.c.reference).where(
                pre_applications.c.conversation_key == key
            )
            return connection.execute(query).scalar_one_or_none()

    def delete(self, reference: str, email: str) -> bool:
        """Delete a pre-application when both its reference and its e-mail match.

        The person's notification request (same e-mail) goes with it. False when nothing
        matched: the caller says so without telling which of the two was wrong.
        """
        reference = normalize_reference(reference)
        try:
            address = normalize_email(email)
        except InvalidSubmission:
            log.info("deletion request did not match")
            return False
        try:
            with self.engine.begin() as connection:
                deleted = connection.execute(
                    pre_applications.delete().where(
                        pre_applications.c.reference == reference,
                        pre_applications.c.email == address,
                    )
                ).rowcount
                if deleted:
                    connection.execute(
                        notification_requests.delete().where(
                            notification_requests.c.email == address
                        )
                    )
        except SQLAlchemyError as error:
            raise StorageError(f"delete failed ({type(error).__name__})") from None
        if deleted:
            log.info("pre-application %s deleted on request", reference)
        else:
            log.info("deletion request did not match")
        return bool(deleted)

    # -- notification requests

    def request_notification(
        self, email: str, *, language: str, consent: bool, now: Optional[dt.datetime] = None
    ) -> bool:
        """Ask to be told when the call opens; True if new, False if already asked."""
        fields.consent(consent)
        row = {
            "email": normalize_email(email),
            "language": fields.choice("language", language, fields.LANGUAGES),
            "consent": True,
            "created_at": _now(now),
            "notified_at": None,
        }
        query = sa.select(notification_requests.c.id).where(
            notification_requests.c.email == row["email"]
        )
        try:
            with self.engine.connect() as connection:
                if connection.execute(query).first():
                    log.info("notification request already stored")
                    return False
            try:
                with self.engine.begin() as connection:
                    connection.execute(notification_requests.insert().values(**row))
            except IntegrityError:
                log.info("notification request already stored")
                return False
        except SQLAlchemyError as error:
            raise StorageError(f"notification request failed ({type(error).__name__})") from None
        log.info("notification request stored")
        return True

    def cancel_notification(self, email: str) -> bool:
        try:
            address = normalize_email(email)
        except InvalidSubmission:
            return False
        try:
            with self.engine.begin() as connection:
                deleted = connection.execute(
                    notification_requests.delete().where(notification_requests.c.email == address)
                ).rowcount
        except SQLAlchemyError as error:
            raise StorageError(f"cancel failed ({type(error).__name__})") from None
        log.info("notification requests cancelled: %d", deleted)
        return bool(deleted)

    # -- retention and export

    def purge(
        self,
        older_than: dt.timedelta,
        now: Optional[dt.datetime] = None,
        *,
        notifications_older_than: Optional[dt.timedelta] = None,
    ) -> int:
        """Delete what was created strictly before ``now - older_than`` (notification
        requests: ``notifications_older_than``, when given); return the count."""
        if notifications_older_than is None:
            notifications_older_than = older_than
        if min(older_than, notifications_older_than) < dt.timedelta(0):
            raise ValueError("older_than must not be negative")
        cutoff = _now(now) - older_than
        notifications_cutoff = _now(now) - notifications_older_than
        try:
            with self.engine.begin() as connection:
                applications = connection.execute(
                    pre_applications.delete().where(pre_applications.c.created_at < cutoff)
                ).rowcount
                notifications = connection.execute(
                    notification_requests.delete().where(
                        notification_requests.c.created_at < notifications_cutoff
                    )
                ).rowcount
        except SQLAlchemyError as error:
            raise StorageError(f"purge failed ({type(error).__name__})") from None
        log.info(
            "purged %d pre-application(s) and %d notification request(s) created before %s",
            applications,
            notifications,
            cutoff.isoformat(timespec="seconds"),
        )
        return int(applications) + int(notifications)

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every pre-application, oldest first, with :data:`EXPORT_COLUMNS`."""
        columns = [pre_applications.c[name] for name in EXPORT_COLUMNS]
        query = sa.select(*columns).order_by(pre_applications.c.created_at, pre_applications.c.id)
        yield from self._rows(query, "export")

    def export_notification_rows(self) -> Iterator[dict[str, Any]]:
        columns = [notification_requests.c[name] for name in NOTIFICATION_EXPORT_COLUMNS]
        query = sa.select(*columns).order_by(
            notification_requests.c.created_at, notification_requests.c.id
        )
        yield from self._rows(query, "export")

    def _rows(self, query: Any, what: str) -> Iterator[dict[str, Any]]:
        try:
            with self.engine.connect() as connection:
                rows = [dict(row) for row in connection.execute(query).mappings()]
        except SQLAlchemyError as error:
            raise StorageError(f"{what} failed ({type(error).__name__})") from None
        log.info("exported %d row(s)", len(rows))
        yield from rows

    def count(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: int(
                    connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                )
                for table in (pre_applications, notification_requests)
            }
