"""What the privacy notice and the consent questions say that comes from elsewhere.

Who is responsible and where to write come from the knowledge base (the programme is run
by DINUM's Etalab department, ``data/knowledge/programme.yml``); how long each store keeps
what comes from the retention settings (``EIG_RETENTION_*``, which the purge applies); the
data protection officer's address from ``EIG_DPO_EMAIL``. The notice page
(``bot.web.privacy``) and the consent questions (``bot.wording.form_answers``) both read
them here, so that neither can say something the configuration does not do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Optional

from babel.units import format_unit

from bot.infra import settings

PATH = "donnees-personnelles"  # /fr/donnees-personnelles, /en/donnees-personnelles
CNIL_COMPLAINT_URL = "https://www.cnil.fr/fr/adresser-une-plainte"

_UNITS = (
    (dt.timedelta(days=1), "duration-day"),
    (dt.timedelta(hours=1), "duration-hour"),
    (dt.timedelta(minutes=1), "duration-minute"),
)


def notice_path(language: str) -> str:
    return f"/{language}/{PATH}"


def notice_url(language: str) -> str:
    """The notice's address as people reach the web service (``EIG_PUBLIC_URL``)."""
    return settings.public_url() + notice_path(language)


def duration(value: dt.timedelta, language: str) -> str:
    """``value`` in words, exactly: "30 jours", "365 days", "2 heures", "90 minutes"."""
    for unit, name in _UNITS:
        if value >= unit and value % unit == dt.timedelta(0):
            return format_unit(value // unit, name, length="long", locale=language)
    seconds = int(value.total_seconds())
    return format_unit(seconds, "duration-second", length="long", locale=language)


@dataclass(frozen=True)
class Retention:
    """How long each store keeps personal data, in words of one language."""

    conversations: str
    applications: str
    notifications: str
    unfinished: str
    feedback: str
    inbox: str
    audit: str


def retention(language: str) -> Retention:
    return Retention(
        conversations=duration(settings.RETENTION_CONVERSATIONS.get(), language),
        applications=duration(settings.RETENTION_APPLICATIONS.get(), language),
        notifications=duration(settings.RETENTION_NOTIFICATIONS.get(), language),
        unfinished=duration(settings.RETENTION_UNFINISHED.get(), language),
        feedback=duration(settings.RETENTION_FEEDBACK.get(), language),
        inbox=duration(settings.RETENTION_INBOX.get(), language),
        audit=duration(settings.RETENTION_AUDIT.get(), language),
    )


def dpo_email() -> Optional[str]:
    """The data protection officer's bare address, or None when it is not configured."""
    return parseaddr(settings.DPO_EMAIL.get())[1] or None
