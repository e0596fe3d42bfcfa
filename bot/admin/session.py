"""The back office's session: a signed cookie, an idle timeout, CSRF tokens.

The cookie (``eig_admin``) holds the account's id, its ``session_version`` and the
session's CSRF token, signed with HMAC-SHA256 (itsdangerous) under ``EIG_ADMIN_SECRET``
and time-stamped: older than ``EIG_ADMIN_IDLE_TIMEOUT`` it is refused, and every request
signs it again, so the timeout counts from the last request. It is ``HttpOnly``,
``SameSite=Strict``, limited to ``/admin/``, and ``Secure`` over HTTPS. Nothing is kept
on the server: disabling the account or signing out changes ``session_version``, which
ends every session of the account.

Every form carries the session's CSRF token; the sign-in form, before any session, a
token of its own, from a second signed cookie (``eig_admin_csrf``).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any, Optional

from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.infra import settings

log = logging.getLogger(__name__)

COOKIE = "eig_admin"
LOGIN_COOKIE = "eig_admin_csrf"
PATH = "/admin/"
LOGIN_MAX_AGE_S = 3600


@dataclass(frozen=True)
class Session:
    staff_id: int
    version: int
    csrf: str


class Sessions:
    """Signs and reads session cookies with one secret (``EIG_ADMIN_SECRET``, else a random
    one made at start-up: sessions then end with the process)."""

    def __init__(self, secret: Optional[str] = None, idle_timeout_s: Optional[float] = None):
        if secret is None:
            secret = settings.ADMIN_SECRET.get()
            if not secret:
                secret = secrets.token_urlsafe(32)
                log.info("admin.sessions: no EIG_ADMIN_SECRET, sessions end at restart")
        if idle_timeout_s is None:
            idle_timeout_s = settings.ADMIN_IDLE_TIMEOUT.get().total_seconds()
        self.idle_timeout_s = idle_timeout_s
        self._session = URLSafeTimedSerializer(secret, salt="eig-admin-session")
        self._login = URLSafeTimedSerializer(secret, salt="eig-admin-login")

    def new(self, staff_id: int, version: int) -> Session:
        return Session(staff_id, version, secrets.token_urlsafe(32))

    def dump(self, session: Session) -> str:
        return self._session.dumps([session.staff_id, session.version, session.csrf])

    def load(self, cookie: Optional[str]) -> Optional[Session]:
        """The session of a cookie, or None if it is missing, forged or idle too long."""
        if not cookie:
            return None
        try:
            value: Any = self._session.loads(cookie, max_age=int(self.idle_timeout_s))
        except BadSignature:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not all(isinstance(v, t) for v, t in zip(value, (int, int, str), strict=True))
        ):
            return None
        return Session(*value)

    def login_token(self) -> tuple[str, str]:
        """``(token for the form, value of the login cookie)``."""
        token = secrets.token_urlsafe(32)
        return token, self._login.dumps(token)

    def login_token_valid(self, cookie: Optional[str], submitted: Optional[str]) -> bool:
        if not cookie or not submitted:
            return False
        try:
            token = self._login.loads(cookie, max_age=LOGIN_MAX_AGE_S)
        except BadSignature:
            return False
        return isinstance(token, str) and same(token, submitted)


def same(expected: str, submitted: Optional[str]) -> bool:
    """Constant-time comparison of a CSRF token."""
    if not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


def cookie_options(secure: bool, max_age: Optional[float] = None) -> dict[str, Any]:
    options: dict[str, Any] = {
        "path": PATH,
        "httponly": True,
        "samesite": "Strict",
        "secure": secure,
    }
    if max_age is not None:
        options["max_age"] = int(max_age)
    return options
