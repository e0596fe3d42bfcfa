"""Which user messages the assistant did not answer well: the rule shared by the
unanswered-questions report (``bot.ops.unanswered``) and the back office's inbox
(``bot.admin.inbox``).

A user message counts when it fell back (intent ``nlu_fallback``, or a fallback action in
the same turn), when its intent confidence was low, when it was answered as out of scope,
when it got the "the official texts do not say" answer (``faq/not_in_sources``:
``dont_know``), or when its answer got a "no" in the answer feedback (``feedback_no``).
Button payloads, empty or markup-only input and answers given while a form was active
(names, e-mails, descriptions) never count. Pure functions on Rasa's events as plain
dictionaries: no framework.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from bot.domain.language import DEFAULT_LANGUAGE, normalize
from bot.domain.nlu_keys import PROBLEM_KEY

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset(
    {"action_default_fallback", "utter_default", "action_did_you_mean", "utter_did_you_mean"}
)
# The FAQ topic whose answer is "the official texts do not say": an "I don't know".
DONT_KNOW_TOPIC = "faq/not_in_sources"
# Answered "that is not something I can help with": worth a look, since a programme
# question the classifier missed ("zorblax…", a new word) lands there too.
OUT_OF_SCOPE_INTENT = "out_of_scope"
DEFAULT_MIN_CONFIDENCE = 0.6  # the FallbackClassifier's threshold is 0.5: a margin above it
MAX_TEXT_CHARS = 300

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


@dataclass
class Unanswered:
    """One user message the assistant did not answer well; ``index`` is its position in
    the conversation's events and ``timestamp`` when it was sent."""

    language: str
    text: str
    reasons: tuple[str, ...]
    best_guess: Optional[str]
    timestamp: float = 0.0
    index: int = -1


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
    events: Iterable[Mapping[str, Any]],
    since: float,
    min_confidence: float,
    unhelpful: frozenset[str] = frozenset(),
) -> Iterator[Unanswered]:
    """The unanswered user messages of one conversation (its events in order).

    ``unhelpful``: ids of bot messages that got a "no" in the answer feedback; the user
    message they answered counts too, with the reason ``feedback_no``.
    """
    language: Optional[str] = None
    pending: Optional[dict[str, Any]] = None
    in_form = False

    def finish(turn: Optional[dict[str, Any]]) -> Iterator[Unanswered]:
        if turn and turn["reasons"]:
            yield Unanswered(
                turn["language"] or language or DEFAULT_LANGUAGE,
                turn["text"],
                tuple(sorted(turn["reasons"])),
                turn["guess"],
                turn["timestamp"],
                turn["index"],
            )

    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            yield from finish(pending)
            # Answers to a form's questions (names, e-mails, descriptions) are not questions.
            pending = None if in_form else _turn(event, since, min_confidence, language)
            if pending is not None:
                pending["index"] = index
        elif kind == "active_loop":
            in_form = bool(event.get("name"))
        elif kind == "slot" and event.get("name") == "language":
            language = normalize(event.get("value")) or language
            if pending is not None:
                pending["language"] = language
        elif kind in ("action", "bot") and pending is not None:
            name = event.get("name") if kind == "action" else None
            if name in FALLBACK_ACTIONS:
                pending["reasons"].add("fallback_action")
            metadata = event.get("metadata") if kind == "bot" else None
            if isinstance(metadata, Mapping) and metadata.get("message_id") in unhelpful:
                pending["reasons"].add("feedback_no")
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
    guess = best_guess(parse_data)
    if intent.get("name") == "faq" and guess == DONT_KNOW_TOPIC:
        reasons.add("dont_know")
    if intent.get("name") == OUT_OF_SCOPE_INTENT:
        reasons.add("out_of_scope")  # "I can only talk about EIG": maybe a question missed
    metadata = event.get("metadata") or {}
    return {
        "text": text,
        "reasons": reasons,
        "guess": guess,
        "language": language or normalize(metadata.get("language")),
        "timestamp": float(timestamp),
        "index": -1,
    }
