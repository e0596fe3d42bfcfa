"""The e-mail flows: double opt-in, the links' actions, and the opening mailing.

- A notification request or a pre-application stored with consent gets one confirmation
  e-mail (:meth:`Mail.send_confirmation`), in the conversation's language; nothing else
  goes to the address until its link is followed, and :meth:`Mail.housekeeping` purges the
  notification requests still unconfirmed after ``EIG_CONFIRM_WITHIN`` and sends the
  confirmations that could not leave at once.
- :meth:`Mail.follow` does what a link says (confirm, unsubscribe, delete), only with a
  valid signature within its life; unsubscribe and delete erase the person from every
  store (``bot.applications.lifecycle.erase``).
- :meth:`Mail.run_opening` sends "the call is open" to every confirmed request once the
  knowledge base and the clock say the call is open, each address once: a request is
  claimed, sent, then marked notified, so that a run interrupted and run again sends the
  rest and nothing twice (a run killed outright frees its claim after ``LEASE``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property
from typing import Optional

from bot.applications import lifecycle
from bot.applications.conversations import Conversations
from bot.applications.mailing import APPLICATION, NOTIFICATION, Mailing, Recipient, digest
from bot.applications.storage import Storage
from bot.domain import clock, knowledge, schedule
from bot.domain.knowledge import Knowledge
from bot.infra import settings
from bot.mail import links
from bot.mail.sender import MailConfig, Sender, SendFailed
from bot.wording import mail as wording

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=15)  # a killed run's claim on a request is free after it
CONFIRM_PURPOSE = {NOTIFICATION: "confirm-notification", APPLICATION: "confirm-application"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Opening:
    """What a run of the opening mailing did (or, dry, would do)."""

    call_open: bool
    due: int
    sent: int = 0
    failed: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        if not self.call_open:
            return f"the call is not open: nothing sent ({self.due} request(s) waiting)"
        if self.dry_run:
            return f"dry run: {self.due} e-mail(s) would be sent"
        return f"sent {self.sent} e-mail(s), {self.failed} not accepted"


@dataclass
class Mail:
    """The e-mail flows over one applications database and one SMTP configuration."""

    store: Storage
    config: MailConfig
    known: Callable[[], Knowledge] = knowledge.get
    sender_factory: Callable[[MailConfig], Sender] = Sender
    conversations_factory: Callable[[], Conversations] = Conversations
    mailing: Mailing = field(init=False)

    def __post_init__(self) -> None:
        self.mailing = Mailing(self.store)

    @classmethod
    def from_settings(cls, store: Optional[Storage] = None) -> Mail:
        """From the settings; raises ``MailNotConfigured`` when e-mail is off."""
        config = MailConfig.from_settings()
        return cls(store or Storage(), config)

    @cached_property
    def conversations(self) -> Conversations:
        return self.conversations_factory()

    # -- links

    @staticmethod
    def confirm_within() -> dt.timedelta:
        return settings.CONFIRM_WITHIN.get()

    def max_ages(self) -> dict[str, dt.timedelta]:
        confirm = self.confirm_within()
        return {
            "confirm-notification": confirm,
            "confirm-application": confirm,
            "unsubscribe": settings.RETENTION_NOTIFICATIONS.get(),
            "delete-application": settings.RETENTION_APPLICATIONS.get(),
        }

    def link(self, purpose: str, row_id: int, email: str, language: str) -> str:
        token = links.sign(self.config.secret, purpose, row_id, digest(email))
        return links.url(settings.public_url(), language, purpose, token)

    def _hours(self) -> int:
        return max(1, int(self.confirm_within().total_seconds() // 3600))

    # -- double opt-in

    def _confirmation(self, recipient: Recipient) -> Optional[EmailMessage]:
        purpose = CONFIRM_PURPOSE[recipient.kind]
        confirm = self.link(purpose, recipient.id, recipient.email, recipient.language)
        if recipient.kind == NOTIFICATION:
            return wording.notification_confirmation(
                self.known(), recipient.language, self.config.sender, recipient.email,
                confirm, self._hours(),
            )  # fmt: skip
        row = self.mailing.by_link(APPLICATION, recipient.id, digest(recipient.email))
        if row is None:
            return None
        delete = self.link("delete-application", row["id"], row["email"], row["language"])
        return wording.application_confirmation(
            self.known(), row, self.config.sender, confirm, delete, self._hours()
        )

    def _send_confirmation(self, recipient: Recipient, sender: Sender) -> bool:
        message = self._confirmation(recipient)
        if message is None:
            return False
        sender.send(message)
        self.mailing.mark_confirmation_sent(recipient, _now())
        log.info("mail.confirmation_sent", extra={"kind": recipient.kind, "row": recipient.id})
        return True

    def notification_recipient(self, email: str) -> Optional[Recipient]:
        return self.mailing.notification(email)

    def application_recipient(self, reference: str) -> Optional[Recipient]:
        row = self.mailing.application(reference)
        if row is None:
            return None
        return Recipient(APPLICATION, row["id"], row["email"], row["language"], row["created_at"])

    def send_confirmation(self, recipient: Recipient) -> bool:
        """The confirmation e-mail of a row just stored; False when it could not leave
        (the next housekeeping tries again while the link would still be valid)."""
        if self.mailing.is_confirmed(recipient):
            return False
        try:
            with self.sender_factory(self.config) as sender:
                return self._send_confirmation(recipient, sender)
        except SendFailed:
            return False

    def send_cancellation(self, email: str) -> bool:
        """The link that cancels the notification request of ``email``, when there is a
        confirmed one (an unconfirmed one gets nothing and is purged anyway). The caller
        answers the same whatever this returns."""
        recipient = self.mailing.notification(email)
        if recipient is None or not self.mailing.is_confirmed(recipient):
            return False
        url = self.link("unsubscribe", recipient.id, recipient.email, recipient.language)
        message = wording.cancellation(
            self.known(), recipient.language, self.config.sender, recipient.email, url
        )
        try:
            with self.sender_factory(self.config) as sender:
                sender.send(message)
        except SendFailed:
            return False
        return True

    # -- what a link does

    def check(self, action: str, token: str) -> bool:
        """True when ``token`` is a valid, unexpired link for ``action`` to a row that
        still exists."""
        try:
            target = links.read(self.config.secret, token, action, self.max_ages())
        except links.LinkInvalid:
            return False
        return self.mailing.by_link(target.kind, target.row_id, target.digest) is not None

    def follow(self, action: str, token: str) -> bool:
        """Do what the link says; False when it is not valid (forged, expired, used up)."""
        try:
            target = links.read(self.config.secret, token, action, self.max_ages())
        except links.LinkInvalid:
            log.info("mail.link_refused", extra={"action": action})
            return False
        if action == "confirm":
            return self.mailing.confirm(target.kind, target.row_id, target.digest, _now())
        row = self.mailing.by_link(target.kind, target.row_id, target.digest)
        if row is None:
            return False
        if action == "unsubscribe":
            lifecycle.erase(self.store, self.conversations, None, row["email"])
            log.info("mail.unsubscribed", extra={"row": target.row_id})
            return True
        done = lifecycle.erase(self.store, self.conversations, row["reference"], row["email"])
        log.info("mail.deleted", extra={"row": target.row_id})
        return done

    # -- the schedule

    def run_opening(
        self,
        today: Optional[dt.date] = None,
        now: Optional[dt.datetime] = None,
        dry_run: bool = False,
    ) -> Opening:
        """ "The call is open" to every confirmed request not notified yet, if it is open."""
        k = self.known()
        status = schedule.call_status(k.current.call, today or clock.today())
        due = len(self.mailing.due())
        if status.state != schedule.OPEN:
            return Opening(False, due)
        if dry_run:
            return Opening(True, due, dry_run=True)
        sent = failed = 0
        with self.sender_factory(self.config) as sender:
            while True:
                recipient = self.mailing.claim(now or _now(), LEASE)
                if recipient is None:
                    break
                url = self.link("unsubscribe", recipient.id, recipient.email, recipient.language)
                message = wording.call_open(
                    k, recipient.language, self.config.sender, recipient.email,
                    status.closes, url,
                )  # fmt: skip
                try:
                    sender.send(message)
                except SendFailed as error:
                    failed += 1
                    if error.permanent:  # refused for good: never tried again
                        self.mailing.mark_notified(recipient, now or _now())
                        continue
                    break  # the server is in trouble: the claim lapses, a later run retries
                except BaseException:
                    self.mailing.release(recipient)  # interrupted before it was accepted
                    raise
                self.mailing.mark_notified(recipient, now or _now())
                sent += 1
        log.info("mail.opening_run", extra={"sent": sent, "failed": failed})
        return Opening(True, due, sent, failed)

    def housekeeping(
        self,
        today: Optional[dt.date] = None,
        now: Optional[dt.datetime] = None,
        dry_run: bool = False,
    ) -> tuple[int, int, Opening]:
        """What runs on the purge's schedule: unconfirmed requests purged, confirmations
        that could not leave sent again, the opening mailing. Returns the three results."""
        now = now or _now()
        within = self.confirm_within()
        purged = resent = 0
        if not dry_run:
            purged = self.mailing.purge_unconfirmed(now, within)
            pending = self.mailing.unsent_confirmations(now, within)
            if pending:
                try:
                    with self.sender_factory(self.config) as sender:
                        for recipient in pending:
                            resent += self._send_confirmation(recipient, sender)
                except SendFailed:
                    pass  # logged by the sender; the next run tries again
        return purged, resent, self.run_opening(today, now, dry_run)
