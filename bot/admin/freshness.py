"""Knowledge freshness: every fact of ``data/knowledge/`` with its source and ``as_of``
date, and whether it is older than ``EIG_ADMIN_STALE_AFTER``.

An ``as_of`` of a year or a month counts from its last day ("2026" is as of 31 December
2026), so that a fact is flagged only once it is surely older than the limit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Optional

from bot.domain.knowledge import Knowledge


@dataclass(frozen=True)
class Fact:
    where: str
    source: str
    source_title: str
    source_url: Optional[str]
    as_of: str
    current: bool
    stale: bool


def as_of_date(text: str) -> dt.date:
    """The last day an ``as_of`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) covers."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def facts(known: Knowledge, today: dt.date, stale_after: dt.timedelta, language: str) -> list[Fact]:
    """Every sourced fact, the stale ones first, then by file and field."""
    found = []
    for where, fact in known.facts():
        source = known.sources.get(fact.source)
        found.append(
            Fact(
                where=where,
                source=fact.source,
                source_title=source.title.get(language) if source else fact.source,
                source_url=source.url if source else None,
                as_of=fact.as_of,
                current=known.is_current(fact),
                stale=today - as_of_date(fact.as_of) > stale_after,
            )
        )
    return sorted(found, key=lambda fact: (not fact.stale, fact.where))
