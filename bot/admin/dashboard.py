"""How the assistant is doing, over a date range: figures and server-rendered SVG charts.

Computed from the conversation store's events (their kind, time, intent, FAQ topic, action
and form names, the ``language`` slot and the form outcome slot: never what anyone wrote,
never a personal slot) and from the applications database (row counts and the answer
feedback's yes/no per response). Each chart's data is a list of rows, which the page draws
as SVG (no script, no library) with the same figures in a table, and offers as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Optional

import sqlalchemy as sa

from bot.applications.conversations import Conversations, events
from bot.applications.storage import Storage, answer_feedback, pre_applications
from bot.domain.language import LANGUAGES, normalize
from bot.domain.nlu_keys import PROBLEM_KEY
from bot.domain.unanswered import FALLBACK_ACTIONS, FALLBACK_INTENT, best_guess

PRE_APPLICATION = "pre_application_form"
HOST_CHECK = "host_check_form"
OUTCOME_SLOT = "pre_application_paused"
WEBINAR_FOLLOWUP = "action_webinar_followup"
DONT_KNOW = "faq/not_in_sources"
STARTED = {PRE_APPLICATION: "pre_application_started", HOST_CHECK: "host_check_started"}
MAX_DAYS = 366
TOP_TOPICS = 12
# Only these fields of an event are read.
READ = ("event", "timestamp", "name", "value", "parse_data")


@dataclass
class Figures:
    """Everything the dashboard shows, for ``start`` to ``end`` (both included, UTC)."""

    start: dt.date
    end: dt.date
    conversations: Counter[dt.date] = field(default_factory=Counter)
    messages: Counter[dt.date] = field(default_factory=Counter)
    fallbacks: Counter[dt.date] = field(default_factory=Counter)
    dont_know: Counter[dt.date] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    funnel: Counter[str] = field(default_factory=Counter)
    feedback: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=n) for n in range(count)]

    def charts(self) -> dict[str, list[dict[str, Any]]]:
        """Each chart's rows (the CSV's), by chart name."""
        days = self.days()
        share = [
            {
                "day": day.isoformat(),
                "messages": self.messages[day],
                "fallbacks": self.fallbacks[day],
                "dont_know": self.dont_know[day],
                "fallback_share": _share(self.fallbacks[day], self.messages[day]),
                "dont_know_share": _share(self.dont_know[day], self.messages[day]),
            }
            for day in days
        ]
        return {
            "activity": [
                {
                    "day": day.isoformat(),
                    "conversations": self.conversations[day],
                    "messages": self.messages[day],
                }
                for day in days
            ],
            "languages": [
                {"language": code, "conversations": self.languages[code]} for code in LANGUAGES
            ],
            "topics": [
                {"topic": topic, "messages": count}
                for topic, count in self.topics.most_common(TOP_TOPICS)
            ],
            "fallbacks": share,
            "feedback": [
                {
                    "response": response,
                    "helpful": counts["helpful"],
                    "not_helpful": counts["not_helpful"],
                }
                for response, counts in sorted(
                    self.feedback.items(), key=lambda item: -sum(item[1].values())
                )
            ],
            "funnel": [
                {"step": step, "conversations": self.funnel[step]}
                for step in (
                    "pre_application_started",
                    "pre_application_completed",
                    "pre_application_cancelled",
                    "pre_application_stuck",
                    "consent_given",
                    "host_check_started",
                    "webinar_followup",
                )
            ],
        }


CHARTS = ("activity", "languages", "topics", "fallbacks", "feedback", "funnel")


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    low = dt.datetime.combine(start, dt.time(), dt.timezone.utc)
    return low, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.timezone.utc)


def _events(
    store: Conversations, low: float, high: float
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each conversation with an event in the range: its events, only the fields read."""
    active = sa.select(events.c.sender_id).where(
        events.c.timestamp >= low, events.c.timestamp < high
    )
    for sender, found in store.grouped(active):
        yield sender, [{key: event.get(key) for key in READ} for event in found]


