"""What people asked that the assistant could not answer, for the content team.

Reads Rasa's SQL tracker store (the ``events`` table) and keeps each user message that
fell back (intent ``nlu_fallback``, or a fallback action in the same turn) or whose intent
confidence was low. Messages are grouped by their normalised text, counted per language,
and listed with examples and the NLU's best guess, as Markdown or CSV: candidates for
new training examples.

The report shows what people wrote, on purpose. Messages sent while a form was active
are answers (a first name, an e-mail, a description), not questions, and are left out.
E-mail addresses and long digit sequences (phone numbers, file numbers) are redacted, but
a name typed in a question stays: the report is for the content team only, and not to be
published or kept longer than needed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TextIO

import sqlalchemy as sa

# The rule lives in bot.domain.unanswered, shared with the back office's inbox (bot.admin).
from bot.domain.unanswered import DEFAULT_MIN_CONFIDENCE as DEFAULT_MIN_CONFIDENCE
from bot.domain.unanswered import FALLBACK_ACTIONS as FALLBACK_ACTIONS
from bot.domain.unanswered import FALLBACK_INTENT as FALLBACK_INTENT
from bot.domain.unanswered import MAX_TEXT_CHARS, Unanswered, normalise, redact, unanswered_in
from bot.domain.unanswered import best_guess as best_guess
from bot.infra import settings, spreadsheet

MAX_EXAMPLES = 3
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
CSV_COLUMNS = ("language", "count", "text", "reasons", "best_guess", "examples")


def tracker_store_url(explicit: Optional[str] = None) -> str:
    """``--db`` (a SQLAlchemy URL or a SQLite file), else the tracker store Rasa uses:
    ``TRACKER_DIALECT`` / ``TRACKER_DB`` as for ``endpoints.yml``, else var/tracker.db."""
    if explicit:
        return explicit if "://" in explicit else f"sqlite:///{Path(explicit).resolve()}"
    dialect = settings.TRACKER_DIALECT.get()
    db = settings.TRACKER_DB.get()
    if dialect == "sqlite":
        return f"sqlite:///{Path(db).resolve()}"
    return f"{dialect}:///{db}"


@dataclass
class Group:
    language: str
    text: str
    count: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    guesses: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, message: Unanswered) -> None:
        self.count += 1
        self.reasons.update(message.reasons)
        if message.best_guess:
            self.guesses[message.best_guess] += 1
        example = redact(message.text)[:MAX_TEXT_CHARS]
        if example not in self.examples and len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example)

    def row(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "count": self.count,
            "text": self.text,
            "reasons": ", ".join(sorted(self.reasons)),
            "best_guess": self.guesses.most_common(1)[0][0] if self.guesses else "",
            "examples": " | ".join(self.examples),
        }


def read_conversations(url: str, since: float) -> Iterator[list[dict[str, Any]]]:
    """Each conversation with a user message since ``since``: all its events, in order."""
    engine = sa.create_engine(url)
    query = sa.text(
        "SELECT sender_id, data FROM events WHERE sender_id IN "
        "(SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND timestamp >= :since)"
        " ORDER BY sender_id, id"
    )
    try:
        with engine.connect() as connection:
            sender: Optional[str] = None
            events: list[dict[str, Any]] = []
            for row in connection.execute(query, {"since": since}):
                if row.sender_id != sender and events:
                    yield events
                    events = []
                sender = row.sender_id
                try:
                    event = json.loads(row.data)
                except (TypeError, ValueError):
                    continue
                if isinstance(event, dict):
                    events.append(event)
            if events:
                yield events
    finally:
        engine.dispose()


def report(
    conversations: Iterable[Iterable[Mapping[str, Any]]],
    since: float,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[Group]:
    """Groups by language then normalised text, most frequent first."""
    groups: dict[tuple[str, str], Group] = {}
    for events in conversations:
        for message in unanswered_in(events, since, min_confidence):
            key = (message.language, normalise(message.text)[:MAX_TEXT_CHARS])
            groups.setdefault(key, Group(*key)).add(message)
    return sorted(groups.values(), key=lambda g: (g.language, -g.count, g.text))


def write_csv(groups: list[Group], out: TextIO) -> None:
    """Every cell quoted, formulas neutralised (``bot.infra.spreadsheet``)."""
    spreadsheet.write_csv((group.row() for group in groups), CSV_COLUMNS, out)


def _cell(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_markdown(
    groups: list[Group], out: TextIO, since: dt.datetime, min_confidence: float
) -> None:
    total = sum(g.count for g in groups)
    out.write("# Unanswered questions\n\n")
    out.write(
        f"Since {since:%Y-%m-%d %H:%M} UTC: {total} message(s) in {len(groups)} group(s) that "
        f"fell back or had an intent confidence below {min_confidence:g}.\n\n"
        "What people wrote, with e-mail addresses and long numbers redacted: for the content "
        "team only.\n"
    )
    for language in sorted({g.language for g in groups}):
        mine = [g for g in groups if g.language == language]
        name = LANGUAGE_NAMES.get(language, language)
        out.write(f"\n## {name} ({language}): {sum(g.count for g in mine)} message(s)\n\n")
        out.write("| Count | Message (normalised) | Why | Best guess | Examples |\n")
        out.write("|---:|---|---|---|---|\n")
        for group in mine:
            row = group.row()
            examples = "<br>".join(_cell(e) for e in group.examples)
            out.write(
                f"| {row['count']} | {_cell(row['text'])} | {row['reasons']} | "
                f"{_cell(row['best_guess'])} | {examples} |\n"
            )
    if not groups:
        out.write("\nNothing to report.\n")
