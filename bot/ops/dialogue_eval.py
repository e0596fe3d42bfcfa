"""Realistic dialogue evaluation: the realistic sets played against the real services.

``python -m bot evaluate-dialogue [--set dev|test]… [--gate [dev|test]…]`` starts the Rasa
server, the action server and the bot web service on spare ports
(``bot.ops.services.Supervisor``, a fresh SQLite tracker store and applications database
under ``var/dialogue-eval/``, today pinned to the day the sets were written), then plays
each set asked for (both with one start of the services) over the REST webhook:

- every single message of the set, each in a conversation of its own, with the page's
  language in ``metadata.language``;
- every conversation, turn by turn, with one sender id.

What the assistant did is then read from the tracker store, not guessed from its words:
the responses of each turn (a bot event's ``metadata.utter_action``), the actions that ran
(an action event's ``name``), the form's requested slot before and after, and the parse
of the user's message. ``LABEL_ANSWERS`` says, for each label of the sets, which responses
or actions answer it (from domain.yml, data/rules/ and actions/).

Scores, per language, label and pattern (the TEST set's ``pattern``; ``plain`` for the DEV
set), written to ``var/dialogue-eval-<set>.json`` with every failure:

- a single message is right when its turn answers its label and no other topic
  (``verdict``); for a message with two questions (``also``), whether the second one was
  answered too is reported separately;
- a conversation reaches its goal when every turn is right: its label answered (a
  ``form_answer`` accepted by the form: ``form_accepted``), at least one of its
  ``expect_any`` strings in the reply and none of its ``expect_none`` strings
  (``contains``: case, accents, spacing and thousands separators folded). The DEV set's
  conversations have only labels and free-text expectations: their labels are scored.

The TEST set's sentences are only ever written to the report under ``var/``; the summary
printed on stdout has figures only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import math
import re
import secrets
import shutil
import socket
import sqlite3
import time
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from bot import ROOT
from bot.domain.personal import PLACEHOLDER, scrub_text

LANGUAGES = ("fr", "en")
SET_NAMES = ("dev", "test")
FORM_ANSWER = "form_answer"
PLAIN = "plain"  # the pattern of every DEV sentence and conversation
# The day both sets were written: what is "open", "past" or "coming" is judged as then.
TODAY = "2026-11-30"
TEST_SET_NOTE = (
    "TEST set: its sentences are listed here for the record only; nobody improving the "
    "assistant reads them, and none goes into data/nlu/"
)
CONCURRENCY = 2  # conversations in flight at once (each one's turns stay in order)
REQUEST_TIMEOUT_S = 120


@dataclass(frozen=True)
class SetFiles:
    messages: tuple[Path, ...]  # directories, each holding fr.yml and en.yml
    conversations: tuple[Path, ...]

    def messages_files(self, language: str) -> list[Path]:
        return [directory / f"{language}.yml" for directory in self.messages]

    def conversations_files(self, language: str) -> list[Path]:
        return [directory / f"{language}.yml" for directory in self.conversations]


SETS = {
    # Engineers improving the assistant may read it: two parts by two independent writers
    # (Rasa NLU YAML and conversations with `intent` and a free-text `expect`; then the
    # second part in the TEST set's format).
    "dev": SetFiles(
        (ROOT / "tests" / "nlu" / "realistic", ROOT / "tests" / "nlu" / "realistic_dev2"),
        (
            ROOT / "tests" / "conversations" / "realistic",
            ROOT / "tests" / "conversations" / "realistic_dev2",
        ),
    ),
    # Nobody improving the assistant reads it (`messages:` with `label` and `pattern`;
    # conversations with `label`, `expect_any`, `expect_none` per turn).
    "test": SetFiles(
        (ROOT / "tests" / "nlu" / "realistic_test",),
        (ROOT / "tests" / "conversations" / "realistic_test",),
    ),
}


@dataclass(frozen=True)
class Gate:
    messages: float  # share of single messages answered with the right topic
    conversations: float  # share of conversations reaching their goal


# Issue 16's target, in each language.
TARGET = Gate(messages=0.92, conversations=0.90)
# What the model trained from scratch (no training cache) from the data and config of this
# change scored with its code, as (right, total): single messages, then
# conversations reaching their goal. The DEV set has two parts since 5503d89 (1,074 single
# messages and 99 conversations instead of 454 and 44), so its figures start afresh. Measured
# on 2026-12-02 with the model this machine trained for cf57a77's data and config (DIET 60
# epochs, the response selector 40; another machine's floating point trains another).
MEASURED: dict[str, dict[str, tuple[tuple[int, int], tuple[int, int]]]] = {
    "test": {"fr": ((413, 429), (37, 39)), "en": ((403, 433), (36, 38))},
    "dev": {"fr": ((510, 531), (43, 50)), "en": ((526, 543), (47, 49))},
}
# The gates of `--gate`. The TEST set, the one nobody improving the assistant reads, is
# gated at the target itself in both languages (issue 16's gates): its figures pass it by
# 4 single messages in English and 1 conversation in French, more elsewhere. The DEV set
# keeps a ratchet below the target: each figure of MEASURED less a margin (MARGIN: about a
# dozen single messages, two conversations, for what another machine's floating point may
# move in a retrained model), rounded down to the hundredth (`ratchet`; docs/testing.md,
# "Realistic dialogue evaluation"), at most the target. A gate is never lowered: one already
# above that ratchet stays where it was, as long as the measured figure passes it. Raise them
# with MEASURED as the assistant improves; never lower one to let a change pass.
MARGIN = Gate(messages=0.03, conversations=0.06)
GATES: dict[str, dict[str, Gate]] = {
    "test": {"fr": TARGET, "en": TARGET},
    "dev": {"fr": Gate(0.92, 0.82), "en": Gate(0.92, 0.90)},
}


# ---- What answers a label ----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """How a turn answers a label: one of ``responses`` sent (a bot event's
    ``metadata.utter_action``), one of ``actions`` run, or, with ``form_reply``, the
    pending form question answered (``form_accepted``)."""

    responses: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    form_reply: bool = False


def _answer(*responses: str, actions: Iterable[str] = (), form_reply: bool = False) -> Answer:
    return Answer(frozenset(responses), frozenset(actions), form_reply)


# Every label but `faq/<topic>` (answered by `utter_faq/<topic>`, the retrieval response,
# whichever action renders it) and `form_answer` (`form_accepted`). From data/rules/ and
# actions/: a yes or a no answers the question pending, if any (a form's, or the offer to
# be told when the call opens, which `notify_form` follows); "stop" asks to confirm the
# cancellation inside the pre-application and ends the other forms; a correction inside
# the pre-application asks again the question it corrects (`reasks_an_answer`).
LABEL_ANSWERS: dict[str, Answer] = {
    "greet": _answer("utter_greet"),
    "goodbye": _answer("utter_goodbye"),
    "thank": _answer("utter_thank"),
    "bot_challenge": _answer("utter_bot_challenge"),
    "help": _answer("utter_help"),
    "change_language": _answer("utter_language_changed"),
    "out_of_scope": _answer("utter_out_of_scope"),
    # a yes right after the pre-application's introduction: a go-ahead to it
    "affirm": _answer(
        "utter_anything_else",
        "utter_pre_application_go_ahead",
        actions=["notify_form"],
        form_reply=True,
    ),
    "deny": _answer("utter_anything_else", form_reply=True),
    "i_am_administration": _answer("utter_administration_welcome"),
    "i_am_candidate": _answer("utter_candidate_welcome"),
    "participate": _answer("utter_ask_audience"),
    "host_check": _answer(actions=["host_check_form", "action_host_check_result"]),
    "webinar_followup": _answer(actions=["action_webinar_followup"]),
    "pre_apply": _answer("utter_pre_application_intro", "utter_pre_application_resumed"),
    "resume": _answer(
        "utter_pre_application_resumed", "utter_pre_application_intro", "utter_host_check_resumed"
    ),
    "stop": _answer(
        "utter_nothing_to_stop",
        "utter_ask_cancel_confirmed",
        "utter_pre_application_cancelled",
        "utter_notification_cancel_link",
        actions=["action_deactivate_loop"],
    ),
    "correct": _answer(
        "utter_nothing_to_correct", "utter_answer_corrected", "utter_ask_correction_field"
    ),
    "delete_my_data": _answer(
        "utter_data_deleted",
        "utter_data_not_found",
        actions=["deletion_form", "action_delete_my_data"],
    ),
    "notify_me": _answer(actions=["notify_form", "action_request_notification"]),
}
FAQ_PREFIX = "faq/"
FAQ_RESPONSE_PREFIX = "utter_faq/"
# FAQ topics that another response answers too. "Can I apply today?" right after a webinar
# follow-up gets where the call stands today (action_call_today, actions/webinars.py): while
# the call is not open, the offer to be told when it opens, which says so (or, with e-mail
# not configured, where to follow the call, which says so too).
FAQ_ALSO_ANSWERED_BY: dict[str, frozenset[str]] = {
    "faq/deadline": frozenset({"utter_offer_notification", "utter_follow_call"}),
}
# Responses that answer something other than a form's question (a stop, a correction…).
NOT_A_FORM_ANSWER = frozenset(
    {
        "utter_out_of_scope",
        "utter_did_you_mean",
        "utter_default",
        "utter_error",
        "utter_ask_cancel_confirmed",
        "utter_answer_corrected",
    }
)
REFUSED = ("utter_invalid_", "utter_bad_input_")  # the answer is not valid, or not readable
PAUSED = "_stuck"  # a form paused after too many invalid answers (utter_form_stuck…)
# The pre-application's own questions about itself: answering them is no correction.
FORM_CONTROL_QUESTIONS = frozenset({"summary_confirmed", "cancel_confirmed", "correction_field"})
# The form kept the message as the answer to one of its later questions ("douze ans" when
# it asked the profile first): accepted, and its pending question asked again.
DONT_KNOW_HELP = "utter_form_dont_know"
KEPT_FOR_LATER = frozenset({"utter_answer_noted", "utter_email_noted_until_consent"})


@lru_cache(maxsize=1)
def domain_responses() -> frozenset[str]:
    """The response names of domain.yml."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return frozenset(domain.get("responses") or {})


