"""The inbox: what the assistant did not understand, answered with low confidence or with
"I don't know", and the answers that got a "no" in the feedback buttons.

Read from Rasa's conversation store (``events``, through ``bot.applications.conversations``:
the same database the services use) and the ``answer_feedback`` table, by the rule of
``bot.domain.unanswered``. Each conversation is redacted with ``bot.domain.personal``
before anything is read from it (a personal answer, a name or e-mail given in the
conversation, never shows), then e-mail addresses and long numbers become ``[email]`` and
``[number]``. Messages are grouped by normalised text (case, apostrophes, punctuation),
then near-same groups (accents and spacing folded, or a difflib ratio of 0.9) are merged;
groups are counted per language, newest first. A group already decided is not shown again.

A decision on a group: ``topic`` (with the intent; a training example waiting for
``python -m bot training merge``), ``out_of_scope`` (the same, under ``out_of_scope``),
``not_covered`` (the content to-do list: what the official texts do not answer) or
``ignore``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.admin.training import OUT_OF_SCOPE, check_example, fold
from bot.applications.conversations import Conversations, events
from bot.applications.storage import Storage, StorageError, answer_feedback, inbox_decisions
from bot.domain import personal
from bot.domain.unanswered import (
    DEFAULT_MIN_CONFIDENCE,
    MAX_TEXT_CHARS,
    normalise,
    redact,
    unanswered_in,
)

DECISIONS = ("topic", OUT_OF_SCOPE, "not_covered", "ignore")
MAX_EXAMPLES = 3
MAX_CONTEXTS = 5
MAX_GROUPS_MERGED = 400
NEAR_RATIO = 0.9
CONTEXT_TURNS = 6  # events of the conversation shown around the message: user and bot ones


@dataclass
class Group:
    """Messages with the same or near-same text, in one language."""

    language: str
    text: str
    count: int = 0
    last_at: float = 0.0
    reasons: Counter[str] = field(default_factory=Counter)
    guesses: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    contexts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def best_guess(self) -> str:
        return self.guesses.most_common(1)[0][0] if self.guesses else ""

    def absorb(self, other: Group) -> None:
        self.count += other.count
        self.last_at = max(self.last_at, other.last_at)
        self.reasons.update(other.reasons)
        self.guesses.update(other.guesses)
        for example in other.examples:
            if example not in self.examples and len(self.examples) < MAX_EXAMPLES:
                self.examples.append(example)
        self.contexts.extend(other.contexts[: MAX_CONTEXTS - len(self.contexts)])


def _conversations(
    store: Conversations, since: float, sender: Optional[str] = None
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """``(sender_id, events)`` of each conversation with a user message since ``since``."""
    recent = sa.select(events.c.sender_id).where(
        events.c.type_name == "user", events.c.timestamp >= since
    )
    if sender is not None:
        recent = recent.where(events.c.sender_id == sender)
    return store.grouped(recent)


def unhelpful_ids(storage: Storage, since: float) -> frozenset[str]:
    """Ids of the bot messages that got a "no"."""
    moment = dt.datetime.fromtimestamp(since, dt.timezone.utc)
    query = sa.select(answer_feedback.c.message_id).where(
        answer_feedback.c.helpful.is_(False), answer_feedback.c.created_at >= moment
    )
    with storage.engine.connect() as connection:
        return frozenset(connection.execute(query).scalars())


def decided(storage: Storage) -> dict[tuple[str, str], str]:
    """``{(language, text): decision}`` of every group already decided."""
    table = inbox_decisions
    with storage.engine.connect() as connection:
        rows = connection.execute(sa.select(table.c.language, table.c.text, table.c.decision))
        return {(row.language, row.text): row.decision for row in rows}


def groups(
    storage: Storage,
    store: Conversations,
    since: float,
    language: Optional[str] = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    include_decided: bool = False,
) -> list[Group]:
    """The inbox: undecided groups, newest first."""
    unhelpful = unhelpful_ids(storage, since)
    found: dict[tuple[str, str], Group] = {}
    for sender, conversation in _conversations(store, since):
        redacted = personal.redact(conversation)
        for message in unanswered_in(redacted, since, min_confidence, unhelpful):
            if message.text == personal.PLACEHOLDER:
                continue
            if language and message.language != language:
                continue
            key = (message.language, normalise(message.text)[:MAX_TEXT_CHARS])
            group = found.setdefault(key, Group(*key))
            group.count += 1
            group.last_at = max(group.last_at, message.timestamp)
            group.reasons.update(message.reasons)
            if message.best_guess:
                group.guesses[message.best_guess] += 1
            example = redact(message.text)[:MAX_TEXT_CHARS]
            if example not in group.examples and len(group.examples) < MAX_EXAMPLES:
                group.examples.append(example)
            if len(group.contexts) < MAX_CONTEXTS:
                group.contexts.append((sender, message.index))
    merged = _merge_near(sorted(found.values(), key=lambda g: -g.count))
    if not include_decided:
        done = decided(storage)
        merged = [g for g in merged if (g.language, g.text) not in done]
    return sorted(merged, key=lambda g: (-g.last_at, -g.count, g.text))


def _merge_near(ordered: list[Group]) -> list[Group]:
    """Near-same groups of one language folded into the most frequent of them."""
    kept: list[Group] = []
    by_fold: dict[tuple[str, str], Group] = {}
    matcher = SequenceMatcher(None, autojunk=False)
    for group in ordered:
        key = (group.language, fold(group.text))
        target = by_fold.get(key)
        if target is None and len(kept) < MAX_GROUPS_MERGED:
            matcher.set_seq2(key[1])
            for other in kept:
                if other.language != group.language:
                    continue
                matcher.set_seq1(fold(other.text))
                if matcher.real_quick_ratio() >= NEAR_RATIO and matcher.ratio() >= NEAR_RATIO:
                    target = other
                    break
        if target is None:
            kept.append(group)
            by_fold[key] = group
        else:
            target.absorb(group)
    return kept


def context(store: Conversations, sender: str, index: int) -> list[dict[str, Any]]:
    """The turns around one message of a conversation, redacted: ``[{"who", "text",
    "at", "focus"}]`` for the user and bot messages from ``CONTEXT_TURNS`` before to
    ``CONTEXT_TURNS`` after it."""
    query = sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id)
    with store.engine.connect() as connection:
        rows = [json.loads(data) for data in connection.execute(query).scalars()]
    redacted = personal.redact(rows)
    messages = []
    for position, event in enumerate(redacted):
        if event.get("event") in ("user", "bot") and isinstance(event.get("text"), str):
            messages.append(
                {
                    "who": event["event"],
                    "text": redact(event["text"])[:2000],
                    "at": event.get("timestamp"),
                    "focus": position == index,
                }
            )
    focus = next((i for i, m in enumerate(messages) if m["focus"]), None)
    if focus is None:
        return []
    return messages[max(0, focus - CONTEXT_TURNS) : focus + CONTEXT_TURNS + 1]


def decide(
    storage: Storage,
    *,
    language: str,
    text: str,
    decision: str,
    username: str,
    count: int,
    example: str = "",
    topic: Optional[str] = None,
    now: Optional[dt.datetime] = None,
) -> None:
    """Record the decision on a group (``TrainingError`` for an example that may not
    become training data; ``ValueError`` for an unknown decision)."""
    if decision not in DECISIONS:
        raise ValueError("unknown decision")
    line = redact(example or text)[:MAX_TEXT_CHARS]
    if decision in ("topic", OUT_OF_SCOPE):
        line = check_example(line, language)
    row = {
        "language": language,
        "text": text[:MAX_TEXT_CHARS],
        "example": line,
        "decision": decision,
        "topic": topic if decision == "topic" else None,
        "count": count,
        "decided_by": username,
        "decided_at": now or dt.datetime.now(dt.timezone.utc),
        "merged_at": None,
    }
    table = inbox_decisions
    where = sa.and_(table.c.language == language, table.c.text == row["text"])
    try:
        with storage.engine.begin() as connection:
            updated = connection.execute(table.update().where(where).values(**row)).rowcount
            if not updated:
                connection.execute(table.insert().values(**row))
    except IntegrityError:
        raise StorageError("decision not stored (decided meanwhile)") from None
    except SQLAlchemyError as error:
        raise StorageError(f"decision not stored ({type(error).__name__})") from None


@dataclass(frozen=True)
class Todo:
    language: str
    text: str
    example: str
    count: int
    decided_at: dt.datetime


def todo(storage: Storage) -> list[Todo]:
    """The content to-do list: questions the official texts do not answer."""
    table = inbox_decisions
    query = (
        sa.select(table)
        .where(table.c.decision == "not_covered")
        .order_by(table.c.count.desc(), table.c.decided_at.desc())
    )
    with storage.engine.connect() as connection:
        return [
            Todo(row.language, row.text, row.example, int(row.count), row.decided_at)
            for row in connection.execute(query)
        ]
