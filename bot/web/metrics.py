"""Prometheus metrics of the bot web service, counted from what Rasa asks it to render.

Rasa calls ``/nlg`` for every response with the conversation's tracker, so the web service
sees every turn: the user's messages, their language, the fallbacks, and the forms starting
and ending. Only counts
and durations leave this module; the sender ids it remembers (to count each message once)
stay in memory and never become labels. Each metric is documented in the README ("Metrics").
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Optional

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.wording import i18n

FALLBACKS = {"utter_default": "no_answer", "utter_did_you_mean": "did_you_mean"}
# A form that can end itself without being filled names here the slot that says why; its
# value at the end becomes the abandonment reason (actions/preapplication.py).
FORM_OUTCOME_SLOTS = {"pre_application_form": "pre_application_paused"}
OUTCOME_REASONS = frozenset({"cancelled", "stuck", "failed"})
FORM_IDLE_S = 3600.0  # the domain's session_expiration_time: a form older than that is gone
MAX_REMEMBERED = 20_000
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The service's metrics in their own registry (one per app, so tests stay apart)."""

    def __init__(
        self,
        known_response: Callable[[str], bool] = lambda name: True,
        form_idle_s: float = FORM_IDLE_S,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = CollectorRegistry()
        self.known_response = known_response
        self.form_idle_s = form_idle_s
        self.clock = clock
        self.wall_clock = wall_clock
        self._seen: OrderedDict[tuple[Any, ...], None] = OrderedDict()
        self._forms: OrderedDict[str, tuple[str, str, float]] = OrderedDict()
        r = self.registry
        self.messages = Counter(
            "eig_messages", "User messages answered, by conversation language",
            ["language"], registry=r,
        )  # fmt: skip
        self.responses = Counter(
            "eig_responses", "Responses rendered, by response name and language",
            ["response", "language"], registry=r,
        )  # fmt: skip
        self.fallbacks = Counter(
            "eig_fallbacks", "Messages the assistant could not answer: no_answer (utter_default)"
            " or did_you_mean (utter_did_you_mean)", ["kind", "language"], registry=r,
        )  # fmt: skip
        self.forms_started = Counter(
            "eig_forms_started", "Guided forms started", ["form", "language"], registry=r
        )
        self.forms_completed = Counter(
            "eig_forms_completed", "Guided forms filled to the end", ["form", "language"],
            registry=r,
        )  # fmt: skip
        self.forms_abandoned = Counter(
            "eig_forms_abandoned", "Guided forms left: cancelled (stopped in the conversation) or"
            " idle (no answer for an hour)", ["form", "language", "reason"], registry=r,
        )  # fmt: skip
        self.forms_in_progress = Gauge(
            "eig_forms_in_progress", "Guided forms started and not yet ended", registry=r
        )
        self.reply_delay = Histogram(
            "eig_reply_delay_seconds", "From a user message reaching Rasa to its first response"
            " being rendered (NLU, policies and actions)", ["language"],
            buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.request_duration = Histogram(
            "eig_http_request_duration_seconds", "Requests to the bot web service, by route",
            ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.rate_limited = Counter(
            "eig_rate_limited", "Requests refused by the per-address rate limit", ["route"],
            registry=r,
        )  # fmt: skip

    # -- bookkeeping ------------------------------------------------------------------
    def _first_time(self, key: tuple[Any, ...]) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > MAX_REMEMBERED:
            self._seen.popitem(last=False)
        return True

    def sweep(self) -> None:
        """Forms with no news for ``form_idle_s`` count as abandoned (reason ``idle``)."""
        now = self.clock()
        while self._forms:
            sender, (form, language, last) = next(iter(self._forms.items()))
            if now - last < self.form_idle_s and len(self._forms) <= MAX_REMEMBERED:
                break
            del self._forms[sender]
            self.forms_abandoned.labels(form, language, "idle").inc()
        self.forms_in_progress.set(len(self._forms))

    # -- what /nlg sees ---------------------------------------------------------------
    def observe(self, response: str, tracker: Any, language: str) -> None:
        """Count one rendered response, with the tracker Rasa sent along."""
        label = response if self.known_response(response) else "unknown"
        self.responses.labels(label, language).inc()
        if response in FALLBACKS:
            self.fallbacks.labels(FALLBACKS[response], language).inc()
        if isinstance(tracker, Mapping):
            self._observe_turn(tracker, language)
        self.sweep()

    def _observe_turn(self, tracker: Mapping[str, Any], language: str) -> None:
        sender = tracker.get("sender_id")
        events = tracker.get("events")
        if not isinstance(sender, str) or not isinstance(events, list):
            return
        slots = tracker.get("slots")
        slots = slots if isinstance(slots, Mapping) else {}
        turn = _last_user_event(events)
        user_ts = _timestamp(events[turn]) if turn is not None else None
        if turn is not None and self._first_time(("message", sender, user_ts)):
            self.messages.labels(language).inc()
            if user_ts is not None:
                delay = self.wall_clock() - user_ts
                if 0 <= delay < 3600:
                    self.reply_delay.labels(language).observe(delay)
            # A form may end with no response after it (it said goodbye itself): the end
            # of the previous turn is looked at once, when the next message comes.
            previous = _last_user_event(events, before=turn)
            if previous is not None:
                previous_ts = _timestamp(events[previous])
                self._observe_forms(sender, events, previous + 1, turn, previous_ts, language, {})
        start = turn + 1 if turn is not None else 0
        self._observe_forms(sender, events, start, len(events), user_ts, language, slots)
        active = tracker.get("active_loop")
        name = active.get("name") if isinstance(active, Mapping) else None
        if name and sender in self._forms:
            form, started_language, _ = self._forms.pop(sender)
            self._forms[sender] = (form, started_language, self.clock())

    def _observe_forms(
        self,
        sender: str,
        events: list[Any],
        start: int,
        end: int,
        user_ts: Optional[float],
        language: str,
        slots: Mapping[str, Any],
    ) -> None:
        """Form starts and ends among one turn's events (``start:end``), each counted once.

        Rasa renders a form's first question with a temporary tracker whose events differ
        from the ones it stores, so an event is keyed by its rank among the turn's
        ``active_loop`` events, which is the same in both. The form active before the turn
        is looked up only when the turn ends one (the history can be long).
        """
        last_action: Optional[str] = None
        current: Optional[str] = None
        known = False
        rank = 0
        set_in_turn: dict[str, Any] = {}
        for event in events[start:end]:
            if not isinstance(event, dict):
                continue
            kind, name = event.get("event"), event.get("name")
            if kind == "action":
                last_action = name if isinstance(name, str) else None
                continue
            if kind == "slot" and isinstance(name, str):
                set_in_turn[name] = event.get("value")
                continue
            if kind != "active_loop":
                continue
            rank += 1
            if isinstance(name, str) and name:
                if self._first_time(("start", sender, user_ts, rank)):
                    self.forms_started.labels(name, language).inc()
                    self._forms.pop(sender, None)
                    self._forms[sender] = (name, language, self.clock())
                current, known = name, True
                continue
            if not known:
                current, known = _form_before(events[:start]), True
            if current and self._first_time(("end", sender, user_ts, rank)):
                reason = "cancelled"
                if last_action == current:
                    slot = FORM_OUTCOME_SLOTS.get(current)
                    outcome = set_in_turn.get(slot, slots.get(slot)) if slot else None
                    reason = (
                        "" if not outcome else (outcome if outcome in OUTCOME_REASONS else "other")
                    )
                if reason:
                    self.forms_abandoned.labels(current, language, reason).inc()
                else:
                    self.forms_completed.labels(current, language).inc()
                self._forms.pop(sender, None)
            current = None


def _form_before(events: list[Any]) -> Optional[str]:
    """The form active before this turn, from the last ``active_loop`` event."""
    for event in reversed(events):
        if isinstance(event, dict) and event.get("event") == "active_loop":
            name = event.get("name")
            return name if isinstance(name, str) and name else None
    return None


def _last_user_event(events: list[Any], before: Optional[int] = None) -> Optional[int]:
    for index in range((len(events) if before is None else before) - 1, -1, -1):
        event = events[index]
        if isinstance(event, dict) and event.get("event") == "user":
            return index
    return None


def _timestamp(event: Any) -> Optional[float]:
    value = event.get("timestamp") if isinstance(event, Mapping) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def response_is_known(name: str) -> bool:
    """Response names with a catalog entry (bounded label values); anything else: unknown."""
    return i18n.has_message(name, i18n.DEFAULT_LANGUAGE)