def answer_of(label: str) -> Answer:
    """What answers ``label``; ``KeyError`` for a label nothing answers (a FAQ topic
    without its response in domain.yml included)."""
    if label.startswith(FAQ_PREFIX):
        response = FAQ_RESPONSE_PREFIX + label[len(FAQ_PREFIX) :]
        if response not in domain_responses():
            raise KeyError(label)
        return _answer(response, *FAQ_ALSO_ANSWERED_BY.get(label, ()))
    if label == FORM_ANSWER:
        return _answer(form_reply=True)
    return LABEL_ANSWERS[label]


def is_topic_answer(response: str) -> bool:
    """A response that answers a question of its own (a FAQ topic, or "not my subject")."""
    return response.startswith(FAQ_RESPONSE_PREFIX) or response == "utter_out_of_scope"


# ---- One turn as the tracker store holds it ------------------------------------------------


@dataclass
class TurnRecord:
    """What happened in one turn: from the user's message to the next one."""

    text: str
    intent: Optional[str] = None  # the full intent (``faq/<topic>`` for a FAQ)
    confidence: Optional[float] = None
    responses: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    loop_before: Optional[str] = None
    requested_before: Optional[str] = None
    loop_after: Optional[str] = None
    requested_after: Optional[str] = None
    answered_before: frozenset[str] = frozenset()  # slots holding a value before the turn
    requested_during: list[Optional[str]] = field(default_factory=list)
    reply: str = ""  # the texts the user read, one per line


