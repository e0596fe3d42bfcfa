"""Staff accounts, their rights, and the audit log of personal-data access.

Two roles: an ``editor`` (inbox, dashboard, knowledge) and a ``data_officer`` (also the
pre-applications and the audit log). Passwords are hashed with argon2id (argon2-cffi's
defaults); a hash made with older parameters is replaced at the next sign-in. After
``MAX_FAILURES`` failed sign-ins in a row an account is locked for ``LOCKOUT``, and a
sign-in during the lock fails without the password being checked; the answer never says
whether a name exists. Disabling an account, or signing out, changes its
``session_version``, which ends every session it had.

Accounts live in the applications database (``staff_accounts``, ``audit_log``; migration
0004). Log lines carry user names and counts, never passwords.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.applications.storage import Storage, StorageError, audit_log, staff_accounts

log = logging.getLogger(__name__)

EDITOR = "editor"
DATA_OFFICER = "data_officer"
ROLES = (EDITOR, DATA_OFFICER)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")

_hasher = PasswordHasher()
# Checked when the name is unknown, so that the answer takes as long as for a known one.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A staff account cannot be made or changed; the message says why (never a password)."""


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    role: str
    active: bool
    session_version: int
    locked_until: Optional[dt.datetime] = None
    last_sign_in_at: Optional[dt.datetime] = None

    @property
    def data_officer(self) -> bool:
        return self.role == DATA_OFFICER


def _now(now: Optional[dt.datetime]) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _staff(row: sa.engine.Row) -> Staff:
    return Staff(
        row.id,
        row.username,
        row.role,
        bool(row.active),
        int(row.session_version),
        row.locked_until,
        row.last_sign_in_at,
    )


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError(
            "a user name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password has at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"a password has at most {MAX_PASSWORD_CHARS} characters")


def add(
    storage: Storage, username: str, role: str, password: str, now: Optional[dt.datetime] = None
) -> Staff:
    """A new active account; ``AccountError`` for a bad name, role or password, or a name
    already taken."""
    name = check_username(username)
    if role not in ROLES:
        raise AccountError("the role is one of: " + ", ".join(ROLES))
    check_password(password)
    row = {
        "username": name,
        "role": role,
        "password_hash": _hasher.hash(password),
        "active": True,
        "failed_sign_ins": 0,
        "session_version": 1,
        "created_at": _now(now),
    }
    try:
        with storage.engine.begin() as connection:
            connection.execute(staff_accounts.insert().values(**row))
    except IntegrityError:
        raise AccountError(f"the user name {name!r} is taken") from None
    except SQLAlchemyError as error:
        raise StorageError(f"account not stored ({type(error).__name__})") from None
    log.info("staff account added: %s (%s)", name, role)
    return get(storage, name) or _missing(name)


def _missing(name: str) -> Staff:
    raise StorageError(f"account {name} not found after it was written")


def get(storage: Storage, username: str) -> Optional[Staff]:
    query = sa.select(staff_accounts).where(staff_accounts.c.username == username.strip().lower())
    with storage.engine.connect() as connection:
        row = connection.execute(query).first()
    return _staff(row) if row else None


def by_id(storage: Storage, staff_id: int) -> Optional[Staff]:
    query = sa.select(staff_accounts).where(staff_accounts.c.id == staff_id)
    with storage.engine.connect() as connection:
        row = connection.execute(query).first()
    return _staff(row) if row else None


def listing(storage: Storage) -> list[Staff]:
    with storage.engine.connect() as connection:
        rows = connection.execute(sa.select(staff_accounts).order_by(staff_accounts.c.username))
        return [_staff(row) for row in rows]


def disable(storage: Storage, username: str) -> bool:
    """Disable an account and end its sessions; False when there is no such account."""
    name = username.strip().lower()
    with storage.engine.begin() as connection:
        changed = connection.execute(
            staff_accounts.update()
            .where(staff_accounts.c.username == name)
            .values(active=False, session_version=staff_accounts.c.session_version + 1)
        ).rowcount
    if changed:
        log.info("staff account disabled: %s", name)
    return bool(changed)


def end_sessions(storage: Storage, staff_id: int) -> None:
    """Sign out: every session of this account ends."""
    with storage.engine.begin() as connection:
        connection.execute(
            staff_accounts.update()
            .where(staff_accounts.c.id == staff_id)
            .values(session_version=staff_accounts.c.session_version + 1)
        )


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or why not (``wrong``, ``locked``)."""

    staff: Optional[Staff]
    refused: str = ""


def authenticate(
    storage: Storage, username: str, password: str, now: Optional[dt.datetime] = None
) -> SignIn:
    """Check a name and password; count failures, lock after ``MAX_FAILURES``."""
    moment = _now(now)
    name = username.strip().lower()
    table = staff_accounts
    with storage.engine.begin() as connection:
        row = connection.execute(sa.select(table).where(table.c.username == name)).first()
        if row is None or not row.active or len(password) > MAX_PASSWORD_CHARS:
            _verify(_DUMMY_HASH, password[:MAX_PASSWORD_CHARS])
            return SignIn(None, "wrong")
        if row.locked_until is not None and row.locked_until > moment:
            return SignIn(None, "locked")
        if not _verify(row.password_hash, password):
            failures = int(row.failed_sign_ins) + 1
            locked = failures >= MAX_FAILURES
            connection.execute(
                table.update()
                .where(table.c.id == row.id)
                .values(
                    failed_sign_ins=0 if locked else failures,
                    locked_until=moment + LOCKOUT if locked else None,
                )
            )
            if locked:
                log.warning("staff account locked after %d failed sign-ins: %s", failures, name)
            return SignIn(None, "locked" if locked else "wrong")
        values: dict[str, object] = {
            "failed_sign_ins": 0,
            "locked_until": None,
            "last_sign_in_at": moment,
        }
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        connection.execute(table.update().where(table.c.id == row.id).values(**values))
    log.info("staff sign-in: %s", name)
    return SignIn(get(storage, name))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# ---- audit log -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    username: str
    action: str
    target: Optional[str]


def audit(
    storage: Storage,
    staff: Staff,
    action: str,
    target: Optional[str] = None,
    now: Optional[dt.datetime] = None,
) -> None:
    """One access to personal data: who, what (``application.view``…), which record (a
    reference, a count), when."""
    with storage.engine.begin() as connection:
        connection.execute(
            audit_log.insert().values(
                at=_now(now),
                username=staff.username,
                action=action[:64],
                target=None if target is None else target[:100],
            )
        )


def audit_entries(storage: Storage, limit: int = 500) -> list[AuditEntry]:
    query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    with storage.engine.connect() as connection:
        rows = connection.execute(query.limit(limit))
        return [AuditEntry(row.at, row.username, row.action, row.target) for row in rows]
