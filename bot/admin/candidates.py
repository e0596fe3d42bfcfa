"""The pre-applications as the data officer sees them, through the same code as the command
line: the export is ``Storage.export_rows`` written by ``bot.infra.spreadsheet`` (safe CSV
cells, XLSX), the deletion is ``bot.applications.lifecycle.erase`` (the row, the person's
notification request, and every conversation that holds them), the purge is
``lifecycle.purge`` (what ``python -m bot purge`` runs on its schedule), and the last run
and the next one are ``lifecycle.schedule`` (``python -m bot purge --status``).

The list shows no name or e-mail: a record's personal data shows on its own page only, and
each view, export, deletion and purge goes to the audit log (``accounts.audit``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, BinaryIO, Optional, TextIO

import sqlalchemy as sa

from bot.applications import lifecycle
from bot.applications.conversations import Conversations
from bot.applications.storage import EXPORT_COLUMNS, Storage, pre_applications
from bot.domain.fields import normalize_reference
from bot.infra import settings, spreadsheet

LIST_COLUMNS = (
    "reference",
    "created_at",
    "language",
    "promotion",
    "target_profile",
    "years_of_experience",
    "email_confirmed_at",
)
MAX_LISTED = 200
_SEARCH = re.compile(r"[A-Za-z0-9\s\-]{1,20}")


def listing(storage: Storage, search: str = "") -> list[dict[str, Any]]:
    """The newest pre-applications (``MAX_LISTED``), or those whose reference starts with
    ``search`` (``eig 7k3p`` finds ``EIG-7K3P-…``); no personal data."""
    columns = [pre_applications.c[name] for name in LIST_COLUMNS]
    query = sa.select(*columns).order_by(pre_applications.c.created_at.desc())
    search = search.strip()
    if search:
        if not _SEARCH.fullmatch(search):
            return []
        compact = re.sub(r"[\s\-]", "", search).upper().removeprefix("EIG")
        prefix = "EIG-" + compact[:4] + ("-" + compact[4:] if len(compact) > 4 else "")
        query = query.where(pre_applications.c.reference.like(prefix + "%"))
    with storage.engine.connect() as connection:
        return [dict(row) for row in connection.execute(query.limit(MAX_LISTED)).mappings()]


def record(storage: Storage, reference: str) -> Optional[dict[str, Any]]:
    """One pre-application with every exported column (its personal data included)."""
    columns = [pre_applications.c[name] for name in EXPORT_COLUMNS]
    query = sa.select(*columns).where(
        pre_applications.c.reference == normalize_reference(reference)
    )
    with storage.engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return dict(row) if row else None


def export(storage: Storage, kind: str, out: Any) -> int:
    """Every pre-application as ``kind`` (``csv`` to a text stream, ``xlsx`` to a binary
    one), as ``python -m bot applications export`` writes it: the row count."""
    rows = storage.export_rows()
    if kind == "xlsx":
        binary: BinaryIO = out
        return spreadsheet.write_xlsx(rows, EXPORT_COLUMNS, binary, sheet="applications")
    text: TextIO = out
    return spreadsheet.write_csv(rows, EXPORT_COLUMNS, text)


def delete(storage: Storage, conversations: Conversations, reference: str) -> bool:
    """Erase one pre-application and the person's data in every store."""
    found = record(storage, reference)
    if found is None:
        return False
    return lifecycle.erase(storage, conversations, found["reference"], found["email"])


def retention() -> dict[str, dt.timedelta]:
    """Each store's retention period and the purge service's period, from the settings."""
    return {
        "applications": settings.RETENTION_APPLICATIONS.get(),
        "notifications": settings.RETENTION_NOTIFICATIONS.get(),
        "conversations": settings.RETENTION_CONVERSATIONS.get(),
        "unfinished": settings.RETENTION_UNFINISHED.get(),
        "feedback": settings.RETENTION_FEEDBACK.get(),
        "inbox": settings.RETENTION_INBOX.get(),
        "audit": settings.RETENTION_AUDIT.get(),
        "every": settings.PURGE_EVERY.get(),
    }


def purge(storage: Storage, conversations: Conversations) -> lifecycle.Purged:
    return lifecycle.purge(storage, conversations, source=lifecycle.BACK_OFFICE)


def schedule(storage: Storage) -> lifecycle.Schedule:
    """The last purge run and the next one: what ``python -m bot purge --status`` prints."""
    return lifecycle.schedule(storage)