def response_name(event: Mapping[str, Any]) -> str:
    metadata = event.get("metadata") or {}
    return str(metadata.get("utter_action") or metadata.get("template") or "(text)")


def split_turns(events: Sequence[Mapping[str, Any]]) -> list[TurnRecord]:
    """The turns of one conversation's events (in stored order), with the state of the
    active form before and after each: replayed from slot, active-loop and session events."""
    turns: list[TurnRecord] = []
    slots: dict[str, Any] = {}
    loop: Optional[str] = None
    current: Optional[TurnRecord] = None

    def close() -> None:
        if current is not None:
            current.loop_after = loop
            current.requested_after = slots.get("requested_slot")

    for event in events:
        kind = event.get("event")
        if kind == "user":
            close()
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            name = intent.get("full_retrieval_intent_name") or intent.get("name")
            confidence = intent.get("confidence")
            current = TurnRecord(
                text=str(event.get("text") or ""),
                intent=str(name) if name else None,
                confidence=round(float(confidence), 4) if confidence is not None else None,
                loop_before=loop,
                requested_before=slots.get("requested_slot"),
                answered_before=frozenset(
                    k for k, v in slots.items() if v is not None and k != "requested_slot"
                ),
            )
            turns.append(current)
        elif kind in ("session_started", "restart"):
            slots, loop = {}, None
        elif kind == "slot":
            slots[str(event.get("name"))] = event.get("value")
            if current is not None and event.get("name") == "requested_slot":
                current.requested_during.append(event.get("value"))
        elif kind == "active_loop":
            loop = event.get("name")
            if loop is None:
                slots["requested_slot"] = None
        elif kind == "bot" and current is not None:
            current.responses.append(response_name(event))
        elif kind == "action" and current is not None:
            name = event.get("name")
            if name not in (None, "action_listen"):
                current.actions.append(str(name))
    close()
    return turns


# ---- Verdicts --------------------------------------------------------------------------


def form_accepted(record: TurnRecord) -> bool:
    """The form took the message as the answer to its pending question: it moved on to
    another question or finished, without re-asking the same one, saying the answer is
    invalid, answering a FAQ or anything else instead, or taking it as a stop or a
    correction."""
    requested = record.requested_before
    if record.loop_before is None or requested is None:
        return False  # no question was pending
    if KEPT_FOR_LATER & set(record.responses) and not any(
        r.startswith(REFUSED) or r.endswith(PAUSED) for r in record.responses
    ):
        return True
    for response in record.responses:
        if response.startswith(REFUSED) or response.endswith(PAUSED):
            return False
        if response.startswith(FAQ_RESPONSE_PREFIX) or response in NOT_A_FORM_ANSWER:
            return False
        if response == "utter_ask_correction_field" and requested not in FORM_CONTROL_QUESTIONS:
            return False
        if response == f"utter_ask_{requested}":
            return False  # asked again
    return record.requested_after != requested


def helped(record: TurnRecord) -> bool:
    """ "Je sais pas" to the form's question: the form helped (``utter_form_dont_know``) and
    stayed open, which is what a form answer that answers nothing should get."""
    return (
        record.loop_before is not None
        and record.requested_before is not None
        and DONT_KNOW_HELP in record.responses
        and record.loop_after == record.loop_before
    )


