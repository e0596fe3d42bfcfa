"""Which parts of a conversation are personal data, and how they are redacted.

The rules every store shares (docs/security.md, "Personal data"): the conversation store
(``bot.rasa_server.tracker_store``), the deletion on request and the purge
(``bot.applications.conversations``) and the actions (``actions/``) read them here.

Personal data is a first name, an e-mail address, a free-text answer and a reference that
names someone's pre-application. In a conversation it sits in:

- the values of the slots of :data:`PERSONAL_SLOTS`;
- the text and parse data of the user message that answered a personal question (the form
  asked for a personal slot, or the message set one, such as an e-mail given early or a
  founding story read as a description);
- any e-mail address anyone typed, anywhere;
- the bot messages that repeat an answer (the summary, "Thank you, Camille!") and their
  metadata, which carries the response's arguments.

:func:`redact` rewrites a conversation's events (Rasa's JSON form, as stored in the
``events`` table's ``data`` column) so that none of this is left: personal slot values
become ``null`` (a replayed conversation holds nothing), texts become :data:`PLACEHOLDER`,
and every known personal value is replaced wherever it appears. Pure functions on plain
dictionaries: no framework.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Optional

PLACEHOLDER = "[redacted]"

# Slots whose value is personal data (domain.yml).
PERSONAL_SLOTS = frozenset(
    {
        "first_name",
        "email",
        "entrepreneurial_description",
        "project_interest",
        "deletion_email",
        "deletion_reference",
        "last_reference",
    }
)
# Arguments of a bot response (kept in the bot event's metadata) that repeat personal data.
PERSONAL_ARGUMENTS = frozenset({"first_name", "email", "description", "project", "reference"})
# What a form is asking for while it waits for an answer.
REQUESTED_SLOT = "requested_slot"
# Values of the slots above that carry nothing about a person.
NOT_PERSONAL_VALUES = frozenset({"none", PLACEHOLDER})
# Keys of a user message's parse data that hold no text of the message.
PARSE_KEYS_KEPT = ("intent", "intent_ranking", "response_selector", "message_id")

EMAIL = re.compile(r"[^@\s<>()\[\],;:\"'{}]+@[^@\s<>()\[\],;:\"'{}]+\.[^@\s<>()\[\],;:\"'{}]+")


def is_personal_slot(event: dict[str, Any]) -> bool:
    """A SlotSet event that sets a personal slot to a value."""
    return (
        event.get("event") == "slot"
        and event.get("name") in PERSONAL_SLOTS
        and event.get("value") is not None
        and str(event.get("value")).lower() not in NOT_PERSONAL_VALUES
    )


def values(events: Iterable[dict[str, Any]]) -> set[str]:
    """Every personal value in ``events``: personal slots, personal response arguments,
    and the e-mail addresses typed in user messages."""
    found: set[str] = set()
    for event in events:
        kind = event.get("event")
        if is_personal_slot(event):
            found.add(str(event["value"]))
        elif kind == "bot":
            metadata = event.get("metadata") or {}
            for key in PERSONAL_ARGUMENTS:
                value = metadata.get(key)
                if isinstance(value, str) and value and value != PLACEHOLDER:
                    found.add(value)
        elif kind == "user":
            found.update(EMAIL.findall(str(event.get("text") or "")))
    return {value for value in found if value.strip() and value.lower() not in NOT_PERSONAL_VALUES}


def personal_answers(events: list[dict[str, Any]]) -> set[int]:
    """Indices of the user messages that answered a personal question or set a personal
    slot (before the next user message)."""
    answers: set[int] = set()
    requested: Optional[str] = None
    last_user: Optional[int] = None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "slot" and event.get("name") == REQUESTED_SLOT:
            requested = event.get("value")
        elif kind == "active_loop" and event.get("name") is None:
            requested = None
        elif kind in ("session_started", "restart"):
            requested = None
        elif kind == "user":
            last_user = index
            if requested in PERSONAL_SLOTS:
                answers.add(index)
        if last_user is not None and is_personal_slot(event):
            answers.add(last_user)
    return answers


def _pattern(known: Iterable[str]) -> Optional[re.Pattern[str]]:
    """One pattern for every value, longest first, on word boundaries, any case."""
    parts = sorted({v.strip() for v in known if v and v.strip()}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(re.escape(part) for part in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub_text(text: str, pattern: Optional[re.Pattern[str]]) -> str:
    """``text`` with every known value and every e-mail address replaced."""
    if pattern is not None:
        text = pattern.sub(PLACEHOLDER, text)
    return EMAIL.sub(PLACEHOLDER, text)


def _scrub(value: Any, pattern: Optional[re.Pattern[str]]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, pattern)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


# Fields of an event that may hold what someone wrote; the others are the event's structure.
TEXT_FIELDS = ("text", "parse_data", "data", "value", "action_text")
METADATA_KEPT = frozenset({"utter_action", "template", "model_id", "assistant_id", "language"})


def _scrub_event(event: dict[str, Any], pattern: Optional[re.Pattern[str]]) -> dict[str, Any]:
    scrubbed = {
        key: _scrub(value, pattern) if key in TEXT_FIELDS else value for key, value in event.items()
    }
    metadata = event.get("metadata")
    if isinstance(metadata, dict):
        scrubbed["metadata"] = {
            key: value if key in METADATA_KEPT else _scrub(value, pattern)
            for key, value in metadata.items()
        }
    return scrubbed


def _redacted_user(event: dict[str, Any]) -> dict[str, Any]:
    """A user message with its text gone; the intent stays (the dialogue replays the same)."""
    parse = event.get("parse_data") or {}
    kept = {key: parse[key] for key in PARSE_KEYS_KEPT if key in parse}
    return {
        **event,
        "text": PLACEHOLDER,
        "parse_data": {**kept, "text": PLACEHOLDER, "entities": []},
    }


def redact(events: list[dict[str, Any]], also: Iterable[str] = ()) -> list[dict[str, Any]]:
    """``events`` with nothing personal left; ``also``: more values to remove (the data of
    an application being deleted). Events without personal data come back equal."""
    answers = personal_answers(events)
    pattern = _pattern([*values(events), *also])
    redacted: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        if is_personal_slot(event):
            event = {**event, "value": None}
        elif index in answers:
            event = _redacted_user(event)
        redacted.append(_scrub_event(event, pattern))
    return redacted


def holds_personal(events: list[dict[str, Any]]) -> bool:
    """Whether :func:`redact` would change anything."""
    return redact(events) != events


def changed(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, event)`` of the events :func:`redact` changed."""
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if old != new:
            yield index, new
