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
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TextIO

import sqlalchemy as sa

from bot.domain.nlu_keys import PROBLEM_KEY
from bot.infra import settings, spreadsheet
from bot.wording import i18n

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset(
    {"action_default_fallback", "utter_default", "action_did_you_mean", "utter_did_you_mean"}
)
DEFAULT_MIN_CONFIDENCE = 0.6  # the FallbackClassifier's threshold is 0.5: a margin above it
MAX_EXAMPLES = 3
MAX_TEXT_CHARS = 300
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
CSV_COLUMNS = ("language", "count", "text", "reasons", "best_guess", "examples")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DIGITS = re.compile(r"\+?\d(?:[\s.\-/]?\d){5,}")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n?!.,;:…\"'«»“”"


def redact(text: str) -> str:
    """E-mail addresses and sequences of six digits or more replaced by placeholders."""
    return _DIGITS.sub("[number]", _EMAIL.sub("[email]", text))


def normalise(text: str) -> str:
    """The text a group is keyed by: redacted, case-folded, plain apostrophes, hyphens
    as spaces, no punctuation at the ends; accents are kept (they matter in French)."""
    text = unicodedata.normalize("NFKC", redact(text)).replace("’", "'").casefold()
    return _SPACES.sub(" ", text.replace("-", " ")).strip(_EDGE_PUNCTUATION)


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
class Unanswered:
    """One user message the assistant did not answer well."""

    language: str
    text: str
    reasons: tuple[str, ...]
    best_guess: Optional[str]


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


def best_guess(parse_data: Mapping[str, Any]) -> Optional[str]:
    """The likeliest real intent (``faq/<topic>`` for the FAQ), ignoring the fallback."""
    for item in parse_data.get("intent_ranking") or []:
        name = item.get("name") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or name == FALLBACK_INTENT:
            continue
        if name == "faq":
            selector = (parse_data.get("response_selector") or {}).get("faq") or {}
            ranking = selector.get("ranking") or []
            key = ranking[0].get("intent_response_key") if ranking else None
            return key if isinstance(key, str) else name
        return name
    return None


def unanswered_in(
    events: Iterable[Mapping[str, Any]], since: float, min_confidence: float
) -> Iterator[Unanswered]:
    """The unanswered user messages of one conversation (its events in order)."""
    language: Optional[str] = None
    pending: Optional[dict[str, Any]] = None
    in_form = False

    def finish(turn: Optional[dict[str, Any]]) -> Iterator[Unanswered]:
        if turn and turn["reasons"]:
            chosen = turn["language"] or language or i18n.DEFAULT_LANGUAGE
            yield Unanswered(chosen, turn["text"], tuple(sorted(turn["reasons"])), turn["guess"])

    for event in events:
        kind = event.get("event")
        if kind == "user":
            yield from finish(pending)
            # Answers to a form's questions (names, e-mails, descriptions) are not questions.
            pending = None if in_form else _turn(event, since, min_confidence, language)
        elif kind == "active_loop":
            in_form = bool(event.get("name"))
        elif kind == "slot" and event.get("name") == "language":
            language = i18n.normalize(event.get("value")) or language
            if pending is not None:
                pending["language"] = language
        elif kind in ("action", "bot") and pending is not None:
            name = event.get("name") if kind == "action" else None
            if name in FALLBACK_ACTIONS:
                pending["reasons"].add("fallback_action")
    yield from finish(pending)


def _turn(
    event: Mapping[str, Any], since: float, min_confidence: float, language: Optional[str]
) -> Optional[dict[str, Any]]:
    text = event.get("text")
    timestamp = event.get("timestamp")
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return None  # button payloads are not questions
    if not isinstance(timestamp, (int, float)) or timestamp < since:
        return None
    parse_data = event.get("parse_data") or {}
    if parse_data.get(PROBLEM_KEY):
        return None  # empty, markup, too long: not training material
    intent = parse_data.get("intent") or {}
    reasons: set[str] = set()
    if intent.get("name") == FALLBACK_INTENT:
        reasons.add(FALLBACK_INTENT)
    confidence = intent.get("confidence")
    if isinstance(confidence, (int, float)) and confidence < min_confidence:
        reasons.add("low_confidence")
    metadata = event.get("metadata") or {}
    return {
        "text": text,
        "reasons": reasons,
        "guess": best_guess(parse_data),
        "language": language or i18n.normalize(metadata.get("language")),
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