def reasks_an_answer(record: TurnRecord) -> bool:
    """Inside a form, the turn asks again a question answered before (a correction)."""
    if record.loop_before is None:
        return False
    return any(slot in record.answered_before for slot in record.requested_during if slot)


def answers(label: str, record: TurnRecord) -> bool:
    """Whether the turn answers ``label`` (``LABEL_ANSWERS``, ``answer_of``)."""
    expected = answer_of(label)
    if any(r in expected.responses for r in record.responses):
        return True
    if any(a in expected.actions for a in record.actions):
        return True
    if expected.form_reply and (form_accepted(record) or helped(record)):
        return True
    return label == "correct" and reasks_an_answer(record)


@dataclass(frozen=True)
class Verdict:
    right: bool
    why: str = ""


def verdict(label: str, record: TurnRecord, also: Optional[str] = None) -> Verdict:
    """Right when the turn answers ``label`` and no other topic (but ``also``, a second
    question in the same message)."""
    if not answers(label, record):
        return Verdict(False, f"{label} not answered")
    allowed = answer_of(label).responses | (answer_of(also).responses if also else frozenset())
    other = [r for r in record.responses if is_topic_answer(r) and r not in allowed]
    if other:
        return Verdict(False, "another topic answered too: " + ", ".join(other))
    return Verdict(True)


# ---- Text of the replies ------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d)[ ,](?=\d{3}(?!\d))")
# A Markdown escape, as the widget shows it: "karim\@example.com" reads "karim@example.com"
# (bot.wording.form_answers.quoted_in_chat).
_PERCENT = re.compile(r"(?<=\d) %")  # "6 %" (French) and "6%" (English) alike
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# "April 3" and "April 3rd, 2022" read "3 april", as "3rd April" does: the English orders
_MONTH_FIRST = re.compile(rf"\b({_MONTHS}) (\d{{1,2}})(?:st|nd|rd|th)?\b,?")
_DAY_SUFFIX = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?=(?:{_MONTHS})\b)")
# "a 10-month contract" says "10 months", as the English source does
_DURATION = re.compile(r"\b(\d+)[ -](month|year|week|day|hour)s?\b")
_ESCAPED = re.compile(r"\\([\\`*_\[\]()<>#:@])")


