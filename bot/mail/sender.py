"""The SMTP connection: settings, encryption, pacing, and errors that never name an address.

``MailConfig.from_settings()`` reads ``EIG_SMTP_*``, ``EIG_MAIL_FROM`` and
``EIG_LINK_SECRET``; with any of the three required ones missing it raises
:class:`MailNotConfigured`, whose message names them, and :func:`configured` is False:
the assistant then offers no e-mail. :class:`Sender` keeps one connection for a batch,
waits between messages to stay under ``EIG_MAIL_RATE``, and turns every SMTP failure
into :class:`SendFailed` with the SMTP code only: the refused address is never logged.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Optional

from bot.infra import settings
from bot.infra.ratelimit import Rate, RateLimiter

log = logging.getLogger(__name__)

REQUIRED = (settings.SMTP_HOST, settings.MAIL_FROM, settings.LINK_SECRET)


class MailNotConfigured(RuntimeError):
    """E-mail is off: the message names the variables to set."""


class SendFailed(Exception):
    """One message was not accepted. ``permanent``: a 5xx answer, retrying will not help."""

    def __init__(self, reason: str, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    secret: str
    timeout_s: float
    rate: Optional[Rate]

    @classmethod
    def from_settings(cls) -> MailConfig:
        missing = [s.name for s in REQUIRED if not s.is_set()]
        if missing:
            raise MailNotConfigured(
                "e-mail is not configured: set " + ", ".join(missing) + " (docs/deploy.md)"
            )
        return cls(
            host=settings.SMTP_HOST.get(),
            port=settings.SMTP_PORT.get(),
            security=settings.SMTP_SECURITY.get(),
            user=settings.SMTP_USER.get(),
            password=settings.SMTP_PASSWORD.get(),
            sender=settings.MAIL_FROM.get(),
            secret=settings.LINK_SECRET.get(),
            timeout_s=settings.SMTP_TIMEOUT.get().total_seconds(),
            rate=settings.MAIL_RATE.get(),
        )


def configured() -> bool:
    """True when e-mail can leave: the assistant offers it only then."""
    try:
        MailConfig.from_settings()
    except MailNotConfigured:
        return False
    return True


def _code(error: smtplib.SMTPException) -> int:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return int(codes[0]) if codes else 0
    return int(getattr(error, "smtp_code", 0) or 0)


class Sender:
    """``with Sender(config) as sender: sender.send(message)``; one connection, reopened
    when the server drops it."""

    def __init__(
        self,
        config: MailConfig,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.limiter = RateLimiter(config.rate)
        self._smtp: Optional[smtplib.SMTP] = None

    def __enter__(self) -> Sender:
        return self

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp: smtplib.SMTP
        if c.security == "tls":
            smtp = smtplib.SMTP_SSL(
                c.host, c.port, timeout=c.timeout_s, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if c.user:
            smtp.login(c.user, c.password)
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the SMTP server, or raise :class:`SendFailed`."""
        wait = self.limiter.check("smtp")
        while wait:
            self.sleep(wait)
            wait = self.limiter.check("smtp")
        for attempt in (1, 2):
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:
                self._smtp = None
                if attempt == 2:
                    log.warning("mail.not_sent", extra={"reason": "disconnected"})
                    raise SendFailed("the SMTP server closed the connection", False) from None
            except smtplib.SMTPException as error:
                code = _code(error)
                permanent = 500 <= code < 600
                log.warning(
                    "mail.not_sent",
                    extra={"reason": type(error).__name__, "smtp_code": code},
                )
                if isinstance(error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)):
                    self._reset()
                else:
                    self.close()
                raise SendFailed(f"{type(error).__name__} ({code})", permanent) from None
            except OSError as error:
                self.close()
                log.warning("mail.not_sent", extra={"reason": type(error).__name__})
                raise SendFailed(
                    f"SMTP server unreachable ({type(error).__name__})", False
                ) from None

    def _reset(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.rset()
            except (smtplib.SMTPException, OSError):
                self.close()
