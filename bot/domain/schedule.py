"""Date logic: is a call open, how many days are left, which webinars are still ahead.

Everything takes ``today`` as an argument; callers pass ``bot.domain.clock.today()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from bot.domain.knowledge import Call, Knowledge, Promotion, Webinar

ANNOUNCED, SCHEDULED, OPEN, CLOSED, UNKNOWN = "announced", "scheduled", "open", "closed", "unknown"


@dataclass(frozen=True)
class CallStatus:
    state: str
    opens: Optional[dt.date] = None
    closes: Optional[dt.date] = None
    days_left: Optional[int] = None
    days_until_open: Optional[int] = None


def call_status(call: Call, today: dt.date) -> CallStatus:
    """Where a call stands today. A past date is never reported as ahead."""
    if call.closes and call.closes < today:
        return CallStatus(CLOSED, call.opens, call.closes)
    if call.opens and call.opens > today:
        return CallStatus(
            SCHEDULED, call.opens, call.closes, days_until_open=(call.opens - today).days
        )
    if call.opens and call.opens <= today:
        days = (call.closes - today).days if call.closes else None
        return CallStatus(OPEN, call.opens, call.closes, days_left=days)
    if call.closes and call.closes >= today:
        return CallStatus(OPEN, None, call.closes, days_left=(call.closes - today).days)
    if call.announced:
        return CallStatus(ANNOUNCED)
    return CallStatus(UNKNOWN)


def last_closed_call(knowledge: Knowledge, today: dt.date) -> Optional[Promotion]:
    """The most recent promotion whose call has closed, if any."""
    closed = [
        p
        for p in knowledge.promotions.values()
        if call_status(p.call, today).state == CLOSED and p.call.closes
    ]
    return max(closed, key=lambda p: p.call.closes or dt.date.min, default=None)


def webinars_ahead(knowledge: Knowledge, today: dt.date) -> list[Webinar]:
    """Webinars from today on, soonest first."""
    return [w for w in knowledge.webinars if w.date >= today]


def webinars_past(knowledge: Knowledge, today: dt.date, limit: int = 2) -> list[Webinar]:
    """The most recent past webinars, newest first."""
    return [w for w in reversed(knowledge.webinars) if w.date < today][:limit]