def fold_text(text: str) -> str:
    """Text as compared: as the page shows it (Markdown escapes read), accents and case
    folded, typographic apostrophes and dashes made plain, every kind of space one space,
    thousands separators dropped ("4 250" and the English "4,250" → "4250"), "6 %" as
    "6%", "10-month" as "10 months", and an English date day first ("April 3rd, 2022" →
    "3 april 2022")."""
    decomposed = unicodedata.normalize("NFKD", _ESCAPED.sub(r"\1", text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _DASHES.sub("-", plain.translate(_QUOTES))
    spaced = _SPACES.sub(" ", plain).casefold().strip()
    spaced = _MONTH_FIRST.sub(r"\2 \1", _DAY_SUFFIX.sub(r"\1 ", spaced))
    spaced = _DURATION.sub(r"\1 \2s", spaced)
    return _PERCENT.sub("%", _THOUSANDS.sub("", spaced))


def contains(reply: str, expected: str) -> bool:
    """``expected`` appears in ``reply`` once both are folded (``fold_text``); a number is
    never matched inside a longer one ("250" is not in "4250")."""
    needle, haystack = fold_text(expected), fold_text(reply)
    if not needle:
        return True
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        before_ok = not (needle[0].isdigit() and start > 0 and haystack[start - 1].isdigit())
        after_ok = not (needle[-1].isdigit() and end < len(haystack) and haystack[end].isdigit())
        if before_ok and after_ok:
            return True
        start = haystack.find(needle, start + 1)
    return False


# ---- The sets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    language: str
    text: str
    label: str
    pattern: str = PLAIN
    also: Optional[str] = None  # the label of a second question in the same message


@dataclass(frozen=True)
class Turn:
    user: str
    label: str
    also: Optional[str] = None
    expect_any: tuple[str, ...] = ()
    expect_none: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    language: str
    name: str
    turns: tuple[Turn, ...]
    pattern: str = PLAIN
    goal: str = ""


class SetError(ValueError):
    """A set file that cannot be played: missing, malformed, or a label nothing answers."""


_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise SetError(f"{where}: expected a string or a list of strings")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise SetError(f"{_shown(path)} is missing")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SetError(f"{_shown(path)}: {error}") from None


def _check_label(label: Any, where: str) -> str:
    if not isinstance(label, str):
        raise SetError(f"{where}: no label")
    try:
        answer_of(label)
    except KeyError:
        raise SetError(f"{where}: no answer is known for the label {label!r}") from None
    return label


def _read_set_file(path: Path, language: str) -> dict[str, Any]:
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise SetError(f"{_shown(path)}: not a mapping")
    if data.get("language") not in (None, language):
        raise SetError(f"{_shown(path)}: language {data['language']!r}, not {language!r}")
    return data


def load_messages(path: Path, language: str) -> list[Message]:
    """Single messages: the TEST format (``messages:`` with ``text``, ``label``,
    ``pattern``, ``also``) or Rasa NLU YAML (``nlu:`` intents and examples, the DEV set)."""
    data = _read_set_file(path, language)
    found: list[Message] = []
    if "messages" in data:
        for i, item in enumerate(data["messages"] or []):
            where = f"{path.name} message {i + 1}"
            also = item.get("also")
            found.append(
                Message(
                    language,
                    str(item["text"]),
                    _check_label(item.get("label"), where),
                    str(item.get("pattern") or PLAIN),
                    _check_label(also, where) if also is not None else None,
                )
            )
        return found
    for block in data.get("nlu") or []:
        label = _check_label(block.get("intent"), f"{path.name} {block.get('intent')}")
        for line in str(block.get("examples") or "").splitlines():
            text = line.strip()
            if text.startswith("- "):
                found.append(Message(language, _ANNOTATION.sub(r"\1", text[2:].strip()), label))
    return found


def load_conversations(path: Path, language: str) -> list[Conversation]:
    """Conversations: turns with ``label`` (TEST) or ``intent`` (DEV)."""
    data = _read_set_file(path, language)
    found = []
    for i, item in enumerate(data.get("conversations") or []):
        name = str(item.get("name") or f"conversation {i + 1}")
        turns = []
        for j, raw in enumerate(item.get("turns") or []):
            where = f"{path.name} {name} turn {j + 1}"
            also = raw.get("also")
            turns.append(
                Turn(
                    str(raw["user"]),
                    _check_label(raw.get("label", raw.get("intent")), where),
                    _check_label(also, where) if also is not None else None,
                    _strings(raw.get("expect_any"), where),
                    _strings(raw.get("expect_none"), where),
                )
            )
        if not turns:
            raise SetError(f"{path.name} {name}: no turns")
        found.append(
            Conversation(
                language,
                name,
                tuple(turns),
                str(item.get("pattern") or PLAIN),
                str(item.get("goal") or ""),
            )
        )
    return found


def training_texts(language: str) -> list[str]:
    """The training sentences of ``data/nlu/<language>/`` (Rasa NLU YAML), annotations
    removed, read without Rasa."""
    texts = []
    for path in sorted((ROOT / "data" / "nlu" / language).glob("*.yml")):
        for block in (_read_yaml(path) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line.strip()[2:].strip()))
    return texts


def load_set(name: str) -> tuple[list[Message], list[Conversation]]:
    files = SETS[name]
    messages, conversations = [], []
    for language in LANGUAGES:
        for path in files.messages_files(language):
            messages += load_messages(path, language)
        for path in files.conversations_files(language):
            conversations += load_conversations(path, language)
    return messages, conversations


# ---- Playing against the real services -----------------------------------------------------


@dataclass
class Played:
    """One conversation as sent: its sender id and, per turn, the reply's text (None when
    the webhook did not answer 200)."""

    sender: str
    texts: list[str]
    replies: list[Optional[str]] = field(default_factory=list)


async def _send(session: Any, url: str, sender: str, text: str, language: str) -> Optional[str]:
    import aiohttp

    body = {"sender": sender, "message": text, "metadata": {"language": language}}
    try:
        async with session.post(url, json=body) as reply:
            if reply.status != 200:
                return None
            messages = await reply.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError):
        return None
    return "\n".join(str(m.get("text") or "") for m in messages if isinstance(m, dict))


async def play_all(
    url: str, conversations: Sequence[tuple[str, str, Sequence[str]]], concurrency: int
) -> list[Played]:
    """Plays each (sender, language, texts) conversation, its turns in order, with at most
    ``concurrency`` conversations in flight."""
    import aiohttp

    gate = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)

    async def one(session: Any, sender: str, language: str, texts: Sequence[str]) -> Played:
        played = Played(sender, list(texts))
        async with gate:
            for text in texts:
                played.replies.append(await _send(session, url, sender, text, language))
        return played

    async with aiohttp.ClientSession(timeout=timeout) as session:
        return list(await asyncio.gather(*(one(session, *c) for c in conversations)))


def stored_events(tracker_db: Path) -> dict[str, list[dict[str, Any]]]:
    """Every conversation's events in the tracker store, in stored order, by sender."""
    by_sender: dict[str, list[dict[str, Any]]] = defaultdict(list)
    connection = sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    finally:
        connection.close()
    for sender, data in rows:
        by_sender[sender].append(json.loads(data))
    return by_sender


