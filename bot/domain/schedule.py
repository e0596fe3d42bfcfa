"""Date logic: is a call open, how many days are left, which webinars are still ahead.

Everything takes ``today`` as an argument; callers pass ``bot.domain.clock.today()``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from bot.domain.knowledge import Call, Knowledge, Webinar
from bot.domain.reading import fold

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


def webinars_ahead(knowledge: Knowledge, today: dt.date) -> list[Webinar]:
    """Webinars from today on, soonest first."""
    return [w for w in knowledge.webinars if w.date >= today]


def webinars_past(knowledge: Knowledge, today: dt.date, limit: int = 2) -> list[Webinar]:
    """The most recent past webinars, newest first."""
    return [w for w in reversed(knowledge.webinars) if w.date < today][:limit]


# ---- The webinar someone names -------------------------------------------------------------

MONTH_NUMBERS = {
    "janvier": 1, "january": 1, "jan": 1, "fevrier": 2, "february": 2, "feb": 2, "mars": 3,
    "march": 3, "mar": 3, "avril": 4, "april": 4, "apr": 4, "mai": 5, "may": 5, "juin": 6,
    "june": 6, "juillet": 7, "july": 7, "aout": 8, "august": 8, "septembre": 9,
    "september": 9, "sept": 9, "sep": 9, "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11, "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)? (?:of )?({_MONTH})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.]\d{2,4})?\b")
# Words of a topic too common to name one webinar ("les métiers du…", "careers").
_COMMON_TOPIC_WORDS = frozenset(
    {"les", "des", "metiers", "careers", "numerique", "digital", "presentation", "appel",
     "candidatures", "call", "applications", "for", "and", "the", "du", "de", "et", "of"}
)  # fmt: skip


def _days_named(folded: str) -> set[tuple[int, int]]:
    """(month, day) pairs a text names: "17 mars", "March 24th", "17/03"."""
    days = {(MONTH_NUMBERS[m], int(d)) for d, m in _DAY_MONTH.findall(folded)}
    days |= {(MONTH_NUMBERS[m], int(d)) for m, d in _MONTH_DAY.findall(folded)}
    days |= {(int(m), int(d)) for d, m in _NUMERIC.findall(folded) if 1 <= int(m) <= 12}
    return days


def _topic_words(webinar: Webinar) -> set[str]:
    words = set(fold(f"{webinar.topic.fr} {webinar.topic.en}").split())
    return {w for w in words if len(w) >= 3 and w not in _COMMON_TOPIC_WORDS}


def webinar_named(knowledge: Knowledge, text: str) -> Optional[Webinar]:
    """The webinar a message names by its day ("le webinaire du 17 mars") or by words of its
    topic that no other webinar shares ("the webinar on design and digital law"), if it
    names exactly one."""
    folded = fold(text)
    days = _days_named(folded)
    by_day = [w for w in knowledge.webinars if (w.date.month, w.date.day) in days]
    if len(by_day) == 1:
        return by_day[0]
    said = set(folded.split())
    words = {w.id: _topic_words(w) for w in knowledge.webinars}
    own = {
        w.id: words[w.id] - set().union(*(v for k, v in words.items() if k != w.id))
        for w in knowledge.webinars
    }
    by_topic = [w for w in knowledge.webinars if own[w.id] & said]
    return by_topic[0] if len(by_topic) == 1 else None