def compute(storage: Storage, store: Conversations, start: dt.date, end: dt.date) -> Figures:
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValueError("range")
    figures = Figures(start, end)
    low, high = _bounds(start, end)
    lo, hi = low.timestamp(), high.timestamp()
    for _, conversation in _events(store, lo, hi):
        _conversation(figures, conversation, lo, hi)
    with storage.engine.connect() as connection:
        figures.funnel["consent_given"] = int(
            connection.execute(
                sa.select(sa.func.count()).where(
                    pre_applications.c.created_at >= low, pre_applications.c.created_at < high
                )
            ).scalar_one()
        )
        rows = connection.execute(
            sa.select(answer_feedback.c.response, answer_feedback.c.helpful, sa.func.count())
            .where(answer_feedback.c.created_at >= low, answer_feedback.c.created_at < high)
            .group_by(answer_feedback.c.response, answer_feedback.c.helpful)
        )
        for response, helpful, count in rows:
            figures.feedback[response]["helpful" if helpful else "not_helpful"] += int(count)
    return figures


def _conversation(
    figures: Figures, conversation: list[dict[str, Any]], lo: float, hi: float
) -> None:
    language: Optional[str] = None
    days_seen: set[dt.date] = set()
    forms: set[str] = set()
    current_form: Optional[str] = None
    outcome: Optional[str] = None
    pending: Optional[dict[str, Any]] = None
    webinar = False

    def close(turn: Optional[dict[str, Any]]) -> None:
        if turn is None:
            return
        day = turn["day"]
        if turn["fallback"]:
            figures.fallbacks[day] += 1
        elif turn["topic"] == DONT_KNOW:
            figures.dont_know[day] += 1

    for event in conversation:
        kind, stamp = event.get("event"), event.get("timestamp")
        inside = isinstance(stamp, (int, float)) and lo <= stamp < hi
        if kind == "slot" and event.get("name") == "language":
            language = normalize(event.get("value")) or language
        elif kind == "slot" and event.get("name") == OUTCOME_SLOT and event.get("value"):
            outcome = str(event.get("value"))
        elif kind == "active_loop":
            name = event.get("name")
            if name and inside and name not in forms:
                forms.add(name)
                figures.funnel[STARTED.get(name, "other_form")] += 1
            if not name and current_form == PRE_APPLICATION and inside:
                reason = outcome if outcome in ("cancelled", "stuck") else "completed"
                figures.funnel[f"pre_application_{reason}"] += 1
                outcome = None
            current_form = name or None
        elif kind == "action" and event.get("name") == WEBINAR_FOLLOWUP and inside:
            webinar = True
        elif kind == "action" and event.get("name") in FALLBACK_ACTIONS and pending is not None:
            pending["fallback"] = True
        elif kind == "user" and inside:
            close(pending)
            pending = None
            day = dt.datetime.fromtimestamp(float(stamp), dt.timezone.utc).date()  # type: ignore[arg-type]
            days_seen.add(day)
            figures.messages[day] += 1
            parse = event.get("parse_data") or {}
            if parse.get(PROBLEM_KEY) or current_form:
                continue  # form answers and broken input are no topic
            intent = (parse.get("intent") or {}).get("name")
            topic = None if intent == FALLBACK_INTENT else best_guess(parse)
            if topic and not topic.startswith("/"):
                figures.topics[topic] += 1
            pending = {"day": day, "fallback": intent == FALLBACK_INTENT, "topic": topic}
    close(pending)
    for day in days_seen:
        figures.conversations[day] += 1
    if days_seen:
        figures.languages[language or "fr"] += 1
    if webinar:
        figures.funnel["webinar_followup"] += 1


# ---- SVG geometry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    alt: bool = False


def bars(
    rows: list[dict[str, Any]], label: str, value: str, width: int = 720, height: int = 200
) -> list[Bar]:
    """Vertical bars, one per row, scaled to the largest value."""
    if not rows:
        return []
    top = max(float(row[value]) for row in rows) or 1.0
    step = width / len(rows)
    gap = min(4.0, step / 4)
    found = []
    for index, row in enumerate(rows):
        size = float(row[value]) / top * (height - 20)
        found.append(
            Bar(
                index * step + gap / 2, height - size, step - gap, size, str(row[label]), row[value]
            )
        )
    return found


def hbars(
    rows: list[dict[str, Any]], label: str, value: str, width: int = 480, row_height: int = 24
) -> list[Bar]:
    """Horizontal bars (topics, funnel steps), scaled to the largest value."""
    top = max((float(row[value]) for row in rows), default=0.0) or 1.0
    return [
        Bar(
            0,
            index * row_height,
            float(row[value]) / top * width,
            row_height - 6,
            str(row[label]),
            row[value],
        )
        for index, row in enumerate(rows)
    ]
