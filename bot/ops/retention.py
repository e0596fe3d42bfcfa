"""The purge service: every store's retention period applied once, or on a schedule.

``python -m bot purge`` runs ``bot.applications.lifecycle.purge`` once (a Kubernetes
CronJob, ``deploy/k8s/purge.yaml``); ``python -m bot purge --every`` runs it now and then
every ``EIG_PURGE_EVERY`` until stopped, which is how ``make run`` and ``make run-cluster``
schedule it (``bot.ops.services``, ``bot.ops.cluster``); ``python -m bot purge --status``
prints the last recorded run and when the next is due (``lifecycle.schedule``, which the
back office's applications page shows too). Either way each purge is followed
by the e-mail work when e-mail is configured (``bot.ops.notify.scheduled``). A failed
purge is logged by its kind, never with data, and tried again at the next period.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from typing import Optional

from bot.applications import conversations, lifecycle, storage
from bot.ops import notify

log = logging.getLogger(__name__)


def purge_once(
    now: Optional[dt.datetime] = None, source: str = lifecycle.COMMAND
) -> lifecycle.Purged:
    """Both stores opened as the services open them (``DATABASE_URL``, the tracker store's
    settings), purged (the run recorded as started by ``source``), closed."""
    applications = storage.Storage(migrate=True)
    store = conversations.Conversations()
    try:
        return lifecycle.purge(applications, store, now, source)
    finally:
        applications.close()
        store.close()


def run_every(period: dt.timedelta, stop: Optional[threading.Event] = None) -> int:
    """Purge now, then every ``period``, until ``stop`` is set (SIGTERM and SIGINT set it)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    while not stop.is_set():
        try:
            log.info("purge: %s", purge_once(source=lifecycle.SCHEDULE))
        except (storage.StorageError, conversations.ConversationStoreError) as error:
            log.error("purge failed: %s", error)
        notify.scheduled()  # the e-mail work runs on the same schedule (bot.ops.notify)
        stop.wait(period.total_seconds())
    return 0


def status(now: Optional[dt.datetime] = None) -> lifecycle.Schedule:
    """The last purge run and the next one, as the back office shows them."""
    applications = storage.Storage(migrate=True)
    try:
        return lifecycle.schedule(applications, now)
    finally:
        applications.close()