def records_of(played: Played, events: Sequence[Mapping[str, Any]]) -> list[Optional[TurnRecord]]:
    """The stored turn of each message sent (None for one never stored), with its reply.
    A personal answer is stored as the placeholder once its form ended (RedactingTrackerStore),
    and an e-mail address typed in any message as the placeholder inside its text: the next
    stored turn holding either is that message's."""
    stored = split_turns(events)
    found: list[Optional[TurnRecord]] = []
    position = 0
    for text, reply in zip(played.texts, played.replies, strict=True):
        match = None
        scrubbed = scrub_text(text, None).strip()
        if reply is not None:
            for k in range(position, len(stored)):
                if stored[k].text.strip() in (text.strip(), PLACEHOLDER, scrubbed):
                    match, position = stored[k], k + 1
                    break
        if match is not None:
            match.reply = reply or ""
        found.append(match)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_against_services(
    conversations: Sequence[tuple[str, str, Sequence[str]]],
    model: Path,
    work_dir: Path,
    concurrency: int = CONCURRENCY,
) -> tuple[list[Played], dict[str, list[dict[str, Any]]]]:
    """Starts the three services in ``work_dir`` (emptied first), plays, stops them, and
    returns what was sent and the tracker store's events."""
    from bot.infra import settings
    from bot.ops import services

    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    ports = services.Ports(rasa=free_port(), actions=free_port(), web=free_port())
    tracker_db = work_dir / "tracker.db"
    extra_env = {
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(tracker_db),
        "DATABASE_URL": f"sqlite:///{work_dir / 'applications.db'}",
        "ACTION_ENDPOINT_URL": f"http://{services.HOST}:{ports.actions}/webhook",
        "NLG_ENDPOINT_URL": f"http://{services.HOST}:{ports.web}/nlg",
        settings.TODAY.name: TODAY,
    }
    # E-mail on, as deployed: the assistant offers it only when it can send (bot.mail), to
    # an SMTP server on loopback that accepts every message and keeps none.
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: one line per step
    smtp = Controller(Sink(), hostname=services.HOST, port=free_port())
    extra_env.update(
        {
            settings.SMTP_HOST.name: services.HOST,
            settings.SMTP_PORT.name: str(smtp.port),
            settings.SMTP_SECURITY.name: "none",
            settings.MAIL_FROM.name: "EIG <eig@example.gouv.fr>",
            settings.LINK_SECRET.name: secrets.token_hex(32),
            settings.MAIL_RATE.name: "off",
        }
    )
    supervisor = services.Supervisor(
        ports,
        var_dir=work_dir,
        model=model,
        log_file=work_dir / "services.log",
        extra_env=extra_env,
    )
    url = f"http://{services.HOST}:{ports.rasa}/webhooks/rest/webhook"
    smtp.start()
    try:
        with supervisor:
            played = asyncio.run(play_all(url, conversations, concurrency))
    finally:
        smtp.stop()
    return played, stored_events(tracker_db)


# ---- Scoring -------------------------------------------------------------------------------


def _ratio(hits: int, total: int) -> Optional[float]:
    return round(hits / total, 4) if total else None


def _count(items: Iterable[bool]) -> dict[str, Any]:
    values = list(items)
    right = sum(values)
    return {"total": len(values), "right": right, "ratio": _ratio(right, len(values))}


