"""``python -m bot notify run``: the e-mail work of the schedule, once.

Run on the purge's schedule (:func:`scheduled` follows each purge, ``python -m bot purge``
once as well as ``--every``, so ``make run``, ``make run-cluster`` and the purge CronJob run
it too), or by
hand, ``--dry-run`` to see what it would send. One run purges the notification requests
left unconfirmed, sends again the confirmations that could not leave, and, once the
knowledge base and the clock (``EIG_TODAY``) say the call is open, sends "the call is
open" to every confirmed request not told yet: each address once, across interrupted
runs (``bot.mail.service``). With e-mail not configured the command says which variables
to set; the schedule skips it quietly.
"""

from __future__ import annotations

import logging
from typing import Optional

from bot.applications import conversations, storage
from bot.mail import sender
from bot.mail.service import Mail

log = logging.getLogger(__name__)


def run_once(dry_run: bool = False, store: Optional[storage.Storage] = None) -> str:
    """One run; raises ``MailNotConfigured`` when e-mail is off."""
    applications = store or storage.Storage(migrate=True)
    mail = Mail.from_settings(applications)
    try:
        purged, resent, opening = mail.housekeeping(dry_run=dry_run)
    finally:
        if "conversations" in mail.__dict__:
            mail.conversations.close()
        if store is None:
            applications.close()
    if dry_run:
        return str(opening)
    return (
        f"purged {purged} unconfirmed notification request(s); sent {resent} confirmation(s) "
        f"again; {opening}"
    )


def scheduled() -> Optional[str]:
    """The schedule's call: nothing when e-mail is off, failures logged and retried later.
    What the run did, or None when it did not run."""
    if not sender.configured():
        return None
    try:
        done = run_once()
    except (storage.StorageError, conversations.ConversationStoreError) as error:
        log.error("notify failed: %s", error)
        return None
    log.info("notify: %s", done)
    return done