def _grouped(pairs: Iterable[tuple[str, bool]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for key, right in pairs:
        groups[key].append(right)
    return {key: _count(groups[key]) for key in sorted(groups)}


def _happened(record: Optional[TurnRecord]) -> dict[str, Any]:
    if record is None:
        return {"stored": False}
    return {
        "intent": record.intent,
        "confidence": record.confidence,
        "responses": record.responses,
        "actions": record.actions,
        "form_before": [record.loop_before, record.requested_before],
        "form_after": [record.loop_after, record.requested_after],
        "reply": record.reply,
    }


def _expected(label: str) -> dict[str, Any]:
    answer = answer_of(label)
    return {
        "label": label,
        "responses": sorted(answer.responses),
        "actions": sorted(answer.actions),
        "form_answer": answer.form_reply,
    }


@dataclass
class MessageResult:
    message: Message
    record: Optional[TurnRecord]
    verdict: Verdict
    also_answered: Optional[bool]
    in_training: bool = False  # the same sentence as a training one (``evaluation.normalise``)


@dataclass
class TurnResult:
    turn: Turn
    record: Optional[TurnRecord]
    right: bool
    why: list[str]
    also_answered: Optional[bool]


def score_message(message: Message, record: Optional[TurnRecord]) -> MessageResult:
    if record is None:
        return MessageResult(message, None, Verdict(False, "no reply stored"), None)
    found = verdict(message.label, record, message.also)
    also = answers(message.also, record) if message.also else None
    return MessageResult(message, record, found, also)


def mark_training_sentences(results: Sequence[MessageResult]) -> None:
    """Flags the messages that are also training sentences once normalised."""
    from bot.ops.evaluation import normalise

    seen = {language: {normalise(t) for t in training_texts(language)} for language in LANGUAGES}
    for result in results:
        result.in_training = normalise(result.message.text) in seen[result.message.language]


def score_turn(turn: Turn, record: Optional[TurnRecord]) -> TurnResult:
    """A conversation's turn: its label answered, an ``expect_any`` string in the reply,
    no ``expect_none`` string."""
    if record is None:
        return TurnResult(turn, None, False, ["no reply stored"], None)
    why = []
    found = verdict(turn.label, record, turn.also)
    if not found.right:
        why.append(found.why)
    if turn.expect_any and not any(contains(record.reply, s) for s in turn.expect_any):
        why.append("none of expect_any in the reply")
    why += [f"expect_none found: {s!r}" for s in turn.expect_none if contains(record.reply, s)]
    also = answers(turn.also, record) if turn.also else None
    return TurnResult(turn, record, not why, why, also)


def report_figures(
    messages: Sequence[MessageResult],
    conversations: Sequence[tuple[Conversation, list[TurnResult]]],
) -> dict[str, Any]:
    """Figures per language: single messages, second questions, conversations, turns; by
    label and by pattern."""
    figures: dict[str, Any] = {}
    for language in LANGUAGES:
        ms = [m for m in messages if m.message.language == language]
        cs = [(c, ts) for c, ts in conversations if c.language == language]
        seconds = [m.also_answered for m in ms if m.also_answered is not None]
        turns = [t for _, ts in cs for t in ts]
        figures[language] = {
            "messages": {
                **_count(m.verdict.right for m in ms),
                "by_label": _grouped((m.message.label, m.verdict.right) for m in ms),
                "by_pattern": _grouped((m.message.pattern, m.verdict.right) for m in ms),
                "second_question_answered": _count(seconds),
                "also_in_training": sum(m.in_training for m in ms),
                "without_those_in_training": _count(
                    m.verdict.right for m in ms if not m.in_training
                ),
            },
            "conversations": {
                **_count(all(t.right for t in ts) for _, ts in cs),
                "by_pattern": _grouped((c.pattern, all(t.right for t in ts)) for c, ts in cs),
                "turns": {
                    **_count(t.right for t in turns),
                    "by_label": _grouped((t.turn.label, t.right) for t in turns),
                },
            },
        }
    return figures


def failures(
    messages: Sequence[MessageResult],
    conversations: Sequence[tuple[Conversation, list[TurnResult]]],
) -> dict[str, list[dict[str, Any]]]:
    """Every wrong message and every conversation that missed its goal, with what was
    expected and what happened (response and action names, the parse, the reply)."""
    wrong_messages = [
        {
            "language": m.message.language,
            "pattern": m.message.pattern,
            "text": m.message.text,
            "expected": _expected(m.message.label),
            "why": m.verdict.why,
            "happened": _happened(m.record),
        }
        for m in messages
        if not m.verdict.right
    ]
    missed_second = [
        {
            "language": m.message.language,
            "text": m.message.text,
            "expected": _expected(m.message.also or ""),
            "happened": _happened(m.record),
        }
        for m in messages
        if m.also_answered is False
    ]
    missed_goals = []
    for conversation, results in conversations:
        if all(t.right for t in results):
            continue
        missed_goals.append(
            {
                "language": conversation.language,
                "name": conversation.name,
                "pattern": conversation.pattern,
                "goal": conversation.goal,
                "turns": [
                    {
                        "user": t.turn.user,
                        "right": t.right,
                        "expected": _expected(t.turn.label),
                        **({"expect_any": list(t.turn.expect_any)} if t.turn.expect_any else {}),
                        **({"expect_none": list(t.turn.expect_none)} if t.turn.expect_none else {}),
                        "why": t.why,
                        "happened": _happened(t.record),
                    }
                    for t in results
                ],
            }
        )
    return {
        "messages": wrong_messages,
        "second_questions": missed_second,
        "conversations": missed_goals,
    }


def gate_failures(set_name: str, figures: Mapping[str, Any]) -> list[str]:
    """The gates of ``set_name`` that ``figures`` miss, one line each."""
    missed = []
    for language in LANGUAGES:
        gate = GATES[set_name][language]
        values = figures[language]
        for what, gated in (("messages", gate.messages), ("conversations", gate.conversations)):
            ratio = values[what]["ratio"]
            if ratio is None or ratio < gated:
                shown = "none" if ratio is None else f"{ratio:.3f}"
                missed.append(
                    f"{set_name} {language}: {_NAMES[what]} {shown} is below the gate {gated:.2f}"
                    f" (target {getattr(TARGET, what):.2f})"
                )
    return missed


_NAMES = {"messages": "single messages right", "conversations": "conversations reaching goal"}


def ratchet(measured: float, margin: float) -> float:
    """The gate for a figure measured today: ``margin`` below it, rounded down to the
    hundredth."""
    return max(0.0, math.floor(round((measured - margin) * 100, 6)) / 100)


# ---- The command ---------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def evaluate(
    set_names: Sequence[str], model: Path, work_dir: Path, concurrency: int
) -> dict[str, dict[str, Any]]:
    """Plays the sets against one start of the services; a report per set."""
    loaded = {name: load_set(name) for name in set_names}
    plan: list[tuple[str, str, Sequence[str]]] = []
    for messages, conversations in loaded.values():
        # A random session id per conversation, as the public REST channel wants.
        plan += [(uuid.uuid4().hex, m.language, [m.text]) for m in messages]
        plan += [(uuid.uuid4().hex, c.language, [t.user for t in c.turns]) for c in conversations]
    started = time.monotonic()
    played, events = run_against_services(plan, model, work_dir, concurrency)
    elapsed = time.monotonic() - started
    from bot.rasa_server.inbound import REST_PREFIX  # REST conversations: rest:<id>

    records = iter([records_of(p, events.get(REST_PREFIX + p.sender, [])) for p in played])
    model_sha256 = _sha256(model)
    reports = {}
    for name, (messages, conversations) in loaded.items():
        message_results = [score_message(m, next(records)[0]) for m in messages]
        mark_training_sentences(message_results)
        conversation_results = [
            (c, [score_turn(t, r) for t, r in zip(c.turns, next(records), strict=True)])
            for c in conversations
        ]
        reports[name] = {
            "set": name,
            **({"note": TEST_SET_NOTE} if name == "test" else {}),
            "model": {"path": str(model), "sha256": model_sha256},
            "today": TODAY,
            "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(elapsed, 1),
            "played_with": list(loaded),
            "target": asdict(TARGET),
            "gates": {language: asdict(GATES[name][language]) for language in LANGUAGES},
            "figures": report_figures(message_results, conversation_results),
            "failures": failures(message_results, conversation_results),
        }
    return reports


def _cell(values: Mapping[str, Any]) -> str:
    if not values.get("total"):
        return "—"
    return f"{values['ratio']:.3f} ({values['right']}/{values['total']})"


def summary(report: Mapping[str, Any]) -> str:
    """The figures as a short table: no sentence of the set."""
    figures = report["figures"]
    rows = [
        f"Realistic dialogue evaluation, {report['set'].upper()} set "
        f"(model sha256 {report['model']['sha256'][:12]}, today {report['today']}, "
        f"{report['seconds']:.0f} s)",
        f"{'':34}{'fr':>20}{'en':>20}   gate fr/en · target",
    ]

    def row(name: str, pick: Any, gate: Optional[str] = None) -> None:
        cells = "".join(f"{_cell(pick(figures[language])):>20}" for language in LANGUAGES)
        rows.append(f"{name:34}{cells}" + (f"   {gate}" if gate else ""))

    gates = report["gates"]
    target = report["target"]
    for what in ("messages", "conversations"):
        gate = f"{gates['fr'][what]:.2f}/{gates['en'][what]:.2f} · {target[what]:.2f}"
        row(_NAMES[what], lambda v, w=what: v[w], gate)
        if what == "messages":
            row(
                "  second question answered too",
                lambda v: v["messages"]["second_question_answered"],
            )
            row(
                "  without those also in training",
                lambda v: v["messages"]["without_those_in_training"],
            )
    row("conversation turns right", lambda v: v["conversations"]["turns"])
    for what in ("messages", "conversations"):
        patterns = sorted({p for v in figures.values() for p in v[what]["by_pattern"]})
        if len(patterns) > 1 or patterns != [PLAIN]:
            rows.append(f"{_NAMES[what]}, by pattern:")
            for pattern in patterns:
                row(f"  {pattern}", lambda v, w=what, p=pattern: v[w]["by_pattern"].get(p, {}))
    fails = report["failures"]
    rows.append(
        f"failures: {len(fails['messages'])} single messages, "
        f"{len(fails['conversations'])} conversations (details in the JSON report)"
    )
    return "\n".join(rows)


def main(
    set_names: Sequence[str],
    gated: Sequence[str],
    model: Path,
    report_dir: Optional[Path] = None,
    concurrency: int = CONCURRENCY,
) -> int:
    """Evaluate the sets with one start of the services, write each one's JSON report
    (``<report_dir>/dialogue-eval-<set>.json``), print their tables; 1 when a set of
    ``gated`` misses a gate, 2 when a set cannot be played."""
    set_names = list(dict.fromkeys(set_names))
    try:
        for name in set_names:
            load_set(name)
    except SetError as error:
        print(f"evaluate-dialogue: {error}")
        return 2
    report_dir = report_dir or ROOT / "var"
    reports = evaluate(set_names, model, ROOT / "var" / "dialogue-eval", concurrency)
    missed = []
    for name, report in reports.items():
        report["gate_failures"] = gate_failures(name, report["figures"])
        path = report_dir / f"dialogue-eval-{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(summary(report))
        print(f"report: {path}" + (f" ({TEST_SET_NOTE})" if name == "test" else ""))
        if name not in gated:
            print(f"({name} set reported, not gated)")
        elif report["gate_failures"]:
            missed += report["gate_failures"]
        else:
            print(f"✓ gates met ({name} set)")
    for line in missed:
        print(f"✗ {line}")
    return 1 if missed else 0
